import type { AgencyGroup, RankingRow, SliceStats } from '@dg/contracts';
import {
  type Questionnaire,
  rankWithTies,
  scoreChange,
  type ScoringRules,
  type StandardisedScore,
  standardiseCohort,
  summarise,
} from '@dg/survey-model';
import type { CohortRow } from '../scorecards/scores.repository';

export const GROUP_ORDER: AgencyGroup[] = ['department', 'provincial', 'local'];
export const GROUP_NAMES: Record<AgencyGroup, { th: string; en: string }> = {
  department: { th: 'หน่วยงานระดับกรมหรือเทียบเท่า', en: 'Department-level agencies' },
  provincial: { th: 'หน่วยงานภาครัฐส่วนภูมิภาค', en: 'Regional (provincial) units' },
  local: { th: 'องค์กรปกครองส่วนท้องถิ่น', en: 'Local administrations' },
};

export interface CohortResults {
  rows: (RankingRow & { scorecardId: string; standardised: StandardisedScore | null })[];
  statistics: { all: SliceStats; byGroup: SliceStats[]; byMinistry: SliceStats[]; byProvince: SliceStats[] };
}

type Names = Map<string, { th: string; en: string }>;

/**
 * Rankings within each agency group and statistics by group, ministry and province, from the
 * scorecard that counts for each agency. Pure: the same rows give the same results.
 */
export function cohortResults(
  rows: CohortRow[],
  rules: ScoringRules | null,
  questionnaire: Questionnaire | null,
  previous: Map<string, number>,
  names: { ministries: Names; provinces: Names },
): CohortResults {
  const standardised = standardisedScores(rows, rules, questionnaire);
  const ranked: CohortResults['rows'] = [];
  for (const group of GROUP_ORDER) {
    const members = rows
      .filter((r) => r.group === group)
      .map((r) => ({ key: r.agencyCode, value: standardised?.get(r.agencyCode)?.index ?? r.overall, row: r }));
    for (const m of rankWithTies(members)) {
      const r = m.row;
      const std = standardised?.get(r.agencyCode) ?? null;
      const before = previous.get(r.agencyCode) ?? null;
      ranked.push({
        rank: m.rank,
        tied: m.tied,
        agencyId: r.agencyId,
        agencyCode: r.agencyCode,
        agencyName: r.agencyName,
        group: r.group,
        ministryId: r.ministryId,
        provinceCode: r.provinceCode,
        value: m.value,
        overall: r.overall,
        pillars: r.pillars,
        level: std ? (std.level?.level ?? null) : r.level,
        band: std ? (std.band?.id ?? null) : r.band,
        verified: r.verified,
        previous: before,
        change: before === null ? null : scoreChange(r.overall, before),
        scorecardId: r.scorecardId,
        standardised: std,
      });
    }
  }
  const slice = (key: string, name: { th: string; en: string } | null, members: CohortResults['rows']) =>
    sliceStats(key, name, members);
  const by = (field: 'ministryId' | 'provinceCode', list: Names) => {
    const keys = [...new Set(ranked.map((r) => r[field]).filter((k): k is string => k !== null))].sort();
    return keys.map((k) => slice(k, list.get(k) ?? null, ranked.filter((r) => r[field] === k)));
  };
  return {
    rows: ranked,
    statistics: {
      all: slice('all', { th: 'ทุกหน่วยงาน', en: 'All agencies' }, ranked),
      byGroup: GROUP_ORDER.filter((g) => ranked.some((r) => r.group === g)).map((g) =>
        slice(g, GROUP_NAMES[g], ranked.filter((r) => r.group === g)),
      ),
      byMinistry: by('ministryId', names.ministries),
      byProvince: by('provinceCode', names.provinces),
    },
  };
}

function standardisedScores(rows: CohortRow[], rules: ScoringRules | null, q: Questionnaire | null) {
  if (!rules || rules.method !== 'standardised' || !q) return null;
  const idOf = new Map(q.pillars.map((p) => [String(p.number), p.id]));
  return standardiseCohort(
    q,
    rules,
    rows.map((r) => ({
      key: r.agencyCode,
      group: r.group,
      pillars: Object.fromEntries(Object.entries(r.pillars).map(([n, v]) => [idOf.get(n) ?? n, v])),
    })),
  );
}

function sliceStats(key: string, name: { th: string; en: string } | null, members: RankingRow[]): SliceStats {
  const pillarKeys = [...new Set(members.flatMap((m) => Object.keys(m.pillars)))].sort();
  const levels: Record<string, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const m of members) if (m.level !== null) levels[String(m.level)] += 1;
  const changes = members.map((m) => m.change).filter((c): c is number => c !== null);
  return {
    key,
    name,
    overall: summarise(members.map((m) => m.overall)),
    pillars: Object.fromEntries(
      pillarKeys.map((p) => [p, summarise(members.map((m) => m.pillars[p]).filter((v): v is number => v !== undefined))]),
    ),
    levels,
    change: { n: changes.length, mean: summarise(changes).mean },
  };
}
