import { getQueueToken } from '@nestjs/bullmq';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Rpc } from '@dg/contracts';
import { runMigrations, startService } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { ScoringModule } from '../src/app.module';
import { SCORING_CONFIG, type ScoringConfig } from '../src/config';
import { SCORING_QUEUE, SCORING_SWEEP_QUEUE, scoreJobId } from '../src/jobs/jobs';
import { best, tinyRules } from './fixtures';
import { agency, type ScoringHarness, scorecardsOf, startScoring } from './harness';

/**
 * ROLE=api and ROLE=worker as Kubernetes runs them (ADR 0010): the API answers RPCs and turns
 * intake's events into jobs but runs none; the worker runs the jobs but answers no RPC and reads no
 * event, and runs the sweep that re-queues jobs Redis lost. Together, on one database, queue and NATS
 * prefix, they do what ROLE=all does.
 */
describe('scoring roles', () => {
  let h: ScoringHarness; // ROLE=api
  let config: ScoringConfig;
  let worker: NestFastifyApplication | undefined;

  beforeAll(async () => {
    h = await startScoring('scroles', { ROLE: 'api' });
    config = h.app.get<ScoringConfig>(SCORING_CONFIG);
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  async function boot(c: ScoringConfig): Promise<NestFastifyApplication> {
    const ref = await Test.createTestingModule({ imports: [ScoringModule.forRoot(c)] }).compile();
    const app = ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: ['error'],
    });
    await runMigrations(app.get(DataSource));
    await startService(app);
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }
  async function ready(app: NestFastifyApplication) {
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
    return { status: res.statusCode, body: res.json<{ details: Record<string, { status: string }> }>() };
  }
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // First: its Redis client gives up its retries while the other tests run.
  it('a worker that cannot reach Redis is not ready', async () => {
    const lost = await boot({ ...config, ROLE: 'worker', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const r = await ready(lost);
      expect(r.status).toBe(503);
      expect(r.body.details.redis.status).toBe('down');
      expect(r.body.details.database.status).toBe('up');
      // The scrape still answers, without the queue's gauge.
      const metrics = await lost.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('scoring_requests_pending');
      expect(metrics.body).not.toMatch(/^scoring_queue_jobs\{/m);
    } finally {
      await lost.close();
    }
  });

  it('api: answers RPCs and queues a job per submission, but runs none', async () => {
    expect(config.ROLE).toBe('api');
    expect((await h.call(Rpc.ScoringRulesPut, { cycleId: '2565', rules: tinyRules })).version).toBe(1);
    const { responseId, responseVersion } = await h.submit(agency('API-1'), best);
    const job = await waitFor(() => h.queue.getJob(scoreJobId(responseId, responseVersion)), 10_000);
    await pause(1500);
    expect(await job.getState()).toBe('waiting');
    expect(await h.queue.getWorkersCount()).toBe(0);
    expect(await scorecardsOf(h.ds, responseId)).toEqual([]);
    // The sweep that re-queues lost jobs is scheduled by every role, but only a worker runs it.
    const sweep = h.app.get<Queue>(getQueueToken(SCORING_SWEEP_QUEUE));
    await waitFor(async () => ((await sweep.getJobSchedulers()).length === 1 ? true : undefined), 10_000);
    expect(await sweep.getWorkersCount()).toBe(0);
    // Ready: it can reach what it needs, Redis included (it queues the jobs).
    const r = await ready(h.app as NestFastifyApplication);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.details).sort()).toEqual(['database', 'nats', 'redis']);
  });

  it('worker: runs the job the API queued, but answers no RPC and reads no event', async () => {
    await h.stop(); // no API process at all now
    worker = await boot({ ...config, ROLE: 'worker' });
    const queue = worker.get<Queue>(getQueueToken(SCORING_QUEUE));
    const [waiting] = await queue.getJobs(['waiting', 'active', 'completed']);
    expect(waiting).toBeDefined();
    await waitFor(async () => ((await waiting.getState()) === 'completed' ? true : undefined), 20_000);
    const ds = worker.get(DataSource);
    const [card] = await scorecardsOf(ds, (waiting.data as { responseId: string }).responseId);
    expect(Number(card.overall)).toBe(100);
    expect(await queue.getWorkersCount()).toBeGreaterThan(0);
    expect(await worker.get<Queue>(getQueueToken(SCORING_SWEEP_QUEUE)).getWorkersCount()).toBeGreaterThan(0);

    // No responder for scoring's RPCs: the caller is told at once that the service is unavailable.
    const started = Date.now();
    await expect(h.call(Rpc.ScoringRulesGet, { cycleId: '2565' })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    // An event while only the worker runs stays in the stream: nothing is queued, nothing scored.
    const late = await h.submit(agency('LATE-1'), best);
    await pause(1500);
    expect(await queue.getJob(scoreJobId(late.responseId, late.responseVersion))).toBeUndefined();
    expect(await scorecardsOf(ds, late.responseId)).toEqual([]);

    const r = await ready(worker);
    expect(r.status).toBe(200);
    expect(r.body.details.redis.status).toBe('up');

    // The API back: it reads the waiting event from its durable consumer, the worker scores it.
    await h.start();
    await waitFor(async () => ((await scorecardsOf(ds, late.responseId)).length ? true : undefined), 20_000);
    expect(await scorecardsOf(ds, late.responseId)).toHaveLength(1);
  });
});
