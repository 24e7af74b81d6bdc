import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from './index';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);

describe('freePort', () => {
  it('hands out ports below the kernel’s ephemeral range, never the same one twice', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
  });

  it('never hands another process a port this one holds', async () => {
    const mine = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    // Another test process (a parallel e2e file) claims many ports while ours are held; it runs the
    // built copy of this module, as the services' test processes do.
    const script = `
      const { freePort } = require('@dg/platform/testing');
      Promise.all(Array.from({ length: 200 }, () => freePort())).then((p) => process.stdout.write(JSON.stringify(p)));
    `;
    const theirs: number[] = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: __dirname }),
    );
    expect(theirs).toHaveLength(200);
    expect(theirs.filter((p) => mine.includes(p))).toEqual([]);
  });
});
