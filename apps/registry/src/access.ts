import { type Actor, DomainError } from '@dg/contracts';
import { agencyScope } from '@dg/platform';

/** Another agency's resource is reported as not found: its existence is not revealed. */
export function requireAgencyVisible(actor: Actor, agencyId: string): void {
  const scope = agencyScope(actor);
  if (scope !== null && scope !== agencyId) throw new DomainError('AGENCY_NOT_FOUND');
}
