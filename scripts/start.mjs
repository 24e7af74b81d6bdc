#!/usr/bin/env node
// `npm start`: checks PostgreSQL, Redis and NATS, builds, migrates, starts the registry, intake,
// scoring and the gateway, loads the sample 2565 cohort, opens the sample 2565 cycle, puts the sample
// scoring rules on it and answers it for the sample agencies once (scripts/load-sample.mjs), and
// prints where everything is.
import { execSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, env = {}) => execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const PORT = process.env.PORT ?? '3000';
const services = [
  {
    name: 'registry',
    env: { DATABASE_URL: process.env.REGISTRY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/registry', HTTP_PORT: '3101' },
    health: 'http://localhost:3101',
  },
  {
    name: 'intake',
    env: {
      DATABASE_URL: process.env.INTAKE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/intake',
      HTTP_PORT: '3102',
      EVIDENCE_DIR: process.env.EVIDENCE_DIR ?? join(root, '.data/evidence'),
    },
    health: 'http://localhost:3102',
  },
  {
    // Scores responses as intake's events arrive (BullMQ jobs on Redis under BULL_PREFIX).
    name: 'scoring',
    env: {
      DATABASE_URL: process.env.SCORING_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/scoring',
      HTTP_PORT: '3103',
    },
    health: 'http://localhost:3103',
  },
  {
    name: 'gateway',
    env: { DATABASE_URL: process.env.GATEWAY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway', PORT },
    health: `http://localhost:${PORT}`,
  },
];

const children = [];
function stopAll(code = 0) {
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function ready(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url}/health/ready did not answer in time`);
}

async function main() {
  run('node scripts/ensure-infra.mjs');
  run('npx turbo run build --filter=@dg/registry --filter=@dg/intake --filter=@dg/scoring --filter=@dg/gateway --output-logs=errors-only');
  for (const s of services) run(`node apps/${s.name}/dist/migrate.js`, s.env);
  for (const s of services) {
    const child = spawn('node', [`apps/${s.name}/dist/main.js`], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...s.env },
      stdio: 'inherit',
    });
    child.on('exit', (code) => {
      console.error(`${s.name} exited with code ${code}`);
      stopAll(code ?? 1);
    });
    children.push(child);
  }
  for (const s of services) await ready(s.health);
  run(`node scripts/load-sample.mjs --gateway http://localhost:${PORT}`);
  console.log(`
  DG readiness platform is running (Ctrl+C stops it)
    API        http://localhost:${PORT}/api/v1   (e.g. GET /api/v1/agencies)
    OpenAPI    http://localhost:${PORT}/docs     (JSON: /docs-json)
    Login      POST /api/v1/auth/login  ${process.env.ADMIN_EMAIL ?? 'admin@dga.or.th'} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : 'admin-2565 (development default)'}
    Health     http://localhost:${PORT}/health/ready  :3101 registry  :3102 intake  :3103 scoring (same paths)
    Metrics    http://localhost:${PORT}/metrics       :3101 registry  :3102 intake  :3103 scoring
    Survey     GET /api/v1/cycles/2565/progress   (the sample 2565 cycle, open, answered with synthetic sample answers)
    Scores     GET /api/v1/cycles/2565/results    GET /api/v1/cycles/2565/scorecards/:agencyId   (computed in the background)
`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  stopAll(1);
});
