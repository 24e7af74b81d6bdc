/**
 * Every date a person reads in the portal goes through this module: Buddhist Era years, Thai month
 * names (or English ones with "BE"), always in Asia/Bangkok whatever the browser's own time zone.
 */
export type Lang = 'th' | 'en';

export const BANGKOK = 'Asia/Bangkok';

const LOCALES: Record<Lang, string> = { th: 'th-TH-u-ca-buddhist', en: 'en-GB-u-ca-buddhist' };

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: BANGKOK });
    cache.set(key, f);
  }
  return f;
}

function toDate(value: string | Date): Date | null {
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `5 ก.ย. 2565` / `5 Sept 2565 BE`; `long` spells the month out (`5 กันยายน 2565`). */
export function formatDate(
  value: string | Date,
  lang: Lang = 'th',
  style: 'short' | 'long' = 'short',
): string {
  const d = toDate(value);
  if (!d) return '';
  return formatter(lang, {
    day: 'numeric',
    month: style === 'long' ? 'long' : 'short',
    year: 'numeric',
  }).format(d);
}

/**
 * `5 ก.ย. 2565 เวลา 10:00 น.` / `5 Sept 2565 BE, 10:00` (24-hour clock, Bangkok time). Composed
 * from the date and the time, so the words between do not depend on the browser's ICU data.
 */
export function formatDateTime(value: string | Date, lang: Lang = 'th'): string {
  const d = toDate(value);
  if (!d) return '';
  return lang === 'th'
    ? `${formatDate(d, 'th')} เวลา ${formatTime(d, 'th')} น.`
    : `${formatDate(d, 'en')}, ${formatTime(d, 'en')}`;
}

/** `14:32`: a time of day in Bangkok (e.g. "saved at 14:32"). */
export function formatTime(value: string | Date, lang: Lang = 'th'): string {
  const d = toDate(value);
  if (!d) return '';
  return formatter(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

/** The Buddhist Era year of a moment, in Bangkok (2022-12-31T20:00Z is already 2566). */
export function yearBE(value: string | Date): number | null {
  const d = toDate(value);
  if (!d) return null;
  return bangkokDay(d).year + 543;
}

/** The calendar day (Gregorian numbers) of a moment in Bangkok. */
export function bangkokDay(d: Date): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US-u-ca-gregory', {
    timeZone: BANGKOK,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/**
 * Whole days from today to the deadline's day, both counted in Bangkok: 0 on the last day itself,
 * 1 the day before, negative once the day has passed. A deadline at 23:59 on 31 July is "0 days
 * left" all of 31 July, whatever the hour.
 */
export function daysLeft(deadline: string | Date, now: Date = new Date()): number | null {
  const d = toDate(deadline);
  if (!d) return null;
  const a = bangkokDay(now);
  const b = bangkokDay(d);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/** "เหลืออีก 3 วัน" / "3 days left", "วันนี้เป็นวันสุดท้าย" / "last day today", "เลยกำหนดแล้ว 2 วัน" / "2 days overdue". */
export function daysLeftText(days: number, lang: Lang = 'th'): string {
  if (lang === 'th') {
    if (days > 0) return `เหลืออีก ${days} วัน`;
    if (days === 0) return 'วันนี้เป็นวันสุดท้าย';
    return `เลยกำหนดแล้ว ${-days} วัน`;
  }
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return 'last day today';
  return -days === 1 ? '1 day overdue' : `${-days} days overdue`;
}
