import { bangkokTime, englishDate, thaiDate, thaiDigits } from './thai-date';

// Fixed instants; Node ships full ICU, so these are the exact strings Intl gives here.
const BRIEFING = '2022-05-25T06:30:00Z'; // 13:30 in Bangkok (UTC+7), Wednesday 25 May 2565
const LATE_UTC = '2022-05-24T17:05:00Z'; // 24 May in UTC, already 00:05 on 25 May in Bangkok
const NEW_YEAR_EVE_UTC = '2022-12-31T18:00:00Z'; // 1 January 2566 (2023), 01:00 in Bangkok

describe('thaiDate', () => {
  it('long: Thai month name and the B.E. year', () => {
    expect(thaiDate(BRIEFING, 'long')).toBe('25 พฤษภาคม 2565');
    expect(thaiDate(new Date(BRIEFING), 'long')).toBe('25 พฤษภาคม 2565');
  });

  it('short: abbreviated month', () => {
    expect(thaiDate(BRIEFING, 'short')).toBe('25 พ.ค. 2565');
  });

  it('long-thai-digits: Thai digits throughout', () => {
    expect(thaiDate(BRIEFING, 'long-thai-digits')).toBe('๒๕ พฤษภาคม ๒๕๖๕');
    expect(thaiDate(BRIEFING, 'long-thai-digits', true)).toBe('๒๕ พฤษภาคม ๒๕๖๕ เวลา ๑๓:๓๐ น.');
  });

  it('withTime adds the Bangkok time on the 24-hour clock', () => {
    expect(thaiDate(BRIEFING, 'long', true)).toBe('25 พฤษภาคม 2565 เวลา 13:30 น.');
    expect(thaiDate(BRIEFING, 'short', true)).toBe('25 พ.ค. 2565 เวลา 13:30 น.');
  });

  it('uses the Bangkok day, not the UTC day, near midnight', () => {
    expect(thaiDate(LATE_UTC, 'long', true)).toBe('25 พฤษภาคม 2565 เวลา 00:05 น.');
    expect(thaiDate(NEW_YEAR_EVE_UTC, 'long')).toBe('1 มกราคม 2566');
    expect(thaiDate('2022-07-20T10:00:00+07:00', 'long')).toBe('20 กรกฎาคม 2565');
  });

  it('defaults to the long style', () => {
    expect(thaiDate(BRIEFING)).toBe('25 พฤษภาคม 2565');
  });

  it('refuses what is not a date', () => {
    expect(() => thaiDate('not a date', 'long')).toThrow(/Not a date/);
    expect(() => thaiDate(new Date(Number.NaN), 'long')).toThrow(RangeError);
  });
});

describe('englishDate', () => {
  it('gives the C.E. date with the B.E. year beside it', () => {
    expect(englishDate(BRIEFING)).toBe('25 May 2022 (B.E. 2565)');
    expect(englishDate(BRIEFING, true)).toBe('25 May 2022, 13:30 (B.E. 2565)');
  });

  it('uses the Bangkok day near midnight, and the Bangkok year at New Year', () => {
    expect(englishDate(LATE_UTC, true)).toBe('25 May 2022, 00:05 (B.E. 2565)');
    expect(englishDate(NEW_YEAR_EVE_UTC)).toBe('1 January 2023 (B.E. 2566)');
  });
});

describe('bangkokTime and thaiDigits', () => {
  it('formats the Bangkok time', () => {
    expect(bangkokTime(LATE_UTC)).toBe('00:05');
    expect(bangkokTime(BRIEFING, true)).toBe('๑๓:๓๐');
  });

  it('replaces ASCII digits only', () => {
    expect(thaiDigits(2565)).toBe('๒๕๖๕');
    expect(thaiDigits('ข้อ 3.2 (ครั้งที่ 10)')).toBe('ข้อ ๓.๒ (ครั้งที่ ๑๐)');
  });
});
