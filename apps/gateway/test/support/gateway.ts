import { INestApplicationContext, Module, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FILES_BUCKET } from '@dg/contracts';
import { Nats, startTransports } from '@dg/platform';
import { createTestDatabase, NATS_TEST_URL, TestDatabase, testPrefix, TEST_ACTOR_ENV } from '@dg/platform/testing';
import { AppModule } from '../../src/app.module';
import { createGatewayApp } from '../../src/bootstrap';
import { GatewayConfig, loadGatewayConfig } from '../../src/config';
import { migrateGatewayDatabase } from '../../src/database';
import type { AssignableRole, UserView } from '../../src/users/users.dto';
import { StandInIntake, startStandInIntake } from './stand-in-intake';
import { StandInRegistry, startStandInRegistry } from './stand-in-registry';

export const ADMIN = { email: 'admin@dga.or.th', password: 'admin-secret-2565' };

/** A parsed response body: its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpResult<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is (e.g. FormData or a raw string); `body` is JSON-encoded instead. */
  raw?: RequestInit['body'];
}

/**
 * One gateway under test: its own database and NATS prefix, the real AppModule listening on a
 * free port, and stand-ins for the registry and the intake service answering over the same NATS
 * prefix (each its own Nest application and NATS connection, like the real services).
 */
export class TestGateway {
  private tokens = new Map<string, string>();
  private counter = 0;
  /** Every route Fastify registered (`GET /api/v1/cycles/:id`), HEAD and OPTIONS left out. */
  readonly routes: string[] = [];

  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly config: GatewayConfig,
    readonly db: TestDatabase,
    readonly registryApp: INestApplicationContext,
    readonly registry: StandInRegistry,
    readonly intakeApp: INestApplicationContext,
    readonly intake: StandInIntake,
  ) {}

  static async start(
    opts: { env?: Record<string, string>; controllers?: Type[] } = {},
  ): Promise<TestGateway> {
    const db = await createTestDatabase('gw');
    const prefix = testPrefix('gw');
    const config = loadGatewayConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      NATS_URL: NATS_TEST_URL,
      NATS_PREFIX: prefix,
      ...TEST_ACTOR_ENV,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BCRYPT_COST: '4',
      // The queue dashboard opens Redis connections; only test/queue-board.int.test.ts turns it on.
      BULL_BOARD_ENABLED: 'false',
      // The portal at / only where a test gives it a directory (test/portal.int.test.ts), whatever
      // apps/web/dist holds in this checkout.
      WEB_DIR: 'off',
      // Login counters in the real Redis, apart from every other test file's.
      LOGIN_THROTTLE_PREFIX: `test:${prefix}:login`,
      METRICS_PORT: '0',
      ...opts.env,
    });
    await migrateGatewayDatabase(db.url);
    const [{ app: registryApp, registry }, { app: intakeApp, intake }] = await Promise.all([
      startStandInRegistry(config.nats.url, prefix),
      startStandInIntake(config.nats.url, prefix),
    ]);

    @Module({ imports: [AppModule.forRoot(config)], controllers: opts.controllers ?? [] })
    class TestRootModule {}

    const app = await createGatewayApp(TestRootModule, config);
    // Nest registers its routes on listen: the hook sees every one of them, and the plugins' too.
    const routes: string[] = [];
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', ({ method, url }) => {
        for (const m of [method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') routes.push(`${m} ${url}`);
      });
    await app.listen(0, '127.0.0.1');
    await startTransports(app); // as main.ts: the gateway answers gateway.user.agency
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const gateway = new TestGateway(app, url, config, db, registryApp, registry, intakeApp, intake);
    gateway.routes.push(...routes);
    return gateway;
  }

  async close(): Promise<void> {
    const nats = this.app.get(Nats);
    // The transfer bucket is a JetStream stream under this run's prefix: remove it from the shared server.
    await nats
      .connect()
      .then((nc) =>
        nc.request(`$JS.API.STREAM.DELETE.OBJ_${nats.stream(FILES_BUCKET).toLowerCase()}`, '', {
          timeout: 2000,
        }),
      )
      .catch(() => undefined);
    await this.app.close();
    await this.registryApp.close();
    await this.intakeApp.close();
    await this.db.drop();
  }

  async request<T = Json>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: RequestInit['body'] = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  api<T = Json>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
    return this.request<T>(method, `/api/v1${path}`, opts);
  }

  async login(email: string, password: string): Promise<string> {
    return (await this.session(email, password)).accessToken;
  }

  /** Logs in and answers the whole login result: access and refresh tokens, user. */
  async session(
    email: string,
    password: string,
  ): Promise<{ accessToken: string; refreshToken: string; setCookie: string | null }> {
    const res = await this.api('POST', '/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${res.text}`);
    return {
      accessToken: res.body.accessToken as string,
      refreshToken: res.body.refreshToken as string,
      setCookie: res.headers.get('set-cookie'),
    };
  }

  async adminToken(): Promise<string> {
    let token = this.tokens.get(ADMIN.email);
    if (!token) {
      token = await this.login(ADMIN.email, ADMIN.password);
      this.tokens.set(ADMIN.email, token);
    }
    return token;
  }

  /** Creates a user with the given roles through the API (as the first admin) and logs them in. */
  async userWithRoles(
    roles: AssignableRole[],
    agencyId: string | null = null,
  ): Promise<{ user: UserView; token: string; password: string }> {
    const password = 'correct-horse-2565';
    const email = `${roles.join('-')}-${++this.counter}@example.go.th`;
    const res = await this.api<UserView>('POST', '/users', {
      token: await this.adminToken(),
      body: { email, displayName: `Test ${roles.join('/')}`, password, roles, agencyId },
    });
    if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${res.text}`);
    return { user: res.body, token: await this.login(email, password), password };
  }
}
