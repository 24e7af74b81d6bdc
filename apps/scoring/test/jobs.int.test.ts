import type { Submission } from '@dg/contracts';
import { Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { scoreJobId } from '../src/jobs/jobs';
import { best, tinyRules } from './fixtures';
import { agency, type ScoringHarness, scorecardsOf, startScoring } from './harness';

/**
 * The scoring queue's processor (ADR 0015): a job is checked against its schema in the contracts
 * before anything runs, and a stopping service lets the job it is running finish (ADR 0011).
 */
describe('scoring jobs', () => {
  let h: ScoringHarness;

  beforeAll(async () => {
    h = await startScoring('scjobs', { SCORING_ATTEMPTS: '5' });
    await h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: tinyRules });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fails a job whose payload does not match its schema at once, without retrying it', async () => {
    const attempts = { attempts: 5, backoff: { type: 'fixed', delay: 10 } };
    const bad = await h.queue.add('score', { responseId: 'not-a-uuid', cycleId: '2565' }, attempts);
    const unknown = await h.queue.add('score-everything', {}, attempts);
    for (const job of [bad, unknown])
      await waitFor(async () => ((await job.getState()) === 'failed' ? true : undefined), 15_000);
    const [badDone, unknownDone] = await Promise.all([h.queue.getJob(bad.id!), h.queue.getJob(unknown.id!)]);
    expect(badDone!.attemptsMade).toBe(1);
    expect(badDone!.failedReason).toMatch(/^job "score" of queue scoring does not match its schema/);
    expect(badDone!.failedReason).toContain('responseVersion');
    expect(unknownDone!.attemptsMade).toBe(1);
    expect(unknownDone!.failedReason).toBe('queue scoring has no job named "score-everything"');
  });

  it('lets the job it is running finish, and stores its scorecard, when the service stops', async () => {
    // Intake answers the submission only when the test says so: the job is held half-way.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const submissions = h.others.submissions;
    h.others.submissions = new (class extends Map<string, Submission> {
      override get(key: string) {
        const s = super.get(key);
        return (s ? answered.then(() => s) : undefined) as Submission | undefined;
      }
    })(submissions);
    const gets = h.others.submissionGets;
    const { responseId, responseVersion } = await h.submit(agency('STOP-1'), best);
    await waitFor(() => (h.others.submissionGets > gets ? true : undefined), 15_000);

    let stopped = false;
    const stopping = h.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(stopped).toBe(false); // waiting for the job
    answer();
    await stopping;

    await h.start();
    expect(await scorecardsOf(h.ds, responseId)).toHaveLength(1);
    const job = await h.queue.getJob(scoreJobId(responseId, responseVersion));
    expect(await job!.getState()).toBe('completed');
    // Done before the stop, not stalled and run again by the next process.
    expect(job!.attemptsMade).toBe(1);
    expect(h.others.submissionGets).toBe(gets + 1);
  });
});
