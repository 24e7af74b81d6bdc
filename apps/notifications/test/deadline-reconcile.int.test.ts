import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, Worker } from 'bullmq';
import { Events } from '@dg/contracts';
import { redisConnection } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { SweepProcessor } from '../src/campaigns/sweep.processor';
import { Sweeper } from '../src/campaigns/sweeper';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../src/config';
import { QUEUES } from '../src/deliveries/jobs';
import { contact, type NotificationsHarness, startNotifications, testAgency } from './harness';

const DAY = 86_400_000;

/**
 * Agency deadlines no event brought (an extension given before notifications followed them, or
 * an event an older release acknowledged unread during a rolling update): the scheduled sweep
 * takes them from intake's response list, and the agency is reminded before its own date.
 */
describe('agency deadlines reconciled with intake', () => {
  let h: NotificationsHarness;
  let sweeper: Sweeper;
  const now = Date.now();
  const at = (days: number) => {
    const d = new Date(now + days * DAY);
    d.setUTCHours(9, 30, 0, 0);
    return d.getTime();
  };
  const iso = (t: number) => new Date(t).toISOString();
  const closes = at(10);

  // K: extended to day 20 in intake, no event; S: the same but submitted; N: no extension.
  const K = testAgency('DEP-KEPT', (id) => [contact(id, 'k1@dep-kept.go.th')]);
  const S = testAgency('DEP-SENT', (id) => [contact(id, 's1@dep-sent.go.th')], 'submitted');
  const N = testAgency('DEP-NONE', (id) => [contact(id, 'n1@dep-none.go.th')]);
  K.deadline = S.deadline = iso(at(20));
  K.version = 4;

  const projection = async () =>
    (
      (await h.ds.query(
        `SELECT agency_code AS code, deadline, response_version AS version FROM agency_deadlines ORDER BY agency_code`,
      )) as { code: string; deadline: Date; version: number }[]
    ).map((r) => ({ code: r.code, deadline: new Date(r.deadline).getTime(), version: r.version }));

  beforeAll(async () => {
    h = await startNotifications('ntfreconcile');
    h.others.agencies = [K, S, N];
    h.others.closesAt = iso(closes);
    sweeper = h.app.get(Sweeper);
    await h.publish(Events.CycleOpened, {
      cycleId: '2565',
      yearBE: 2565,
      opensAt: iso(now - DAY),
      closesAt: iso(closes),
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      agencyCount: 3,
      version: 1,
    });
    await waitFor(
      async () => ((await h.ds.query(`SELECT 1 FROM cycles`)) as unknown[]).length > 0 || undefined,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes the deadline from intake once, and reminds the agency before it', async () => {
    expect(await sweeper.reconcileDeadlines(new Date(now))).toBe(1);
    expect(await projection()).toEqual([{ code: 'DEP-KEPT', deadline: at(20), version: 4 }]);
    expect(await sweeper.reconcileDeadlines(new Date(now + 60_000))).toBe(0);

    // Day 13 + 1 h: the agency's T-7 is due (its T-14 passed unsent), the cycle has closed.
    const { reminders } = await sweeper.sweep(new Date(at(13) + 3_600_000));
    expect(reminders).toEqual([expect.stringMatching(new RegExp(`^2565/${K.id}/T-7-`))]);
    await waitFor(() => h.smtp.messages.find((m) => m.to === 'k1@dep-kept.go.th') ?? undefined, 20_000);
    expect(h.smtp.messages.filter((m) => m.to !== 'k1@dep-kept.go.th')).toEqual([]);
  });

  it('lets a newer extension event win over an older list', async () => {
    await h.publish(Events.ResponseExtended, {
      cycleId: '2565',
      responseId: '00000000-0000-4000-8000-00000000000b',
      agencyId: K.id,
      agencyCode: K.code,
      deadline: iso(at(25)),
      reason: 'ขยายเวลาเพิ่ม',
      responseVersion: 5,
    });
    await waitFor(async () => ((await projection())[0].deadline === at(25) ? true : undefined));
    // Intake's list as read a moment earlier still says day 20, version 4: it changes nothing.
    expect(await sweeper.reconcileDeadlines(new Date(now + 120_000))).toBe(0);
    expect(await projection()).toEqual([{ code: 'DEP-KEPT', deadline: at(25), version: 5 }]);
  });

  it('runs one scheduled sweep at a time across replicas: a later one steps aside', async () => {
    const config = h.app.get<NotificationsConfig>(NOTIFICATIONS_CONFIG);
    const queue = h.app.get<Queue>(getQueueToken(QUEUES.sweep));
    // This process's own sweep worker stands still; another "replica" holds a long sweep.
    const own = h.app.get(SweepProcessor).worker;
    await own.pause();
    let finish = () => {};
    const holding = new Promise<void>((resolve) => (finish = resolve));
    const replica = new Worker(QUEUES.sweep, () => holding, {
      connection: redisConnection(config.REDIS_URL),
      prefix: config.BULL_PREFIX,
    });
    try {
      await queue.add('long-sweep', {});
      await waitFor(async () => ((await queue.getActiveCount()) === 1 ? true : undefined));
      const later = await queue.add('next-sweep', {});
      later.processedOn = Date.now();
      expect(await sweeper.scheduledSweep(new Date(), later)).toEqual({
        reminders: [],
        requeued: 0,
        skipped: 'another sweep is running',
      });
      finish();
      await waitFor(async () => ((await queue.getActiveCount()) === 0 ? true : undefined));
      expect((await sweeper.scheduledSweep(new Date(), later)).skipped).toBeUndefined();
      await later.remove().catch(() => undefined);
    } finally {
      finish();
      await replica.close();
      await own.resume();
    }
  });
});
