import { type Actor, DomainError } from '@dg/contracts';
import { agencyScope } from '@dg/platform';

/** Coordinators and approvers act for their own agency only; another agency's response is "not found". */
export function requireAgency(actor: Actor, agencyId: string): void {
  const scope = agencyScope(actor);
  if (scope !== null && scope !== agencyId) throw new DomainError('RESPONSE_NOT_FOUND');
}

/** An agency role for this very agency (coordinator to answer, approver to approve). */
export function requireAgencyRole(actor: Actor, agencyId: string, role: 'coordinator' | 'approver'): void {
  requireAgency(actor, agencyId);
  if (!(actor.roles.includes(role) && actor.agencyId === agencyId)) throw new DomainError('FORBIDDEN');
}
