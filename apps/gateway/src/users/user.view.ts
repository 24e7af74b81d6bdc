import type { UserEntity } from './user.entity';
import type { UserView } from './users.dto';

/** The API's view of a user: the password hash never leaves this module. */
export function userView(u: UserEntity): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    roles: u.roles,
    agencyId: u.agencyId,
    active: u.active,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
  };
}
