import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Rpc } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { AgencyImportService } from '../src/agencies/files/agency-import.service';
import { admin, operator, RegistryHarness, startRegistry } from './harness';

/**
 * Names a spreadsheet would run as formulas (OWASP "CSV injection"). The API trims names, so a
 * leading tab or CR cannot be stored; the platform's unit test covers those starts.
 */
const HOSTILE = [
  { code: 'EVIL-EQ', nameTh: '=HYPERLINK("https://evil/x","click")', nameEn: "@SUM(1+1)*cmd|' /C calc'!A0" },
  { code: 'EVIL-PLUS', nameTh: '+ศูนย์ราชการ', nameEn: '-1+1' },
  { code: 'EVIL-QUOTE', nameTh: "'=ขึ้นต้นด้วยอัญประกาศแล้ว", nameEn: "''-twice" },
];

describe('registry export: formula injection and an exact round trip (real PostgreSQL and NATS)', () => {
  let r: RegistryHarness;
  let importer: AgencyImportService;
  const ctx = { correlationId: 'csv-injection-test', actor: admin };

  beforeAll(async () => {
    r = await startRegistry('registry-csv-injection');
    importer = r.app.get(AgencyImportService);
    for (const a of HOSTILE) await r.call(Rpc.AgencyCreate, { ...a, kind: 'department', ministryId: 'MOE' });
  }, 60_000);
  afterAll(() => r?.close());

  async function exported(format: 'csv' | 'xlsx'): Promise<Buffer> {
    const file = await r.call(Rpc.AgencyExport, { format }, operator);
    return Buffer.from((await r.app.get(FileTransfer).get(file.objectName))!);
  }

  async function stored() {
    return (await r.call(Rpc.AgencyList, { pageSize: 500 })).items.map(
      ({ code, nameTh, nameEn, version }) => ({ code, nameTh, nameEn, version }),
    );
  }

  it('writes no text cell that a spreadsheet would run as a formula', async () => {
    const rows = parse((await exported('csv')).subarray(3)) as string[][];
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const byCode = new Map(rows.map((row) => [row[0], row]));
    for (const a of HOSTILE)
      expect(byCode.get(a.code)!.slice(1, 3)).toEqual([`'${a.nameTh}`, `'${a.nameEn}`]);
  });

  it.each([
    ['UTF-8, as exported', (csv: Buffer) => csv],
    [
      'Windows-874, as Thai Excel saves it',
      (csv: Buffer) => iconv.encode(csv.subarray(3).toString('utf8'), 'windows-874'),
    ],
  ])(
    'imports its own CSV export back exactly (%s): nothing changes, the next export is identical',
    async (_, as) => {
      const before = await stored();
      const first = await exported('csv');
      const report = await importer.importBytes(as(first), false, ctx);
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: HOSTILE.length });
      expect(await stored()).toEqual(before);
      expect((await exported('csv')).equals(first)).toBe(true);
    },
  );

  it('writes XLSX text as text cells (never formulas) and imports it back exactly', async () => {
    const before = await stored();
    const bytes = await exported('xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const names = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((row) => names.set(row.getCell(1).text, row.getCell(2)));
    for (const a of HOSTILE) {
      expect(names.get(a.code)!.type).toBe(ExcelJS.ValueType.String);
      expect(names.get(a.code)!.value).toBe(a.nameTh);
    }
    expect(await importer.importBytes(bytes, false, ctx)).toMatchObject({ created: 0, updated: 0 });
    expect(await stored()).toEqual(before);
  });
});
