import iconv from 'iconv-lite';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Decodes CSV text: UTF-8 when the bytes are valid UTF-8 (with or without BOM), otherwise
 * Windows-874, the superset of TIS-620 that Thai Excel writes when it saves "CSV".
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-874' } {
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) {
    return { text: Buffer.from(bytes.subarray(3)).toString('utf8'), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'windows-874'), encoding: 'windows-874' };
  }
}

// The writing rule (formula neutralising, quoting, CRLF) lives in the contracts so the web portal
// runs the same code for its downloads; services keep importing it from here.
export { CSV_UTF8_BOM, neutraliseCsvText, restoreCsvText, toCsv } from '@dg/contracts';
export type { CsvCell } from '@dg/contracts';
