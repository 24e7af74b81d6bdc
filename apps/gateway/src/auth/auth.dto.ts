import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Uuid } from '@dg/contracts';
import { AssignableRole, Password } from '../users/users.dto';

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** Who is logged in: what the portal needs to choose screens (roles) and scope (agency). */
export const Me = z.object({
  id: Uuid,
  email: z.string(),
  displayName: z.string(),
  roles: z.array(AssignableRole),
  agencyId: Uuid.nullable(),
});
export type Me = z.infer<typeof Me>;

export const LoginResult = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds until the access token expires (JWT_TTL, 15 minutes by default). */
  expiresIn: z.number().int(),
  refreshToken: z
    .string()
    .describe(
      'Opaque, single use: POST /auth/refresh answers a new pair. Also set as the HttpOnly cookie dg_refresh (path /api/v1/auth) for the portal.',
    ),
  /** Seconds until the session ends and one must log in again (SESSION_TTL). */
  refreshExpiresIn: z.number().int(),
  user: Me,
});
export type LoginResult = z.infer<typeof LoginResult>;

/**
 * The refresh token, in the body or else in the dg_refresh cookie; the portal sends the cookie
 * alone, with no body at all.
 */
export const RefreshInput = z.object({ refreshToken: z.string().min(1).max(200).optional() }).strict();
export type RefreshInput = z.infer<typeof RefreshInput>;

export const PasswordChangeInput = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: Password })
  .strict();
export type PasswordChangeInput = z.infer<typeof PasswordChangeInput>;

export class LoginDto extends createZodDto(LoginInput) {}
/** For the OpenAPI document only: the refresh route validates its (optional) body itself. */
export class RefreshDto extends createZodDto(RefreshInput) {}
export class PasswordChangeDto extends createZodDto(PasswordChangeInput) {}
export class MeDto extends createZodDto(Me) {}
export class LoginResultDto extends createZodDto(LoginResult) {}
