import { execFileSync } from 'node:child_process';

/**
 * The nats-server binary the deploy tests run (NATS_SERVER_BIN, on PATH, or Debian's), or null
 * when there is none: the tests that need it are skipped with a warning.
 */
export function findNatsServer(): string | null {
  for (const bin of [process.env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server']) {
    if (!bin) continue;
    try {
      execFileSync(bin, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return bin;
    } catch {
      // not there
    }
  }
  return null;
}
