// Dates as Thai readers expect them: Asia/Bangkok time, Thai month names and the Buddhist Era
// year (B.E. = C.E. + 543), from Intl (Node ships full ICU). The parts are taken from
// formatToParts and joined here, so the output does not move when ICU changes its literals.

export type ThaiDateStyle = 'long' | 'short' | 'long-thai-digits';

export const THAI_DATE_STYLES: readonly ThaiDateStyle[] = ['long', 'short', 'long-thai-digits'];

const TIME_ZONE = 'Asia/Bangkok';
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...options });
    formatters.set(key, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, date: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) if (p.type !== 'literal') out[p.type] = p.value;
  return out;
}

/** A Date, or an ISO 8601 string; throws a RangeError naming the value when it is not a date. */
export function toDate(value: Date | string): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`Not a date: ${String(value)}`);
  }
  return date;
}

export function isThaiDateStyle(value: unknown): value is ThaiDateStyle {
  return typeof value === 'string' && (THAI_DATE_STYLES as readonly string[]).includes(value);
}

/**
 * `25 พฤษภาคม 2565` ('long'), `25 พ.ค. 2565` ('short'), `๒๕ พฤษภาคม ๒๕๖๕` ('long-thai-digits');
 * `withTime` adds ` เวลา 13:30 น.` (24-hour clock, Thai digits too in the Thai-digit style).
 */
export function thaiDate(date: Date | string, style: ThaiDateStyle = 'long', withTime = false): string {
  const d = toDate(date);
  const locale = style === 'long-thai-digits' ? 'th-TH-u-ca-buddhist-nu-thai' : 'th-TH-u-ca-buddhist-nu-latn';
  const p = parts(
    formatter(locale, {
      day: 'numeric',
      month: style === 'short' ? 'short' : 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    }),
    d,
  );
  const day = `${p.day} ${p.month} ${p.year}`;
  return withTime ? `${day} เวลา ${p.hour}:${p.minute} น.` : day;
}

/** `25 May 2022 (B.E. 2565)`; `withTime` gives `25 May 2022, 13:30 (B.E. 2565)` (Bangkok time). */
export function englishDate(date: Date | string, withTime = false): string {
  const d = toDate(date);
  const p = parts(
    formatter('en-GB-u-ca-gregory-nu-latn', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    }),
    d,
  );
  const be = Number(p.year) + 543;
  return withTime
    ? `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (B.E. ${be})`
    : `${p.day} ${p.month} ${p.year} (B.E. ${be})`;
}

/** `13:30` in Bangkok time (Thai digits when asked). */
export function bangkokTime(date: Date | string, thaiDigitsToo = false): string {
  const p = parts(
    formatter(thaiDigitsToo ? 'th-TH-u-nu-thai' : 'th-TH-u-nu-latn', {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
    toDate(date),
  );
  return `${p.hour}:${p.minute}`;
}

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';

/** Replaces the ASCII digits 0-9 with Thai digits ๐-๙, leaving everything else as it is. */
export function thaiDigits(value: string | number): string {
  return String(value).replace(/[0-9]/g, (c) => THAI_DIGITS[Number(c)]);
}
