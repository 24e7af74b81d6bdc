import { randomUUID } from 'node:crypto';
import { Rpc } from '@dg/contracts';
import { Metrics } from '@dg/platform';
import { sample2565 } from '@dg/survey-model';
import { CohortAgency, IntakeHarness, startIntake } from './harness';

/** Ministry code and province as the registry's cohort reply carries them (an older registry sends neither). */
type Member = CohortAgency & { ministryId?: string | null; provinceCode?: string | null };
const agencies: Member[] = [
  {
    agencyId: randomUUID(),
    agencyCode: 'DEP-001',
    nameTh: 'กรมทดสอบหนึ่ง',
    kind: 'department',
    group: 'department',
    ministryId: 'MDES',
    provinceCode: 'TH-10',
  },
  {
    agencyId: randomUUID(),
    agencyCode: 'DEP-002',
    nameTh: 'กรมทดสอบสอง',
    kind: 'department',
    group: 'department',
    ministryId: 'MDES',
    provinceCode: 'TH-10',
  },
  {
    agencyId: randomUUID(),
    agencyCode: 'REG-001-TH-50',
    nameTh: 'สำนักงานทดสอบจังหวัดเชียงใหม่',
    kind: 'regional_unit',
    group: 'provincial',
    ministryId: 'MOI',
    provinceCode: 'TH-50',
  },
  {
    agencyId: randomUUID(),
    agencyCode: 'LOC-OLD',
    nameTh: 'หน่วยงานทดสอบ',
    kind: 'special_local',
    group: 'local',
  },
];

/** Sample lines of one metric as label sets with their value. */
function series(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

describe('intake: survey progress metrics by ministry, province and deadline (real PostgreSQL and NATS)', () => {
  let h: IntakeHarness;
  const closesAt = new Date(Date.now() + 5 * 86_400_000);
  const scrape = () => h.app.get(Metrics).registry.metrics();

  beforeAll(async () => {
    h = await startIntake('intmet');
    h.cohort.cohorts.set('2565', agencies);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'การสำรวจทดสอบ 2565', en: 'Test survey 2022' },
      opensAt: '2022-05-01',
      closesAt: closesAt.toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
  });
  afterAll(async () => h?.close());

  it('exports nothing for a cycle that is not open yet', async () => {
    const text = await scrape();
    expect(series(text, 'intake_cycle_deadline_timestamp_seconds')).toEqual([]);
    expect(series(text, 'intake_responses_by_ministry')).toEqual([]);
  });

  it('counts the responses of an opened cycle by ministry and by province, unknown where the registry sent none', async () => {
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
    const text = await scrape();
    expect(
      series(text, 'intake_responses_by_ministry').sort((a, b) =>
        a.labels.ministry.localeCompare(b.labels.ministry),
      ),
    ).toEqual([
      { labels: { cycle: '2565', ministry: 'MDES', status: 'not_started', service: 'intake' }, value: 2 },
      { labels: { cycle: '2565', ministry: 'MOI', status: 'not_started', service: 'intake' }, value: 1 },
      { labels: { cycle: '2565', ministry: 'unknown', status: 'not_started', service: 'intake' }, value: 1 },
    ]);
    expect(
      series(text, 'intake_responses_by_province').sort((a, b) =>
        a.labels.province.localeCompare(b.labels.province),
      ),
    ).toEqual([
      { labels: { cycle: '2565', province: 'TH-10', status: 'not_started', service: 'intake' }, value: 2 },
      { labels: { cycle: '2565', province: 'TH-50', status: 'not_started', service: 'intake' }, value: 1 },
      { labels: { cycle: '2565', province: 'unknown', status: 'not_started', service: 'intake' }, value: 1 },
    ]);
    // The same totals as the progress the staff see, and no agency in any label.
    const progress = await h.call(Rpc.CycleProgress, { cycleId: '2565' });
    expect(series(text, 'intake_responses_by_province').reduce((n, s) => n + s.value, 0)).toBe(
      progress.total,
    );
    expect(text).not.toMatch(/DEP-001|REG-001-TH-50/);
  });

  it('filters the list and the progress by ministry, province, group and several statuses, not_submitted included', async () => {
    // DEP-002 was submitted once and returned; REG-001 is being answered; the others not started.
    await h.ds.query(
      `UPDATE responses SET status = 'returned', submission_count = 1 WHERE cycle_id = '2565' AND agency_code = 'DEP-002'`,
    );
    await h.ds.query(
      `UPDATE responses SET status = 'in_progress' WHERE cycle_id = '2565' AND agency_code = 'REG-001-TH-50'`,
    );
    const codes = async (filter: Record<string, unknown>) =>
      (await h.call(Rpc.ResponseList, { cycleId: '2565', ...filter })).items.map((r) => r.agencyCode);
    expect(await codes({ ministryId: 'MDES' })).toEqual(['DEP-001', 'DEP-002']);
    expect(await codes({ province: 'TH-50' })).toEqual(['REG-001-TH-50']);
    expect(await codes({ group: 'local' })).toEqual(['LOC-OLD']);
    expect(await codes({ status: ['in_progress', 'returned'] })).toEqual(['DEP-002', 'REG-001-TH-50']);
    // Comma-separated, as a query string sends it.
    expect(await codes({ status: 'in_progress,returned' })).toEqual(['DEP-002', 'REG-001-TH-50']);
    // Not submitted: never submitted and approved, whatever the draft's state (DEP-002 was).
    expect(await codes({ status: ['not_submitted'] })).toEqual(['DEP-001', 'LOC-OLD', 'REG-001-TH-50']);
    expect(await codes({ status: ['not_submitted', 'returned'], ministryId: 'MDES' })).toEqual([
      'DEP-001',
      'DEP-002',
    ]);
    expect(await codes({ province: 'TH-99' })).toEqual([]);
    await expect(h.call(Rpc.ResponseList, { cycleId: '2565', status: ['done'] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    const all = await h.call(Rpc.CycleProgress, { cycleId: '2565' });
    expect(all).toMatchObject({ total: 4, submitted: 1 });
    const mdes = await h.call(Rpc.CycleProgress, { cycleId: '2565', ministryId: 'MDES' });
    expect(mdes).toMatchObject({
      total: 2,
      submitted: 1,
      responseRate: 50,
      byStatus: { not_started: 1, returned: 1 },
    });
    const chiangMai = await h.call(Rpc.CycleProgress, {
      cycleId: '2565',
      province: 'TH-50',
      group: 'provincial',
    });
    expect(chiangMai).toMatchObject({ total: 1, submitted: 0, byStatus: { in_progress: 1 } });
    expect(Object.keys(chiangMai.byGroup)).toEqual(['provincial']);
    const notSubmitted = await h.call(Rpc.CycleProgress, { cycleId: '2565', status: ['not_submitted'] });
    expect(notSubmitted).toMatchObject({ total: 3, submitted: 0 });
  });

  it('exports the open cycle deadline in Unix seconds, and drops it once the cycle closes', async () => {
    const [deadline] = series(await scrape(), 'intake_cycle_deadline_timestamp_seconds');
    expect(deadline.labels.cycle).toBe('2565');
    expect(deadline.value).toBeCloseTo(closesAt.getTime() / 1000, 2);

    await h.call(Rpc.CycleClose, { cycleId: '2565' });
    const text = await scrape();
    expect(series(text, 'intake_cycle_deadline_timestamp_seconds')).toEqual([]);
    // A closed cycle's progress stays on the dashboards (MDES now in two statuses, the filter test's).
    expect(series(text, 'intake_responses_by_ministry')).toHaveLength(4);
  });
});
