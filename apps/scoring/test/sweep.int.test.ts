import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { Events, Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { SCORING_SWEEP_QUEUE, scoreJobId } from '../src/jobs/jobs';
import { ScoringSweeper } from '../src/jobs/sweeper';
import { best, middle, tinyRules } from './fixtures';
import { agency, computedEventsOf, type ScoringHarness, scorecardsOf, startScoring } from './harness';

interface RequestRow {
  job_id: string;
  done_at: Date | null;
  outcome: string | null;
  requeues: number;
}

/**
 * Redis losing a score job after intake's event was acknowledged (a restart without persistence, a
 * failover to a replica that had not received it, keys flushed): the request row written with the
 * inbox row lets the sweep queue it again, with the same id, so the submission is scored exactly
 * once; a sweep with nothing missing, or a request that failed for good, queues nothing.
 */
describe('scoring sweep', () => {
  let h: ScoringHarness;
  let sweeper: ScoringSweeper;
  // The scheduled sweep runs every second here (it only looks at requests older than 10 minutes,
  // so with the real clock it leaves these tests alone); the tests sweep "11 minutes later".
  const later = () => new Date(Date.now() + 11 * 60_000);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const request = async (jobId: string) =>
    (
      (await h.ds.query(`SELECT job_id, done_at, outcome, requeues FROM score_requests WHERE job_id = $1`, [
        jobId,
      ])) as RequestRow[]
    )[0];
  const sweepQueue = () => h.app.get<Queue>(getQueueToken(SCORING_SWEEP_QUEUE));
  async function metric(name: string): Promise<number> {
    const fastify = (h.app as NestFastifyApplication).getHttpAdapter().getInstance();
    await fastify.ready();
    const res = await fastify.inject({ method: 'GET', url: '/metrics' });
    // One series per metric here: `name{service="scoring"} value`.
    const line = res.body.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    if (!line) throw new Error(`${name} is not exported`);
    return Number(line.split(' ')[1]);
  }

  beforeAll(async () => {
    h = await startScoring('scsweep', { SWEEP_MS: '1000' });
    sweeper = h.app.get(ScoringSweeper);
    await h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: tinyRules });
  });
  afterAll(async () => {
    await h?.queue.resume().catch(() => undefined);
    await h?.close();
  });

  it('queues a lost job again and the submission is scored exactly once', async () => {
    await h.queue.pause(); // the worker takes nothing while Redis "loses" one of the jobs
    const lost = await h.submit(agency('LOST-1'), best);
    const kept = await h.submit(agency('KEPT-1'), middle);
    const lostId = scoreJobId(lost.responseId, lost.responseVersion);
    const keptId = scoreJobId(kept.responseId, kept.responseVersion);
    const original = await waitFor(() => h.queue.getJob(lostId), 10_000);
    await waitFor(() => h.queue.getJob(keptId), 10_000);
    await waitFor(async () => ((await request(lostId)) && (await request(keptId)) ? true : undefined));
    expect((await request(lostId)).done_at).toBeNull();

    await h.queue.remove(lostId); // the event is acknowledged, the inbox says handled: only the request row is left
    expect(await h.queue.getJob(lostId)).toBeUndefined();
    expect(await metric('scoring_requests_pending')).toBe(2);

    // Younger than SWEEP_AFTER_MS: a job may still be on its way, nothing is looked at.
    expect(await sweeper.sweep()).toEqual({ settled: 0, checked: 0, requeued: 0 });
    expect(await sweeper.sweep(later())).toEqual({ settled: 0, checked: 2, requeued: 1 });
    const again = await h.queue.getJob(lostId);
    expect(again).toBeDefined();
    expect(again!.name).toBe(original.name);
    expect(again!.data).toEqual(original.data);
    expect(again!.opts).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential', delay: 50 },
      removeOnFail: false,
    });
    expect((await request(lostId)).requeues).toBe(1);
    expect((await request(keptId)).requeues).toBe(0);
    // Both jobs are in Redis now (waiting): a second sweep adds nothing.
    expect(await sweeper.sweep(later())).toEqual({ settled: 0, checked: 2, requeued: 0 });
    expect(await metric('scoring_requests_requeued_total')).toBe(1);

    await h.queue.resume();
    for (const s of [lost, kept]) {
      await waitFor(async () => ((await scorecardsOf(h.ds, s.responseId)).length ? true : undefined), 20_000);
    }
    await pause(1500);
    const cards = await scorecardsOf(h.ds, lost.responseId);
    expect(cards).toHaveLength(1);
    expect(Number(cards[0].overall)).toBe(100);
    expect(await computedEventsOf(h.ds, lost.responseId)).toBe(1);
    expect(await scorecardsOf(h.ds, kept.responseId)).toHaveLength(1);
    const card = await h.call(Rpc.ScorecardGet, {
      cycleId: '2565',
      agencyId: (
        await h.ds.query(`SELECT agency_id FROM score_inputs WHERE response_id = $1`, [lost.responseId])
      )[0].agency_id,
    });
    expect(card.card.overall).toBe(100);

    // Done when the scorecard was stored: nothing left for a sweep.
    expect(await request(lostId)).toMatchObject({ outcome: 'scored', requeues: 1 });
    expect((await request(lostId)).done_at).not.toBeNull();
    expect(await request(keptId)).toMatchObject({ outcome: 'scored' });
    expect(await sweeper.sweep(later())).toEqual({ settled: 0, checked: 0, requeued: 0 });
    expect(await metric('scoring_requests_pending')).toBe(0);
    expect(await metric('scoring_requests_requeued_total')).toBe(1);
  });

  it('does not queue again a request whose job failed for good', async () => {
    await h.queue.resume(); // (already, unless the test above failed half-way)
    // Answered on a questionnaire version the rules were not written for: fails all 3 attempts.
    const otherQ = '11111111-2222-4333-8444-555555555555';
    h.others.questionnaires.set(otherQ, { ...h.others.questionnaires.get(h.questionnaireId)!, version: 2 });
    const a = agency('FAILED-1');
    const { responseId, responseVersion } = await h.submit(a, best, { publish: false });
    h.others.submissions.get(`${responseId}/1`)!.questionnaireId = otherQ;
    h.others.submissions.get(`${responseId}/1`)!.questionnaireVersion = 2;
    await h.publish(Events.ResponseSubmitted, {
      cycleId: '2565',
      responseId,
      agencyId: a.id,
      agencyCode: a.code,
      group: a.group,
      submission: 1,
      responseVersion,
      questionnaireId: otherQ,
      questionnaireVersion: 2,
      submittedAt: new Date().toISOString(),
    });
    const jobId = scoreJobId(responseId, responseVersion);
    await waitFor(async () => ((await request(jobId))?.outcome === 'failed' ? true : undefined), 20_000);
    const failure = (await h.call(Rpc.ScoringFailureList, { cycleId: '2565' })).items.find(
      (f) => f.jobId === jobId,
    );
    expect(failure).toMatchObject({ code: 'SCORING_QUESTIONNAIRE_MISMATCH', attempts: 3 });
    expect(await sweeper.sweep(later())).toEqual({ settled: 0, checked: 0, requeued: 0 });

    // The processor's mark lost (a crash after the failure was recorded): settled from scoring_failures.
    await h.ds.query(`UPDATE score_requests SET done_at = NULL, outcome = NULL WHERE job_id = $1`, [jobId]);
    expect(await sweeper.sweep(later())).toEqual({ settled: 1, checked: 0, requeued: 0 });
    expect(await request(jobId)).toMatchObject({ outcome: 'failed', requeues: 0 });

    // Both lost: the job itself, failed with no attempts left in Redis, says so.
    await h.ds.query(`UPDATE score_requests SET done_at = NULL, outcome = NULL WHERE job_id = $1`, [jobId]);
    await h.ds.query(`DELETE FROM scoring_failures WHERE job_id = $1`, [jobId]);
    expect(await sweeper.sweep(later())).toEqual({ settled: 0, checked: 1, requeued: 0 });
    expect(await request(jobId)).toMatchObject({ outcome: 'failed', requeues: 0 });
    expect(await h.queue.getJob(jobId)).toBeDefined();

    // And once done, a job Redis loses afterwards is not brought back to fail again.
    await h.queue.remove(jobId);
    expect(await sweeper.sweep(later())).toEqual({ settled: 0, checked: 0, requeued: 0 });
    expect(await h.queue.getJob(jobId)).toBeUndefined();
    expect(await scorecardsOf(h.ds, responseId)).toEqual([]);
  });

  it('runs on its schedule, and registers the schedule again when Redis loses it', async () => {
    const q = sweepQueue();
    await waitFor(async () => ((await q.getCompletedCount()) > 0 ? true : undefined), 10_000);
    expect(await q.getJobSchedulers()).toHaveLength(1);
    await q.obliterate({ force: true }); // the schedule and its next run are gone from Redis
    expect(await q.getJobSchedulers()).toHaveLength(0);
    await waitFor(async () => ((await q.getJobSchedulers()).length === 1 ? true : undefined), 10_000);
    await waitFor(async () => ((await q.getCompletedCount()) > 0 ? true : undefined), 10_000);
  });
});
