import type { Questionnaire, Text } from '../format';
import { Rational, sqrtFloor } from './exact';
import { classify, pillarWeight, type ScoringRules } from './rules';

/** One agency's raw pillar scores (0..100, from its scorecard) and the group it is compared within. */
export interface CohortEntry {
  key: string;
  group: string;
  pillars: Record<string, number>;
}

export interface StandardisedScore {
  /** Weighted mean of the scaled pillars, 0..1, 4 places. */
  index: number;
  pillars: Record<string, { z: number; scaled: number }>;
  level: { level: number; name: Text } | null;
  band: { id: string; name: Text } | null;
}

/** Places of the standardised index, z and scaled pillar scores. */
export const STANDARDISED_DECIMALS = 4;
const PLACES = STANDARDISED_DECIMALS;
/** z is computed from sqrt truncated at 20 places, which rounds to the same 4 places as the true root. */
const SQRT_DIGITS = 20;

/**
 * UN EGDI-style standardisation. Within each slice (an agency group, or the whole cycle, as
 * `rules.standardiseWithin` says) every pillar score becomes a z-score (population standard
 * deviation), the z-scores are rescaled to 0..1 by their min and max, and the index is the weighted
 * mean of the scaled pillars with the scoring's pillar weights; level and band come from the rules'
 * cut-offs on the 0..1 scale.
 *
 * When every agency of a slice has the same score on a pillar (sd = 0, also a slice of one), there
 * is nothing to compare: z = 0, and scaled = 1 if that score is above 0, else 0.
 *
 * Exact: min-max rescaling of z equals (x - min) / (max - min), so `scaled` and the index need no
 * square root at all; only the reported z does, from a BigInt integer square root.
 */
export function standardiseCohort(
  questionnaire: Questionnaire,
  rules: ScoringRules,
  entries: CohortEntry[],
): Map<string, StandardisedScore> {
  const pillars = questionnaire.pillars.map((p) => ({
    id: p.id,
    weight: Rational.from(pillarWeight(rules, p)),
  }));
  const totalWeight = Rational.sum(pillars.map((p) => p.weight));
  const byGroup = (rules.standardiseWithin ?? 'group') === 'group';

  const slices = new Map<string, CohortEntry[]>();
  const keys = new Set<string>();
  for (const e of entries) {
    if (keys.has(e.key)) throw new RangeError(`cohort entry ${e.key} appears twice`);
    keys.add(e.key);
    const slice = byGroup ? e.group : '';
    const list = slices.get(slice);
    if (list) list.push(e);
    else slices.set(slice, [e]);
  }

  const scaledOf = new Map<string, Map<string, { z: Rational; scaled: Rational }>>();
  for (const slice of slices.values()) {
    for (const p of pillars) {
      const xs = slice.map((e) => scoreOf(e, p.id));
      for (const [i, r] of standardise(xs).entries()) {
        const key = slice[i].key;
        if (!scaledOf.has(key)) scaledOf.set(key, new Map());
        scaledOf.get(key)!.set(p.id, r);
      }
    }
  }

  const out = new Map<string, StandardisedScore>();
  for (const e of entries) {
    const mine = scaledOf.get(e.key)!;
    const index = totalWeight.isZero()
      ? Rational.ZERO
      : Rational.sum(pillars.map((p) => p.weight.mul(mine.get(p.id)!.scaled))).div(totalWeight);
    const reported = index.round(PLACES);
    const result: Record<string, { z: number; scaled: number }> = {};
    for (const p of pillars) {
      const { z, scaled } = mine.get(p.id)!;
      result[p.id] = { z: z.round(PLACES), scaled: scaled.round(PLACES) };
    }
    out.set(e.key, { index: reported, pillars: result, ...classify(reported, rules) });
  }
  return out;
}

function scoreOf(e: CohortEntry, pillarId: string): Rational {
  const v = Object.prototype.hasOwnProperty.call(e.pillars, pillarId) ? e.pillars[pillarId] : undefined;
  if (typeof v !== 'number')
    throw new RangeError(`cohort entry ${e.key} has no score for pillar ${pillarId}`);
  return Rational.from(v);
}

/** z (truncated at SQRT_DIGITS places, see above) and scaled, exactly, for one pillar of one slice. */
function standardise(xs: Rational[]): { z: Rational; scaled: Rational }[] {
  const n = Rational.of(BigInt(xs.length));
  const mean = Rational.sum(xs).div(n);
  const variance = Rational.sum(xs.map((x) => x.sub(mean).mul(x.sub(mean)))).div(n);
  if (variance.isZero()) {
    return xs.map((x) => ({ z: Rational.ZERO, scaled: x.sign() > 0 ? Rational.ONE : Rational.ZERO }));
  }
  const min = xs.reduce(Rational.min);
  const range = xs.reduce(Rational.max).sub(min);
  return xs.map((x) => {
    const d = x.sub(mean);
    // |z| = sqrt(d² / variance): one square root of an exact rational, then the sign back.
    const abs = sqrtFloor(d.mul(d).div(variance), SQRT_DIGITS);
    return { z: d.sign() < 0 ? Rational.ZERO.sub(abs) : abs, scaled: x.sub(min).div(range) };
  });
}
