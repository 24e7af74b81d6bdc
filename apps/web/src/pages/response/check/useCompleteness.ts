import type { Completeness, ResponseDetail } from '@dg/contracts';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { responseKey } from '../useResponseData';

export const completenessKey = (cycleId: string, agencyId: string) =>
  ['completeness', cycleId, agencyId] as const;

export const responsePath = (cycleId: string, agencyId: string) =>
  `/cycles/${encodeURIComponent(cycleId)}/responses/${encodeURIComponent(agencyId)}`;

/**
 * What still stops the submission, from intake (the checks submit runs, with the evidence files
 * still uploaded). Read again whenever the response's version moves on.
 */
export function useCompleteness(cycleId: string, agencyId: string | null, version: number | undefined) {
  return useQuery({
    queryKey: [...completenessKey(cycleId, agencyId ?? ''), version ?? 0],
    enabled: !!agencyId && version !== undefined,
    queryFn: ({ signal }) =>
      api.get<Completeness>(`${responsePath(cycleId, agencyId!)}/completeness`, { signal }),
  });
}

/**
 * After a submit, an approval or a send-back: the response as the server answered (the landing
 * and the questionnaire read the same cache entry), and fresh checks.
 */
export function adoptResponse(queryClient: QueryClient, detail: ResponseDetail): void {
  queryClient.setQueryData(responseKey(detail.cycleId, detail.agencyId), detail);
  void queryClient.invalidateQueries({ queryKey: completenessKey(detail.cycleId, detail.agencyId) });
}
