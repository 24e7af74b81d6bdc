import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule, ReadinessChecks, startService } from '@dg/platform';
import { TEST_ACTOR_KEYS } from '@dg/platform/testing';
import { TestGateway } from './support/gateway';

/**
 * A service as the platform makes it, with a real database, answering nothing but the platform's
 * own `<service>.health.ready`; `failing` adds a readiness check that fails (Redis, say).
 */
async function startPlatformService(
  gw: TestGateway,
  service: string,
  failing?: string,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service,
        logLevel: 'silent',
        nats: {
          url: gw.config.nats.url,
          prefix: gw.config.nats.prefix,
          actorKeys: { verifyKey: TEST_ACTOR_KEYS.verifyKey },
        },
        outbox: false,
      }),
      TypeOrmModule.forRoot({ type: 'postgres', url: gw.db.url, entities: [] }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  if (failing)
    app.get(ReadinessChecks).add(failing, () => Promise.reject(new Error(`${failing} unreachable`)));
  return startService(app);
}

describe('GET /api/v1/health/services: which service is not ready (dga_admin, operator)', () => {
  let gw: TestGateway;
  const services: INestApplication[] = [];

  beforeAll(async () => {
    gw = await TestGateway.start();
    // scoring ready; awards up but its Redis down; notifications not running at all. (The gateway
    // harness's registry and intake are stand-ins without a database: not ready, "database".)
    services.push(await startPlatformService(gw, 'scoring'));
    services.push(await startPlatformService(gw, 'awards', 'redis'));
  }, 60_000);

  afterAll(async () => {
    for (const app of services) await app.close();
    await gw?.close();
  });

  it('reports each service: ready, not ready with its failing checks, or no answer; 200 all the same', async () => {
    const { token } = await gw.userWithRoles(['operator']);
    const started = Date.now();
    const res = await gw.api('GET', '/health/services', { token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('not_ready');
    expect(Date.parse(String(res.body.checkedAt))).not.toBeNaN();
    const byName = Object.fromEntries(
      (res.body.services as { service: string }[]).map((s) => [s.service, s]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      ['awards', 'gateway', 'intake', 'notifications', 'registry', 'scoring'].sort(),
    );
    expect(byName.gateway).toEqual({ service: 'gateway', status: 'ready', failing: [] });
    expect(byName.scoring).toEqual({ service: 'scoring', status: 'ready', failing: [] });
    expect(byName.awards).toEqual({ service: 'awards', status: 'not_ready', failing: ['redis'] });
    expect(byName.registry).toEqual({ service: 'registry', status: 'not_ready', failing: ['database'] });
    expect(byName.notifications).toEqual({ service: 'notifications', status: 'no_answer', failing: [] });
    // Every service is asked at once, each within its short timeout.
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 30_000);

  it('is for DGA staff: a dga_admin may read it, a coordinator is refused', async () => {
    expect((await gw.api('GET', '/health/services', { token: await gw.adminToken() })).status).toBe(200);
    const { token } = await gw.userWithRoles(['coordinator'], gw.registry.addAgency({ code: 'HC-1' }).id);
    const res = await gw.api('GET', '/health/services', { token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await gw.api('GET', '/health/services')).status).toBe(401);
  });
});
