import { describe, expect, it } from 'vitest';
import { csvBlob } from './CsvLink';

async function bytes(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())];
}

describe('the CSV downloads beside each chart', () => {
  it('start with the UTF-8 byte order mark, so Thai Excel reads Thai', async () => {
    const blob = csvBlob([['จังหวัด', 'ค่าเฉลี่ย'], ['เชียงใหม่', 62.5]]);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const b = await bytes(blob);
    expect(b.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(new Uint8Array(b.slice(3)))).toBe('จังหวัด,ค่าเฉลี่ย\r\nเชียงใหม่,62.5\r\n');
  });

  it('neutralise a cell a spreadsheet would run as a formula, with the platform’s own rule', async () => {
    const text = new TextDecoder().decode(new Uint8Array((await bytes(csvBlob([['=HYPERLINK("x")', '@cmd', '-1+1', -3.5]]))).slice(3)));
    expect(text).toBe(`"'=HYPERLINK(""x"")",'@cmd,'-1+1,-3.5\r\n`);
  });
});
