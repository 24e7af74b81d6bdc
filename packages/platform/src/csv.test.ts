import { parse } from 'csv-parse/sync';
import { neutraliseCsvText, restoreCsvText, toCsv } from './csv';

/** Texts a spreadsheet would run as a formula (OWASP's list) and their neighbours. */
const HOSTILE = [
  '=HYPERLINK("https://evil/x","click")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '\t=1+1',
  '\r=1+1',
  "'=already quoted",
  "''-twice",
];

describe('CSV formula injection (OWASP)', () => {
  it.each(HOSTILE)('neutralises %j with one leading quote, and restores it exactly', (text) => {
    const written = neutraliseCsvText(text);
    expect(written).toBe(`'${text}`);
    expect(restoreCsvText(written)).toBe(text);
  });

  it.each(['กรมสรรพากร', 'a=b', "'quoted text", "it's", '', 'E-Government', ' =1'])(
    'leaves %j as it is',
    (text) => {
      expect(neutraliseCsvText(text)).toBe(text);
      expect(restoreCsvText(text)).toBe(text);
    },
  );

  it('writes every text cell neutralised, numbers and booleans as they are, and reads back exactly', () => {
    const rows = [['name', 'score', 'ok', 'empty'], ...HOSTILE.map((h) => [h, -12.5, false, null])];
    const csv = toCsv(rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    const back = parse(csv) as string[][];
    expect(back.slice(1).map((r) => r[0])).toEqual(HOSTILE.map((h) => `'${h}`));
    expect(back.slice(1).every((r) => r[1] === '-12.5' && r[2] === 'false' && r[3] === '')).toBe(true);
    // No text cell a spreadsheet reads starts a formula (the number -12.5 is a number, not text).
    for (const [text] of back) expect(text).not.toMatch(/^[=+\-@\t\r]/);
    expect(back.slice(1).map((r) => restoreCsvText(r[0]))).toEqual(HOSTILE);
  });
});
