// Deadline reminders at census scale: a cycle of 10,000 agencies (one contact each), 2,000 of them
// with their own later deadline (an extension), through the notifications service in-process with
// ROLE=api (no send worker, no sweep worker: the sweep is called directly and nothing is sent; the
// send side is the notifications bench's). The registry and intake are answered over real NATS by
// stand-ins in this process; the own deadlines arrive as `intake.response.extended` events through
// the service's real JetStream consumer (inbox, projection), as intake's relay would publish them.
//  - baseline, same run: the sweep that makes the cycle's scheduled T-7 reminder for the 8,000
//    others (one campaign: its delivery rows and BullMQ jobs);
//  - measured: the sweep that makes the 2,000 agencies' own T-14 reminders (one campaign each);
//  - the steady state, every SWEEP_MS with 2,000 own deadlines pending: a sweep with nothing due yet,
//    a sweep after the due reminders went (each agency's runs looked up again), and the 15-minute
//    reconciliation with intake's response list.
// Reports agencies/s of both sweeps, their cost per agency as a ratio, and lost / duplicated /
// misdirected delivery rows (all must be 0); a second sweep at each step must make nothing.
//
// Knobs: BENCH_AGENCIES (10000), BENCH_EXTENDED (2000), BENCH_IDLE_ROUNDS (5).
import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { connect } = require('@nats-io/transport-node');
const { jetstream } = require('@nats-io/jetstream');
const { NestFactory } = require('@nestjs/core');
const { getQueueToken } = require('@nestjs/bullmq');
const { DataSource } = require('typeorm');
const { execFileSync } = require('node:child_process');
const { Events, Rpc, Streams } = require('@dg/contracts');
const { Nats, setUpStreams } = require('@dg/platform');
const {
  createTestDatabase,
  deleteNatsPrefix,
  testPrefix,
  waitFor,
  NATS_TEST_URL,
  TEST_ACTOR_ENV
} = require('@dg/platform/testing');
const { NotificationsModule } = require('../apps/notifications/dist/app.module');
const { notificationsConfig } = require('../apps/notifications/dist/config');
const { Sweeper, reminderLabel } = require('../apps/notifications/dist/campaigns/sweeper');
const { QUEUES } = require('../apps/notifications/dist/deliveries/jobs');

const N = Number(process.env.BENCH_AGENCIES ?? 10_000);
const E = Number(process.env.BENCH_EXTENDED ?? 2_000);
const IDLE_ROUNDS = Number(process.env.BENCH_IDLE_ROUNDS ?? 5);
const DAY = 86_400_000;
const CYCLE = '2565';
const CHANNELS = ['email', 'line'];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => performance.now() - t0;

/** The cohort: agency i < E has its own deadline; each has one contact with an e-mail and a LINE id. */
function cohort(ownDeadline) {
  return Array.from({ length: N }, (_, i) => {
    const id = randomUUID();
    return {
      id,
      responseId: randomUUID(),
      code: `B-${i}`,
      nameTh: `หน่วยงานทดสอบที่ ${i}`,
      deadline: i < E ? ownDeadline : null,
      contact: {
        id: randomUUID(),
        agencyId: id,
        fullName: `ผู้ประสานงาน ${i}`,
        position: null,
        email: `agency${i}@example.go.th`,
        phone: null,
        lineId: `U${randomBytes(16).toString('hex')}`,
        purpose: 'bench',
        legalBasis: 'public_task',
        erasedAt: null,
        createdAt: new Date().toISOString(),
      },
    };
  });
}

/**
 * The registry and intake as far as reminders ask them (cycle, cohort contacts, response list and
 * one response, one agency's contacts), answered from memory over NATS; counts the requests.
 */
function standIn(nc, prefix, agencies, cycle) {
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const calls = {};
  const summary = (a) => ({
    id: a.responseId,
    cycleId: CYCLE,
    agencyId: a.id,
    agencyCode: a.code,
    agencyName: a.nameTh,
    group: 'department',
    status: 'in_progress',
    version: a.deadline ? 2 : 1,
    submissionCount: 0,
    deadline: a.deadline ?? cycle.closesAt,
    updatedAt: cycle.updatedAt,
    submittedAt: null,
  });
  const page = ({ page, pageSize }, all) => ({
    items: all.slice((page - 1) * pageSize, page * pageSize),
    total: all.length,
    page,
    pageSize,
  });
  const handlers = {
    [Rpc.CycleGet]: () => cycle,
    [Rpc.CohortContacts]: (req) =>
      page(
        req,
        agencies.map((a) => ({
          agencyId: a.id,
          agencyCode: a.code,
          agencyName: a.nameTh,
          group: 'department',
          contact: a.contact,
        })),
      ),
    [Rpc.ResponseList]: (req) => page(req, agencies.map(summary)),
    [Rpc.ResponseGet]: (req) => {
      const a = byId.get(req.agencyId);
      if (!a) throw Object.assign(new Error('no such response'), { code: 'RESPONSE_NOT_FOUND' });
      return {
        ...summary(a),
        questionnaireId: '00000000-0000-4000-8000-0000000000aa',
        questionnaireVersion: 1,
        answers: {},
        verdicts: [],
        returnComment: null,
      };
    },
    [Rpc.ContactList]: (req) => ({ items: byId.has(req.agencyId) ? [byId.get(req.agencyId).contact] : [] }),
  };
  for (const [subject, handle] of Object.entries(handlers)) {
    calls[subject] = 0;
    nc.subscribe(`${prefix}.${subject}`, {
      callback: (_e, msg) => {
        calls[subject]++;
        // Nest's NATS packets (ADR 0014): the request is {pattern, data, id}, the reply {id, response | err}.
        const { id, data } = msg.json();
        try {
          msg.respond(JSON.stringify({ id, response: handle(data), isDisposed: true }));
        } catch (e) {
          msg.respond(
            JSON.stringify({ id, err: { code: e.code ?? 'INTERNAL', detail: e.message }, isDisposed: true }),
          );
        }
      },
    });
  }
  return calls;
}

/** Publishes an event as intake's outbox relay does (envelope, Nats-Msg-Id = event id). */
function publisher(nc, prefix) {
  const js = jetstream(nc);
  return (subject, payload, occurredAt = new Date()) => {
    const id = randomUUID();
    const envelope = {
      id,
      type: subject,
      schemaVersion: 1,
      occurredAt: occurredAt.toISOString(),
      correlationId: 'bench-reminders',
      actor: { id: 'operator-1', roles: ['operator'] },
      payload,
    };
    return js.publish(`${prefix}.${subject}`, JSON.stringify(envelope), { msgID: id });
  };
}

/**
 * Delivery rows of the deadline reminders against who should have them: exactly one row per
 * expected contact and channel, none to anyone else.
 */
function tally(rows, expectedContacts) {
  const seen = new Map();
  let unexpected = 0;
  for (const r of rows) {
    if (!expectedContacts.has(r.contact_id)) unexpected++;
    else seen.set(`${r.contact_id}/${r.channel}`, (seen.get(`${r.contact_id}/${r.channel}`) ?? 0) + 1);
  }
  const expected = expectedContacts.size * CHANNELS.length;
  const duplicated = [...seen.values()].reduce((n, c) => n + c - 1, 0);
  return { expected, rows: rows.length, lost: expected - seen.size, duplicated, unexpected };
}

async function platform() {
  const db = await createTestDatabase('benchrem');
  const prefix = testPrefix('benchrem');
  execFileSync('node', [require.resolve('../apps/notifications/dist/migrate.js')], {
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: 'ignore',
  });
  const start = Date.now();
  /** `days` from the start at 16:30 in Bangkok. */
  const at = (days) => {
    const d = new Date(start + days * DAY);
    d.setUTCHours(9, 30, 0, 0);
    return d;
  };
  const closesAt = at(10);
  const ownDeadline = at(20);
  const agencies = cohort(ownDeadline.toISOString());
  const now = new Date().toISOString();
  const cycle = {
    id: CYCLE,
    yearBE: 2565,
    title: { th: 'การสำรวจ 2565', en: 'Survey 2565' },
    status: 'open',
    opensAt: now,
    closesAt: closesAt.toISOString(),
    questionnaireId: null,
    questionnaireVersion: null,
    agencyCount: N,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const nc = await connect({ servers: NATS_TEST_URL });
  const calls = standIn(nc, prefix, agencies, cycle);
  // Intake's stream, as intake creates it at its start (its events are what the consumer reads).
  const admin = new Nats({ url: NATS_TEST_URL, prefix, service: 'bench' });
  await setUpStreams(admin, [Streams.INTAKE]);
  await admin.nc.close();
  const config = notificationsConfig({
    ROLE: 'api',
    DATABASE_URL: db.url,
    NATS_URL: NATS_TEST_URL,
    NATS_PREFIX: prefix, ...TEST_ACTOR_ENV,
    BULL_PREFIX: `bench:${prefix}`,
    LOG_LEVEL: 'error',
  });
  const app = await NestFactory.createApplicationContext(NotificationsModule.forRoot(config), {
    logger: ['error'],
  });
  const queues = Object.values(QUEUES).map((q) => app.get(getQueueToken(q)));
  try {
    const ds = app.get(DataSource);
    const sweeper = app.get(Sweeper);
    const count = async (sql, params = []) => (await ds.query(sql, params))[0].n;
    const jobs = async () => {
      let n = 0;
      for (const q of queues.slice(0, 2))
        n += Object.values(await q.getJobCounts('waiting', 'delayed', 'prioritized', 'paused')).reduce(
          (a, b) => a + b,
          0,
        );
      return n;
    };
    const deliveries = () => count(`SELECT count(*)::int AS n FROM deliveries`);
    const timedSweep = async (moment) => {
      const t0 = performance.now();
      const r = await sweeper.sweep(moment);
      return { ...r, ms: ms(t0) };
    };
    const rpcSnapshot = () => ({ ...calls });
    const rpcSince = (before) =>
      Object.fromEntries(
        Object.entries(calls)
          .map(([k, v]) => [k, v - before[k]])
          .filter(([, v]) => v),
      );

    // The cycle and the own deadlines, through the service's consumer as intake's events.
    const publish = publisher(nc, prefix);
    await publish(Events.CycleOpened, {
      cycleId: CYCLE,
      yearBE: 2565,
      opensAt: now,
      closesAt: cycle.closesAt,
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      agencyCount: N,
      version: 1,
    });
    await waitFor(
      async () => (await count(`SELECT count(*)::int AS n FROM cycles`)) === 1 || undefined,
      30_000,
      50,
    );
    const fedAt = performance.now();
    const extended = agencies.slice(0, E);
    for (let i = 0; i < extended.length; i += 200) {
      await Promise.all(
        extended.slice(i, i + 200).map((a) =>
          publish(Events.ResponseExtended, {
            cycleId: CYCLE,
            responseId: randomUUID(),
            agencyId: a.id,
            agencyCode: a.code,
            deadline: a.deadline,
            reason: 'ระบบของหน่วยงานขัดข้อง',
            responseVersion: 2,
          }),
        ),
      );
    }
    await waitFor(
      async () => (await count(`SELECT count(*)::int AS n FROM agency_deadlines`)) === E || undefined,
      10 * 60_000,
      100,
    );
    const feedMs = ms(fedAt);

    // Baseline: the cycle's T-7 (T-14 passed before the service knew: recorded, not sent).
    const cycleLabel = reminderLabel(7, closesAt);
    const cycleCampaign = `remind-${CYCLE}-${cycleLabel}`;
    let before = rpcSnapshot();
    const base = await timedSweep(new Date(at(3).getTime() + 60_000));
    const baseRpc = rpcSince(before);
    const baseJobs = await jobs();
    const others = new Set(agencies.slice(E).map((a) => a.contact.id));
    const baseTally = tally(
      await ds.query(`SELECT contact_id, channel FROM deliveries WHERE campaign_id = $1`, [cycleCampaign]),
      others,
    );
    const baseRows = await deliveries();
    const baseAgain = await timedSweep(new Date(at(3).getTime() + 120_000));
    const baseAgainNew = (await deliveries()) - baseRows;

    // Steady state before any own reminder is due (day 4: T-14 of day 20 comes on day 6).
    const idleBefore = [];
    for (let i = 0; i < IDLE_ROUNDS; i++)
      idleBefore.push(await timedSweep(new Date(at(4).getTime() + i * 60_000)));

    // Measured: every extended agency's own T-14.
    before = rpcSnapshot();
    const own = await timedSweep(new Date(at(6).getTime() + 60_000));
    const ownRpc = rpcSince(before);
    const ownJobs = (await jobs()) - baseJobs;
    const ownContacts = new Set(extended.map((a) => a.contact.id));
    const ownTally = tally(
      await ds.query(
        `SELECT contact_id, channel FROM deliveries WHERE campaign_id LIKE $1 AND campaign_id <> $2`,
        [`remind-${CYCLE}-%`, cycleCampaign],
      ),
      ownContacts,
    );
    const ownCampaigns = await count(
      `SELECT count(*)::int AS n FROM campaigns WHERE id LIKE $1 AND id <> $2`,
      [`remind-${CYCLE}-%`, cycleCampaign],
    );
    // Nobody had both: the cycle's reminder left the extended agencies out, their own went to them only.
    const both = await count(
      `SELECT count(*)::int AS n FROM (SELECT contact_id FROM deliveries GROUP BY contact_id, channel HAVING count(*) > 1) x`,
    );
    const ownRows = await deliveries();

    // Steady state after the due reminders went (until T-7 on day 13): every pending agency's runs are read again.
    const idleAfter = [];
    for (let i = 0; i < IDLE_ROUNDS; i++)
      idleAfter.push(await timedSweep(new Date(at(6).getTime() + (i + 2) * 60_000)));
    const ownAgainNew = (await deliveries()) - ownRows;
    const ownAgainJobs = (await jobs()) - baseJobs - ownJobs;

    // The reconciliation the scheduled sweep adds every 15 minutes (all 2,000 are known: applies none).
    before = rpcSnapshot();
    const r0 = performance.now();
    const reconciled = await sweeper.reconcileDeadlines(new Date(at(6).getTime() + 30 * 60_000));
    const reconcileMs = ms(r0);
    const reconcileRpc = rpcSince(before);

    return {
      feedMs,
      base,
      baseRpc,
      baseJobs,
      baseTally,
      baseAgain,
      baseAgainNew,
      idleBefore,
      own,
      ownRpc,
      ownJobs,
      ownTally,
      ownCampaigns,
      both,
      idleAfter,
      ownAgainNew,
      ownAgainJobs,
      reconciled,
      reconcileMs,
      reconcileRpc,
      cycleLabel,
      sweepMs: config.SWEEP_MS,
    };
  } finally {
    for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
    await app.close();
    await nc.close();
    await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
  }
}

export async function run() {
  if (!(E > 0 && E < N))
    throw new Error(`BENCH_EXTENDED (${E}) must be between 1 and BENCH_AGENCIES - 1 (${N - 1})`);
  const p = await platform();
  const cycleAgencies = N - E;
  const basePerAgencyMs = p.base.ms / cycleAgencies;
  const ownPerAgencyMs = p.own.ms / E;
  const result = {
    agencies: N,
    extended: E,
    feedSeconds: Number((p.feedMs / 1000).toFixed(2)),
    baselineAgencies: cycleAgencies,
    baselineSeconds: Number((p.base.ms / 1000).toFixed(2)),
    baselineAgenciesPerSecond: Math.round(cycleAgencies / (p.base.ms / 1000)),
    baselineMsPerAgency: Number(basePerAgencyMs.toFixed(3)),
    baselineReminders: p.base.reminders.length,
    baselineRpc: p.baseRpc,
    baselineJobsQueued: p.baseJobs,
    baselineDeliveries: p.baseTally,
    baselineSecondSweepNewRows: p.baseAgainNew,
    baselineSecondSweepReminders: p.baseAgain.reminders.length,
    agencySweepSeconds: Number((p.own.ms / 1000).toFixed(2)),
    agencySweepAgenciesPerSecond: Math.round(E / (p.own.ms / 1000)),
    agencySweepMsPerAgency: Number(ownPerAgencyMs.toFixed(3)),
    agencySweepReminders: p.own.reminders.length,
    agencySweepCampaigns: p.ownCampaigns,
    agencySweepRpc: p.ownRpc,
    agencySweepJobsQueued: p.ownJobs,
    agencySweepDeliveries: p.ownTally,
    contactsWithTwoReminders: p.both,
    agencySecondSweepNewRows: p.ownAgainNew,
    agencySecondSweepNewJobs: p.ownAgainJobs,
    agencySecondSweepReminders: p.idleAfter.reduce((n, s) => n + s.reminders.length, 0),
    requeued: [p.base, p.baseAgain, ...p.idleBefore, p.own, ...p.idleAfter].reduce(
      (n, s) => n + s.requeued,
      0,
    ),
    perAgencyVsCyclePerAgency: Number((ownPerAgencyMs / basePerAgencyMs).toFixed(1)),
    idleSweepNothingDueMs: Math.round(median(p.idleBefore.map((s) => s.ms))),
    idleSweepAlreadySentMs: Math.round(median(p.idleAfter.map((s) => s.ms))),
    reconcileSeconds: Number((p.reconcileMs / 1000).toFixed(2)),
    reconcileApplied: p.reconciled,
    reconcileRpc: p.reconcileRpc,
    sweepMs: p.sweepMs,
    projectedAllAgenciesSweepSeconds: Math.round((ownPerAgencyMs * N) / 1000),
  };
  const rpc = (o) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const rows = (t) =>
    `${t.rows} rows for ${t.expected} expected; lost ${t.lost}, duplicated ${t.duplicated}, to others ${t.unexpected}`;
  console.log(
    `  setup: ${N} agencies (one contact each, e-mail + LINE), ${E} given their own deadline (day 20; the cycle's is day 10) as intake.response.extended events through the service's consumer: ${result.feedSeconds} s`,
  );
  console.log(
    `  baseline: the cycle's scheduled ${p.cycleLabel} (one sweep, one campaign for the ${cycleAgencies} others): ${result.baselineSeconds} s = ${result.baselineAgenciesPerSecond} agencies/s (${result.baselineMsPerAgency} ms per agency); RPCs: ${rpc(p.baseRpc)}; ${rows(p.baseTally)}; ${p.baseJobs} send jobs queued; a second sweep made ${p.baseAgain.reminders.length} reminders, ${p.baseAgainNew} rows`,
  );
  console.log(
    `  measured: the ${E} agencies' own T-14 (one sweep, one campaign each): ${result.agencySweepSeconds} s = ${result.agencySweepAgenciesPerSecond} agencies/s (${result.agencySweepMsPerAgency} ms per agency); ${p.own.reminders.length} reminders, ${p.ownCampaigns} campaigns; RPCs: ${rpc(p.ownRpc)}; ${rows(p.ownTally)}; ${p.ownJobs} send jobs queued; contacts with two reminders: ${p.both}; ${IDLE_ROUNDS} more sweeps made ${result.agencySecondSweepReminders} reminders, ${p.ownAgainNew} rows, ${p.ownAgainJobs} jobs`,
  );
  console.log(
    `  ratio: per agency, the per-agency path costs ${result.perAgencyVsCyclePerAgency}x the cycle's`,
  );
  console.log(
    `  steady state with ${E} own deadlines pending (median of ${IDLE_ROUNDS} sweeps; SWEEP_MS ${p.sweepMs}): nothing due yet ${result.idleSweepNothingDueMs} ms; due offsets already sent ${result.idleSweepAlreadySentMs} ms; the 15-minute reconciliation with intake's list: ${result.reconcileSeconds} s (applied ${p.reconciled}; RPCs: ${rpc(p.reconcileRpc)}); stranded re-queued in all sweeps: ${result.requeued}`,
  );
  console.log(
    `  projection: a sweep owing every one of ${N} agencies its own reminder would take about ${result.projectedAllAgenciesSweepSeconds} s at this rate`,
  );
  if (p.own.ms > p.sweepMs)
    console.log(
      `  WARNING: the per-agency sweep took ${result.agencySweepSeconds} s, longer than SWEEP_MS (${p.sweepMs / 1000} s)`,
    );
  return result;
}
