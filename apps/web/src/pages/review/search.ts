import type { AgencyGroup, ResponseStatus } from '@dg/contracts';

/**
 * The verification queue's address keeps its filters (`/cycles/2566/review?status=returned&q=กรม`),
 * so a reload, the back button and a link to a colleague show the same list. `status` is absent
 * for the default (waiting for verification), `all`, or one status. Kept apart from the page so
 * the route tree does not pull the page's code into the first chunk.
 */
export interface QueueSearch {
  status?: 'all' | ResponseStatus;
  group?: AgencyGroup;
  q?: string;
  page?: number;
}

export const QUEUE_STATUSES: readonly ResponseStatus[] = [
  'submitted',
  'resubmitted',
  'returned',
  'verified',
  'awaiting_approval',
  'in_progress',
  'not_started',
];
const GROUPS: readonly AgencyGroup[] = ['department', 'provincial', 'local'];

export function validateQueueSearch(search: Record<string, unknown>): QueueSearch {
  const out: QueueSearch = {};
  const status = search.status;
  if (status === 'all' || QUEUE_STATUSES.includes(status as ResponseStatus))
    out.status = status as QueueSearch['status'];
  if (GROUPS.includes(search.group as AgencyGroup)) out.group = search.group as AgencyGroup;
  if (typeof search.q === 'string' && search.q.trim()) out.q = search.q.trim().slice(0, 200);
  const page = Number(search.page);
  if (Number.isInteger(page) && page > 1 && page < 100_000) out.page = page;
  return out;
}
