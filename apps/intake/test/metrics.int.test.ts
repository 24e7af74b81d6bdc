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

  it('exports the open cycle deadline in Unix seconds, and drops it once the cycle closes', async () => {
    const [deadline] = series(await scrape(), 'intake_cycle_deadline_timestamp_seconds');
    expect(deadline.labels.cycle).toBe('2565');
    expect(deadline.value).toBeCloseTo(closesAt.getTime() / 1000, 2);

    await h.call(Rpc.CycleClose, { cycleId: '2565' });
    const text = await scrape();
    expect(series(text, 'intake_cycle_deadline_timestamp_seconds')).toEqual([]);
    // A closed cycle's progress stays on the dashboards.
    expect(series(text, 'intake_responses_by_ministry')).toHaveLength(3);
  });
});
