// Intake: (1) autosave through the gateway under 200 concurrent coordinators, against a bare
// Fastify server doing the same versioned UPDATE on the same table with the same pool size, driven
// by the same load generator in the same run; (2) the export of 10,000 responses x ~100 answers by
// the intake service (a child process: its own peak RSS), against COPY of the same answers.
// The registry, intake and gateway run as real processes from their dist/ (like e2e/test/platform.ts)
// on fresh databases and a unique NATS prefix; everything is removed at the end, even on failure.
//
// Knobs: BENCH_CLIENTS (200), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_EXPORT_RESPONSES (10000).
//
// This file is also the baseline server: `INTAKE_BENCH_ROLE=baseline node bench/intake.bench.mjs`.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';

const require = createRequire(import.meta.url);
const HERE = fileURLToPath(import.meta.url);
// The gateway's actor keys of this run (ADR 0017): services verify, the gateway and the export probe sign.
const ACTOR_KEYS = require('@dg/platform').generateActorKeys();
const ROOT = join(dirname(HERE), '..');

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const EXPORT_RESPONSES = Number(process.env.BENCH_EXPORT_RESPONSES ?? 10_000);
/** The intake and the gateway use TypeORM's pg pool with this size (platform default); the baseline too. */
const POOL_SIZE = 10;
const CYCLE = '2565';
const EXPORT_CYCLE = '2566';
const ADMIN = { email: 'admin@dga.or.th', password: 'admin-2565' };

// ---- the baseline server (child process) ------------------------------------------------------

if (process.env.INTAKE_BENCH_ROLE === 'baseline') {
  const Fastify = require('fastify');
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: POOL_SIZE });
  const app = Fastify({ logger: false });
  app.patch('/api/v1/cycles/:cycleId/responses/:agencyId/answers', async (req, reply) => {
    const { cycleId, agencyId } = req.params;
    const { version, answers } = req.body;
    const r = await pool.query(
      'UPDATE responses SET answers = answers || $1::jsonb, version = version + 1, updated_at = now() ' +
        'WHERE cycle_id = $2 AND agency_id = $3 AND version = $4 RETURNING version',
      [JSON.stringify(answers), cycleId, agencyId, version],
    );
    if (r.rowCount === 1) {
      return reply.header('etag', `"${r.rows[0].version}"`).send({ version: r.rows[0].version });
    }
    const cur = await pool.query('SELECT version FROM responses WHERE cycle_id = $1 AND agency_id = $2', [
      cycleId,
      agencyId,
    ]);
    if (!cur.rowCount) return reply.status(404).send({ code: 'RESPONSE_NOT_FOUND' });
    return reply.status(409).send({ code: 'RESPONSE_VERSION_CONFLICT', currentVersion: cur.rows[0].version });
  });
  const close = async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  console.log('baseline ready');
}

// ---- small helpers ------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n, d = 0) =>
  Number(n).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const round = (n, d = 2) => Number(Number(n).toFixed(d));

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

async function api(base, method, path, { token, body } = {}) {
  const isForm = body instanceof FormData;
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
    },
    body: isForm ? body : body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, headers: res.headers, data };
}

/** Calls the API and insists on one of the expected statuses; retries 404 (a route being added right now). */
async function must(base, method, path, opts, expected = [200, 201]) {
  for (let attempt = 0; ; attempt++) {
    const r = await api(base, method, path, opts);
    if (expected.includes(r.status)) return r;
    if (r.status === 404 && r.data?.code === 'NOT_FOUND' && attempt < 3) {
      console.log(`  (${method} ${path} answered 404 NOT_FOUND: route missing? retrying in 5 s)`);
      await sleep(5000);
      continue;
    }
    throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.data).slice(0, 1500)}`);
  }
}

// ---- processes ----------------------------------------------------------------------------------

class Procs {
  list = [];

  spawn(name, args, env) {
    const proc = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry = { name, proc, tail: [] };
    for (const s of [proc.stdout, proc.stderr]) {
      s.on('data', (chunk) => {
        entry.tail.push(...chunk.toString().split('\n').filter(Boolean));
        if (entry.tail.length > 40) entry.tail.splice(0, entry.tail.length - 40);
      });
    }
    this.list.push(entry);
    return entry;
  }

  async stop(entry) {
    const p = entry.proc;
    if (p.exitCode !== null || p.signalCode !== null) return;
    await new Promise((resolve) => {
      const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
      p.once('exit', () => (clearTimeout(t), resolve()));
      p.kill('SIGTERM');
    });
  }

  async stopAll() {
    await Promise.all(this.list.map((e) => this.stop(e)));
  }

  tails() {
    return this.list
      .map(
        (e) =>
          `--- ${e.name} (exit ${e.proc.exitCode ?? e.proc.signalCode ?? 'running'}):\n${e.tail.join('\n')}`,
      )
      .join('\n');
  }
}

const statOf = (pid) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(') ') + 2).split(' ');
  return {
    comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(') ')),
    seconds: (Number(fields[11]) + Number(fields[12])) / 100,
  };
};

/**
 * utime + stime in seconds (USER_HZ is 100 on Linux) of each watched process, of this one (the
 * load generator), and of every `postgres` and `nats-server` process on the machine.
 */
function cpuSeconds(pids) {
  const out = {};
  for (const [name, pid] of Object.entries({ ...pids, loadgen: process.pid })) {
    try {
      out[name] = statOf(pid).seconds;
    } catch {
      out[name] = NaN;
    }
  }
  // The whole machine: every core's busy time (user, nice, system, irq, softirq, steal).
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  out.machine = (user + nice + system + irq + softirq + steal) / 100;
  out.postgres = 0;
  out['nats-server'] = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const { comm, seconds } = statOf(pid);
      if (comm === 'postgres' || comm === 'nats-server') out[comm] += seconds;
    } catch {
      /* gone */
    }
  }
  return out;
}

// ---- the load generator -------------------------------------------------------------------------

/**
 * `clients` coordinators, each on its own keep-alive connection, PATCHing its own response for
 * warm-up + duration. Each keeps the version from the previous answer (ETag) and on 409 takes
 * `currentVersion` from the problem body. Requests completing inside the window (after the
 * warm-up) are counted; CPU seconds of the `watch` processes are read over the same window.
 */
async function load({ baseUrl, cycleId, questionId, clients, watch = {} }) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: clients.length,
    maxFreeSockets: clients.length,
  });
  const t0 = performance.now();
  const measureFrom = t0 + WARMUP_SECONDS * 1000;
  const measureTo = measureFrom + SECONDS * 1000;
  const latencies = [];
  const statuses = {};
  let ok = 0;
  let conflicts = 0;
  let errors = 0;
  let firstError;

  const send = (path, token, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'PATCH',
          path,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          if (res.statusCode === 200) {
            res.resume();
            res.on('end', () => resolve({ status: 200, etag: res.headers.etag }));
          } else {
            const parts = [];
            res.on('data', (c) => parts.push(c));
            res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString() }));
          }
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(body);
    });

  async function client(c, i) {
    let version = c.version;
    let n = 0;
    const path = `/api/v1/cycles/${cycleId}/responses/${c.agencyId}/answers`;
    while (performance.now() < measureTo) {
      const value = `เลขที่ ${i + 1} ถนนราชดำเนิน แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร 10200 (ฉบับที่ ${++n})`;
      const body = JSON.stringify({ version, answers: { [questionId]: value } });
      const start = performance.now();
      let r;
      try {
        r = await send(path, c.token, body);
      } catch (e) {
        errors++;
        firstError ??= e.message;
        await sleep(50);
        continue;
      }
      const end = performance.now();
      // Counted: every request that completes inside the window (as a load tester counts), so long
      // latencies do not shrink the throughput figure; warm-up completions are left out.
      const counted = end >= measureFrom && end <= measureTo;
      statuses[r.status] = (statuses[r.status] ?? 0) + (counted ? 1 : 0);
      if (r.status === 200) {
        version = Number(/(\d+)/.exec(r.etag ?? '')?.[1]);
        if (counted) {
          ok++;
          latencies.push(end - start);
        }
      } else if (r.status === 409) {
        const problem = JSON.parse(r.text);
        version = problem.currentVersion;
        if (counted) conflicts++;
      } else {
        if (counted) errors++;
        firstError ??= `${r.status} ${r.text.slice(0, 500)}`;
        if (r.status === 404) await sleep(200);
      }
    }
  }

  const cpu = {};
  const cpuWindow = (async () => {
    await sleep(Math.max(0, measureFrom - performance.now()));
    const from = cpuSeconds(watch);
    await sleep(Math.max(0, measureTo - performance.now()));
    const to = cpuSeconds(watch);
    for (const name of Object.keys(to)) cpu[name] = round((to[name] - from[name]) / SECONDS, 2);
  })();
  await Promise.all(clients.map((c, i) => client(c, i)));
  await cpuWindow;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: round(ok / SECONDS, 1),
    ok,
    conflicts,
    errors,
    statuses,
    firstError,
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    maxMs: round(latencies.at(-1) ?? NaN, 1),
    /** CPU cores used on average during the window, by process. */
    cpuCores: cpu,
  };
}

// ---- the platform -------------------------------------------------------------------------------

async function standUp(procs, cleanup) {
  const {
    createTestDatabase,
    freePort,
    testPrefix,
    waitFor,
    NATS_TEST_URL,
    deleteNatsPrefix,
  } = require('@dg/platform/testing');
  const prefix = testPrefix('bench');
  cleanup.push(() => deleteNatsPrefix(prefix));
  const [registryDb, intakeDb, gatewayDb] = await Promise.all([
    createTestDatabase('benchreg'),
    createTestDatabase('benchint'),
    createTestDatabase('benchgw'),
  ]);
  cleanup.push(() => Promise.all([registryDb.drop(), intakeDb.drop(), gatewayDb.drop()]));
  const evidenceDir = mkdtempSync(join(tmpdir(), 'bench-evidence-'));
  cleanup.push(() => rmSync(evidenceDir, { recursive: true, force: true }));
  const [registryPort, intakePort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const common = {
    NATS_URL: NATS_TEST_URL,
    NATS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ACTOR_VERIFY_KEY: ACTOR_KEYS.verifyKey,
  };
  const env = {
    registry: { ...common, DATABASE_URL: registryDb.url, HTTP_PORT: String(registryPort) },
    intake: {
      ...common,
      DATABASE_URL: intakeDb.url,
      HTTP_PORT: String(intakePort),
      EVIDENCE_DIR: evidenceDir,
    },
    gateway: {
      ...common,
      DATABASE_URL: gatewayDb.url,
      PORT: String(gatewayPort),
      BCRYPT_COST: '4',
      LOGIN_RATE_LIMIT: '10000',
      // This run's login counters only (the Redis is shared); one access token for the whole run.
      LOGIN_THROTTLE_PREFIX: `bench:${prefix}:login`,
      JWT_TTL: '4h',
      ACTOR_SIGNING_KEY: ACTOR_KEYS.signingKey,
    },
  };
  for (const app of ['registry', 'intake', 'gateway']) {
    execFileSync(process.execPath, [join(ROOT, `apps/${app}/dist/migrate.js`)], {
      env: { ...process.env, ...env[app] },
      stdio: 'pipe',
    });
  }
  const urls = {
    registry: `http://127.0.0.1:${registryPort}`,
    intake: `http://127.0.0.1:${intakePort}`,
    gateway: `http://127.0.0.1:${gatewayPort}`,
  };
  const entries = {};
  for (const app of ['registry', 'intake', 'gateway'])
    entries[app] = procs.spawn(app, [join(ROOT, `apps/${app}/dist/main.js`)], env[app]);
  for (const app of ['registry', 'intake', 'gateway']) {
    await waitFor(async () => (await fetch(`${urls[app]}/health/ready`)).ok, 60_000, 200);
  }
  return { prefix, intakeDb, urls, entries, natsUrl: NATS_TEST_URL };
}

/** Admin sets up 200 departments, the cohort, the 2565 cycle with the sample questionnaire, open; 200 coordinators. */
async function setUpCycle(gw) {
  const admin = (await must(gw, 'POST', '/auth/login', { body: ADMIN }, [200])).data.accessToken;
  const codes = Array.from({ length: CLIENTS }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);
  const csv =
    ['code,name_th,kind', ...codes.map((c, i) => `${c},กรมทดสอบ ${i + 1},department`)].join('\n') + '\n';
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'agencies.csv');
  const imported = await must(gw, 'POST', '/agencies/import', { token: admin, body: form });
  if (imported.data.created !== CLIENTS)
    throw new Error(`import created ${imported.data.created}, expected ${CLIENTS}`);
  const listed = await must(gw, 'GET', `/agencies?pageSize=500`, { token: admin }, [200]);
  const idOf = new Map(listed.data.items.map((a) => [a.code, a.id]));
  await must(
    gw,
    'PUT',
    `/cycles/${CYCLE}/cohort`,
    { token: admin, body: { members: codes.map((agencyCode) => ({ agencyCode })) } },
    [200],
  );
  const cycle = await must(gw, 'POST', '/cycles', {
    token: admin,
    body: {
      yearBE: 2565,
      title: { th: 'รอบทดสอบประสิทธิภาพ 2565', en: 'Benchmark cycle 2565' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  const definition = JSON.parse(
    readFileSync(join(ROOT, 'packages/survey-model/samples/questionnaire-2565.json'), 'utf8'),
  );
  const q = await must(gw, 'POST', '/questionnaires', { token: admin, body: definition });
  await must(
    gw,
    'PUT',
    `/cycles/${CYCLE}/questionnaire`,
    { token: admin, body: { questionnaireId: q.data.id, version: cycle.data.version } },
    [200],
  );
  const opened = await must(gw, 'POST', `/cycles/${CYCLE}/open`, { token: admin }, [200]);
  if (opened.data.agencyCount !== CLIENTS)
    throw new Error(`cycle opened for ${opened.data.agencyCount} agencies, expected ${CLIENTS}`);

  const password = 'bench-password-2565';
  const clients = await pool(codes, 16, async (code, i) => {
    const email = `coordinator-${i + 1}@bench.go.th`;
    const agencyId = idOf.get(code);
    if (!agencyId) throw new Error(`agency ${code} not listed`);
    await must(gw, 'POST', '/users', {
      token: admin,
      body: { email, displayName: `ผู้ประสานงาน ${i + 1}`, password, roles: ['coordinator'], agencyId },
    });
    const token = (await must(gw, 'POST', '/auth/login', { body: { email, password } }, [200])).data
      .accessToken;
    const current = await must(gw, 'GET', `/cycles/${CYCLE}/responses/${agencyId}`, { token }, [200]);
    return { code, agencyId, token, version: current.data.version };
  });
  return { admin, clients, definition, questionnaireId: q.data.id };
}

/** Every question of the definition (general and pillars), top level. */
function questionsOf(definition) {
  return [
    ...definition.general.questions,
    ...definition.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions)),
  ];
}

/** How many connections to the intake database sit idle inside a transaction (a stalled pool). */
async function idleInTransaction(url) {
  const { Client } = require('pg');
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const r = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
    );
    return r.rows[0].n;
  } finally {
    await db.end();
  }
}

// ---- the baseline autosave ----------------------------------------------------------------------

async function baselineAutosave(procs, intakeDbUrl, questionId) {
  const { freePort, waitFor } = require('@dg/platform/testing');
  const { Client } = require('pg');
  const port = await freePort();
  const server = procs.spawn('baseline-fastify', [HERE], {
    INTAKE_BENCH_ROLE: 'baseline',
    DATABASE_URL: intakeDbUrl,
    PORT: String(port),
  });
  try {
    await waitFor(() => server.tail.includes('baseline ready'), 30_000, 50);
    const db = new Client({ connectionString: intakeDbUrl });
    await db.connect();
    const rows = (
      await db.query('SELECT agency_id, version FROM responses WHERE cycle_id = $1 ORDER BY agency_code', [
        CYCLE,
      ])
    ).rows;
    await db.end();
    const clients = rows.map((r) => ({ agencyId: r.agency_id, version: r.version, token: null }));
    return await load({
      baseUrl: `http://127.0.0.1:${port}`,
      cycleId: CYCLE,
      questionId,
      clients,
      watch: { fastify: server.proc.pid },
    });
  } finally {
    await procs.stop(server);
  }
}

// ---- the export ---------------------------------------------------------------------------------

/** A realistic value for a question of the sample questionnaire. */
function valueFor(q, r, k) {
  const pick = (xs, j = 0) => xs[(r * 7 + k * 13 + j) % xs.length];
  switch (q.type) {
    case 'text':
      return `คำตอบของหน่วยงานที่ ${r + 1} ข้อ ${q.id}: ดำเนินการตามแผนพัฒนารัฐบาลดิจิทัล ระยะที่ ${(r % 5) + 1} (answer ${k})`;
    case 'number':
      return (r * 31 + k * 17) % 5000;
    case 'percentage':
      return ((r * 37 + k * 11) % 1001) / 10;
    case 'yes_no':
      return (r + k) % 3 !== 0;
    case 'single_choice':
      return pick(q.options).value;
    case 'multiple_choice': {
      const n = 1 + ((r + k) % Math.min(3, q.options.length));
      return [...new Set(Array.from({ length: n }, (_, j) => pick(q.options, j * 5).value))];
    }
    case 'url':
      return `https://www.agency${r + 1}.go.th/${q.id.replace(/_/g, '-')}`;
    case 'evidence':
      return [randomUUID()];
    case 'repeating_group':
      return Array.from({ length: 1 + (r % 3) }, (_, j) =>
        Object.fromEntries(q.fields.map((f, fk) => [f.id, valueFor(f, r + j, k + fk)])),
      );
    default:
      return `value ${r}-${k}`;
  }
}

const copyText = (s) =>
  s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** 10,000 responses of a closed cycle, every question answered, written with COPY. */
async function seedExport(intakeDbUrl, questionnaireId, questions) {
  const { Client } = require('pg');
  const { from: copyFrom } = require('pg-copy-streams');
  const db = new Client({ connectionString: intakeDbUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO cycles (id, year_be, title_th, title_en, status, opens_at, closes_at, questionnaire_id, agency_count)
       VALUES ($1, 2566, 'รอบทดสอบการส่งออก 2566', 'Export benchmark cycle 2566', 'closed', '2023-05-01', '2023-08-31', $2, $3)`,
      [EXPORT_CYCLE, questionnaireId, EXPORT_RESPONSES],
    );
    const groups = ['department', 'provincial', 'local'];
    const statuses = ['in_progress', 'awaiting_approval', 'submitted', 'verified'];
    let answerCount = 0;
    function* lines() {
      for (let r = 0; r < EXPORT_RESPONSES; r++) {
        const answers = {};
        questions.forEach((q, k) => (answers[q.id] = valueFor(q, r, k)));
        answerCount += questions.length;
        const status = statuses[r % statuses.length];
        yield (
          [
            randomUUID(),
            EXPORT_CYCLE,
            randomUUID(),
            `EXP-${String(r + 1).padStart(5, '0')}`,
            `หน่วยงานทดสอบการส่งออกที่ ${r + 1}`,
            groups[r % 3],
            questionnaireId,
            status,
            copyText(JSON.stringify(answers)),
            String((Math.floor(r / 7) % 20) + 1),
            status === 'in_progress' ? '0' : '1',
          ].join('\t') + '\n'
        );
      }
    }
    await pipeline(
      Readable.from(lines()),
      db.query(
        copyFrom(
          'COPY responses (id, cycle_id, agency_id, agency_code, agency_name, agency_group, questionnaire_id, status, answers, version, submission_count) FROM STDIN',
        ),
      ),
    );
    await db.query('ANALYZE responses');
    return answerCount;
  } finally {
    await db.end();
  }
}

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** Rpc.ResponseExport over NATS to the intake process, sampling its RSS every 50 ms. */
async function timeExport(natsUrl, prefix, intakePid) {
  const { connect, headers: natsHeaders } = require('@nats-io/transport-node');
  const { Objm } = require('@nats-io/obj');
  const { Rpc, Headers, FILES_BUCKET } = require('@dg/contracts');
  const nc = await connect({ servers: natsUrl, name: 'intake-bench' });
  try {
    const { ActorSigner } = require('@dg/platform');
    const h = natsHeaders();
    const actor = { id: 'bench-admin', roles: ['dga_admin'] };
    const correlationId = `bench-${randomUUID()}`;
    h.set(Headers.CorrelationId, correlationId);
    h.set(Headers.Actor, JSON.stringify(actor));
    h.set(
      Headers.ActorAssertion,
      new ActorSigner(ACTOR_KEYS.signingKey).sign(
        Rpc.ResponseExport,
        { cycleId: EXPORT_CYCLE, format: 'csv' },
        actor,
        correlationId,
      ),
    );
    await sleep(500);
    const before = procStatus(intakePid);
    let hwmReset = false;
    try {
      writeFileSync(`/proc/${intakePid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      hwmReset = procStatus(intakePid).hwmKb <= before.rssKb + 1024;
    } catch {
      hwmReset = false;
    }
    let peakKb = before.rssKb;
    const sampler = setInterval(() => {
      try {
        peakKb = Math.max(peakKb, procStatus(intakePid).rssKb);
      } catch {
        /* the process went away: the request below fails */
      }
    }, 50);
    const t0 = performance.now();
    let raw;
    try {
      raw = await nc.request(
        `${prefix}.${Rpc.ResponseExport}`,
        // Nest's NATS packet (ADR 0014): {pattern, data, id} out, {id, response | err} back.
        JSON.stringify({
          pattern: `${prefix}.${Rpc.ResponseExport}`,
          data: { cycleId: EXPORT_CYCLE, format: 'csv' },
          id: randomUUID(),
        }),
        {
          timeout: 120_000,
          headers: h,
        },
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = procStatus(intakePid);
    if (hwmReset) peakKb = Math.max(peakKb, after.hwmKb);
    const reply = raw.json();
    if (reply.err) throw new Error(`export failed: ${JSON.stringify(reply.err)}`);
    const file = reply.response;

    // Count the rows of the stored file (not timed).
    const bucket = `${prefix}_${FILES_BUCKET}`.toLowerCase();
    const os = await new Objm(nc).open(bucket);
    const got = await os.get(file.objectName);
    let newlines = 0;
    let bytes = 0;
    for await (const chunk of got.data) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    }
    await os.delete(file.objectName).catch(() => undefined);
    return {
      seconds,
      bytes: file.size,
      bytesRead: bytes,
      rows: newlines - 1, // less the header; no value contains a line break
      rssBeforeMb: before.rssKb / 1024,
      peakRssMb: peakKb / 1024,
      peakDeltaMb: (peakKb - before.rssKb) / 1024,
      peakFrom: hwmReset
        ? 'VmHWM (reset before the export) and VmRSS sampled every 50 ms'
        : 'VmRSS sampled every 50 ms',
    };
  } finally {
    await nc.close();
  }
}

/** Baseline: COPY of the same answers (agency, question, value) to a byte counter. */
async function timeCopy(intakeDbUrl) {
  const { Client } = require('pg');
  const { to: copyTo } = require('pg-copy-streams');
  const db = new Client({ connectionString: intakeDbUrl });
  await db.connect();
  try {
    let bytes = 0;
    let rows = 0;
    const counter = new Writable({
      write(chunk, _enc, done) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        done();
      },
    });
    const t0 = performance.now();
    // COPY takes no bind parameters: the cycle id is a constant of this file.
    await pipeline(
      db.query(
        copyTo(
          `COPY (SELECT r.agency_code, e.key, e.value FROM responses r, jsonb_each(r.answers) e WHERE r.cycle_id = '${EXPORT_CYCLE}') TO STDOUT`,
        ),
      ),
      counter,
    );
    return { seconds: (performance.now() - t0) / 1000, bytes, rows };
  } finally {
    await db.end();
  }
}

/** CPU cores by process; `other` is what the rest of the machine used (kernel, other people's work). */
function cpuLine(cores) {
  const named = Object.entries(cores).filter(([name]) => name !== 'machine');
  const other = cores.machine - named.reduce((sum, [, c]) => sum + (Number.isFinite(c) ? c : 0), 0);
  return `${named.map(([name, c]) => `${name} ${c}`).join(', ')}, other ${round(other)}; machine ${cores.machine} of ${availableParallelism()}`;
}

// ---- run ----------------------------------------------------------------------------------------

export async function run() {
  require('reflect-metadata');
  const procs = new Procs();
  const cleanup = [];
  const started = performance.now();
  const result = {
    clients: CLIENTS,
    warmupSeconds: WARMUP_SECONDS,
    durationSeconds: SECONDS,
    poolSize: POOL_SIZE,
  };
  try {
    const platform = await standUp(procs, cleanup);
    const setup = await setUpCycle(platform.urls.gateway);
    const questions = questionsOf(setup.definition);
    const textQuestion = questions.find((q) => q.type === 'text' && !q.visibleIf);
    if (!textQuestion) throw new Error('no text question without visibleIf in the sample questionnaire');
    result.questionId = textQuestion.id;
    console.log(
      `  platform up, ${setup.clients.length} coordinators logged in (${((performance.now() - started) / 1000).toFixed(1)} s); autosaving "${textQuestion.id}"`,
    );

    // 1. Autosave through the gateway. One save first, alone, as a warm-up. (It once also hid a
    // pool starvation on a cold questionnaire cache, fixed in intake since and covered by its
    // test "serves many first saves at once after a restart"; the stall check below stays.)
    const first = setup.clients[0];
    const warm = await must(
      platform.urls.gateway,
      'PATCH',
      `/cycles/${CYCLE}/responses/${first.agencyId}/answers`,
      {
        token: first.token,
        body: { version: first.version, answers: { [textQuestion.id]: 'warm-up' } },
      },
      [200],
    );
    first.version = warm.data.version;
    const watch = Object.fromEntries(Object.entries(platform.entries).map(([name, e]) => [name, e.proc.pid]));
    const gateway = await load({
      baseUrl: platform.urls.gateway,
      cycleId: CYCLE,
      questionId: textQuestion.id,
      clients: setup.clients,
      watch,
    });
    result.gateway = gateway;
    console.log(
      `  autosave via gateway (${CLIENTS} clients): ${fmt(gateway.requestsPerSecond)} req/s, p50 ${fmt(gateway.p50Ms)} ms, p99 ${fmt(gateway.p99Ms)} ms` +
        ` (${fmt(gateway.ok)} ok, ${gateway.conflicts} conflicts, ${gateway.errors} errors in ${SECONDS} s)`,
    );
    console.log(`    CPU cores used: ${cpuLine(gateway.cpuCores)}`);
    if (gateway.firstError) console.log(`    first error: ${gateway.firstError}`);
    if (gateway.ok === 0) {
      const stuck = await idleInTransaction(platform.intakeDb.url);
      throw new Error(
        `no autosave succeeded through the gateway; intake connections idle in transaction: ${stuck}`,
      );
    }

    // 2. Baseline: bare Fastify + the same UPDATE on the same table.
    const baseline = await baselineAutosave(procs, platform.intakeDb.url, textQuestion.id);
    result.baseline = baseline;
    console.log(
      `  baseline bare Fastify + same UPDATE:   ${fmt(baseline.requestsPerSecond)} req/s, p50 ${fmt(baseline.p50Ms)} ms, p99 ${fmt(baseline.p99Ms)} ms` +
        ` (${fmt(baseline.ok)} ok, ${baseline.conflicts} conflicts, ${baseline.errors} errors)`,
    );
    console.log(`    CPU cores used: ${cpuLine(baseline.cpuCores)}`);
    if (baseline.firstError) console.log(`    first error: ${baseline.firstError}`);
    result.autosaveRatio = {
      throughput: round(gateway.requestsPerSecond / baseline.requestsPerSecond, 3),
      p50: round(gateway.p50Ms / baseline.p50Ms, 2),
      p99: round(gateway.p99Ms / baseline.p99Ms, 2),
    };
    console.log(
      `  ratio: ${result.autosaveRatio.throughput}x the baseline throughput, p50 ${result.autosaveRatio.p50}x, p99 ${result.autosaveRatio.p99}x`,
    );

    // 3. Export of 10,000 responses.
    const seedT0 = performance.now();
    const answers = await seedExport(platform.intakeDb.url, setup.questionnaireId, questions);
    console.log(
      `  seeded ${fmt(EXPORT_RESPONSES)} responses x ${questions.length} answers (${fmt(answers)}) in ${((performance.now() - seedT0) / 1000).toFixed(1)} s`,
    );
    const copy = await timeCopy(platform.intakeDb.url);
    const exp = await timeExport(platform.natsUrl, platform.prefix, platform.entries.intake.proc.pid);
    result.export = {
      responses: EXPORT_RESPONSES,
      answersPerResponse: questions.length,
      answersSeeded: answers,
      rows: exp.rows,
      bytes: exp.bytes,
      seconds: round(exp.seconds, 2),
      rowsPerSecond: Math.round(exp.rows / exp.seconds),
      intakeRssBeforeMb: round(exp.rssBeforeMb, 1),
      intakePeakRssMb: round(exp.peakRssMb, 1),
      peakRssDeltaMb: round(exp.peakDeltaMb, 1),
      peakMeasuredBy: exp.peakFrom,
    };
    result.copyBaseline = { seconds: round(copy.seconds, 2), bytes: copy.bytes, rows: copy.rows };
    result.exportVsCopy = round(exp.seconds / copy.seconds, 2);
    if (exp.rows !== answers)
      console.log(`  WARNING: the export has ${fmt(exp.rows)} rows, ${fmt(answers)} answers were seeded`);
    console.log(
      `  export ${fmt(EXPORT_RESPONSES)} responses x ~${questions.length} answers: ${fmt(exp.rows)} rows, ${fmt(exp.bytes / 1e6, 1)} MB, ` +
        `${exp.seconds.toFixed(1)} s, peak +${fmt(exp.peakDeltaMb)} MB RSS (intake process; ${fmt(exp.rssBeforeMb)} -> ${fmt(exp.peakRssMb)} MB)`,
    );
    console.log(
      `  baseline COPY of the same answers: ${copy.seconds.toFixed(1)} s, ${fmt(copy.rows)} rows, ${fmt(copy.bytes / 1e6, 1)} MB (export takes ${result.exportVsCopy}x)`,
    );
    result.totalSeconds = round((performance.now() - started) / 1000, 1);
    console.log(`  (whole benchmark ${result.totalSeconds} s)`);
    return result;
  } catch (e) {
    console.error(`  intake bench failed: ${e instanceof Error ? e.message : e}`);
    console.error(procs.tails());
    throw e;
  } finally {
    await procs.stopAll();
    for (const fn of cleanup.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`  cleanup: ${e instanceof Error ? e.message : e}`);
      }
    }
  }
}
