import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Uuid } from '@dg/contracts';
import { AssignableRole } from '../users/users.dto';

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
  /** Seconds until the token expires. */
  expiresIn: z.number().int(),
  user: Me,
});
export type LoginResult = z.infer<typeof LoginResult>;

export class LoginDto extends createZodDto(LoginInput) {}
export class MeDto extends createZodDto(Me) {}
export class LoginResultDto extends createZodDto(LoginResult) {}
