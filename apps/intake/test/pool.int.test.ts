import { randomUUID } from 'node:crypto';
import { Rpc, type ResponseDetail } from '@dg/contracts';
import { poolStatsOf } from '@dg/platform';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { completeAnswers } from './answers';
import { approver, CohortAgency, coordinator, IntakeHarness, startIntake } from './harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** Six times the pool: each journey holds a connection inside a transaction at some point. */
const POOL = 2;
const agencies: CohortAgency[] = Array.from({ length: 6 * POOL }, (_, i) => ({
  agencyId: randomUUID(),
  agencyCode: `POOL-${String(i).padStart(3, '0')}`,
  nameTh: `หน่วยงานทดสอบพูล ${i}`,
  kind: 'department',
  group: 'department',
}));

/**
 * A transaction that asks the pool for a second connection (a lookup through the data source
 * instead of the transaction's manager, a cache that loads on a miss) deadlocks once every
 * connection is held by such a transaction: each waits 10 s for one, then fails with
 * SERVICE_UNAVAILABLE. On deadline day the coordinators of many agencies answer at once; here a
 * pool of 2 serves every step of a dozen agencies at the same time, right after a restart (every
 * cache cold), and each must complete.
 */
describe('intake: every step of many agencies at once on a small pool (no pool starvation)', () => {
  let h: IntakeHarness;

  beforeAll(async () => {
    h = await startIntake('intakepool', { DATABASE_POOL_SIZE: String(POOL) });
    h.cohort.cohorts.set('2565', agencies);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'ทดสอบพูลการเชื่อมต่อ', en: 'Pool test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
    await h.restart();
  }, 120_000);
  afterAll(async () => h?.close());

  it('reads, uploads, saves, submits and approves for 12 agencies at once with 2 connections', async () => {
    expect(poolStatsOf(h.ds)).toMatchObject({ max: POOL });
    const evidenceQuestions = allQuestions(sample2565).filter((x) => x.type === 'evidence');
    const outcomes = await Promise.allSettled(
      agencies.map(async (a) => {
        const key = { cycleId: '2565', agencyId: a.agencyId };
        const c = coordinator(a.agencyId);
        let r: ResponseDetail = await h.call(Rpc.ResponseGet, key, c);
        const evidence = new Map<string, string>();
        for (const question of evidenceQuestions) {
          const file = await h.files.put(
            { objectName: `import/${randomUUID()}`, fileName: 'plan.pdf', contentType: 'application/pdf' },
            PDF,
          );
          const uploaded = await h.call(Rpc.EvidenceUpload, { ...key, questionId: question.id, file }, c);
          evidence.set(question.id, uploaded.id);
        }
        const answers = pruneHidden(
          sample2565,
          completeAnswers(sample2565, (id) => evidence.get(id)),
        );
        r = await h.call(Rpc.ResponseSave, { ...key, patch: { version: r.version, answers } }, c);
        await h.call(Rpc.ResponseCompleteness, key, c);
        r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, c);
        r = await h.call(
          Rpc.ResponseApprove,
          { ...key, version: r.version, decision: 'approve' },
          approver(a.agencyId),
        );
        return [a.agencyCode, r.status, r.submissionCount];
      }),
    );
    const failed = outcomes.flatMap((o, i) =>
      o.status === 'rejected'
        ? [`${agencies[i].agencyCode}: ${String((o.reason as Error).message ?? o.reason)}`]
        : [],
    );
    expect(failed).toEqual([]);
    expect(outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value)).toEqual(
      agencies.map((a) => [a.agencyCode, 'submitted', 1]),
    );
    // Nothing is left holding or waiting for a connection.
    expect(poolStatsOf(h.ds)).toMatchObject({ waiting: 0 });
    await expect(h.call(Rpc.CycleProgress, { cycleId: '2565' })).resolves.toMatchObject({ submitted: 12 });
  }, 240_000);
});
