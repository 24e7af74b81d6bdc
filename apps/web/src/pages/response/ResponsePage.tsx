import { getRouteApi } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { useSession } from '../../auth/session';
import { Loading } from '../../components/Loading';
import { CoordinatorResponse } from './CoordinatorResponse';

const route = getRouteApi('/cycles/$cycleId/response');

/**
 * The head's view is its own chunk: a coordinator, who opens this page all day, never downloads
 * the approval dialogs (the respondent's first JavaScript is held under 250 kB gzipped, issue 15).
 */
const ApproverView = lazy(() => import('./approver/ApproverView').then((m) => ({ default: m.ApproverView })));

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
    return (
      <Suspense fallback={<Loading />}>
        <ApproverView cycleId={cycleId} agencyId={agencyId} />
      </Suspense>
    );
  }
  return <CoordinatorResponse cycleId={cycleId} agencyId={agencyId} />;
}
