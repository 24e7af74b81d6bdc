import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { LoginResult, Me } from '@dg/contracts';
import { Password } from '../users/users.dto';

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** `Me` and `LoginResult` live in the contracts: the portal reads the same shapes. */
export { LoginResult, Me };

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
