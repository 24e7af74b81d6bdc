/**
 * Helpers for integration tests against the real PostgreSQL and NATS on this machine. Each test
 * file gets its own database and its own subject/stream prefix, so files run in parallel safely.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { generateActorKeys } from '../actor-assertion';
import { ensureDatabase } from '../database';

export const PG_BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_TEST_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * The gateway's actor keys of this test run (ADR 0017): one fresh Ed25519 pair per test file, given
 * to every service a test starts (`nats: { ..., actorKeys: TEST_ACTOR_KEYS }`) so that a test may
 * call any RPC as a person, as the gateway does. `TEST_ACTOR_ENV` is the same as environment.
 */
export const TEST_ACTOR_KEYS = generateActorKeys();
export const TEST_ACTOR_ENV = {
  ACTOR_VERIFY_KEY: TEST_ACTOR_KEYS.verifyKey,
  ACTOR_SIGNING_KEY: TEST_ACTOR_KEYS.signingKey,
};

/** A short unique id for names: lower-case, starts with a letter. */
export function uniqueId(label = 't'): string {
  return `${label.replace(/[^a-z0-9]/g, '')}${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `test_${uniqueId(label)}`;
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  return {
    url: url.toString(),
    name,
    async drop() {
      const admin = new Client({ connectionString: PG_BASE_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A unique NATS subject/stream prefix for one test file. */
export function testPrefix(label = 't'): string {
  return uniqueId(label);
}

/**
 * A port for a server a test starts, reserved for this process until it exits.
 *
 * Why not `listen(0)` and close: the kernel hands that port out again at once, to an outgoing
 * connection or to another test file's `listen(0)`, before our server binds it; two e2e files
 * running in parallel then met each other's services (a login or an RPC reached the wrong
 * platform). So ports come from below the kernel's ephemeral range (never handed out
 * implicitly), each claimed with an exclusive file shared by every test process of this machine,
 * and checked free by binding it.
 */
export async function freePort(): Promise<number> {
  const { low, high } = reservablePorts();
  const span = high - low;
  const start = randomBytes(2).readUInt16BE(0) % span;
  for (let i = 0; i < span; i++) {
    const port = low + ((start + i) % span);
    if (!claimPort(port)) continue;
    if (await canBind(port)) return port;
    releasePort(port);
  }
  throw new Error(`freePort: no free port between ${low} and ${high}`);
}

const PORT_CLAIMS_DIR = join(tmpdir(), 'dg-test-ports');
/** A claim older than this may be taken again even if its pid is alive (the pid may be reused). */
const STALE_CLAIM_MS = 3 * 60 * 60 * 1000;
const claimedPorts = new Set<number>();

function reservablePorts(): { low: number; high: number } {
  let ephemeralLow = 32768;
  try {
    ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]) || 32768;
  } catch {
    // not Linux: keep the usual default
  }
  const low = 20000;
  const high = Math.max(low + 1000, Math.min(ephemeralLow, 32768));
  return { low, high };
}

function claimPort(port: number): boolean {
  mkdirSync(PORT_CLAIMS_DIR, { recursive: true });
  const file = join(PORT_CLAIMS_DIR, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    try {
      if (!isStaleClaim(file)) return false;
      writeFileSync(file, String(process.pid));
    } catch {
      return false;
    }
  }
  if (claimedPorts.size === 0) process.once('exit', releaseAllPorts);
  claimedPorts.add(port);
  return true;
}

/** A claim is stale when the process that made it is gone (or, should its pid be reused, after hours). */
function isStaleClaim(file: string): boolean {
  if (Date.now() - statSync(file).mtimeMs > STALE_CLAIM_MS) return true;
  const owner = Number(readFileSync(file, 'utf8'));
  if (!Number.isInteger(owner) || owner <= 0) return true;
  try {
    process.kill(owner, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function releasePort(port: number): void {
  claimedPorts.delete(port);
  rmSync(join(PORT_CLAIMS_DIR, String(port)), { force: true });
}

function releaseAllPorts(): void {
  for (const port of [...claimedPorts]) releasePort(port);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Polls until `check` returns a truthy value or the time runs out. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  stepMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`waitFor timed out${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * A private nats-server with JetStream on its own port and store, for tests that stop and restart
 * NATS (the shared server on 4222 must stay up for the other test files).
 */
export class PrivateNatsServer {
  private proc?: ChildProcess;
  readonly storeDir = mkdtempSync(join(tmpdir(), 'nats-test-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(await freePort());
    await server.up();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const bin = process.env.NATS_SERVER_BIN ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');
    this.proc = spawn(bin, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const s = netConnect(this.port, '127.0.0.1');
          s.once('connect', () => (s.destroy(), resolve(true)));
          s.once('error', () => resolve(false));
        }),
      10_000,
    );
  }

  async down(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/**
 * Deletes the streams (and object store buckets) a test prefix created on the shared NATS server.
 * Clean-up, not a check: under a full CI machine JetStream's API can answer late, so each call gets
 * a long timeout and one retry, and a stream that still cannot be deleted is reported, not thrown
 * (the prefix is unique per test file, so a leftover never collides with another test).
 */
export async function deleteNatsPrefix(prefix: string, url = NATS_TEST_URL): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const upper = prefix.toUpperCase();
    const names: string[] = [];
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${upper}_`) || name.startsWith(`OBJ_${prefix}_`)) names.push(name);
    }
    for (const name of names) {
      try {
        await jsm.streams.delete(name);
      } catch {
        await jsm.streams.delete(name).catch((err: unknown) => {
          console.warn(`deleteNatsPrefix: stream ${name} left behind: ${String(err)}`);
        });
      }
    }
  } finally {
    await nc.close();
  }
}
