import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Actor, FileFormat, Rpc } from '@dg/contracts';
import { toCsv } from '@dg/platform';
import { personalDataPaths, sample2565 } from '@dg/survey-model';
import { csvCellOf, EXPORT_COLUMNS } from '../src/export/responses-export.service';
import { admin, CohortAgency, coordinator, IntakeHarness, operator, startIntake } from './harness';

const A: CohortAgency = {
  agencyId: randomUUID(),
  agencyCode: 'DEP-101',
  nameTh: '@กรมทดสอบการส่งออก',
  kind: 'department',
  group: 'department',
};
const CYCLE = '2565';

/** What a coordinator saves: formula starts (OWASP's list) and the people's personal data. */
const HOSTILE_ANSWERS = {
  g_coordinator_name: '=HYPERLINK("https://evil/x","click")',
  g_coordinator_position: '\t=1+1 ผู้อำนวยการ',
  g_coordinator_phone: '+66 2 141 6000',
  g_address: '-2+3 ถนนแจ้งวัฒนะ',
  g_name_correction: '\r=2+2',
};
/** What makes those questions shown, and a number. */
const OTHER_ANSWERS = {
  g_coordinator_email: 'somchai@agency.go.th',
  g_name_correct: false,
  g_kind: 'regional_unit',
  g_ministry: 'none', // as the registry prefilled it: the agency has no ministry
  g_staff_count: 120,
};
const SAVED: Record<string, unknown> = { ...HOSTILE_ANSWERS, ...OTHER_ANSWERS };
const PERSONAL = personalDataPaths(sample2565);
const FORMULA_START = /^[=+\-@\t\r]/;

describe('intake: the responses export against formula injection and for the PDPA (real PostgreSQL and NATS)', () => {
  let h: IntakeHarness;

  beforeAll(async () => {
    h = await startIntake('intake-export');
    h.cohort.cohorts.set(CYCLE, [A]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'รอบทดสอบการส่งออก', en: 'Export test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: CYCLE, questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: CYCLE });
    await h.call(
      Rpc.ResponseSave,
      { cycleId: CYCLE, agencyId: A.agencyId, patch: { version: 1, answers: SAVED } },
      coordinator(A.agencyId),
    );
  });
  afterAll(async () => h?.close());

  async function exportAs(actor: Actor, format: FileFormat) {
    const file = await h.call(Rpc.ResponseExport, { cycleId: CYCLE, format }, actor);
    return { file, bytes: Buffer.from((await h.files.get(file.objectName))!) };
  }

  /** The CSV's rows keyed by question id, each as a record of its columns. */
  async function csvAs(actor: Actor) {
    const { file, bytes } = await exportAs(actor, 'csv');
    const [header, ...rows] = parse(bytes.subarray(3)) as string[][];
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const byQuestion = new Map(rows.map((r) => [r[6], Object.fromEntries(header.map((c, i) => [c, r[i]]))]));
    return { file, rows, byQuestion };
  }

  async function xlsxAs(actor: Actor) {
    const { file, bytes } = await exportAs(actor, 'xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const [sheet, about] = workbook.worksheets;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const row = sheet.getRow(2);
    const cell = (column: string) => row.getCell(header.indexOf(column) + 1);
    const notice = about
      .getRows(1, about.rowCount)!
      .map((r) => `${r.getCell(1).text}: ${r.getCell(2).text}`)
      .join('\n');
    return { file, header, cell, notice };
  }

  it('neutralises every answer and name a spreadsheet would run as a formula, in the CSV', async () => {
    const { rows, byQuestion } = await csvAs(admin);
    for (const cell of rows.flat()) expect(cell).not.toMatch(FORMULA_START);
    for (const [id, value] of Object.entries(HOSTILE_ANSWERS))
      expect(byQuestion.get(id)!.value).toBe(`'${value}`);
    expect(byQuestion.get('g_address')!.agency_name).toBe(`'${A.nameTh}`);
    // Numbers and booleans the platform writes stay what they are.
    expect(byQuestion.get('g_staff_count')!.value).toBe('120');
    expect(byQuestion.get('g_name_correct')!.value).toBe('false');
    expect(byQuestion.get('g_address')!.submission).toBe('0');
  });

  it('writes a negative number as a number, not as quoted text', () => {
    expect(toCsv([[csvCellOf(-12.5), csvCellOf('-12.5')]])).toBe(`-12.5,'-12.5\r\n`);
  });

  it('writes XLSX answers as text cells, never formulas, exactly as saved', async () => {
    const { cell } = await xlsxAs(admin);
    for (const id of ['g_coordinator_name', 'g_address', 'g_coordinator_position']) {
      expect(cell(id).type).toBe(ExcelJS.ValueType.String);
      expect(cell(id).value).toBe(SAVED[id]);
    }
  });

  it('gives a DGA admin the personal data, and says so in the reply, the file name, the rows and the about sheet', async () => {
    const { file, byQuestion } = await csvAs(admin);
    expect(PERSONAL).toEqual(
      expect.arrayContaining(['g_coordinator_name', 'g_coordinator_email', 'g_coordinator_phone']),
    );
    expect(file.personalData).toEqual({ included: true, questions: PERSONAL });
    expect(file.fileName).toBe(`responses-${CYCLE}-personal-data.csv`);
    expect(byQuestion.get('g_coordinator_email')).toMatchObject({
      value: 'somchai@agency.go.th',
      personal_data: 'true',
    });
    expect(byQuestion.get('g_coordinator_phone')).toMatchObject({
      value: `'+66 2 141 6000`,
      personal_data: 'true',
    });
    expect(byQuestion.get('g_address')!.personal_data).toBe('false');

    const xlsx = await xlsxAs(admin);
    expect(xlsx.file.personalData.included).toBe(true);
    expect(xlsx.header).toEqual(expect.arrayContaining(PERSONAL));
    expect(xlsx.cell('g_coordinator_email').value).toBe('somchai@agency.go.th');
    expect(xlsx.notice).toContain('Contains personal data');
  });

  it('leaves every piece of personal data out of an operator’s export, and says so', async () => {
    const { file, rows, byQuestion } = await csvAs(operator);
    expect(file.personalData).toEqual({ included: false, questions: PERSONAL });
    expect(file.fileName).toBe(`responses-${CYCLE}.csv`);
    for (const id of PERSONAL) expect(byQuestion.has(id)).toBe(false);
    const text = rows.flat().join('\n');
    for (const id of PERSONAL) if (id in SAVED) expect(text).not.toContain(SAVED[id]);
    expect(rows.every((r) => r[10] === 'false')).toBe(true);
    // The rest of the answers are all there.
    expect(byQuestion.get('g_address')!.value).toBe(`'${HOSTILE_ANSWERS.g_address}`);
    expect(rows).toHaveLength(Object.keys(SAVED).length - PERSONAL.filter((id) => id in SAVED).length);

    const xlsx = await xlsxAs(operator);
    expect(xlsx.file.personalData.included).toBe(false);
    for (const id of PERSONAL) expect(xlsx.header).not.toContain(id);
    expect(xlsx.header).toContain('g_address');
    expect(xlsx.notice).toContain('No personal data');
    expect(xlsx.notice).toContain('g_coordinator_email');
  });

  it('records every export with personal data in the audit of each response, and none without', async () => {
    const audit = async () =>
      (await h.call(Rpc.ResponseAudit, { cycleId: CYCLE, agencyId: A.agencyId }, admin)).items.filter(
        (row: { action: string }) => row.action === 'export.personal_data',
      );
    const before = (await audit()).length;
    await csvAs(operator);
    expect(await audit()).toHaveLength(before);
    await xlsxAs(admin);
    const rows = await audit();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      actorId: admin.id,
      changes: { fileName: `responses-${CYCLE}-personal-data.xlsx`, personalDataQuestions: PERSONAL },
    });
  });
});
