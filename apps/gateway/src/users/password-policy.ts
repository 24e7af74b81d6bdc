import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '@dg/contracts';

export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused. */
export const PASSWORD_MAX_BYTES = 72;

let common: Set<string> | undefined;

/**
 * True when the password is one of the ~49,000 most common passwords of public breaches (the list
 * zxcvbn-ts ships, read locally: no network lookup), ignoring case, or is one of them with digits
 * and symbols only added before or after (`password2565!`).
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common']);
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+/, '').replace(/[\d\W_]+$/, '');
  return common.has(lower) || (core.length > 0 && common.has(core));
}

/** The rules that need more than the password itself: not the e-mail nor its local part. */
export function passwordPolicyErrors(password: string, email: string, path = 'password'): FieldError[] {
  const p = password.trim().toLowerCase();
  const mail = email.trim().toLowerCase();
  if (p === mail || p === mail.split('@')[0]) {
    return [
      {
        path,
        code: 'SAME_AS_EMAIL',
        message: 'the password must not be the e-mail address',
        messageTh: 'รหัสผ่านต้องไม่ซ้ำกับอีเมล',
      },
    ];
  }
  return [];
}
