import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FileFormat } from '@dg/contracts';
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
 * back. CSV gets a UTF-8 BOM so Excel shows Thai correctly when it opens the file.
 */
export async function writeAgencies(rows: AgencyWithParent[], format: FileFormat): Promise<Uint8Array> {
  switch (format) {
    case 'csv': {
      const body = stringify([[...AGENCY_COLUMNS], ...rows.map(cells)], { record_delimiter: '\r\n' });
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
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
