import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { AGENCY_SCOPED_ROLES, AssignableRole, FieldError, Page, paged, Uuid } from '@dg/contracts';
import { isCommonPassword, PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from './password-policy';

/** Roles a person can hold (`system` never): defined in the contracts, which the portal reads too. */
export { AssignableRole };

export const Email = z.string().trim().toLowerCase().email().max(254);

/**
 * The password policy that one value can be checked against (ADR 0016): 12 characters at least,
 * 72 bytes at most (bcrypt's limit), not a common password. Not the e-mail: passwordPolicyErrors.
 */
export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine(
    (p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES,
    `at most ${PASSWORD_MAX_BYTES} bytes (about 24 Thai characters)`,
  )
  .refine((p) => !isCommonPassword(p), 'too common: it is in the lists of breached passwords');

const Roles = z
  .array(AssignableRole)
  .min(1)
  .max(AssignableRole.options.length)
  .refine((r) => new Set(r).size === r.length, 'roles must not repeat');

const DisplayName = z.string().trim().min(1).max(200);

export const UserCreateInput = z
  .object({
    email: Email,
    displayName: DisplayName,
    password: Password,
    roles: Roles,
    /** Required for coordinator and approver (the agency they act for); absent for every other role. */
    agencyId: Uuid.nullish(),
  })
  .strict();
export type UserCreateInput = z.infer<typeof UserCreateInput>;

export const UserPatchInput = z
  .object({
    displayName: DisplayName.optional(),
    roles: Roles.optional(),
    agencyId: Uuid.nullable().optional(),
    active: z.boolean().optional(),
    password: Password.optional(),
    /** The version last read; may instead come as `If-Match`. A stale one is a 409 with the current version. */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type UserPatchInput = z.infer<typeof UserPatchInput>;

export const UserListQuery = Page.extend({
  role: AssignableRole.optional(),
  agencyId: Uuid.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Part of the e-mail or display name. */
  q: z.string().trim().max(200).optional(),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

/** A user as the API shows it: never the password hash. */
export const UserView = z.object({
  id: Uuid,
  email: z.string(),
  displayName: z.string(),
  roles: z.array(AssignableRole),
  agencyId: Uuid.nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserView = z.infer<typeof UserView>;
export const UserPage = paged(UserView);
export type UserPage = z.infer<typeof UserPage>;

export class UserCreateDto extends createZodDto(UserCreateInput) {}
export class UserPatchDto extends createZodDto(UserPatchInput) {}
export class UserListQueryDto extends createZodDto(UserListQuery) {}
export class UserDto extends createZodDto(UserView) {}
export class UserPageDto extends createZodDto(UserPage) {}

/**
 * Coordinators and approvers act for exactly one agency; every other role acts platform-wide and
 * carries none. Mixing the two kinds would make the actor's scope ambiguous (services treat any
 * platform-wide role as unscoped), so it is refused too.
 */
export function agencyRuleErrors(
  roles: readonly AssignableRole[],
  agencyId: string | null | undefined,
): FieldError[] {
  const scoped = roles.filter((r) => AGENCY_SCOPED_ROLES.includes(r));
  const errors: FieldError[] = [];
  if (scoped.length > 0 && scoped.length < roles.length) {
    errors.push({
      path: 'roles',
      code: 'MIXED_SCOPE',
      message: 'coordinator and approver cannot be combined with platform-wide roles',
      messageTh: 'บทบาทผู้ประสานงาน/ผู้อนุมัติของหน่วยงาน ใช้ร่วมกับบทบาทระดับแพลตฟอร์มไม่ได้',
    });
  } else if (scoped.length > 0 && !agencyId) {
    errors.push({
      path: 'agencyId',
      code: 'REQUIRED',
      message: 'coordinator and approver need the agency they act for',
      messageTh: 'ผู้ประสานงานและผู้อนุมัติต้องระบุหน่วยงาน',
    });
  } else if (scoped.length === 0 && agencyId) {
    errors.push({
      path: 'agencyId',
      code: 'NOT_ALLOWED',
      message: 'only coordinator and approver belong to an agency; send agencyId: null',
      messageTh: 'เฉพาะผู้ประสานงานและผู้อนุมัติเท่านั้นที่สังกัดหน่วยงาน',
    });
  }
  return errors;
}
