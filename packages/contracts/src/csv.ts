/**
 * How the platform writes CSV, wherever it is written: the services' exports (through
 * `@dg/platform`, which re-exports these) and the web portal's downloads (which imports this file
 * alone, as `@dg/contracts/csv`). Pure and dependency-free, so the browser runs the very same
 * rule: one copy of the formula-injection defence, never two.
 */

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

/** RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = neutraliseCsvText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Rows as CSV text with CRLF line ends (what Excel writes), every row ended. Every CSV the
 * platform writes goes through here, so every string cell is neutralised
 * ({@link neutraliseCsvText}) in one place; numbers and booleans cannot start a formula and keep
 * their value (`-12.5`, `true`, `false`); null and undefined are empty cells.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  let out = '';
  for (const row of rows) out += `${row.map(cell).join(',')}\r\n`;
  return out;
}

/** The UTF-8 byte order mark: with it, Excel reads Thai in a CSV as UTF-8. */
export const CSV_UTF8_BOM: Uint8Array = Uint8Array.from([0xef, 0xbb, 0xbf]);

/** The same mark as text, for a CSV built as a string (a browser `Blob`): `'\uFEFF' + toCsv(rows)`. */
export const CSV_BOM_TEXT = '\uFEFF';
