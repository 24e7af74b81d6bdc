/**
 * Faults under load: a hundred agencies submit through the gateway while the test kills and
 * restarts parts of the platform — scoring and notifications with SIGKILL in the middle of their
 * jobs, NATS restarted and Redis killed (their data on disk, as production keeps it), intake with SIGKILL
 * while requests are in flight, scoring stopped with SIGTERM (graceful) — and then shows that every
 * submission the platform acknowledged has its scorecard and its receipt, none twice.
 *
 * NATS and Redis here are servers of this test's own (tmp data, own ports), so restarting them
 * does not disturb the other test files that share the machine's servers.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { waitFor } from '@dg/platform/testing';
import { OwnNats, OwnRedis } from './faults/infra';
import { AgencyRun, samplePlans } from './faults/load';
import { api, PlatformUnderTest } from './platform';

jest.setTimeout(600_000);

const AGENCIES = 100;
const CONCURRENCY = 10;

interface FaultRecord {
  fault: string;
  /** Submissions acknowledged when it happened. */
  atAcknowledged: number;
  /** HTTP requests of the coordinators waiting for an answer at that moment. */
  requestsInFlight: number;
  /** Work queued in the service that was hit (BullMQ jobs waiting/active/delayed, unpublished outbox events). */
  queued: Record<string, number>;
  exit?: number | string | null;
  downMs: number;
}

/** Sum of every sample of `name` (optionally with a label filter) in a Prometheus text exposition. */
function metricSum(text: string, name: string, labelFilter?: RegExp): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (labelFilter && !labelFilter.test(m[2] ?? '')) continue;
    sum += Number(m[3]);
  }
  return sum;
}

async function scrape(url: string): Promise<string> {
  try {
    return await (await fetch(`${url}/metrics`)).text();
  } catch {
    return '';
  }
}

async function dbRows<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('faults: SIGKILL, SIGTERM, NATS and Redis restarts under a submission load', () => {
  const nats = new OwnNats();
  const redis = new OwnRedis();
  let platform: PlatformUnderTest;
  let admin = '';
  const faults: FaultRecord[] = [];
  let runs: AgencyRun[] = [];
  const inFlight = { n: 0 };
  let loadError: unknown;
  /** What the checks found, for the report: per kind of work, acknowledged, lost and duplicated. */
  const outcome: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    await Promise.all([nats.start(), redis.start()]);
    platform = new PlatformUnderTest({
      natsUrl: nats.url,
      redisUrl: redis.url,
      env: { BCRYPT_COST: '4', LOGIN_RATE_LIMIT: '1000' },
    });
    // Slow sends (4 a second per channel) keep receipts queued and in flight when notifications is killed.
    await platform.start({
      env: { notifications: { EMAIL_RATE_PER_SECOND: '4', LINE_RATE_PER_SECOND: '4' } },
    });
    await platform.loadSample(0); // cohort, contacts, the open 2565 cycle and its scoring rules; no answers
    admin = (
      await api<{ accessToken: string }>(platform.gateway.url, 'POST', '/auth/login', {
        body: { email: 'admin@dga.or.th', password: 'admin-2565' },
      })
    ).body.accessToken;

    const plans = new Map(samplePlans().map((p) => [p.code, p]));
    const responses = await api<{ items: { agencyId: string; agencyCode: string }[] }>(
      platform.gateway.url,
      'GET',
      '/cycles/2565/responses?pageSize=500&group=department',
      { token: admin },
    );
    runs = responses.body.items
      .filter(
        (r) =>
          plans.get(r.agencyCode)?.stage &&
          ['submitted', 'verified'].includes(plans.get(r.agencyCode)!.stage),
      )
      .sort((a, b) => a.agencyCode.localeCompare(b.agencyCode))
      .slice(0, AGENCIES)
      .map((r) => new AgencyRun(platform.gateway.url, r.agencyId, plans.get(r.agencyCode)!));
    expect(runs).toHaveLength(AGENCIES);
    for (let i = 0; i < runs.length; i += 10)
      await Promise.all(runs.slice(i, i + 10).map((r) => r.createUsers(admin)));
  });

  afterAll(async () => {
    const report = {
      agencies: runs.length,
      acknowledged: runs.filter((r) => r.acknowledged).length,
      clientRetries: runs.reduce((n, r) => n + r.retries, 0),
      faults,
      outcome,
    };
    console.log(`fault report: ${JSON.stringify(report, null, 2)}`);
    writeFileSync(join(tmpdir(), 'dg-fault-report.json'), JSON.stringify(report, null, 2));
    await platform?.stop();
    await Promise.all([nats.dispose(), redis.dispose()]);
  });

  /** Kills (or stops) a service, records what was in flight, starts it again. */
  async function hitService(
    app: 'scoring' | 'notifications' | 'intake',
    signal: NodeJS.Signals,
  ): Promise<void> {
    const service = platform[app];
    const text = await scrape(service.metricsUrl ?? service.url);
    const queued = {
      jobs: metricSum(text, `${app}_queue_jobs`, /state="(waiting|active|delayed)"/),
      outboxPending: metricSum(text, 'outbox_pending_events'),
    };
    const requestsInFlight = inFlight.n;
    const started = Date.now();
    const exit = await platform.kill(app, signal);
    const record: FaultRecord = {
      fault: `${signal} ${app}`,
      atAcknowledged: runs.filter((r) => r.acknowledged).length,
      requestsInFlight,
      queued,
      exit,
      downMs: 0,
    };
    await platform.restart(app);
    record.downMs = Date.now() - started;
    faults.push(record);
  }

  async function restartServer(
    name: 'NATS' | 'Redis',
    server: OwnNats | OwnRedis,
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<void> {
    const [scoring, notifications] = await Promise.all([
      scrape(platform.scoring.url),
      scrape(platform.notifications.url),
    ]);
    const record: FaultRecord = {
      fault: `restart ${name} (${signal}, 3 s down)`,
      atAcknowledged: runs.filter((r) => r.acknowledged).length,
      requestsInFlight: inFlight.n,
      queued: {
        scoringJobs: metricSum(scoring, 'scoring_queue_jobs', /state="(waiting|active|delayed)"/),
        notificationJobs: metricSum(
          notifications,
          'notifications_queue_jobs',
          /state="(waiting|active|delayed)"/,
        ),
      },
      downMs: 0,
    };
    const started = Date.now();
    await server.restart(3_000, signal);
    record.downMs = Date.now() - started;
    faults.push(record);
  }

  it('acknowledges every submission while services are killed and NATS and Redis restart', async () => {
    const deadline = Date.now() + 6 * 60_000;
    const acknowledged = () => runs.filter((r) => r.acknowledged).length;
    const queue = [...runs];
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let run = queue.shift(); run; run = queue.shift()) await run.run(deadline, inFlight);
      }),
    ).catch((e: unknown) => {
      loadError = e;
    });

    const plan: [number, () => Promise<void>][] = [
      [0.05, () => hitService('scoring', 'SIGKILL')],
      [0.2, () => restartServer('NATS', nats)],
      [0.35, () => hitService('notifications', 'SIGKILL')],
      [0.5, () => restartServer('Redis', redis, 'SIGKILL')],
      [0.6, () => hitService('intake', 'SIGKILL')],
      [0.75, () => hitService('scoring', 'SIGTERM')],
    ];
    for (const [share, fault] of plan) {
      await waitFor(() => acknowledged() >= share * AGENCIES || loadError !== undefined, 5 * 60_000, 100);
      if (loadError) break;
      await fault();
    }
    await load;
    expect(loadError).toBeUndefined();
    expect(acknowledged()).toBe(AGENCIES);
    expect(faults).toHaveLength(plan.length);
    // SIGTERM is a graceful stop: the service finishes or returns its work and exits 0.
    expect(faults.find((f) => f.fault === 'SIGTERM scoring')?.exit).toBe(0);
  });

  it('scores every acknowledged submission exactly once (lost 0, duplicated 0)', async () => {
    const gw = platform.gateway.url;
    const acked = runs.filter((r) => r.acknowledged);
    const missing = await waitFor(
      async () => {
        const left: string[] = [];
        for (const r of acked) {
          const card = await api(gw, 'GET', `/cycles/2565/scorecards/${r.agencyId}`, { token: admin });
          if (card.status !== 200) left.push(r.plan.code);
        }
        return left.length === 0 ? left : undefined;
      },
      4 * 60_000,
      2_000,
    ).catch(() => 'timed out');
    expect(missing).toEqual([]);
    const cards = await dbRows<{ agency_id: string; n: number }>(
      platform.databases.scoring,
      `SELECT agency_id, count(*)::int AS n FROM scorecards WHERE cycle_id = '2565' GROUP BY 1`,
    );
    const scored = new Map(cards.map((c) => [c.agency_id, c.n]));
    const lost = acked.filter((r) => !scored.has(r.agencyId)).length;
    const duplicated = cards.filter((c) => c.n > 1).length;
    outcome.scorecards = { acknowledged: acked.length, scored: cards.length, lost, duplicated };
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
  });

  it('sends every acknowledged agency its receipt once by e-mail and LINE (lost 0, duplicated 0)', async () => {
    const acked = runs.filter((r) => r.acknowledged);
    const codes = new Set(acked.map((r) => r.plan.code.toLowerCase()));
    interface Caught {
      to: string[];
      messageId: string;
    }
    // The sample gives each agency one contact, <code>@example.go.th.
    const caught = await waitFor(
      async () => {
        const messages = (await (await fetch(`${platform.mailUrl}/api/messages`)).json()) as Caught[];
        const reached = new Set(messages.flatMap((m) => m.to.map((t) => t.replace(/@example\.go\.th$/, ''))));
        return [...codes].every((c) => reached.has(c)) ? messages : undefined;
      },
      4 * 60_000,
      2_000,
    ).catch(() => [] as Caught[]);
    const byAgency = new Map<string, Set<string>>();
    let transmissions = 0;
    for (const m of caught) {
      for (const to of m.to) {
        const code = to.replace(/@example\.go\.th$/, '');
        if (!codes.has(code)) continue;
        transmissions++;
        byAgency.set(code, (byAgency.get(code) ?? new Set()).add(m.messageId));
      }
    }
    const lostCodes = [...codes].filter((c) => !byAgency.has(c));
    const lost = lostCodes.length;
    if (lost) {
      const states = await dbRows(
        platform.databases.notifications,
        `SELECT agency_code, channel, status, attempts, provider_response, updated_at FROM deliveries
          WHERE lower(agency_code) IN ('${lostCodes.join("','")}') ORDER BY agency_code`,
      );
      console.log(`receipts not caught: ${JSON.stringify(states, null, 1)}`);
      console.log(
        platform.notifications.lines
          .filter((l) => /"level":(40|50)/.test(l))
          .slice(-40)
          .join('\n'),
      );
    }
    // A distinct Message-ID is a distinct message; the same one caught twice is a resend of one
    // message (SMTP's own window between the server's 250 and our record), which mailboxes fold.
    const duplicated = [...byAgency.values()].filter((ids) => ids.size > 1).length;
    outcome.emailReceipts = {
      acknowledged: codes.size,
      reached: byAgency.size,
      lost,
      duplicated,
      smtpTransmissions: transmissions,
      resentAfterKill: transmissions - byAgency.size,
    };
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });

    // A receipt goes to the agency's contact and to its coordinator and approver accounts (issue 14):
    // one delivery row per agency and recipient, none made twice, every acknowledged agency reached.
    const [email] = await dbRows<{ n: number; recipients: number; agencies: number }>(
      platform.databases.notifications,
      `SELECT count(*)::int AS n, count(DISTINCT (agency_code, contact_id))::int AS recipients,
              count(DISTINCT agency_code)::int AS agencies
         FROM deliveries WHERE template_key = 'submission_receipt' AND channel = 'email'`,
    );
    expect(email.n).toBe(email.recipients);
    expect(email.agencies).toBe(acked.length);
    // LINE: wait until nothing is queued; every push is accepted once per retry key by the
    // stand-in, as by LINE itself, so the pushes it holds are the messages people got.
    const line = await waitFor(
      async () => {
        const by = await dbRows<{ status: string; n: number }>(
          platform.databases.notifications,
          `SELECT status, count(*)::int AS n FROM deliveries WHERE template_key = 'submission_receipt' AND channel = 'line' GROUP BY 1`,
        );
        const count = (status: string) => by.find((r) => r.status === status)?.n ?? 0;
        return count('queued') === 0
          ? { sent: count('sent'), failed: count('failed'), skipped: count('skipped') }
          : undefined;
      },
      2 * 60_000,
      2_000,
    );
    const pushes = (await (await fetch(`${platform.lineUrl}/api/pushes`)).json()) as {
      retryKey: string | null;
    }[];
    const keys = pushes.map((p) => p.retryKey);
    outcome.lineReceipts = {
      ...line,
      pushesAccepted: keys.length,
      duplicated: keys.length - new Set(keys).size,
    };
    expect(line.failed).toBe(0);
    expect(line.sent).toBeGreaterThan(0);
    expect(keys.length).toBe(line.sent);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('SIGTERM answers the requests in flight before the process exits (intake and the gateway)', async () => {
    const gw = platform.gateway.url;
    // Intake: reads in flight through the gateway while intake is stopped gracefully.
    const reads = runs
      .slice(0, 30)
      .map((r) => api(gw, 'GET', `/cycles/2565/responses/${r.agencyId}`, { token: admin }));
    const intakeExit = await platform.kill('intake', 'SIGTERM');
    const statuses = (await Promise.all(reads)).map((r) => r.status);
    expect(intakeExit).toBe(0);
    // Each got a definite answer: its data, or 503 (intake no longer takes requests) to retry.
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    await platform.restart('intake');

    // The gateway: exports being streamed when SIGTERM arrives are sent to the end.
    const exports = await Promise.all(
      [1, 2, 3].map(() =>
        fetch(`${gw}/api/v1/cycles/2565/responses/export?format=csv`, {
          headers: { authorization: `Bearer ${admin}` },
        }),
      ),
    );
    const gatewayExit = platform.kill('gateway', 'SIGTERM');
    const bodies = await Promise.all(exports.map((r) => r.text()));
    expect(await gatewayExit).toBe(0);
    expect(exports.map((r) => r.status)).toEqual([200, 200, 200]);
    await platform.restart('gateway');
    const reference = await (
      await fetch(`${gw}/api/v1/cycles/2565/responses/export?format=csv`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).text();
    const lines = (text: string) => text.trim().split(/\r?\n/);
    // Every agency of the cohort has a response with its profile prefilled (issue 14, item 13): the
    // ones that answered are those past not_started.
    expect(
      new Set(
        lines(reference)
          .slice(1)
          .filter((line) => line.split(',')[4] !== 'not_started')
          .map((line) => line.split(',')[1]),
      ).size,
    ).toBe(runs.length);
    for (const body of bodies) expect(lines(body)).toHaveLength(lines(reference).length); // sent to the last row
    faults.push({
      fault: 'SIGTERM intake, SIGTERM gateway (graceful)',
      atAcknowledged: runs.length,
      requestsInFlight: 33,
      queued: {},
      exit: 0,
      downMs: 0,
    });
  });
});
