import { Actor, AGENCY_SCOPED_ROLES, DomainError, Role } from '@dg/contracts';

/**
 * The registry's own permission checks: the gateway checked roles already, but every service
 * re-checks with the actor it was given (DESIGN.md).
 */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r) || r === 'system');
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw new DomainError('FORBIDDEN');
}

/** True when the actor acts only for one agency (coordinator, approver) and no wider role. */
export function agencyScope(actor: Actor): string | null {
  const wide = actor.roles.some((r) => !AGENCY_SCOPED_ROLES.includes(r));
  if (wide) return null;
  if (!actor.agencyId) throw new DomainError('FORBIDDEN', 'agency role without an agency');
  return actor.agencyId;
}

/** Another agency's resource is reported as not found: its existence is not revealed. */
export function requireAgencyVisible(actor: Actor, agencyId: string): void {
  const scope = agencyScope(actor);
  if (scope !== null && scope !== agencyId) throw new DomainError('AGENCY_NOT_FOUND');
}
