import { agencyRuleErrors, AssignableRole, UserCreateInput } from './users.dto';

describe('user rules', () => {
  const agency = '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11';

  it('never lets the system role be assigned', () => {
    expect(AssignableRole.options).not.toContain('system');
    expect(
      UserCreateInput.safeParse({
        email: 'a@b.th',
        displayName: 'A',
        password: 'long-enough-1',
        roles: ['system'],
      }).success,
    ).toBe(false);
  });

  it('ties agency-scoped roles, and only them, to an agency', () => {
    expect(agencyRuleErrors(['coordinator'], agency)).toEqual([]);
    expect(agencyRuleErrors(['coordinator', 'approver'], agency)).toEqual([]);
    expect(agencyRuleErrors(['dga_admin', 'committee'], null)).toEqual([]);
    expect(agencyRuleErrors(['approver'], null)).toMatchObject([{ path: 'agencyId', code: 'REQUIRED' }]);
    expect(agencyRuleErrors(['operator'], agency)).toMatchObject([{ path: 'agencyId', code: 'NOT_ALLOWED' }]);
    expect(agencyRuleErrors(['coordinator', 'dga_admin'], agency)).toMatchObject([
      { path: 'roles', code: 'MIXED_SCOPE' },
    ]);
  });

  it('refuses passwords bcrypt would cut (over 72 bytes) and short ones', () => {
    const base = { email: 'a@b.th', displayName: 'A', roles: ['operator'] };
    expect(UserCreateInput.safeParse({ ...base, password: 'ก'.repeat(25) }).success).toBe(false);
    expect(UserCreateInput.safeParse({ ...base, password: 'ก'.repeat(24) }).success).toBe(true);
    expect(UserCreateInput.safeParse({ ...base, password: 'short' }).success).toBe(false);
    expect(
      UserCreateInput.safeParse({ ...base, password: 'long-enough-1', roles: ['operator', 'operator'] })
        .success,
    ).toBe(false);
  });
});
