import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DomainError, Rpc } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { AgencyImportService } from '../src/agencies/files/agency-import.service';
import { admin, coordinatorOf, operator, RegistryHarness, startRegistry } from './harness';

const SAMPLE = readFileSync(join(__dirname, '../sample/agencies-2565.csv'));
const HEADER = 'code,name_th,name_en,kind,org_type,parent_code,ministry_code,province_code,status,effective_from';

describe('registry agencies (real PostgreSQL and NATS)', () => {
  let r: RegistryHarness;
  let importer: AgencyImportService;
  const ctx = { correlationId: 'import-test', actor: admin };

  beforeAll(async () => {
    r = await startRegistry('agencies');
    importer = r.app.get(AgencyImportService);
  });
  afterAll(async () => r?.close());

  const count = async (kind?: 'department' | 'regional_unit' | 'special_local') =>
    (await r.call(Rpc.AgencyList, { kind, pageSize: 1 })).total;

  it('imports the 2565 sample cohort: 1,876 agencies, 324 / 1,550 / 2 by kind', async () => {
    const dry = await importer.importBytes(SAMPLE, true, ctx);
    expect(dry).toMatchObject({ dryRun: true, rows: 1876, created: 1876, encoding: 'utf-8', format: 'csv' });
    expect(await count()).toBe(0);

    const report = await importer.importBytes(SAMPLE, false, ctx);
    expect(report).toMatchObject({ dryRun: false, rows: 1876, created: 1876, updated: 0, unchanged: 0 });
    expect(await count()).toBe(1876);
    expect(await count('department')).toBe(324);
    expect(await count('regional_unit')).toBe(1550);
    expect(await count('special_local')).toBe(2);
  });

  it('finds nothing new when the same file is imported again', async () => {
    const report = await importer.importBytes(SAMPLE, false, ctx);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 1876 });
  });

  it('reads a Windows-874 CSV as Thai Excel writes it, and updates by code', async () => {
    const csv = `${HEADER}\r\nWIN-001,สำนักงานทดสอบภาษาไทย,Thai Test Office,department,government_agency,,MDES,TH-10,active,01/05/2565\r\n`;
    const bytes = iconv.encode(csv, 'windows-874');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const report = await importer.importBytes(bytes, false, ctx);
    expect(report).toMatchObject({ encoding: 'windows-874', created: 1 });
    const { items } = await r.call(Rpc.AgencyList, { q: 'WIN-001' });
    expect(items[0]).toMatchObject({ nameTh: 'สำนักงานทดสอบภาษาไทย', effectiveFrom: '2022-05-01', ministryId: 'MDES' });

    const again = iconv.encode(csv.replace('Thai Test Office', 'Thai Test Office (renamed)'), 'windows-874');
    expect(await importer.importBytes(again, false, ctx)).toMatchObject({ created: 0, updated: 1 });
  });

  it('imports an XLSX workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('agencies');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['XLS-001', 'สำนักงานจากเอ็กเซล', 'Excel Office', 'department', 'public_organization', '', 'OPM', 'TH-10', 'active', new Date(Date.UTC(2022, 4, 1))]);
    sheet.addRow(['XLS-002', 'หน่วยย่อยจากเอ็กเซล', 'Excel Unit', 'regional_unit', 'government_agency', 'XLS-001', 'OPM', 'TH-50', 'active', '']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await importer.importBytes(bytes, false, ctx)).toMatchObject({ format: 'xlsx', created: 2 });
    const { items } = await r.call(Rpc.AgencyList, { q: 'XLS-002' });
    expect(items[0]).toMatchObject({ parentCode: 'XLS-001', provinceCode: 'TH-50' });
  });

  it('rejects a file with bad rows, reports every one exactly, and writes nothing', async () => {
    const before = await count();
    const csv = [
      HEADER,
      'BAD-001,หน่วยงานดี,Good,department,,,MOF,TH-10,active,',
      'BAD-002,,No name,department,,,MOF,TH-10,active,',
      'BAD-003,หน่วยงาน,Bad kind,ministry,,,MOF,TH-10,active,',
      'BAD-001,ซ้ำ,Duplicate,department,,,MOF,TH-10,active,',
      'BAD-004,หน่วยงาน,Bad province,regional_unit,,DEP-001,MOF,TH-99,active,',
      'bad 5,หน่วยงาน,Bad code,department,,,MOF,,active,31/02/2565',
      'BAD-006,หน่วยงาน,No parent,regional_unit,,NOPE-1,XYZ,TH-10,active,',
    ].join('\n');
    const error = await importer.importBytes(Buffer.from(csv), false, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.code).toBe('IMPORT_INVALID');
    const got = e.errors!.map((x) => `${x.row}:${x.column}:${x.code}`).sort();
    expect(got).toEqual(
      [
        '3:name_th:REQUIRED',
        '4:kind:INVALID_KIND',
        '5:code:DUPLICATE_CODE',
        '6:province_code:UNKNOWN_PROVINCE',
        '7:code:INVALID_CODE',
        '7:effective_from:INVALID_DATE',
        '8:parent_code:UNKNOWN_PARENT',
        '8:ministry_code:UNKNOWN_MINISTRY',
      ].sort(),
    );
    for (const x of e.errors!) {
      expect(x.message).toBeTruthy();
      expect(x.messageTh).toMatch(/[\u0E00-\u0E7F]/);
    }
    expect(e.meta).toMatchObject({ errorCount: 8, rows: 7 });
    expect(await count()).toBe(before);
  });

  it('leaves the columns a file does not have as they were (a names-only file changes only names)', async () => {
    const before = (await r.call(Rpc.AgencyList, { q: 'REG-117-TH-50' })).items[0];
    expect(before).toMatchObject({ kind: 'regional_unit', parentCode: 'DEP-117', provinceCode: 'TH-50', ministryId: 'MOAC' });
    await r.call(Rpc.AgencyUpdate, { id: before.id, patch: { status: 'inactive', version: before.version } });
    const csv = 'code,name_th,kind\nREG-117-TH-50,สำนักงานเกษตรจังหวัดเชียงใหม่ (ชื่อใหม่),regional_unit\n';
    expect(await importer.importBytes(Buffer.from(csv), false, ctx)).toMatchObject({ updated: 1 });
    const after = (await r.call(Rpc.AgencyList, { q: 'REG-117-TH-50' })).items[0];
    expect(after).toMatchObject({
      nameTh: 'สำนักงานเกษตรจังหวัดเชียงใหม่ (ชื่อใหม่)',
      parentCode: 'DEP-117',
      provinceCode: 'TH-50',
      ministryId: 'MOAC',
      status: 'inactive',
      nameEn: before.nameEn,
      effectiveFrom: before.effectiveFrom,
      version: before.version + 2,
    });
  });

  it('reports a missing required column and an unknown one on row 1', async () => {
    const e = (await importer.importBytes(Buffer.from('code,name,kind\nX-1,ก,department\n'), true, ctx).catch((x: unknown) => x)) as DomainError;
    expect(e.errors!.map((x) => `${x.row}:${x.code}:${x.column}`).sort()).toEqual(['1:MISSING_COLUMN:name_th', '1:UNKNOWN_COLUMN:name']);
  });

  it('lets only a DGA admin import, over NATS too', async () => {
    await expect(
      r.call(Rpc.AgencyImport, { file: { objectName: 'x', fileName: 'x.csv', contentType: 'text/csv', size: 1 } }, operator),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('creates, refuses a duplicate code with 409, and guards updates with the version', async () => {
    const created = await r.call(Rpc.AgencyCreate, { code: 'NEW-001', nameTh: 'หน่วยงานใหม่', kind: 'department', ministryId: 'MOE' });
    expect(created).toMatchObject({ version: 1, orgType: 'government_agency', status: 'active' });
    await expect(r.call(Rpc.AgencyCreate, { code: 'NEW-001', nameTh: 'ซ้ำ', kind: 'department' })).rejects.toMatchObject({
      code: 'AGENCY_CODE_TAKEN',
    });
    const updated = await r.call(Rpc.AgencyUpdate, { id: created.id, patch: { nameEn: 'New Office', version: 1 } });
    expect(updated).toMatchObject({ version: 2, nameEn: 'New Office', nameTh: 'หน่วยงานใหม่' });
    const stale = (await r
      .call(Rpc.AgencyUpdate, { id: created.id, patch: { nameEn: 'Lost edit', version: 1 } })
      .catch((e: unknown) => e)) as DomainError;
    expect(stale).toMatchObject({ code: 'AGENCY_VERSION_CONFLICT', meta: { currentVersion: 2 } });
    await expect(
      r.call(Rpc.AgencyUpdate, { id: created.id, patch: { provinceCode: 'TH-99', version: 2 } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      r.call(Rpc.AgencyUpdate, { id: created.id, patch: { parentCode: 'NEW-001', version: 2 } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('keeps a coordinator inside their own agency (another agency is "not found")', async () => {
    const [a, b] = (await r.call(Rpc.AgencyList, { kind: 'department', pageSize: 2 })).items;
    const coord = coordinatorOf(a.id);
    await expect(r.call(Rpc.AgencyGet, { id: a.id }, coord)).resolves.toMatchObject({ code: a.code });
    await expect(r.call(Rpc.AgencyGet, { id: b.id }, coord)).rejects.toMatchObject({ code: 'AGENCY_NOT_FOUND' });
    await expect(
      r.call(Rpc.AgencyUpdate, { id: b.id, patch: { nameEn: 'x', version: b.version } }, coord),
    ).rejects.toMatchObject({ code: 'AGENCY_NOT_FOUND' });
    await expect(
      r.call(Rpc.AgencyUpdate, { id: a.id, patch: { nameEn: 'x', version: a.version } }, coord),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const list = await r.call(Rpc.AgencyList, {}, coord);
    expect(list.items.map((x) => x.id)).toEqual([a.id]);
  });

  it('filters by kind, ministry, province, parent and Thai text', async () => {
    const bangkok = await r.call(Rpc.AgencyList, { province: 'TH-10', kind: 'special_local' });
    expect(bangkok.items.map((x) => x.code)).toContain('LOC-BMA');
    const thai = await r.call(Rpc.AgencyList, { q: 'เมืองพัทยา' });
    expect(thai.items.map((x) => x.code)).toEqual(['LOC-PTY']);
    const parent = (await r.call(Rpc.AgencyList, { kind: 'regional_unit', pageSize: 1 })).items[0];
    const siblings = await r.call(Rpc.AgencyList, { parentId: parent.parentId!, pageSize: 500 });
    expect(siblings.total).toBeGreaterThan(50);
    expect(siblings.items.every((x) => x.parentCode === parent.parentCode)).toBe(true);
  });

  it('exports CSV and XLSX that import back unchanged', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await r.call(Rpc.AgencyExport, { format }, operator);
      expect(file.fileName).toMatch(new RegExp(`^agencies-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
      const bytes = await r.app.get(FileTransfer).get(file.objectName);
      const report = await importer.importBytes(bytes!, true, ctx);
      expect(report.rows).toBe(await count());
      expect(report).toMatchObject({ created: 0, updated: 0 });
    }
  });
});
