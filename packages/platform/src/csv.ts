import { stringify } from 'csv-stringify/sync';
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

/**
 * A text cell Excel, LibreOffice or Google Sheets would read as a formula (OWASP "CSV injection":
 * = + - @ tab CR). Leading quotes count too, so that neutralising stays reversible: a text that
 * already starts with `'=` gets one more quote, and restoring takes exactly one away.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * OWASP's rule for a text cell of a CSV the platform writes: one that a spreadsheet would take as
 * a formula gets a leading single quote, which spreadsheets show as text. Only for text: numbers
 * the platform writes as numbers (a negative score) stay numbers; see {@link toCsv}.
 */
export function neutraliseCsvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes {@link neutraliseCsvText}, for files the platform wrote and reads back (the registry import). */
export function restoreCsvText(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/** A cell of a CSV the platform writes: text (neutralised), a number or boolean (written as is), or empty. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Rows as CSV text with CRLF line ends (what Excel writes). Every CSV the platform writes goes
 * through here, so every string cell is neutralised ({@link neutraliseCsvText}) in one place;
 * numbers and booleans cannot start a formula and keep their value.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(rows as CsvCell[][], {
    record_delimiter: '\r\n',
    // csv-stringify writes false as an empty cell and true as 1 by default: write the words.
    cast: { string: neutraliseCsvText, boolean: String },
  });
}

/** The UTF-8 byte order mark: with it, Excel reads Thai in a CSV as UTF-8. */
export const CSV_UTF8_BOM: Uint8Array = Uint8Array.from(UTF8_BOM);
