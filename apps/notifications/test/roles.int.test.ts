import { getQueueToken } from '@nestjs/bullmq';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Events, Rpc } from '@dg/contracts';
import { runMigrations, startService } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { NotificationsModule } from '../src/app.module';
import { EmailChannel } from '../src/channels/email.channel';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../src/config';
import { QUEUES } from '../src/deliveries/jobs';
import { SweepProcessor } from '../src/campaigns/sweep.processor';
import { contact, type NotificationsHarness, startNotifications, testAgency } from './harness';

/**
 * ROLE=api and ROLE=worker as Kubernetes runs them (ADR 0010): the API turns events and requests
 * into delivery rows and send jobs but sends nothing (it has no SMTP or LINE client at all); the
 * worker sends what is queued but answers no RPC and reads no event.
 */
describe('notifications roles', () => {
  let h: NotificationsHarness; // ROLE=api
  let config: NotificationsConfig;
  let worker: NestFastifyApplication | undefined;
  const A = testAgency('DEP-A', (id) => [
    contact(id, 'coordinator@dep-a.go.th', 'Ua3000000000000000000000000000001'),
  ]);
  const queues = (app: NestFastifyApplication) =>
    Object.fromEntries(
      Object.entries(QUEUES).map(([k, name]) => [k, app.get<Queue>(getQueueToken(name))]),
    ) as Record<keyof typeof QUEUES, Queue>;

  beforeAll(async () => {
    h = await startNotifications('ntfroles', { ROLE: 'api' });
    h.others.agencies = [A];
    config = h.app.get<NotificationsConfig>(NOTIFICATIONS_CONFIG);
  });
  afterAll(async () => {
    if (worker) {
      for (const q of Object.values(queues(worker)))
        await q.obliterate({ force: true }).catch(() => undefined);
      await worker.close();
    }
    await h?.close();
  });

  async function boot(c: NotificationsConfig): Promise<NestFastifyApplication> {
    const ref = await Test.createTestingModule({ imports: [NotificationsModule.forRoot(c)] }).compile();
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
  const receipts = (ds: DataSource, responseId: string) =>
    ds.query(`SELECT channel, status FROM deliveries WHERE id LIKE $1 ORDER BY channel`, [
      `receipt-${responseId}%`,
    ]) as Promise<{ channel: string; status: string }[]>;
  const submitted = (responseId: string) => ({
    cycleId: '2565',
    responseId,
    agencyId: A.id,
    agencyCode: A.code,
    group: 'department' as const,
    submission: 1,
    responseVersion: 4,
    questionnaireId: '00000000-0000-4000-8000-0000000000aa',
    questionnaireVersion: 1,
    submittedAt: '2022-07-20T10:15:00+07:00',
  });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const first = randomUUID();

  it('api: turns an event into delivery rows and send jobs, but sends nothing', async () => {
    expect(config.ROLE).toBe('api');
    await h.publish(Events.ResponseSubmitted, submitted(first));
    await waitFor(async () => ((await receipts(h.ds, first)).length === 2 ? true : undefined), 15_000);
    await pause(1500);
    expect(await receipts(h.ds, first)).toEqual([
      { channel: 'email', status: 'queued' },
      { channel: 'line', status: 'queued' },
    ]);
    const q = queues(h.app as NestFastifyApplication);
    expect(await q.email.getWaitingCount()).toBe(1);
    expect(await q.line.getWaitingCount()).toBe(1);
    for (const queue of Object.values(q)) expect(await queue.getWorkersCount()).toBe(0);
    expect(h.smtp.messages).toHaveLength(0);
    expect(h.line.pushes).toHaveLength(0);
    // No SMTP or LINE client in this process at all, so no credentials are needed here.
    expect(() => h.app.get(EmailChannel)).toThrow();
    expect(() => h.app.get(SweepProcessor)).toThrow();
    // The scheduled sweep is registered (by every role); only a worker runs it.
    expect(await q.sweep.getJobSchedulers()).toHaveLength(1);
    // It answers RPCs: the delivery log shows the two queued receipts.
    const log = await h.call(Rpc.DeliveryList, { cycleId: '2565', page: 1, pageSize: 50 });
    expect(log.items.filter((d) => d.status === 'queued')).toHaveLength(2);
    const r = await ready(h.app as NestFastifyApplication);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.details).sort()).toEqual(['database', 'nats', 'redis']);
  });

  it('worker: sends what the API queued, but answers no RPC and reads no event', async () => {
    await h.app.close(); // no API process at all now
    worker = await boot({ ...config, ROLE: 'worker' });
    const ds = worker.get(DataSource);
    await waitFor(
      async () => ((await receipts(ds, first)).every((d) => d.status === 'sent') ? true : undefined),
      20_000,
    );
    expect(h.smtp.messages.map((m) => m.to)).toEqual(['coordinator@dep-a.go.th']);
    expect(h.line.pushes.map((p) => p.to)).toEqual(['Ua3000000000000000000000000000001']);
    const q = queues(worker);
    for (const queue of Object.values(q)) expect(await queue.getWorkersCount()).toBeGreaterThan(0);

    const started = Date.now();
    await expect(h.call(Rpc.DeliveryList, { cycleId: '2565', page: 1, pageSize: 50 })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    // An event while only the worker runs stays in the stream: no rows, nothing sent.
    const second = randomUUID();
    await h.publish(Events.ResponseSubmitted, submitted(second));
    await pause(1500);
    expect(await receipts(ds, second)).toEqual([]);
    expect(h.smtp.messages).toHaveLength(1);

    const r = await ready(worker);
    expect(r.status).toBe(200);
    expect(r.body.details.redis.status).toBe('up');
  });
});
