import { isCommonPassword, passwordPolicyErrors } from './password-policy';
import { Password } from './users.dto';

describe('password policy', () => {
  it('knows the common breached passwords, in any case and with digits or symbols added at either end', () => {
    for (const p of ['password', 'Password', 'iloveyou2565', 'qwerty123!', '!!dragon']) {
      expect(isCommonPassword(p)).toBe(true);
    }
    for (const p of ['correct-horse-2565', 'ม้าถูกต้อง-แบตเตอรี่', 'long-enough-2565']) {
      expect(isCommonPassword(p)).toBe(false);
    }
  });

  it('refuses short, over-long and common passwords in the schema', () => {
    expect(Password.safeParse('eleven-char').success).toBe(false);
    expect(Password.safeParse('twelve-chars').success).toBe(true);
    expect(Password.safeParse('ก'.repeat(25)).success).toBe(false);
    expect(Password.safeParse('password1234').success).toBe(false);
  });

  it('refuses the e-mail or its local part', () => {
    expect(passwordPolicyErrors('Somchai.K@example.go.th', 'somchai.k@example.go.th')).toEqual([
      expect.objectContaining({ path: 'password', code: 'SAME_AS_EMAIL' }),
    ]);
    expect(passwordPolicyErrors('somchai.k.long', 'somchai.k.long@example.go.th', 'newPassword')).toEqual([
      expect.objectContaining({ path: 'newPassword' }),
    ]);
    expect(passwordPolicyErrors('somchai-2565-pass', 'somchai@example.go.th')).toEqual([]);
  });
});
