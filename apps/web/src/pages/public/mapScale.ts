import type { Lang } from '../../lib/dates';

/**
 * The province map's colour scale: a value falls in one bin (lowest bound inclusive, the next
 * bin's bound exclusive), each bin has a colour and a legend label. Pure, so the legend and the
 * colours are tested without a browser.
 */
export interface Bin {
  /** Lowest value of the bin (inclusive). */
  from: number;
  /** The next bin's `from` (exclusive), or null for the last, open bin. */
  to: number | null;
  color: string;
  /** A name for the bin when it has one (a maturity level). */
  name?: { th: string; en: string };
}

/**
 * Five blues from light to dark (ColorBrewer "Blues"), readable by people with any of the common
 * colour-vision deficiencies because only lightness changes; the darkest stays distinct from the
 * province borders.
 */
export const PALETTE = ['#deebf7', '#9ecae1', '#4292c6', '#2171b5', '#08306b'] as const;

/** A province with nothing to show: light grey, and its legend entry says so. */
export const NO_DATA_COLOR = '#f1f3f5';

/**
 * Bins at the rules' cut-offs (e.g. the five maturity levels at 0, 20, 40, 60, 80): the map then
 * reads in the same words as the scorecards. More cut-offs than colours reuse the darkest.
 */
export function binsFromCutoffs(cutoffs: readonly { min: number; name?: { th: string; en: string } }[]): Bin[] {
  const sorted = [...cutoffs].sort((a, b) => a.min - b.min);
  return sorted.map((c, i) => ({
    from: c.min,
    to: i + 1 < sorted.length ? sorted[i + 1]!.min : null,
    color: PALETTE[Math.round((i * (PALETTE.length - 1)) / Math.max(1, sorted.length - 1))]!,
    ...(c.name ? { name: c.name } : {}),
  }));
}

/** A step of 1, 2 or 5 × 10^k at least `raw`, so the bounds read as round numbers. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/**
 * Up to `count` bins of equal, round width from 0 (or the lowest value when it is below 0) that
 * cover every value; for counts and other figures without cut-offs. No values: one bin from 0.
 */
export function equalBins(values: readonly number[], count = PALETTE.length, integer = false): Bin[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [{ from: 0, to: null, color: PALETTE[PALETTE.length - 1]! }];
  const low = Math.min(0, ...finite);
  const high = Math.max(...finite);
  let step = niceStep((high - low) / count);
  if (integer) step = Math.max(1, Math.ceil(step));
  // The last bin is open, so `count` bins always reach the highest value.
  const bins: number[] = [];
  for (let from = low; bins.length < count && (bins.length === 0 || from <= high); from += step) bins.push(from);
  return bins.map((from, i) => ({
    from,
    to: i + 1 < bins.length ? bins[i + 1]! : null,
    color: PALETTE[bins.length === 1 ? PALETTE.length - 1 : Math.round((i * (PALETTE.length - 1)) / (bins.length - 1))]!,
  }));
}

/** Index of the bin a value falls in; -1 for no value or one below the first bin. */
export function binIndex(value: number | null | undefined, bins: readonly Bin[]): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return -1;
  for (let i = bins.length - 1; i >= 0; i--) if (value >= bins[i]!.from) return i;
  return -1;
}

/** The fill of a value: its bin's colour, or the no-data grey. */
export function colorOf(value: number | null | undefined, bins: readonly Bin[]): string {
  const i = binIndex(value, bins);
  return i < 0 ? NO_DATA_COLOR : bins[i]!.color;
}

const number = (lang: Lang, x: number) => x.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { maximumFractionDigits: 2 });

/**
 * The legend's words for a bin: "40 ถึงต่ำกว่า 60" / "40 to under 60", the last "80 ขึ้นไป" /
 * "80 and above"; a bin with a name (a level) puts it first: "ระดับ 3 Data-Centric: 40 ถึงต่ำกว่า 60".
 * For whole counts the range reads "3–5" (the next bound less one).
 */
export function binLabel(bin: Bin, lang: Lang, integer = false): string {
  let range: string;
  if (bin.to === null) range = lang === 'th' ? `${number(lang, bin.from)} ขึ้นไป` : `${number(lang, bin.from)} and above`;
  else if (integer) {
    const last = bin.to - 1;
    range = last <= bin.from ? number(lang, bin.from) : `${number(lang, bin.from)}–${number(lang, last)}`;
  } else {
    range =
      lang === 'th'
        ? `${number(lang, bin.from)} ถึงต่ำกว่า ${number(lang, bin.to)}`
        : `${number(lang, bin.from)} to under ${number(lang, bin.to)}`;
  }
  return bin.name ? `${bin.name[lang]}: ${range}` : range;
}

/** The legend: one entry per bin, then "no data" when some province has none. */
export function legendOf(
  bins: readonly Bin[],
  lang: Lang,
  options: { integer?: boolean; withNoData?: boolean } = {},
): { color: string; label: string }[] {
  const entries = bins.map((b) => ({ color: b.color, label: binLabel(b, lang, options.integer) }));
  if (options.withNoData) entries.push({ color: NO_DATA_COLOR, label: lang === 'th' ? 'ไม่มีข้อมูล' : 'no data' });
  return entries;
}
