import type { AgencyGroup, ResponseDetail, ResponseStatusFilter, ResponseSummary } from '@dg/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** The statuses a verifier works on: sent by the agency, not yet verified. */
export const WAITING: readonly ResponseStatusFilter[] = ['submitted', 'resubmitted'];

export interface QueueFilter {
  /** Empty: every status. */
  status: readonly ResponseStatusFilter[];
  group?: AgencyGroup;
  q?: string;
  page: number;
}

export const PAGE_SIZE = 20;

const responses = (cycleId: string) => `/cycles/${encodeURIComponent(cycleId)}/responses`;

/** One page of the cycle's responses, filtered on the server (1,876 agencies, a census of 10,000). */
export function useQueue(cycleId: string, f: QueueFilter, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['review-queue', cycleId, f],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api.get<{ items: ResponseSummary[]; total: number }>(responses(cycleId), {
        signal,
        query: {
          status: f.status.length ? [...f.status] : undefined,
          group: f.group,
          q: f.q || undefined,
          page: f.page,
          pageSize: PAGE_SIZE,
        },
      }),
  });
}

/** The response of the agency an address names by its code (`/review/DEP-001`), or null. */
export function useResponseByCode(cycleId: string, agencyCode: string) {
  return useQuery({
    queryKey: ['review-by-code', cycleId, agencyCode],
    queryFn: async ({ signal }) => {
      const page = await api.get<{ items: ResponseSummary[] }>(responses(cycleId), {
        signal,
        query: { q: agencyCode, pageSize: 50 },
      });
      return page.items.find((r) => r.agencyCode === agencyCode) ?? null;
    },
  });
}

export interface VerdictInput {
  questionId: string;
  verdict: 'accepted' | 'rejected';
  comment?: string | null;
}

export function saveVerdicts(
  cycleId: string,
  agencyId: string,
  body: { verdicts: VerdictInput[]; complete: boolean; version: number },
): Promise<ResponseDetail> {
  return api.post<ResponseDetail>(`${responses(cycleId)}/${encodeURIComponent(agencyId)}/verify`, body);
}

export function returnForCorrection(
  cycleId: string,
  agencyId: string,
  body: { comment: string; extendUntil?: string; version: number },
): Promise<ResponseDetail> {
  return api.post<ResponseDetail>(`${responses(cycleId)}/${encodeURIComponent(agencyId)}/return`, body);
}

/** How many of the cycle's responses are in each status (the queue's counts). */
export function useStatusCounts(cycleId: string) {
  return useQuery({
    queryKey: ['review-queue', cycleId, 'counts'],
    queryFn: ({ signal }) =>
      api.get<{ total: number; byStatus: Record<string, number> }>(
        `/cycles/${encodeURIComponent(cycleId)}/progress`,
        { signal },
      ),
  });
}

/** The queue's filter as its address states it (`status` absent: waiting for verification). */
export function filterOf(search: {
  status?: string;
  group?: AgencyGroup;
  q?: string;
  page?: number;
}): QueueFilter {
  return {
    status: search.status === 'all' ? [] : search.status ? [search.status as ResponseStatusFilter] : WAITING,
    group: search.group,
    q: search.q,
    page: search.page ?? 1,
  };
}
