#!/usr/bin/env node
// Makes sure PostgreSQL, Redis and NATS (with JetStream) answer on localhost before the platform
// or its tests start. Where one does not answer and Docker is available, starts it with
// docker compose; otherwise stops with a message that says what is missing and how to start it.
import { execSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect as tcp } from 'node:net';

const require = createRequire(import.meta.url);
const services = [
  { name: 'postgres', port: 5432, hint: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose -f deploy/compose.infra.yml up -d postgres)" },
  { name: 'redis', port: 6379, hint: "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no --maxmemory-policy noeviction   (or: docker compose -f deploy/compose.infra.yml up -d redis)" },
  { name: 'nats', port: 4222, hint: 'nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server &   (or: docker compose -f deploy/compose.infra.yml up -d nats)' },
];

const answers = (port) =>
  new Promise((resolve) => {
    const s = tcp(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });

async function jetStreamEnabled() {
  const { connect } = require('@nats-io/transport-node');
  const { jetstreamManager } = require('@nats-io/jetstream');
  const nc = await connect({ servers: 'nats://127.0.0.1:4222', timeout: 2000 });
  try {
    await (await jetstreamManager(nc)).getAccountInfo();
    return true;
  } catch {
    return false;
  } finally {
    await nc.close();
  }
}

const dockerAvailable = () => spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;

async function main() {
  let down = [];
  for (const s of services) if (!(await answers(s.port))) down.push(s);
  if (down.length && dockerAvailable()) {
    console.log(`starting with docker compose: ${down.map((s) => s.name).join(', ')}`);
    execSync(`docker compose -f deploy/compose.infra.yml up -d ${down.map((s) => s.name).join(' ')}`, { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
    const deadline = Date.now() + 60_000;
    while (down.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const still = [];
      for (const s of down) if (!(await answers(s.port))) still.push(s);
      down = still;
    }
  }
  if (down.length) {
    console.error('These services do not answer on localhost and Docker is not available to start them:');
    for (const s of down) console.error(`  - ${s.name} (port ${s.port}): start it with\n      ${s.hint}`);
    process.exit(1);
  }
  if (!(await jetStreamEnabled())) {
    console.error('NATS answers on 4222 but JetStream is off: restart nats-server with -js (see docker-compose.yml).');
    process.exit(1);
  }
  console.log('infrastructure ok: PostgreSQL :5432, Redis :6379, NATS with JetStream :4222');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
