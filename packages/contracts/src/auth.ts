import { z } from 'zod';
import { Role, Uuid } from './common';

/**
 * HTTP shapes of the gateway's sign-in routes that the web portal reads too (as types only): one
 * definition, not a copy in each.
 */

/** Roles a person can hold. `system` is for services only and can never be given to a user. */
export const AssignableRole = Role.exclude(['system']);
export type AssignableRole = z.infer<typeof AssignableRole>;

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
