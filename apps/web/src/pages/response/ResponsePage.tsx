import { getRouteApi } from '@tanstack/react-router';
import { useSession } from '../../auth/session';
import { ApproverView } from './approver/ApproverView';
import { CoordinatorResponse } from './CoordinatorResponse';

const route = getRouteApi('/cycles/$cycleId/response');

/**
 * `/cycles/:cycleId/response`, the signed-in agency's response in a cycle: the agency head (an
 * approver who is not also a coordinator) gets the approval view; everyone else of the agency the
 * questionnaire, one pillar per page (`?pillar=`), with autosave.
 */
export function ResponsePage() {
  const { cycleId } = route.useParams();
  const { user } = useSession();
  const agencyId = user?.agencyId ?? null;
  if (user && user.roles.includes('approver') && !user.roles.includes('coordinator')) {
    return <ApproverView cycleId={cycleId} agencyId={agencyId} />;
  }
  return <CoordinatorResponse cycleId={cycleId} agencyId={agencyId} />;
}
