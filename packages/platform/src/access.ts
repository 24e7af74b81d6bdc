import { type Actor, AGENCY_SCOPED_ROLES, DomainError, type Role } from '@dg/contracts';
import { SetMetadata } from '@nestjs/common';

/** Marks a route that needs no login (health, metrics, login, public results). Everything else is denied by default. */
export const PUBLIC_ROUTE = 'dg:public';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Role checks every service makes with the actor it was given (DESIGN.md: the gateway checked
 * already, each service checks again). `system` (other services) may do anything.
 */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r) || r === 'system');
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw new DomainError('FORBIDDEN');
}

/**
 * The one agency an actor is confined to (coordinators and approvers), or null for wider roles.
 * Each service turns "another agency" into its own not-found code, never revealing existence.
 */
export function agencyScope(actor: Actor): string | null {
  if (actor.roles.some((r) => !AGENCY_SCOPED_ROLES.includes(r))) return null;
  if (!actor.agencyId) throw new DomainError('FORBIDDEN', 'agency role without an agency');
  return actor.agencyId;
}
