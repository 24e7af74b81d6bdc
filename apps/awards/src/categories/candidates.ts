import type { AgencyGroup, Candidate, CategoryInput } from '@dg/contracts';

/** One agency's published result, as the scoring service publishes it. */
export interface ResultRow {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  group: AgencyGroup;
  overall: number;
  pillars: Record<string, number>;
  change: number | null;
  verified: boolean;
}

export interface CandidateContext {
  /** Agency ids that won this category (same key) in the previous cycle. */
  previousWinners: Set<string>;
  /** Mean committee score per agency id (conflicted members left out), when members have voted. */
  committeeScores: Map<string, number>;
  /** Agency kind per agency id, when the category filters by kind. */
  kinds?: Map<string, string>;
  /** Nominated agency ids, for a nominated category (only they compete). */
  nominated?: Set<string>;
}

export interface ProposedWinner {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  rank: number;
  shared: boolean;
}

const reason = (code: string, th: string, en: string) => ({ code, th, en });

function metricValue(metric: string, row: ResultRow, ctx: CandidateContext): number | null {
  if (metric === 'overall') return row.overall;
  if (metric === 'improvement') return row.change;
  if (metric === 'committee') return ctx.committeeScores.get(row.agencyId) ?? null;
  const pillar = /^pillar:([1-6])$/.exec(metric)?.[1];
  return pillar ? (row.pillars[pillar] ?? null) : null;
}

/**
 * Candidates of one category from the published results: who is eligible (and why not), the
 * ranking value, the rank after tie-breaks (equal on every key: the same rank, `tied`), and the
 * proposed winners — the first `winners` ranks, a tie at the boundary shared by all tied.
 * Pure, so the same results give the same candidates every time.
 */
export function computeCandidates(
  spec: CategoryInput,
  rows: ResultRow[],
  ctx: CandidateContext,
): { candidates: Candidate[]; proposed: ProposedWinner[] } {
  const metric = spec.metric === 'pillar' ? `pillar:${spec.pillar}` : spec.metric;
  const requirePrevious = spec.eligibility.requirePrevious ?? spec.metric === 'improvement';
  const inScope = rows.filter(
    (r) =>
      (spec.group === null || r.group === spec.group) &&
      (!spec.kinds?.length || spec.kinds.includes((ctx.kinds?.get(r.agencyId) ?? '') as never)) &&
      (!spec.nominated || (ctx.nominated?.has(r.agencyId) ?? false)),
  );
  const candidates: Candidate[] = inScope.map((r) => {
    const reasons = [];
    if (spec.eligibility.verifiedOnly && !r.verified)
      reasons.push(reason('NOT_VERIFIED', 'คำตอบยังไม่ผ่านการตรวจสอบ', 'response not verified'));
    if (spec.eligibility.minOverall !== undefined && r.overall < spec.eligibility.minOverall) {
      reasons.push(
        reason(
          'BELOW_MIN_OVERALL',
          `คะแนนรวม ${r.overall} ต่ำกว่าเกณฑ์ ${spec.eligibility.minOverall}`,
          `overall ${r.overall} below ${spec.eligibility.minOverall}`,
        ),
      );
    }
    for (const [pillar, min] of Object.entries(spec.eligibility.minPillar ?? {})) {
      const v = r.pillars[pillar] ?? 0;
      if (v < min)
        reasons.push(
          reason(
            'BELOW_MIN_PILLAR',
            `ตัวชี้วัดที่ ${pillar} ได้ ${v} ต่ำกว่าเกณฑ์ ${min}`,
            `pillar ${pillar} ${v} below ${min}`,
          ),
        );
    }
    if (requirePrevious && r.change === null)
      reasons.push(
        reason('NO_PREVIOUS_SCORE', 'ไม่มีคะแนนปีก่อนให้เปรียบเทียบ', 'no previous-year score to compare'),
      );
    if (spec.eligibility.excludePreviousWinners && ctx.previousWinners.has(r.agencyId)) {
      reasons.push(reason('PREVIOUS_WINNER', 'ได้รับรางวัลประเภทนี้แล้วในปีก่อน', 'won this category last year'));
    }
    return {
      agencyId: r.agencyId,
      agencyCode: r.agencyCode,
      agencyName: r.agencyName,
      group: r.group,
      eligible: reasons.length === 0,
      reasons,
      value: metricValue(metric, r, ctx),
      overall: r.overall,
      pillars: r.pillars,
      change: r.change,
      committeeScore: ctx.committeeScores.get(r.agencyId) ?? null,
      rank: null,
      tied: false,
    };
  });

  // Rank the eligible that have a value: by the metric, then each tie-break; equal on all keys share a rank.
  const byId = new Map(inScope.map((r) => [r.agencyId, r]));
  const keys = (c: Candidate) => [
    c.value as number,
    ...spec.tieBreaks.map((t) => metricValue(t, byId.get(c.agencyId)!, ctx) ?? -Infinity),
  ];
  const ranked = candidates
    .filter((c) => c.eligible && c.value !== null)
    .map((c) => ({ c, k: keys(c) }))
    .sort((a, b) => compareKeys(b.k, a.k) || a.c.agencyCode.localeCompare(b.c.agencyCode));
  ranked.forEach((item, i) => {
    const prev = ranked[i - 1];
    item.c.rank = prev && compareKeys(prev.k, item.k) === 0 ? prev.c.rank : i + 1;
  });
  for (const item of ranked) item.c.tied = ranked.some((o) => o !== item && o.c.rank === item.c.rank);

  const proposed = ranked
    .filter((item) => item.c.rank! <= spec.winners)
    .map((item) => ({
      agencyId: item.c.agencyId,
      agencyCode: item.c.agencyCode,
      agencyName: item.c.agencyName,
      rank: item.c.rank!,
      shared: item.c.tied,
    }));
  candidates.sort(
    (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.agencyCode.localeCompare(b.agencyCode),
  );
  return { candidates, proposed };
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
