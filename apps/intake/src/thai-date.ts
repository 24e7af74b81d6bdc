const THAI = new Intl.DateTimeFormat('th-TH', { timeZone: 'Asia/Bangkok', dateStyle: 'long', timeStyle: 'short' });

/** A date-time as a Thai reader expects it: Buddhist Era year, Thai month, Bangkok time ("31 กรกฎาคม 2565 เวลา 23:59"). */
export function thaiDateTime(d: Date): string {
  return THAI.format(d);
}
