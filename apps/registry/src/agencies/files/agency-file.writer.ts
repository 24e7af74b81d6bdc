import ExcelJS from 'exceljs';
import type { FileFormat } from '@dg/contracts';
import { CSV_UTF8_BOM, toCsv } from '@dg/platform';
import type { AgencyWithParent } from '../agencies.repository';
import { AGENCY_COLUMNS } from '../agency.rules';

function cells({ agency: a, parentCode }: AgencyWithParent): (string | null)[] {
  return [
    a.code,
    a.nameTh,
    a.nameEn,
    a.kind,
    a.orgType,
    parentCode,
    a.ministryId,
    a.provinceCode,
    a.status,
    a.effectiveFrom,
    a.effectiveTo,
  ];
}

/**
 * The registry as a file in the import's own columns, so an export can be edited and imported
 * back. CSV gets a UTF-8 BOM so Excel shows Thai correctly when it opens the file, and a leading
 * quote on any text a spreadsheet would run as a formula (toCsv), which the import takes off again.
 * XLSX needs no quote: its cells are typed, and text is written as text, never as a formula.
 */
export async function writeAgencies(rows: AgencyWithParent[], format: FileFormat): Promise<Uint8Array> {
  switch (format) {
    case 'csv': {
      const body = toCsv([[...AGENCY_COLUMNS], ...rows.map(cells)]);
      return Buffer.concat([CSV_UTF8_BOM, Buffer.from(body, 'utf8')]);
    }
    case 'xlsx': {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('agencies');
      sheet.addRow([...AGENCY_COLUMNS]).font = { bold: true };
      for (const r of rows) sheet.addRow(cells(r).map((c) => c ?? ''));
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      return new Uint8Array(await workbook.xlsx.writeBuffer());
    }
  }
}
