#!/usr/bin/env node
// `npm start`: checks PostgreSQL, Redis and NATS, builds (the web portal too), migrates, starts the
// registry, intake, scoring, notifications, awards and the gateway (which serves the portal at /),
// loads the sample 2565 cohort, opens the sample 2565 cycle, puts the sample scoring rules on it and
// answers it for the sample agencies once, then runs a sample award round on it; in development it
// also leaves a 2566 cycle open with a sample coordinator and head to sign in with
// (scripts/load-sample.mjs), and prints where everything is, the portal and those logins first.
//
// Notifications sends e-mail over SMTP and LINE messages over LINE's Messaging API. Unless
// SMTP_HOST is set, e-mail goes to a development stand-in (scripts/dev-smtp.mjs: SMTP on 1025, the
// caught messages at http://localhost:8025), and unless LINE_CHANNEL_ACCESS_TOKEN is set, LINE
// pushes go to another (scripts/dev-line.mjs on 8026, GET /api/pushes): nothing leaves the machine.
import { execSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPEN_CYCLE, SAMPLE_AGENCY_CODE, sampleLoginLines } from './sample/people.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, env = {}) =>
  execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const PORT = process.env.PORT ?? '3000';

// The gateway signs the actor of every RPC and the services verify it (ADR 0017). Unless the
// environment gives the pair, this run makes one: every service gets the public key, the gateway
// (and the sample loader, which answers as the agencies' coordinators) the private one.
if (!process.env.ACTOR_VERIFY_KEY || !process.env.ACTOR_SIGNING_KEY) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  process.env.ACTOR_VERIFY_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  process.env.ACTOR_SIGNING_KEY = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}
const SIGNING = { ACTOR_SIGNING_KEY: process.env.ACTOR_SIGNING_KEY };
delete process.env.ACTOR_SIGNING_KEY;
const services = [
  {
    name: 'registry',
    env: {
      DATABASE_URL: process.env.REGISTRY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/registry',
      HTTP_PORT: '3101',
    },
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
    // E-mail and LINE messages to agencies (BullMQ jobs on Redis under BULL_PREFIX); SMTP and LINE
    // settings from the environment, or the development stand-ins (devStandIns below).
    name: 'notifications',
    env: {
      DATABASE_URL:
        process.env.NOTIFICATIONS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/notifications',
      HTTP_PORT: '3104',
      PORTAL_URL: process.env.PORTAL_URL ?? `http://localhost:${PORT}`,
    },
    health: 'http://localhost:3104',
  },
  {
    // The Digital Government Awards: categories, candidates from the published results, committee
    // decisions, announcement, certificate PDFs (kept in its database; BullMQ jobs under BULL_PREFIX).
    name: 'awards',
    env: {
      DATABASE_URL: process.env.AWARDS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/awards',
      HTTP_PORT: '3105',
    },
    health: 'http://localhost:3105',
  },
  {
    name: 'gateway',
    env: {
      ...SIGNING,
      DATABASE_URL: process.env.GATEWAY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway',
      PORT,
    },
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

const answers = (port) =>
  new Promise((resolve) => {
    const s = tcp(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });

function startChild(name, args, env = {}) {
  const child = spawn('node', args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code) => {
    console.error(`${name} exited with code ${code}`);
    stopAll(code ?? 1);
  });
  children.push(child);
  return child;
}

async function waitForPort(port, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not open port ${port} in time`);
}

/**
 * Where notifications sends, when the environment does not say: development stand-ins that catch
 * everything (nothing is delivered). Returns the settings for notifications and lines to print.
 */
async function devStandIns() {
  const env = {};
  const notes = [];
  if (!process.env.SMTP_HOST) {
    Object.assign(env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: '1025', SMTP_SECURE: 'false' });
    if (await answers(1025)) {
      // Mailpit from `docker compose up mailpit`, or a stand-in left running: use it.
      console.log(
        'notifications: something already answers SMTP on 127.0.0.1:1025 (Mailpit?); e-mail goes there',
      );
    } else if (existsSync(join(root, 'scripts/dev-smtp.mjs'))) {
      startChild('dev-smtp', ['scripts/dev-smtp.mjs']);
      await waitForPort(8025, 'scripts/dev-smtp.mjs'); // its viewer opens after its SMTP port
    } else {
      console.warn(
        'notifications: WARNING SMTP_HOST is not set and scripts/dev-smtp.mjs is missing: e-mail to 127.0.0.1:1025 will fail and be retried',
      );
    }
    console.log(
      'notifications: development stand-in: e-mail is caught at http://localhost:8025, nothing is delivered (set SMTP_HOST to send)',
    );
    notes.push(
      'Mail       http://localhost:8025   (development stand-in: e-mail is caught here, nothing is delivered)',
    );
  }
  if (!process.env.LINE_CHANNEL_ACCESS_TOKEN) {
    Object.assign(env, {
      LINE_API_BASE_URL: 'http://127.0.0.1:8026',
      LINE_CHANNEL_ACCESS_TOKEN: 'dev-line-stand-in-not-a-token',
    });
    if (await answers(8026)) {
      console.log('notifications: something already answers on 127.0.0.1:8026; LINE pushes go there');
    } else if (existsSync(join(root, 'scripts/dev-line.mjs'))) {
      startChild('dev-line', ['scripts/dev-line.mjs']);
      await waitForPort(8026, 'scripts/dev-line.mjs');
    } else {
      console.warn(
        'notifications: WARNING LINE_CHANNEL_ACCESS_TOKEN is not set and scripts/dev-line.mjs is missing: LINE pushes will fail and be retried',
      );
    }
    console.log(
      'notifications: development stand-in: LINE pushes are caught at http://localhost:8026/api/pushes, nothing is delivered (set LINE_CHANNEL_ACCESS_TOKEN to send)',
    );
    notes.push(
      'LINE       http://localhost:8026/api/pushes   (development stand-in: pushes are caught here, nothing is delivered)',
    );
  }
  return { env, notes };
}

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
  run(
    'npx turbo run build --filter=@dg/registry --filter=@dg/intake --filter=@dg/scoring --filter=@dg/notifications --filter=@dg/awards --filter=@dg/gateway --filter=@dg/web --output-logs=errors-only',
  );
  for (const s of services) run(`node apps/${s.name}/dist/migrate.js`, s.env);
  const standIns = await devStandIns();
  Object.assign(services.find((s) => s.name === 'notifications').env, standIns.env);
  for (const s of services) {
    startChild(s.name, [`apps/${s.name}/dist/main.js`], {
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...s.env,
    });
  }
  for (const s of services) await ready(s.health);
  run(`node scripts/load-sample.mjs --gateway http://localhost:${PORT}`, SIGNING);
  const portal = existsSync(join(root, 'apps/web/dist/index.html'))
    ? `http://localhost:${PORT}/   (the web portal: open it in a browser)`
    : `http://localhost:${PORT}/   NOT SERVED: apps/web/dist was not built (npx turbo run build --filter=@dg/web)`;
  const logins =
    process.env.NODE_ENV === 'production'
      ? ''
      : `    Sign in    as ${SAMPLE_AGENCY_CODE}'s people to answer the open sample cycle ${OPEN_CYCLE} (they exist only in development, never with NODE_ENV=production):
${sampleLoginLines('               ').join('\n')}
`;
  console.log(`
  DG readiness platform is running (Ctrl+C stops it)
    Portal     ${portal}
${logins}    API        http://localhost:${PORT}/api/v1   (e.g. GET /api/v1/agencies)
    OpenAPI    http://localhost:${PORT}/docs     (JSON: /docs-json)
    Login      POST /api/v1/auth/login  ${process.env.ADMIN_EMAIL ?? 'admin@dga.or.th'} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : 'admin-2565 (development default)'}
    Health     http://localhost:${PORT}/health/ready  :3101 registry  :3102 intake  :3103 scoring  :3104 notifications  :3105 awards (same paths)
    Metrics    http://localhost:${PORT}/metrics       :3101 registry  :3102 intake  :3103 scoring  :3104 notifications  :3105 awards
    Queues     http://localhost:${PORT}/admin/queues  (BullMQ dashboard; log in as the admin above)
    Open cycle GET /api/v1/cycles/${OPEN_CYCLE}/progress   (the sample ${OPEN_CYCLE} cycle: same questionnaire and rules, open, nobody's answers; development only)
    Survey     GET /api/v1/cycles/2565/progress   (the sample 2565 cycle, answered with synthetic sample answers, then closed; SAMPLE_KEEP_OPEN=1 keeps it open, unpublished)
    Scores     GET /api/v1/cycles/2565/results    GET /api/v1/cycles/2565/scorecards/:agencyId   (published once every submitted response is verified or set aside)
    Awards     GET /api/v1/public/cycles/2565/awards   GET /api/v1/cycles/2565/awards   (the sample award round, announced)
${standIns.notes.map((n) => `    ${n}\n`).join('')}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  stopAll(1);
});
