import { allQueues, checkJob, type JobItemOf, type JobOf, Queues } from './jobs';

describe('queues and jobs', () => {
  it('names every queue once, in the shape BullMQ and the queue dashboard accept', () => {
    const names = allQueues.map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    // BullMQ keys are `<prefix>:<queue>:…`, and the dashboard's list is `<prefix>/<queue>`.
    for (const name of names) expect(name).toMatch(/^[a-z][a-z-]*$/);
    for (const q of allQueues) {
      expect(['scoring', 'notifications', 'awards']).toContain(q.service);
      expect(Object.keys(q.jobs).length).toBeGreaterThan(0);
    }
  });

  it('accepts a job of the queue with its payload', () => {
    const data: JobOf<'scoring', 'score'> = {
      cycleId: '2565',
      responseId: '00000000-0000-4000-8000-0000000000b1',
      responseVersion: 3,
      submission: 1,
      verdicts: null,
      correlationId: 'c1',
      actor: { id: 'system', roles: ['system'] },
    };
    const checked = checkJob(Queues.Scoring.name, { name: 'score', data: { ...data, extra: 1 } });
    expect(checked).toEqual({ ok: true, job: { name: 'score', data } });
    // The union is discriminated by the name: `data` is the score payload here.
    if (checked.ok && checked.job.name === 'score') expect(checked.job.data.responseVersion).toBe(3);
    expect(checkJob(Queues.Email.name, { name: 'send', data: { deliveryId: 'x_1_email' } }).ok).toBe(true);
    // A scheduled sweep has no data of its own.
    expect(checkJob(Queues.NotificationsSweep.name, { name: 'sweep', data: {} }).ok).toBe(true);
  });

  it('refuses a job name the queue does not have, and a payload that does not match, with the reason', () => {
    expect(checkJob(Queues.Line.name, { name: 'score', data: {} })).toEqual({
      ok: false,
      problem: 'queue line has no job named "score"',
    });
    expect(checkJob(Queues.Line.name, { name: 'constructor', data: {} }).ok).toBe(false);
    const bad = checkJob(Queues.Certificates.name, {
      name: 'certificate',
      data: { categoryId: 'not-a-uuid', agencyId: '00000000-0000-4000-8000-0000000000a1' },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problem).toMatch(/^job "certificate" of queue certificates does not match its schema/);
      expect(bad.problem).toContain('categoryId');
      expect(bad.problem).toContain('correlationId');
    }
  });

  it('types each job by its queue and name', () => {
    const done = {
      rescoreId: 'r1',
      cycleId: '2565',
      correlationId: 'c',
      actor: { id: 's', roles: ['system' as const] },
    };
    const items: JobItemOf<'scoring'>[] = [{ name: 'rescore-done', data: done }];
    // @ts-expect-error a send job is not a job of the scoring queue
    const send: JobItemOf<'scoring'> = { name: 'send', data: { deliveryId: 'x' } };
    // @ts-expect-error the name and the payload must belong together
    const mixed: JobItemOf<'scoring'> = { name: 'score', data: done };
    expect([...items, send, mixed]).toHaveLength(3);
  });
});
