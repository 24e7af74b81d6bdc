import { CSV_BOM_TEXT, CSV_UTF8_BOM, neutraliseCsvText, restoreCsvText, toCsv } from './csv';

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
});

describe('toCsv', () => {
  it('ends every row with CRLF and writes numbers, booleans and empty cells as they are', () => {
    expect(toCsv([['a', 1, -12.5, true, false, null, undefined]])).toBe('a,1,-12.5,true,false,,\r\n');
    expect(toCsv([])).toBe('');
  });

  it('quotes a cell with a comma, a quote or a line break (RFC 4180) and doubles its quotes', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'plain ไทย']])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\rhere",plain ไทย\r\n',
    );
  });

  it('neutralises a formula before quoting it, and never a number', () => {
    expect(toCsv([['=HYPERLINK("x")', -3, '-3']])).toBe(`"'=HYPERLINK(""x"")",-3,'-3\r\n`);
    expect(toCsv([['\r=1+1']])).toBe(`"'\r=1+1"\r\n`);
  });

  it('has the UTF-8 byte order mark as bytes and as text', () => {
    expect([...CSV_UTF8_BOM]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...new TextEncoder().encode(CSV_BOM_TEXT)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
