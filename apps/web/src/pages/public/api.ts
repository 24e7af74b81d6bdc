import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AgencyGroup, Methodology, PublishedCycles, Results, Rpc, RpcResponse, ScorecardRecord } from '@dg/contracts';
import { api } from '../../api/client';
import { isApiProblem } from '../../api/problem';

/**
 * The public API (no login) as the public pages read it. A refusal that is a normal state of a
 * cycle (not published yet, not announced yet, an unknown certificate) is data, not an error:
 * the page says it in Thai instead of showing an alert.
 */

const enc = encodeURIComponent;

export type PublicWinners = RpcResponse<typeof Rpc.AwardsPublic>;
export type CertificateCheck = RpcResponse<typeof Rpc.AwardCertificateCheck>;

/** A state the page explains in words, or the data. */
export type Maybe<T, S extends string> = { state: 'ok'; data: T } | { state: S };

/** `GET /public/cycles`: the cycles whose results are published. */
export type PublishedCycle = PublishedCycles['items'][number];

export function usePublicCycles() {
  return useQuery({
    queryKey: ['public', 'cycles', 'published'],
    queryFn: async ({ signal }): Promise<PublishedCycle[] | null> => {
      try {
        return (await api.get<PublishedCycles>('/public/cycles', { auth: false, signal })).items;
      } catch (e) {
        if (isApiProblem(e) && e.status === 404) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** The cycle's Buddhist Era year from the list of published cycles, else its id (ids are years, e.g. 2565). */
export function useCycleYear(cycleId: string): string {
  const cycles = usePublicCycles();
  const found = cycles.data?.find((c) => c.id === cycleId);
  return found?.yearBE ? String(found.yearBE) : cycleId;
}

export interface ResultsFilter {
  group?: AgencyGroup;
  province?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export function usePublicResults(cycleId: string, filter: ResultsFilter = {}) {
  const query = {
    group: filter.group,
    province: filter.province,
    q: filter.q?.trim() || undefined,
    page: filter.page ?? 1,
    pageSize: filter.pageSize ?? 20,
  };
  return useQuery({
    queryKey: ['public', 'results', cycleId, query],
    queryFn: async ({ signal }): Promise<Maybe<Results, 'not_published' | 'no_cycle'>> => {
      try {
        const data = await api.get<Results>(`/public/cycles/${enc(cycleId)}/results`, { auth: false, signal, query });
        return { state: 'ok', data };
      } catch (e) {
        if (isApiProblem(e, 'RESULTS_NOT_PUBLISHED')) return { state: 'not_published' };
        if (isApiProblem(e, 'CYCLE_NOT_FOUND') || isApiProblem(e, 'VALIDATION_FAILED')) return { state: 'no_cycle' };
        throw e;
      }
    },
    // Typing in the search box keeps the last page on screen until the next arrives.
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

export function usePublicAwards(cycleId: string) {
  return useQuery({
    queryKey: ['public', 'awards', cycleId],
    queryFn: async ({ signal }): Promise<Maybe<PublicWinners, 'not_announced' | 'no_cycle'>> => {
      try {
        return { state: 'ok', data: await api.get<PublicWinners>(`/public/cycles/${enc(cycleId)}/awards`, { auth: false, signal }) };
      } catch (e) {
        if (isApiProblem(e, 'AWARDS_NOT_ANNOUNCED')) return { state: 'not_announced' };
        if (isApiProblem(e, 'CYCLE_NOT_FOUND') || isApiProblem(e, 'VALIDATION_FAILED')) return { state: 'no_cycle' };
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useCertificate(number: string) {
  return useQuery({
    queryKey: ['public', 'certificate', number],
    enabled: number.trim() !== '',
    queryFn: async ({ signal }): Promise<Maybe<CertificateCheck, 'not_found'>> => {
      try {
        return { state: 'ok', data: await api.get<CertificateCheck>(`/certificates/${enc(number.trim())}`, { auth: false, signal }) };
      } catch (e) {
        if (isApiProblem(e) && e.status === 404) return { state: 'not_found' };
        throw e;
      }
    },
  });
}

/** A maturity level as the rules name it: from `min` (inclusive) on the rules' scale. */
export interface LevelInfo {
  level: number;
  name: { th: string; en: string };
  min: number;
}

/**
 * The cycle's methodology (`GET /public/cycles/:id/methodology`: the questionnaire and the scoring
 * rules as data, readable before answering). `null` when the cycle has no rules yet.
 */
export function useMethodology(cycleId: string) {
  return useQuery({
    queryKey: ['public', 'methodology', cycleId],
    queryFn: async ({ signal }): Promise<Maybe<Methodology, 'no_rules' | 'no_cycle'>> => {
      try {
        return {
          state: 'ok',
          data: await api.get<Methodology>(`/public/cycles/${enc(cycleId)}/methodology`, { auth: false, signal }),
        };
      } catch (e) {
        if (isApiProblem(e, 'METHODOLOGY_NOT_READY')) return { state: 'no_rules' };
        if (isApiProblem(e) && e.status === 404) return { state: 'no_cycle' };
        throw e;
      }
    },
    staleTime: 10 * 60_000,
  });
}

/** The level names for charts and tables; null while unknown (the pages then say "ระดับ 3"). */
export function useMethodologyLevels(cycleId: string): LevelInfo[] | null {
  const m = useMethodology(cycleId);
  return m.data?.state === 'ok' ? m.data.data.levels : null;
}

/** One agency's published scorecard by its code; unknown or unpublished is a state, not an error. */
export function usePublicScorecard(cycleId: string, agencyCode: string) {
  return useQuery({
    queryKey: ['public', 'scorecard', cycleId, agencyCode],
    queryFn: async ({ signal }): Promise<Maybe<ScorecardRecord, 'not_published' | 'not_found'>> => {
      try {
        return {
          state: 'ok',
          data: await api.get<ScorecardRecord>(`/public/cycles/${enc(cycleId)}/scorecards/${enc(agencyCode)}`, {
            auth: false,
            signal,
          }),
        };
      } catch (e) {
        if (isApiProblem(e, 'RESULTS_NOT_PUBLISHED')) return { state: 'not_published' };
        if (isApiProblem(e) && (e.status === 404 || e.code === 'VALIDATION_FAILED')) return { state: 'not_found' };
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}
