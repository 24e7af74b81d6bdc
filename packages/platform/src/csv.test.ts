import { parse } from 'csv-parse/sync';
import { restoreCsvText, toCsv } from './csv';

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

// The rule itself is tested where it lives (packages/contracts/src/csv.test.ts); this checks that
// what the services write reads back through a real CSV parser.
describe('CSV the services write', () => {
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

  it('quotes commas, quotes and line breaks so a parser reads the same cells back', () => {
    const rows = [['กรม, สำนัก', 'say "hi"', 'two\r\nlines', 'ไทย']];
    expect(parse(toCsv(rows))).toEqual(rows);
  });
});
