import { describe, expect, it } from 'vitest';
import { daysLeft, daysLeftText, formatDate, formatDateTime, formatTime, yearBE } from './dates';

describe('dates in the Buddhist Era, Bangkok time', () => {
  it('shows a Thai date with the B.E. year and Thai month', () => {
    expect(formatDate('2022-09-05T03:00:00Z')).toBe('5 ก.ย. 2565');
    expect(formatDate('2022-09-05T03:00:00Z', 'th', 'long')).toBe('5 กันยายน 2565');
  });

  it('shows the B.E. year in English too', () => {
    expect(formatDate('2022-09-05T03:00:00Z', 'en')).toMatch(/^5 Sept? 2565 BE$/);
  });

  it('counts the day in Bangkok, not in the browser’s zone', () => {
    // 20:00 UTC on 31 Dec 2022 is 03:00 on 1 Jan 2023 in Bangkok: 2566.
    expect(formatDate('2022-12-31T20:00:00Z')).toBe('1 ม.ค. 2566');
    expect(yearBE('2022-12-31T20:00:00Z')).toBe(2566);
    expect(formatDateTime('2022-07-31T16:59:00Z')).toBe('31 ก.ค. 2565 เวลา 23:59 น.');
    expect(formatDateTime('2022-07-31T16:59:00Z', 'en')).toMatch(/^31 Jul 2565 BE, 23:59$/);
    expect(formatTime('2022-07-31T07:32:00Z')).toBe('14:32');
  });

  it('counts days left to the deadline’s Bangkok day', () => {
    const deadline = '2022-07-31T23:59:00+07:00';
    expect(daysLeft(deadline, new Date('2022-07-28T09:00:00+07:00'))).toBe(3);
    expect(daysLeft(deadline, new Date('2022-07-31T00:01:00+07:00'))).toBe(0);
    expect(daysLeft(deadline, new Date('2022-07-31T23:58:00+07:00'))).toBe(0);
    // 18:00 UTC on 30 July is already 31 July in Bangkok.
    expect(daysLeft(deadline, new Date('2022-07-30T18:00:00Z'))).toBe(0);
    expect(daysLeft(deadline, new Date('2022-08-02T08:00:00+07:00'))).toBe(-2);
  });

  it('says the days left in words', () => {
    expect(daysLeftText(3)).toBe('เหลืออีก 3 วัน');
    expect(daysLeftText(0)).toBe('วันนี้เป็นวันสุดท้าย');
    expect(daysLeftText(-2)).toBe('เลยกำหนดแล้ว 2 วัน');
    expect(daysLeftText(1, 'en')).toBe('1 day left');
  });

  it('shows nothing for a value that is not a date', () => {
    expect(formatDate('not a date')).toBe('');
    expect(daysLeft('nope')).toBeNull();
  });
});
