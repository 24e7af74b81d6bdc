const THAI = new Intl.DateTimeFormat('th-TH', { timeZone: 'Asia/Bangkok', dateStyle: 'long', timeStyle: 'short' });

/** A date-time as a Thai reader expects it: Buddhist Era year, Thai month, Bangkok time ("31 กรกฎาคม 2565 เวลา 23:59"). */
export function thaiDateTime(d: Date): string {
  return THAI.format(d);
}

/** A date-only value means that day in Asia/Bangkok (UTC+7, no daylight saving). */
export function parseBangkok(value: string, endOfDay: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return new Date(`${value}T${endOfDay ? '23:59:59.999' : '00:00:00'}+07:00`);
  return new Date(value);
}
