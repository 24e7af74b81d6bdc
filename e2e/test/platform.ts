import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, deleteNatsPrefix, freePort, NATS_TEST_URL, TestDatabase, testPrefix, waitFor } from '@dg/platform/testing';

const ROOT = join(__dirname, '../..');

export interface RunningService {
  name: string;
  url: string;
  /** Every line the process printed (pino JSON), for checking logs. */
  lines: string[];
}

/**
 * The registry, intake, scoring, notifications, awards and the gateway as separate processes (with the
 * development SMTP catcher and LINE stand-in as the mail server and LINE) from their built `dist/`, the way `npm start`
 * and Kubernetes run them, on their own databases, ports and NATS prefix.
 */
export class PlatformUnderTest {
  private readonly procs: ChildProcess[] = [];
  private readonly dbs: TestDatabase[] = [];
  readonly prefix = testPrefix('e2e');
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

  async start(): Promise<void> {
    const [registryDb, intakeDb, scoringDb, notificationsDb, awardsDb, gatewayDb] = await Promise.all([
      createTestDatabase('e2ereg'),
      createTestDatabase('e2eint'),
      createTestDatabase('e2esco'),
      createTestDatabase('e2entf'),
      createTestDatabase('e2eawd'),
      createTestDatabase('e2egw'),
    ]);
    this.dbs.push(registryDb, intakeDb, scoringDb, notificationsDb, awardsDb, gatewayDb);
    const [registryPort, intakePort, scoringPort, notificationsPort, awardsPort, gatewayPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const [smtpPort, mailPort, linePort] = [await freePort(), await freePort(), await freePort()];
    this.mailUrl = `http://127.0.0.1:${mailPort}`;
    this.lineUrl = `http://127.0.0.1:${linePort}`;
    this.spawnScript('dev-smtp', { DEV_SMTP_PORT: String(smtpPort), DEV_SMTP_HTTP_PORT: String(mailPort), DEV_SMTP_KEEP: '20000' });
    this.spawnScript('dev-line', { DEV_LINE_PORT: String(linePort) });
    this.evidenceDir = mkdtempSync(join(tmpdir(), 'e2e-evidence-'));
    const common = { NATS_URL: NATS_TEST_URL, NATS_PREFIX: this.prefix, LOG_LEVEL: 'debug', NODE_ENV: 'test' };
    const registryEnv = { ...common, DATABASE_URL: registryDb.url, HTTP_PORT: String(registryPort) };
    const intakeEnv = { ...common, DATABASE_URL: intakeDb.url, HTTP_PORT: String(intakePort), EVIDENCE_DIR: this.evidenceDir };
    const scoringEnv = { ...common, DATABASE_URL: scoringDb.url, HTTP_PORT: String(scoringPort), BULL_PREFIX: `e2e:${this.prefix}` };
    const notificationsEnv = {
      ...common,
      DATABASE_URL: notificationsDb.url,
      HTTP_PORT: String(notificationsPort),
      BULL_PREFIX: `e2e:${this.prefix}:ntf`,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      LINE_API_BASE_URL: this.lineUrl,
      LINE_CHANNEL_ACCESS_TOKEN: 'e2e',
      EMAIL_RATE_PER_SECOND: '500',
      SEND_BACKOFF_MS: '500',
    };
    const awardsEnv = { ...common, DATABASE_URL: awardsDb.url, HTTP_PORT: String(awardsPort), BULL_PREFIX: `e2e:${this.prefix}:awd` };
    const gatewayEnv = { ...common, DATABASE_URL: gatewayDb.url, PORT: String(gatewayPort) };
    this.migrate('registry', registryEnv);
    this.migrate('intake', intakeEnv);
    this.migrate('scoring', scoringEnv);
    this.migrate('notifications', notificationsEnv);
    this.migrate('awards', awardsEnv);
    this.migrate('gateway', gatewayEnv);
    this.registry = this.spawn('registry', registryEnv, `http://127.0.0.1:${registryPort}`);
    this.intake = this.spawn('intake', intakeEnv, `http://127.0.0.1:${intakePort}`);
    this.scoring = this.spawn('scoring', scoringEnv, `http://127.0.0.1:${scoringPort}`);
    this.notifications = this.spawn('notifications', notificationsEnv, `http://127.0.0.1:${notificationsPort}`);
    this.awards = this.spawn('awards', awardsEnv, `http://127.0.0.1:${awardsPort}`);
    this.gateway = this.spawn('gateway', gatewayEnv, `http://127.0.0.1:${gatewayPort}`);
    for (const s of [this.registry, this.intake, this.scoring, this.notifications, this.awards, this.gateway]) {
      await waitFor(async () => (await fetch(`${s.url}/health/ready`)).ok, 60_000, 200);
    }
  }

  private migrate(app: string, env: Record<string, string>): void {
    execFileSync('node', [join(ROOT, `apps/${app}/dist/migrate.js`)], { env: { ...process.env, ...env }, stdio: 'pipe' });
  }

  private spawnScript(name: string, env: Record<string, string>): void {
    const proc = spawn('node', [join(ROOT, `scripts/${name}.mjs`)], { env: { ...process.env, ...env }, stdio: 'ignore' });
    this.procs.push(proc);
  }

  private spawn(app: string, env: Record<string, string>, url: string): RunningService {
    const proc = spawn('node', [join(ROOT, `apps/${app}/dist/main.js`)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service: RunningService = { name: app, url, lines: [] };
    for (const stream of [proc.stdout, proc.stderr]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        service.lines.push(...parts);
      });
    }
    this.procs.push(proc);
    return service;
  }

  /**
   * Runs the sample loader as `npm start` does, on this run's NATS prefix (its answering step talks
   * to intake over NATS). Only the first 60 agencies by code are answered (`--answers 60`, all
   * departments: LOC-BMA and the regional units stay not started), which covers every step of
   * the seeding in a few seconds.
   */
  loadSample(): string {
    return execFileSync('node', [join(ROOT, 'scripts/load-sample.mjs'), '--gateway', this.gateway.url, '--answers', '60'], {
      encoding: 'utf8',
      env: { ...process.env, NATS_URL: NATS_TEST_URL, NATS_PREFIX: this.prefix },
    });
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    await Promise.all([...this.dbs.map((d) => d.drop()), deleteNatsPrefix(this.prefix)]);
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
