import { getQueueToken } from '@nestjs/bullmq';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainError, Rpc } from '@dg/contracts';
import { runMigrations, startService } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { AwardsModule } from '../src/app.module';
import { CertificateProcessor } from '../src/announcement/certificate.processor';
import { CERTIFICATE_QUEUE } from '../src/announcement/jobs';
import { AWARDS_CONFIG, type AwardsConfig } from '../src/config';
import { agency, type AwardsHarness, member, startAwards } from './harness';

/**
 * ROLE=api and ROLE=worker as Kubernetes runs them (ADR 0010): the API answers RPCs and queues a
 * certificate job per winner at the announcement but renders none; the worker renders them but
 * answers no RPC. The harness's own ROLE=all process is closed first, so only these two run.
 */
describe('awards roles', () => {
  let h: AwardsHarness;
  let config: AwardsConfig;
  let api: NestFastifyApplication | undefined;
  let worker: NestFastifyApplication | undefined;
  const A = agency(1, 92, { change: 3 });
  const B = agency(2, 80, { change: 1 });
  const chair = 'chair-1';
  let categoryId = '';

  async function boot(c: AwardsConfig): Promise<NestFastifyApplication> {
    const ref = await Test.createTestingModule({ imports: [AwardsModule.forRoot(c)] }).compile();
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
  const queueOf = (app: NestFastifyApplication) => app.get<Queue>(getQueueToken(CERTIFICATE_QUEUE));
  const certificates = async (ds: DataSource) =>
    (
      (await ds.query(`SELECT certificate_no FROM certificates ORDER BY certificate_no`)) as {
        certificate_no: string;
      }[]
    ).map((r) => r.certificate_no);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    h = await startAwards('awroles');
    h.others.agencies = [A, B];
    config = h.app.get<AwardsConfig>(AWARDS_CONFIG);
    // Closed only once its worker is connected: BullMQ reports a close during the connect as an error.
    await h.app.get(CertificateProcessor).worker.waitUntilReady();
    await h.app.close();
    api = await boot({ ...config, ROLE: 'api' });
  });
  afterAll(async () => {
    const last = api ?? worker;
    if (last)
      await queueOf(last)
        .obliterate({ force: true })
        .catch(() => undefined);
    await api?.close();
    await worker?.close();
    await h?.close();
  });

  it('api: announces and queues the certificate jobs, but renders none', async () => {
    const category = await h.call(Rpc.AwardCategoryCreate, {
      cycleId: '2565',
      category: {
        key: 'top-department',
        name: { th: 'หน่วยงานระดับกรมที่มีความพร้อมสูงสุด', en: 'Highest readiness, departments' },
        group: 'department',
        metric: 'overall',
        winners: 1,
        committee: [
          { userId: chair, name: 'ประธานกรรมการ', chair: true },
          { userId: 'judge-2', name: 'กรรมการ' },
        ],
        quorum: 1,
      },
    });
    categoryId = category.id;
    await h.call(Rpc.AwardCandidatesCompute, { cycleId: '2565' });
    await h.call(Rpc.AwardDecisionAdd, { categoryId, decision: { type: 'confirm' } }, member(chair));
    const announced = await h.call(Rpc.AwardsAnnounce, { cycleId: '2565' });
    expect(announced.categories[0].winners.map((w) => w.agencyCode)).toEqual(['DEP-001']);

    const queue = queueOf(api!);
    await pause(1500);
    expect(await queue.getWaitingCount()).toBe(1);
    expect(await queue.getWorkersCount()).toBe(0);
    expect(await certificates(api!.get(DataSource))).toEqual([]);
    await expect(
      h.call(Rpc.AwardCertificateGet, { cycleId: '2565', categoryId, agencyId: A.row.agencyId }),
    ).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_READY' });
    const r = await ready(api!);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.details).sort()).toEqual(['database', 'nats', 'redis']);
  });

  it('worker: renders the queued certificate, but answers no RPC', async () => {
    await api!.close();
    api = undefined;
    worker = await boot({ ...config, ROLE: 'worker' });
    const ds = worker.get(DataSource);
    const made = await waitFor(async () => {
      const list = await certificates(ds);
      return list.length ? list : undefined;
    }, 30_000);
    expect(made).toEqual(['DGA-2565-top-department-001']);
    expect(await queueOf(worker).getWorkersCount()).toBeGreaterThan(0);

    const started = Date.now();
    const refused = await h.call(Rpc.AwardCategoryList, { cycleId: '2565' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await ready(worker)).status).toBe(200);
  });

  it('api and worker together: the certificate the worker made is served by the API', async () => {
    api = await boot({ ...config, ROLE: 'api' });
    const file = await h.call(Rpc.AwardCertificateGet, {
      cycleId: '2565',
      categoryId,
      agencyId: A.row.agencyId,
    });
    expect(file.contentType).toBe('application/pdf');
    const pdf = await h.files.get(file.objectName);
    expect(Buffer.from(pdf!).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
