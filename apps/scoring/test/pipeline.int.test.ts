import { Events, Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { best, middle, tinyRules, worst } from './fixtures';
import { agency, computedEventsOf, type ScoringHarness, scorecardsOf, startScoring } from './harness';

/**
 * From intake's events to stored scorecards: exactly one scorecard per submitted version, whether
 * an event is delivered twice, the service was down while submissions arrived, or a job had to be
 * retried; and a response that cannot be scored is reported, never scored as zero.
 */
describe('scoring pipeline', () => {
  let h: ScoringHarness;

  beforeAll(async () => {
    h = await startScoring('scpipe');
  });
  afterAll(async () => {
    await h?.close();
  });

  const scored = (responseId: string, n = 1) =>
    waitFor(async () => ((await scorecardsOf(h.ds, responseId)).length >= n ? true : undefined), 20_000);

  it('reports a response that arrives before the cycle has rules, and scores it once rules exist', async () => {
    const a = agency('EARLY-1');
    const { responseId } = await h.submit(a, best);
    const failures = await waitFor(async () => {
      const list = await h.call(Rpc.ScoringFailureList, { cycleId: '2565' });
      return list.items.find((f) => f.responseId === responseId && f.attempts >= 3);
    }, 20_000);
    expect(failures.code).toBe('SCORING_RULES_MISSING');
    expect(await scorecardsOf(h.ds, responseId)).toEqual([]); // never a silent zero

    const rules = await h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: tinyRules });
    expect(rules.version).toBe(1);
    await h.call(Rpc.RescoreStart, { cycleId: '2565' });
    await scored(responseId);
    const [card] = await scorecardsOf(h.ds, responseId);
    expect(Number(card.overall)).toBe(100);
    await waitFor(async () => ((await h.call(Rpc.ScoringFailureList, { cycleId: '2565' })).items.length === 0 ? true : undefined));
  });

  it('scores a submission exactly once even when its event is delivered twice', async () => {
    const a = agency('TWICE-1');
    const { responseId, eventId } = await h.submit(a, middle);
    await scored(responseId);
    // The same event again (a redelivery after a lost ack) and a new event for the same version.
    const again = await h.submit(a, middle, { responseId });
    expect(again.eventId).not.toBe(eventId);
    await new Promise((r) => setTimeout(r, 1500));
    const cards = await scorecardsOf(h.ds, responseId);
    expect(cards).toHaveLength(1);
    expect(Number(cards[0].overall)).toBe(65);
    expect(await computedEventsOf(h.ds, responseId)).toBe(1);
    const card = await h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: a.id });
    expect(card.card.overall).toBe(65);
    expect(card.card.level?.level).toBe(4);
    expect(card.card.pillars.map((p) => p.score)).toEqual([75, 50]);
    const q2 = card.card.pillars[0].indicators[0].questions.find((q) => q.questionId === 'q2')!;
    expect(q2).toMatchObject({ points: 1, maxPoints: 2, outcome: 'earned' });
    expect(card.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(card.rulesVersion).toBe(1);
  });

  it('catches up from JetStream after being stopped while submissions arrived', async () => {
    await h.stop();
    const arrived = [];
    for (let i = 0; i < 5; i++) arrived.push(await h.submit(agency(`LATE-${i}`), i % 2 ? best : worst));
    await h.start();
    for (const s of arrived) await scored(s.responseId);
    await new Promise((r) => setTimeout(r, 500));
    for (const [i, s] of arrived.entries()) {
      const cards = await scorecardsOf(h.ds, s.responseId);
      expect(cards).toHaveLength(1);
      expect(Number(cards[0].overall)).toBe(i % 2 ? 100 : 0);
    }
  });

  it('retries a job whose source failed and still stores one scorecard', async () => {
    h.others.failNextSubmissionGets = 2; // two attempts fail, the third succeeds (SCORING_ATTEMPTS = 3)
    const before = h.others.submissionGets;
    const { responseId } = await h.submit(agency('FLAKY-1'), best);
    await scored(responseId);
    expect(h.others.submissionGets - before).toBe(3);
    expect(await scorecardsOf(h.ds, responseId)).toHaveLength(1);
    expect(await computedEventsOf(h.ds, responseId)).toBe(1);
    const open = await h.call(Rpc.ScoringFailureList, { cycleId: '2565' });
    expect(open.items.find((f) => f.responseId === responseId)).toBeUndefined(); // recorded while failing, resolved since
  });

  it('re-scores a verified version, where a rejected answer loses its points', async () => {
    const a = agency('VERIFY-1');
    const { responseId } = await h.submit(a, best, { responseVersion: 4 });
    await scored(responseId);
    await h.publish(Events.ResponseVerified, {
      cycleId: '2565',
      responseId,
      agencyId: a.id,
      agencyCode: a.code,
      submission: 1,
      responseVersion: 5,
      questionnaireId: h.questionnaireId,
      questionnaireVersion: 1,
      verdicts: [
        { questionId: 'q1', verdict: 'accepted' },
        { questionId: 'q4', verdict: 'rejected' },
      ],
    });
    await scored(responseId, 2);
    const card = await h.call(Rpc.ScorecardGet, { cycleId: '2565', agencyId: a.id });
    expect(card.responseVersion).toBe(5);
    expect(card.verified).toBe(true);
    // p2 = (1 + 0) / 2 = 50; overall = 0.6 × 100 + 0.4 × 50 = 80
    expect(card.card.overall).toBe(80);
    const q4 = card.card.pillars[1].indicators[0].questions.find((q) => q.questionId === 'q4')!;
    expect(q4).toMatchObject({ outcome: 'rejected', points: 0, verdict: 'rejected' });
  });

  it('fails visibly when a response was answered on another questionnaire version', async () => {
    const otherQ = '11111111-2222-4333-8444-555555555555';
    h.others.questionnaires.set(otherQ, { ...h.others.questionnaires.get(h.questionnaireId)!, version: 2 });
    const a = agency('MISMATCH-1');
    const { responseId } = await h.submit(a, best, { publish: false });
    h.others.submissions.get(`${responseId}/1`)!.questionnaireId = otherQ;
    h.others.submissions.get(`${responseId}/1`)!.questionnaireVersion = 2;
    await h.publish(Events.ResponseSubmitted, {
      cycleId: '2565',
      responseId,
      agencyId: a.id,
      agencyCode: a.code,
      group: a.group,
      submission: 1,
      responseVersion: 4,
      questionnaireId: otherQ,
      questionnaireVersion: 2,
      submittedAt: new Date().toISOString(),
    });
    const failure = await waitFor(async () =>
      (await h.call(Rpc.ScoringFailureList, { cycleId: '2565' })).items.find((f) => f.responseId === responseId && f.attempts >= 3),
    20_000);
    expect(failure.code).toBe('SCORING_QUESTIONNAIRE_MISMATCH');
    expect(failure.message).toContain('tiny v2');
    expect(await scorecardsOf(h.ds, responseId)).toEqual([]);
    const job = await h.queue.getJob(failure.jobId);
    expect(await job?.getState()).toBe('failed'); // kept for operators, not removed
  });
});
