import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { allQueues } from '@dg/contracts';
import { generateActorKeys } from '@dg/platform';
import {
  createTestDatabase,
  deleteNatsPrefix,
  freePort,
  NATS_TEST_URL,
  TestDatabase,
  testPrefix,
  waitFor,
} from '@dg/platform/testing';

const ROOT = join(__dirname, '../..');
/** How long a service may take to become ready: generous, since parallel e2e files share two cores. */
const READY_TIMEOUT_MS = 120_000;
const execFileAsync = promisify(execFile);

/** The services PlatformUnderTest starts, by name. */
export type ServiceName = 'registry' | 'intake' | 'scoring' | 'notifications' | 'awards' | 'gateway';

export interface StartOptions {
  /**
   * Extra environment per service, over the defaults below (e.g. the gateway's `BCRYPT_COST` for a
   * test that makes and logs in hundreds of accounts, or `LOG_LEVEL`).
   */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** One e-mail caught by the development SMTP server (`scripts/dev-smtp.mjs`, `/api/messages`). */
/** The public portal the messages link to (notifications' PORTAL_URL), not the gateway's host. */
export const E2E_PORTAL_URL = 'https://portal.e2e.example.go.th';

export interface CaughtMail {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  to: string[];
  subject: string;
  messageId: string;
  from: string;
  text: string;
  html: string;
  attachments: { fileName: string; contentType: string; size: number }[];
  size: number;
}

/** One push received by the LINE stand-in (`scripts/dev-line.mjs`, `/api/pushes`). */
export interface CaughtPush {
  at: string;
  to: string;
  retryKey: string | null;
  messages: { type: string; text?: string }[];
}

export interface RunningService {
  name: string;
  url: string;
  /** Where its /metrics is: `url`, except for the gateway (its own METRICS_PORT, not the public port). */
  metricsUrl?: string;
  /** Every line the process printed (pino JSON), for checking logs. */
  lines: string[];
}

/**
 * The registry, intake, scoring, notifications, awards and the gateway as separate processes (with the
 * development SMTP catcher and LINE stand-in as the mail server and LINE) from their built `dist/`, the way `npm start`
 * and Kubernetes run them, on their own databases, ports and NATS prefix.
 */
export interface PlatformOptions {
  /** NATS and Redis of this run (default: the machine's); the fault tests bring their own to restart them. */
  natsUrl?: string;
  redisUrl?: string;
  /** Extra environment for every service. */
  env?: Record<string, string>;
}

export class PlatformUnderTest {
  private readonly procs: ChildProcess[] = [];
  /** How each service was started, so a test can kill it and start it again the same way. */
  private readonly launches = new Map<
    string,
    { env: Record<string, string>; service: RunningService; proc: ChildProcess }
  >();
  private readonly dbs: TestDatabase[] = [];
  /** Processes this class is stopping on purpose (their exit is not news). */
  private readonly stopping = new Set<ChildProcess>();
  readonly prefix = testPrefix('e2e');
  /** The gateway's actor keys of this run (ADR 0017): a fresh pair, as npm start makes one. */
  readonly actorKeys = generateActorKeys();
  registry!: RunningService;
  intake!: RunningService;
  scoring!: RunningService;
  notifications!: RunningService;
  awards!: RunningService;
  /** The SMTP catcher's web API (`/api/messages`) and the LINE stand-in's (`/api/pushes`). */
  mailUrl = '';
  lineUrl = '';
  gateway!: RunningService;
  private evidenceDir = '';
  /** Each service's database URL, for tests that check what was stored (never to change it). */
  readonly databases: Record<string, string> = {};

  constructor(private readonly options: PlatformOptions = {}) {}

  get natsUrl(): string {
    return this.options.natsUrl ?? NATS_TEST_URL;
  }

  async start(options: StartOptions = {}): Promise<void> {
    const extra = (name: ServiceName) => options.env?.[name] ?? {};
    const [registryDb, intakeDb, scoringDb, notificationsDb, awardsDb, gatewayDb] = await Promise.all([
      createTestDatabase('e2ereg'),
      createTestDatabase('e2eint'),
      createTestDatabase('e2esco'),
      createTestDatabase('e2entf'),
      createTestDatabase('e2eawd'),
      createTestDatabase('e2egw'),
    ]);
    this.dbs.push(registryDb, intakeDb, scoringDb, notificationsDb, awardsDb, gatewayDb);
    Object.assign(this.databases, {
      registry: registryDb.url,
      intake: intakeDb.url,
      scoring: scoringDb.url,
      notifications: notificationsDb.url,
      awards: awardsDb.url,
      gateway: gatewayDb.url,
    });
    const [registryPort, intakePort, scoringPort, notificationsPort, awardsPort, gatewayPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const [smtpPort, mailPort, linePort] = [await freePort(), await freePort(), await freePort()];
    const gatewayMetricsPort = await freePort();
    this.mailUrl = `http://127.0.0.1:${mailPort}`;
    this.lineUrl = `http://127.0.0.1:${linePort}`;
    this.spawnScript('dev-smtp', {
      DEV_SMTP_PORT: String(smtpPort),
      DEV_SMTP_HTTP_PORT: String(mailPort),
      DEV_SMTP_KEEP: '20000',
    });
    this.spawnScript('dev-line', { DEV_LINE_PORT: String(linePort) });
    this.evidenceDir = mkdtempSync(join(tmpdir(), 'e2e-evidence-'));
    const common: Record<string, string> = {
      ACTOR_VERIFY_KEY: this.actorKeys.verifyKey,
      NATS_URL: this.natsUrl,
      NATS_PREFIX: this.prefix,
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
      // Two e2e files run at once, six services each: 6 connections apiece keeps both platforms
      // (72) under PostgreSQL's default max_connections of 100, which 10 apiece (120) overran.
      DATABASE_POOL_SIZE: '6',
      ...(this.options.redisUrl ? { REDIS_URL: this.options.redisUrl } : {}),
      ...this.options.env,
    };
    const registryEnv = {
      ...common,
      DATABASE_URL: registryDb.url,
      HTTP_PORT: String(registryPort),
      ...extra('registry'),
    };
    const intakeEnv = {
      ...common,
      DATABASE_URL: intakeDb.url,
      HTTP_PORT: String(intakePort),
      EVIDENCE_DIR: this.evidenceDir,
      ...extra('intake'),
    };
    const scoringEnv = {
      ...common,
      DATABASE_URL: scoringDb.url,
      HTTP_PORT: String(scoringPort),
      BULL_PREFIX: `e2e:${this.prefix}`,
      ...extra('scoring'),
    };
    const notificationsEnv = {
      ...common,
      DATABASE_URL: notificationsDb.url,
      HTTP_PORT: String(notificationsPort),
      BULL_PREFIX: `e2e:${this.prefix}:ntf`,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      LINE_API_BASE_URL: this.lineUrl,
      LINE_CHANNEL_ACCESS_TOKEN: 'e2e',
      PORTAL_URL: E2E_PORTAL_URL,
      EMAIL_RATE_PER_SECOND: '500',
      SEND_BACKOFF_MS: '500',
      ...extra('notifications'),
    };
    const awardsEnv = {
      ...common,
      DATABASE_URL: awardsDb.url,
      HTTP_PORT: String(awardsPort),
      BULL_PREFIX: `e2e:${this.prefix}:awd`,
      ...extra('awards'),
    };
    const bullPrefixes = {
      scoring: scoringEnv.BULL_PREFIX,
      notifications: notificationsEnv.BULL_PREFIX,
      awards: awardsEnv.BULL_PREFIX,
    };
    const gatewayEnv = {
      ...common,
      DATABASE_URL: gatewayDb.url,
      PORT: String(gatewayPort),
      METRICS_PORT: String(gatewayMetricsPort),
      // Only the gateway signs actors (ADR 0017).
      ACTOR_SIGNING_KEY: this.actorKeys.signingKey,
      // The queue dashboard shows this run's queues: every queue of the contracts, under the
      // BULL_PREFIX given above to the service that owns it.
      BULL_BOARD_QUEUES: allQueues.map((q) => `${bullPrefixes[q.service]}/${q.name}`).join(','),
      // Login counters of this run only (the Redis is shared); every client here is one address.
      LOGIN_THROTTLE_PREFIX: `e2e:${this.prefix}:login`,
      LOGIN_RATE_LIMIT: '10000',
      // Long runs keep one access token; sessions and refresh are the gateway's own tests.
      JWT_TTL: '4h',
      ...extra('gateway'),
    };
    this.migrate('registry', registryEnv);
    this.migrate('intake', intakeEnv);
    this.migrate('scoring', scoringEnv);
    this.migrate('notifications', notificationsEnv);
    this.migrate('awards', awardsEnv);
    this.migrate('gateway', gatewayEnv);
    this.registry = this.spawn('registry', registryEnv, `http://127.0.0.1:${registryPort}`);
    this.intake = this.spawn('intake', intakeEnv, `http://127.0.0.1:${intakePort}`);
    this.scoring = this.spawn('scoring', scoringEnv, `http://127.0.0.1:${scoringPort}`);
    this.notifications = this.spawn(
      'notifications',
      notificationsEnv,
      `http://127.0.0.1:${notificationsPort}`,
    );
    this.awards = this.spawn('awards', awardsEnv, `http://127.0.0.1:${awardsPort}`);
    this.gateway = this.spawn('gateway', gatewayEnv, `http://127.0.0.1:${gatewayPort}`);
    this.gateway.metricsUrl = `http://127.0.0.1:${gatewayMetricsPort}`;
    for (const s of [
      this.registry,
      this.intake,
      this.scoring,
      this.notifications,
      this.awards,
      this.gateway,
    ]) {
      await this.waitReady(s);
    }
  }

  /** Waits for a service's /health/ready; if it never comes, the failure names the service and shows its log. */
  private async waitReady(service: RunningService): Promise<void> {
    let last = '';
    try {
      await waitFor(
        async () => {
          const res = await fetch(`${service.url}/health/ready`);
          last = `${res.status} ${(await res.text()).slice(0, 500)}`;
          return res.ok;
        },
        READY_TIMEOUT_MS,
        200,
      );
    } catch (e) {
      throw new Error(
        `${service.name} not ready after ${READY_TIMEOUT_MS} ms (last answer: ${last || (e as Error).message}); its last lines:\n${service.lines.slice(-30).join('\n')}`,
        { cause: e },
      );
    }
  }

  private migrate(app: string, env: Record<string, string>): void {
    execFileSync('node', [join(ROOT, `apps/${app}/dist/migrate.js`)], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
  }

  private spawnScript(name: string, env: Record<string, string>): void {
    const proc = spawn('node', [join(ROOT, `scripts/${name}.mjs`)], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    this.procs.push(proc);
  }

  private spawn(app: string, env: Record<string, string>, url: string): RunningService {
    const proc = spawn('node', [join(ROOT, `apps/${app}/dist/main.js`)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service: RunningService = this.launches.get(app)?.service ?? { name: app, url, lines: [] };
    for (const stream of [proc.stdout, proc.stderr]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        service.lines.push(...parts);
      });
    }
    // A service that dies on its own (a crash, a port taken) would otherwise show only as 503s
    // later in some test: say so at once, with the end of its log.
    proc.once('exit', (code, sig) => {
      if (this.stopping.has(proc)) return;
      console.error(
        `${app} exited unexpectedly (${String(code ?? sig)}); its last lines:\n${service.lines.slice(-40).join('\n')}`,
      );
    });
    this.procs.push(proc);
    this.launches.set(app, { env, service, proc });
    return service;
  }

  /** Every service process started (API services and any worker twins), e.g. to scrape each /metrics. */
  get services(): RunningService[] {
    return [...this.launches.values()].map((l) => l.service);
  }

  /** Sends `signal` to a service and waits for its process to end; resolves with its exit code or signal. */
  async kill(app: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | NodeJS.Signals | null> {
    const launch = this.launches.get(app);
    if (!launch) throw new Error(`no service ${app}`);
    const { proc } = launch;
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode ?? proc.signalCode;
    const from = launch.service.lines.length;
    const result = await new Promise<number | NodeJS.Signals | null>((resolve) => {
      proc.once('exit', (code, sig) => resolve(code ?? sig));
      this.stopping.add(proc);
      proc.kill(signal);
    });
    // A graceful stop that did not end with 0 says why in the service's own log: show it with the failure.
    if (signal !== 'SIGKILL' && result !== 0) {
      console.log(
        `${app} exited ${String(result)} after ${signal}:\n${launch.service.lines.slice(from).join('\n')}`,
      );
    }
    return result;
  }

  /** Starts a killed service again with the same environment and waits until it is ready. */
  async restart(app: string): Promise<void> {
    const launch = this.launches.get(app);
    if (!launch) throw new Error(`no service ${app}`);
    this.spawn(app, launch.env, launch.service.url);
    await this.waitReady(launch.service);
  }

  /**
   * Runs the sample loader as `npm start` does, on this run's NATS prefix (its answering step talks
   * to intake over NATS). Only the first 60 agencies by code are answered (`--answers 60`, all
   * departments: LOC-BMA and the regional units stay not started), which covers every step of
   * the seeding in a few seconds.
   */
  /**
   * Runs the sample loader as `npm start` does. Asynchronously: a blocked test process would stop
   * reading the services' output (a full pipe stalls them) and would reuse keep-alive sockets the
   * gateway closed meanwhile ("other side closed").
   */
  async loadSample(answers = 60): Promise<string> {
    const { stdout } = await execFileAsync(
      'node',
      [join(ROOT, 'scripts/load-sample.mjs'), '--gateway', this.gateway.url, '--answers', String(answers)],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          NATS_URL: this.natsUrl,
          NATS_PREFIX: this.prefix,
          ACTOR_SIGNING_KEY: this.actorKeys.signingKey,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return stdout;
  }

  /** Every e-mail the SMTP catcher holds, newest first (it keeps the newest 20,000). */
  async caughtMail(): Promise<CaughtMail[]> {
    const res = await fetch(`${this.mailUrl}/api/messages`);
    if (!res.ok) throw new Error(`SMTP catcher: ${res.status}`);
    return (await res.json()) as CaughtMail[];
  }

  /** Every push the LINE stand-in received, newest first (it keeps the newest 1,000). */
  async caughtLinePushes(): Promise<CaughtPush[]> {
    const res = await fetch(`${this.lineUrl}/api/pushes`);
    if (!res.ok) throw new Error(`LINE stand-in: ${res.status}`);
    return (await res.json()) as CaughtPush[];
  }

  /**
   * What each service logged that tells a failure's story: its warnings, errors and fatal lines
   * (pino levels 40 to 60: a database pool that stayed exhausted, NATS disconnects, the gateway's
   * RPCs nobody answered and why: a timeout or no responders), the last `limit` of them, and its
   * very last line, whose time shows a service that went quiet (a stalled process logs nothing).
   * Nothing when no service warned.
   */
  problemLines(limit = 15): string[] {
    const problems = this.services.map((svc) => ({
      svc,
      lines: svc.lines.filter((l) => /"level":(40|50|60)\b/.test(l)),
    }));
    if (problems.every((p) => !p.lines.length)) return [];
    return problems.flatMap(({ svc, lines }) => [
      `${svc.name}: ${lines.length} warning or error line(s)${lines.length ? `, the last ${Math.min(limit, lines.length)}:` : ''}`,
      ...lines.slice(-limit),
      `${svc.name}: its last line (of ${svc.lines.length}): ${svc.lines.at(-1) ?? '(none)'}`,
    ]);
  }

  async stop(): Promise<void> {
    // A failed run is read from CI's log alone: leave what the services reported as errors there.
    const problems = this.problemLines();
    if (problems.length)
      console.log(`warnings and errors logged by the services of ${this.prefix}:\n${problems.join('\n')}`);
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            this.stopping.add(p);
            p.kill('SIGTERM');
            // A service that does not stop within its grace period is killed, so a test never hangs here.
            setTimeout(() => p.kill('SIGKILL'), 30_000).unref();
          }),
      ),
    );
    await Promise.all([...this.dbs.map((d) => d.drop()), deleteNatsPrefix(this.prefix, this.natsUrl)]);
    if (this.evidenceDir) rmSync(this.evidenceDir, { recursive: true, force: true });
  }
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const isForm = opts.body instanceof FormData;
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: isForm ? (opts.body as FormData) : opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: body as T };
}
