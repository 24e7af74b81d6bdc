import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@dg/platform/testing';

function which(names: string[]): string {
  for (const name of names) {
    if (name.startsWith('/') && existsSync(name)) return name;
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      /* next */
    }
  }
  throw new Error(`none of ${names.join(', ')} is installed`);
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real server of our own (nats-server, redis-server) on a free port with its data in a
 * temporary directory, so a fault test can stop and restart it without touching the machine's
 * shared servers that other test files use.
 */
abstract class OwnServer {
  private proc?: ChildProcess;
  readonly dir: string;
  port = 0;
  /** Times the server was stopped and started again. */
  restarts = 0;

  constructor(kind: string) {
    this.dir = mkdtempSync(join(tmpdir(), `fault-${kind}-`));
  }

  protected abstract command(): { bin: string; args: string[] };

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const { bin, args } = this.command();
    this.proc = spawn(bin, args, { stdio: 'ignore' });
    await waitFor(() => portAnswers(this.port), 20_000, 100);
  }

  /** Stops the server with `signal` (SIGTERM: the graceful stop an orchestrator sends) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  }

  /** Stop, stay down for `downMs`, start again on the same port and data. */
  async restart(downMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
    this.restarts++;
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** nats-server with JetStream on file storage (streams survive a restart, as in production). */
export class OwnNats extends OwnServer {
  constructor() {
    super('nats');
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  protected command() {
    const bin = which(['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']);
    return { bin, args: ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir] };
  }
}

/**
 * redis-server as production must run it for BullMQ: append-only file on (fsync on every write,
 * so even a kill loses nothing) and no eviction.
 */
export class OwnRedis extends OwnServer {
  constructor() {
    super('redis');
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected command() {
    const bin = which(['redis-server', '/usr/bin/redis-server']);
    return {
      bin,
      args: [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
        '--dir',
        this.dir,
      ],
    };
  }
}
