import type { LoggerService } from '@nestjs/common';
import { type ChildProcess, spawn } from 'node:child_process';
import { Job, Queue, Worker } from 'bullmq';
import { allQueues } from '@dg/contracts';
import { redisConnection } from '@dg/platform';
import { freePort, testPrefix, waitFor } from '@dg/platform/testing';
import { randomBytes } from 'node:crypto';
import { SessionsRepository } from '../src/auth/sessions.repository';
import { TokenService } from '../src/auth/token.service';
import { BASIC_CHALLENGE } from '../src/queues/board-access';
import { UsersRepository } from '../src/users/users.repository';
import { ADMIN, HttpResult, TestGateway } from './support/gateway';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every queue of the platform, as the contracts list them. */
const QUEUE_NAMES = allQueues.map((q) => q.name);

/** Every line the app's loggers write while it is installed (the app's LoggerService). */
class LogRecorder implements LoggerService {
  readonly lines: { level: string; message: unknown; params: unknown[] }[] = [];
  log = (message: unknown, ...params: unknown[]) => this.lines.push({ level: 'log', message, params });
  warn = (message: unknown, ...params: unknown[]) => this.lines.push({ level: 'warn', message, params });
  error = (message: unknown, ...params: unknown[]) => this.lines.push({ level: 'error', message, params });
  debug = () => undefined;
  verbose = () => undefined;
}

const basic = (email: string, password: string) =>
  `Basic ${Buffer.from(`${email}:${password}`, 'utf8').toString('base64')}`;

function expectProblem(res: HttpResult, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  // Thai first, English in brackets, like the rest of the API.
  expect(res.body.detail).toMatch(/[\u0E00-\u0E7F].*\(.+\)/);
}

describe('queue dashboard at /admin/queues (bull-board, dga_admin; operator read-only)', () => {
  // One BullMQ prefix per service, all under this file's own prefix, like the services' BULL_PREFIX.
  const prefix = `test:${testPrefix('gwqb')}`;
  const prefixOf = (queue: string) => `${prefix}:${allQueues.find((q) => q.name === queue)!.service}`;
  let gw: TestGateway;
  let logs: LogRecorder;
  let adminBasic: string;
  let coordinator: { id: string; token: string; email: string; password: string };
  const queues = new Map<string, Queue>();

  beforeAll(async () => {
    gw = await TestGateway.start({
      env: {
        BULL_BOARD_ENABLED: 'true',
        REDIS_URL,
        BULL_BOARD_QUEUES: QUEUE_NAMES.map((q) => `${prefixOf(q)}/${q}`).join(','),
        LOGIN_FREE_ATTEMPTS: '3',
      },
    });
    logs = new LogRecorder();
    gw.app.useLogger(logs);
    for (const name of QUEUE_NAMES) {
      queues.set(name, new Queue(name, { prefix: prefixOf(name), connection: redisConnection(REDIS_URL) }));
    }
    adminBasic = basic(ADMIN.email, ADMIN.password);
    const agency = gw.registry.addAgency({ code: 'QB-HOME' });
    const c = await gw.userWithRoles(['coordinator'], agency.id);
    coordinator = { id: c.user.id, token: c.token, email: c.user.email, password: c.password };
  });

  afterAll(async () => {
    await Promise.all([...queues.values()].map((q) => q.obliterate({ force: true }).catch(() => undefined)));
    await Promise.all([...queues.values()].map((q) => q.close()));
    await gw?.close();
  });

  it('asks for a login: 401 problem+json with a Basic challenge, on the page, its assets and its API', async () => {
    for (const path of [
      '/admin/queues',
      '/admin/queues/',
      '/admin/queues/api/queues',
      '/admin/queues/static/favicon-32x32.png',
    ]) {
      const res = await gw.request('GET', path);
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="DG queues", charset="UTF-8"');
    }
    const forged = await gw.request('GET', '/admin/queues', { token: 'not.a.token' });
    expectProblem(forged, 401, 'UNAUTHENTICATED');
    expect(forged.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
  });

  it('refuses a coordinator with 403, by token and by Basic login alike', async () => {
    const byToken = await gw.request('GET', '/admin/queues/api/queues', { token: coordinator.token });
    expectProblem(byToken, 403, 'FORBIDDEN');
    expect(byToken.headers.get('www-authenticate')).toBeNull();
    const byBasic = await gw.request('GET', '/admin/queues', {
      headers: { authorization: basic(coordinator.email, coordinator.password) },
    });
    expectProblem(byBasic, 403, 'FORBIDDEN');
  });

  it('serves the board to an admin with a bearer token and with Basic e-mail + password', async () => {
    const byToken = await gw.request('GET', '/admin/queues', { token: await gw.adminToken() });
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-type')).toMatch(/^text\/html/);
    expect(byToken.text).toContain('<base href="/admin/queues/"');
    expect(byToken.text).toContain('คิวงาน DG · Queues');
    expect(byToken.headers.get('x-frame-options')).toBe('DENY');

    const byBasic = await gw.request('GET', '/admin/queues/queue/scoring', {
      headers: { authorization: adminBasic },
    });
    expect(byBasic.status).toBe(200);
    expect(byBasic.headers.get('content-type')).toMatch(/^text\/html/);
    // The browser then loads the scripts the page names, with the same credentials.
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(byBasic.text)?.[1];
    expect(script).toBeDefined();
    const asset = await gw.request('GET', `/admin/queues/${script}`, {
      headers: { authorization: adminBasic },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.text.length).toBeGreaterThan(1000);
  });

  it('lists the configured queues with the counts of their jobs', async () => {
    const email = queues.get('email')!;
    await email.add('send', { deliveryId: 'd-1' });
    await email.add('send', { deliveryId: 'd-2' });
    await failOneScoringJob('r-list');

    const res = await gw.request('GET', '/admin/queues/api/queues', {
      headers: { authorization: adminBasic },
    });
    expect(res.status).toBe(200);
    type BoardQueue = {
      name: string;
      counts: Record<string, number>;
      readOnlyMode: boolean;
      description: string;
    };
    const listed = (res.body as { queues: BoardQueue[] }).queues;
    const byName = new Map(listed.map((q) => [q.name, q]));
    expect([...byName.keys()].sort()).toEqual([...QUEUE_NAMES].sort());
    expect(byName.get('email')!.counts).toMatchObject({ waiting: 2, failed: 0 });
    expect(byName.get('scoring')!.counts).toMatchObject({ failed: 1, waiting: 0 });
    expect(byName.get('certificates')!.counts).toMatchObject({ waiting: 0, failed: 0 });
    expect(byName.get('scoring')!.readOnlyMode).toBe(false);
    expect(byName.get('scoring')!.description).toBe(`BullMQ prefix ${prefix}:scoring`);
  });

  it('shows the board to an operator read-only: the queues and their jobs, but no change (403)', async () => {
    const job = await failOneScoringJob('r-operator');
    const op = await gw.userWithRoles(['operator']);
    const auth = basic(op.user.email, op.password);
    expect((await gw.request('GET', '/admin/queues', { headers: { authorization: auth } })).status).toBe(200);
    const listed = await gw.request('GET', '/admin/queues/api/queues', { token: op.token });
    expect(listed.status).toBe(200);
    expect((listed.body as { queues: { name: string }[] }).queues.map((q) => q.name).sort()).toEqual(
      [...QUEUE_NAMES].sort(),
    );
    const retry = await gw.request('PUT', `/admin/queues/api/queues/scoring/${job.id}/retry`, {
      headers: { authorization: auth, origin: gw.url },
    });
    expectProblem(retry, 403, 'FORBIDDEN');
    expect(retry.body.detail).toContain('read-only');
    expect(await job.getState()).toBe('failed');
  });

  it('lets an admin retry a failed job through the board API, and logs it with the admin id', async () => {
    const job = await failOneScoringJob('r-retry');
    const retryPath = `/admin/queues/api/queues/scoring/${job.id}/retry`;

    // A coordinator cannot, nor can another site through the admin's browser.
    expectProblem(await gw.request('PUT', retryPath, { token: coordinator.token }), 403, 'FORBIDDEN');
    const crossSite = await gw.request('PUT', retryPath, {
      headers: { authorization: adminBasic, origin: 'https://evil.example' },
    });
    expectProblem(crossSite, 403, 'FORBIDDEN');
    expect(await job.getState()).toBe('failed');

    const before = logs.lines.length;
    const res = await gw.request('PUT', retryPath, {
      headers: { authorization: adminBasic, origin: gw.url },
    });
    expect(res.status).toBe(204);
    expect(await job.getState()).toBe('waiting');

    const admin = (await gw.api('GET', '/auth/me', { token: await gw.adminToken() })).body;
    const changes = logs.lines.slice(before).filter((l) => l.params.includes('queue dashboard change'));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      level: 'log',
      message: {
        by: admin.id,
        method: 'PUT',
        route: '/admin/queues/api/queues/:queueName/:jobId/retry',
        params: { queueName: 'scoring', jobId: job.id },
        status: 204,
      },
    });
    // The refused attempts are logged too, with who tried.
    const refused = logs.lines
      .filter((l) => l.params.includes('queue dashboard change refused or failed'))
      .map((l) => l.message);
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          by: coordinator.id,
          status: 403,
          params: { queueName: 'scoring', jobId: job.id },
        }),
        expect.objectContaining({
          by: admin.id,
          status: 403,
          params: { queueName: 'scoring', jobId: job.id },
        }),
      ]),
    );
  });

  it('answers a wrong Basic password with 401 and a challenge, then 429 after the login limit', async () => {
    const { user, password } = await gw.userWithRoles(['dga_admin']);
    const wrong = basic(user.email, 'wrong-password-2565');
    for (let i = 0; i < 3; i++) {
      const res = await gw.request('GET', '/admin/queues/api/queues', { headers: { authorization: wrong } });
      expectProblem(res, 401, 'INVALID_CREDENTIALS');
      expect(res.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
    }
    // The per-e-mail slow-down counts password checks, so now even the right password waits.
    const limited = await gw.request('GET', '/admin/queues', {
      headers: { authorization: basic(user.email, password) },
    });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another admin, already logged in to the board, keeps working.
    expect(
      (await gw.request('GET', '/admin/queues', { headers: { authorization: adminBasic } })).status,
    ).toBe(200);
  });

  it('applies a role taken away or a password changed at once, even to a browser already logged in', async () => {
    const { user, password } = await gw.userWithRoles(['dga_admin']);
    const auth = basic(user.email, password);
    expect((await gw.request('GET', '/admin/queues', { headers: { authorization: auth } })).status).toBe(200);

    const demoted = await gw.api('PATCH', `/users/${user.id}`, {
      token: await gw.adminToken(),
      body: { version: user.version, roles: ['committee'] },
    });
    expect(demoted.status).toBe(200);
    expectProblem(
      await gw.request('GET', '/admin/queues', { headers: { authorization: auth } }),
      403,
      'FORBIDDEN',
    );

    const restored = await gw.api('PATCH', `/users/${user.id}`, {
      token: await gw.adminToken(),
      body: { version: demoted.body.version, roles: ['dga_admin'], password: 'a-new-password-2565' },
    });
    expect(restored.status).toBe(200);
    const old = await gw.request('GET', '/admin/queues', { headers: { authorization: auth } });
    expectProblem(old, 401, 'INVALID_CREDENTIALS');
    const fresh = await gw.request('GET', '/admin/queues', {
      headers: { authorization: basic(user.email, 'a-new-password-2565') },
    });
    expect(fresh.status).toBe(200);
  });

  it('leaves the rest of the gateway as it was: the API, /docs and the health probes', async () => {
    expect((await gw.request('GET', '/health/ready')).status).toBe(200);
    expect((await gw.request('GET', '/docs')).status).toBe(200);
    expect((await gw.api('GET', '/auth/me', { token: await gw.adminToken() })).status).toBe(200);
    // The board's Basic login does not open the API: it takes bearer tokens only.
    expectProblem(
      await gw.api('GET', '/auth/me', { headers: { authorization: adminBasic } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  /** Puts a job in `scoring` and lets a worker fail it once (one attempt): the job ends failed. */
  async function failOneScoringJob(responseId: string): Promise<Job> {
    const job = await queues.get('scoring')!.add('score', { responseId }, { attempts: 1 });
    const worker = new Worker(
      'scoring',
      (j) => (j.id === job.id ? Promise.reject(new Error('rules missing')) : Promise.resolve()),
      {
        prefix: prefixOf('scoring'),
        connection: { ...redisConnection(REDIS_URL), maxRetriesPerRequest: null },
      },
    );
    try {
      await waitFor(async () => (await job.getState()) === 'failed');
    } finally {
      await worker.close();
    }
    return job;
  }
});

describe('queue dashboard while Redis is down', () => {
  let gw: TestGateway;
  let port: number;
  let redis: ChildProcess | undefined;

  beforeAll(async () => {
    // Nothing listens on this port until the second test starts a private redis-server there.
    port = await freePort();
    gw = await TestGateway.start({
      env: { BULL_BOARD_ENABLED: 'true', REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await stopRedis();
  });

  async function stopRedis(): Promise<void> {
    const p = redis;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  const boardApi = async () =>
    (await gw.request('GET', '/admin/queues/api/queues', { token: await gw.adminToken() })).status;

  /** An admin session made without logging in: login needs Redis (its throttle), which is down. */
  async function adminSessionToken(): Promise<string> {
    const admin = (await gw.app.get(UsersRepository).findByEmail(ADMIN.email))!;
    const session = await gw.app
      .get(SessionsRepository)
      .open(admin.id, new Date(Date.now() + 3_600_000), '127.0.0.1', randomBytes(32));
    return gw.app.get(TokenService).sign({ ...admin, sub: admin.id, sid: session.id });
  }

  it('still starts and stays ready; the board serves its page and answers its API with 503 at once', async () => {
    const ready = await gw.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    // Logins are not let through unthrottled: 503 until Redis is back.
    const login = await gw.api('POST', '/auth/login', { body: ADMIN });
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    const token = await adminSessionToken();
    expect((await gw.request('GET', '/admin/queues', { token })).status).toBe(200);

    const started = Date.now();
    const res = await gw.request('GET', '/admin/queues/api/queues', { token });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: { key: 'ERRORS.REDIS_UNAVAILABLE' } });
    expect(Date.now() - started).toBeLessThan(2000);
    // Still refused to anyone else first: the guard runs before anything touches Redis.
    expect((await gw.request('GET', '/admin/queues/api/queues')).status).toBe(401);
  });

  it('recovers by itself when Redis comes up, and answers 503 again when it goes away', async () => {
    redis = spawn(
      process.env.REDIS_SERVER_BIN ?? 'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(async () => (await boardApi()) === 200, 20_000, 200);
    await stopRedis();
    await waitFor(async () => (await boardApi()) === 503, 10_000, 100);
    expect((await gw.request('GET', '/health/ready')).status).toBe(200);
  });
});

describe('queue dashboard turned off (BULL_BOARD_ENABLED=false)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(async () => gw?.close());

  it('has no /admin/queues route at all', async () => {
    const res = await gw.request('GET', '/admin/queues', { token: await gw.adminToken() });
    expect(res.status).toBe(404);
  });
});
