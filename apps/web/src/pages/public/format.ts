import type { Lang } from '../../lib/dates';

/**
 * Numbers as the public pages show them: at most 2 decimals (the published figures are rounded
 * already; this only stops float noise), Thai or English grouping, "–" for no value.
 */
export function fmtNumber(x: number | null | undefined, lang: Lang, maxDecimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return x.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { maximumFractionDigits: maxDecimals });
}

/** A change with its sign: "+2.5", "−1.25" (a real minus sign), "0". */
export function fmtChange(x: number | null | undefined, lang: Lang): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const abs = fmtNumber(Math.abs(x), lang, 4);
  return x > 0 ? `+${abs}` : x < 0 ? `−${abs}` : abs;
}

/** A bilingual text in the reader's language (Thai when the English one is empty). */
export function pick(text: { th: string; en: string } | null | undefined, lang: Lang): string {
  if (!text) return '';
  return (lang === 'en' ? text.en : text.th) || text.th;
}
