import { Actor, AGENCY_SCOPED_ROLES, DomainError, Role } from '@dg/contracts';

/** Every service re-checks with the actor it is given (DESIGN.md); these are intake's rules. */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r) || r === 'system');
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw new DomainError('FORBIDDEN');
}

/** Coordinators and approvers act for their own agency only; another agency's response is "not found". */
export function requireAgency(actor: Actor, agencyId: string): void {
  const wide = actor.roles.some((r) => !AGENCY_SCOPED_ROLES.includes(r));
  if (!wide && actor.agencyId !== agencyId) throw new DomainError('RESPONSE_NOT_FOUND');
}

/** An agency role for this very agency (coordinator to answer, approver to approve). */
export function requireAgencyRole(actor: Actor, agencyId: string, role: 'coordinator' | 'approver'): void {
  requireAgency(actor, agencyId);
  if (!(actor.roles.includes(role) && actor.agencyId === agencyId)) throw new DomainError('FORBIDDEN');
}
