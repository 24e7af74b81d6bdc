import { Rational } from './exact';

/**
 * Places of the published statistics (mean, quartiles...) of a cohort's scores, computed from the
 * agencies' reported (already rounded) scores, as people can recompute them from the table.
 */
export const STATISTICS_DECIMALS = 2;
/** Places of the year-on-year change of an agency's reported overall score. */
export const CHANGE_DECIMALS = 4;

export interface Stats {
  n: number;
  mean: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Count, mean, quartiles, min and max, computed exactly and rounded to `decimals` (half away from
 * zero) at the end. Quartiles interpolate linearly between order statistics (Excel QUARTILE.INC,
 * R type 7): at position h = (n - 1) × p, x[⌊h⌋] + (h - ⌊h⌋) × (x[⌊h⌋ + 1] - x[⌊h⌋]).
 */
export function summarise(values: number[], decimals = STATISTICS_DECIMALS): Stats {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`decimals must be a whole number 0..20, not ${decimals}`);
  }
  if (values.length === 0)
    return { n: 0, mean: null, median: null, q1: null, q3: null, min: null, max: null };
  const xs = values.map(Rational.from).sort((a, b) => a.cmp(b)); // throws on NaN / Infinity
  const quantile = (p: Rational): Rational => {
    const h = Rational.of(BigInt(xs.length - 1)).mul(p);
    const i = Number(h.floor());
    const frac = h.sub(Rational.of(BigInt(i)));
    return frac.isZero() ? xs[i] : xs[i].add(frac.mul(xs[i + 1].sub(xs[i])));
  };
  const round = (x: Rational) => x.round(decimals);
  return {
    n: xs.length,
    mean: round(Rational.sum(xs).div(Rational.of(BigInt(xs.length)))),
    median: round(quantile(Rational.of(1n, 2n))),
    q1: round(quantile(Rational.of(1n, 4n))),
    q3: round(quantile(Rational.of(3n, 4n))),
    min: round(xs[0]),
    max: round(xs[xs.length - 1]),
  };
}

/**
 * The year-on-year change of an agency's reported overall score: the exact difference of the two
 * reported figures, rounded to CHANGE_DECIMALS (no float noise such as 3.0000000001).
 */
export function scoreChange(current: number, previous: number): number {
  return Rational.from(current).sub(Rational.from(previous)).round(CHANGE_DECIMALS);
}

/**
 * Competition ranking ("1224"): highest value first; equal values share a rank and are `tied`, and
 * the next rank skips the places they took. Ties are listed by `key` (code-unit order, not the
 * locale's), so the output never depends on the input's order.
 */
export function rankWithTies<T extends { key: string; value: number }>(
  items: T[],
): (T & { rank: number; tied: boolean })[] {
  for (const it of items) {
    if (!Number.isFinite(it.value)) throw new RangeError(`${it.key}: cannot rank ${it.value}`);
  }
  const sorted = [...items].sort((a, b) =>
    a.value !== b.value ? b.value - a.value : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const count = new Map<number, number>();
  for (const it of sorted) count.set(it.value, (count.get(it.value) ?? 0) + 1);
  let rank = 0;
  return sorted.map((it, i) => {
    if (i === 0 || sorted[i - 1].value !== it.value) rank = i + 1;
    return { ...it, rank, tied: count.get(it.value)! > 1 };
  });
}
