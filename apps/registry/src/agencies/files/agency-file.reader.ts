import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError, FileFormat } from '@dg/contracts';
import { decodeCsv, restoreCsvText } from '@dg/platform';

export interface Table {
  format: FileFormat;
  /** 'utf-8', 'windows-874' (Thai Excel's CSV) or 'xlsx'. */
  encoding: string;
  header: string[];
  /** Data rows with the row number a person sees in Excel (the header is row 1). */
  rows: { rowNumber: number; cells: string[] }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function detectFormat(bytes: Uint8Array): FileFormat {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b) ? 'xlsx' : 'csv';
}

function unreadable(detail: string): DomainError {
  return new DomainError('IMPORT_INVALID', detail, [
    { row: 1, column: '', code: 'UNREADABLE_FILE', message: detail, messageTh: `อ่านไฟล์ไม่ได้: ${detail}` },
  ]);
}

function readCsv(bytes: Uint8Array): Table {
  const { text, encoding } = decodeCsv(bytes);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (e) {
    throw unreadable(`CSV could not be parsed: ${(e as Error).message}`);
  }
  const [header = [], ...data] = records;
  const rows = data
    // The export quotes text a spreadsheet would run as a formula; take the quote off again.
    .map((cells, i) => ({ rowNumber: i + 2, cells: cells.map(restoreCsvText) }))
    .filter((r) => r.cells.some((c) => c !== ''));
  return { format: 'csv', encoding, header, rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (e) {
    throw unreadable(`XLSX could not be opened: ${(e as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('the workbook has no sheet');
  const width = sheet.columnCount;
  const read = (n: number) =>
    Array.from({ length: width }, (_, c) => cellText(sheet.getRow(n).getCell(c + 1).value).trim());
  const header = read(1);
  const rows: Table['rows'] = [];
  for (let n = 2; n <= sheet.rowCount; n++) {
    const cells = read(n);
    if (cells.some((c) => c !== '')) rows.push({ rowNumber: n, cells });
  }
  return { format: 'xlsx', encoding: 'xlsx', header, rows };
}

export async function readTable(bytes: Uint8Array): Promise<Table> {
  if (bytes.byteLength === 0) throw unreadable('the file is empty');
  return detectFormat(bytes) === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}
