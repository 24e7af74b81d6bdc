import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Events, type PayloadOf } from '@dg/contracts';
import { dataSourceOptions, Metrics, Nats, OutboxInbox1764100000000 } from '@dg/platform';
import { createTestDatabase, waitFor } from '@dg/platform/testing';
import { Sweeper } from '../src/campaigns/sweeper';
import { notificationsMigrations } from '../src/migrations';
import { NotificationsSchema1764500000001 } from '../src/migrations/1764500000001-NotificationsSchema';
import { CycleVersionDeadlineReminders1796290000000 } from '../src/migrations/1796290000000-CycleVersionDeadlineReminders';
import { contact, type NotificationsHarness, startNotifications, testAgency } from './harness';

const DAY = 86_400_000;
/** The deadline's day in Bangkok (UTC+7, no daylight saving), as a reminder label carries it. */
const bangkokDay = (t: number) => new Date(t + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * A deadline moved in intake (`PATCH /cycles/:id` -> `intake.cycle.updated`) moves the scheduled
 * reminders with it: each deadline has its own T-14/T-7/T-1, none is sent twice for the same
 * deadline, and a duplicate or late (older) update changes nothing.
 */
describe('notifications follow a moved deadline', () => {
  let h: NotificationsHarness;
  let sweeper: Sweeper;
  const A = testAgency('DEP-DL', (id) => [contact(id, 'a1@dep-dl.go.th')]);
  const now = Date.now();
  const first = now + 10 * DAY;
  const moved = now + 20 * DAY;

  const cycleRow = async () =>
    (
      (await h.ds.query(
        `SELECT closes_at AS "closesAt", status, version FROM cycles WHERE cycle_id = '2565'`,
      )) as { closesAt: Date; status: string; version: number | null }[]
    ).map((r) => ({ closesAt: new Date(r.closesAt).toISOString(), status: r.status, version: r.version }))[0];
  const runs = () =>
    h.ds.query(
      `SELECT label, campaign_id FROM reminder_runs WHERE cycle_id = '2565' ORDER BY ran_at, label`,
    ) as Promise<{ label: string; campaign_id: string | null }[]>;
  const inInbox = async (eventId: string) =>
    (
      (await h.ds.query(`SELECT 1 FROM inbox WHERE consumer = 'notifications' AND event_id = $1`, [
        eventId,
      ])) as unknown[]
    ).length > 0 || undefined;
  const duplicates = async () =>
    (await h.app.get(Metrics).eventsConsumed.get()).values
      .filter((v) => v.labels.consumer === 'notifications' && v.labels.outcome === 'duplicate')
      .reduce((n, v) => n + v.value, 0);
  type CycleEvent = typeof Events.CycleOpened | typeof Events.CycleUpdated | typeof Events.CycleClosed;
  /**
   * Publishes an envelope as intake's relay does. `msgId` is the relay's Nats-Msg-Id (the event id);
   * another one gets a copy past JetStream's duplicate window, as a redelivery after it would.
   */
  const publish = async <S extends CycleEvent>(subject: S, payload: PayloadOf<S>, id: string, msgId = id) => {
    const nats = h.app.get(Nats);
    const envelope = {
      id,
      type: subject,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'test-ntfdeadline',
      actor: { id: 'admin-1', roles: ['dga_admin'] },
      payload,
    };
    await jetstream(await nats.connect()).publish(nats.subject(subject), JSON.stringify(envelope), {
      msgID: msgId,
    });
  };
  /** Publishes a new event and waits until the consumer has committed it. */
  const deliver = async <S extends CycleEvent>(subject: S, payload: PayloadOf<S>) => {
    const id = randomUUID();
    await publish(subject, payload, id);
    await waitFor(() => inInbox(id), 10_000);
    return id;
  };
  const updated = (version: number, closesAt: number, status: 'open' | 'closed' = 'open') => ({
    cycleId: '2565',
    yearBE: 2565,
    title: { th: 'การสำรวจระดับความพร้อมรัฐบาลดิจิทัล ปี 2565', en: 'Digital Government Readiness Survey 2565' },
    status,
    opensAt: new Date(now - DAY).toISOString(),
    closesAt: new Date(closesAt).toISOString(),
    version,
    changed: ['closesAt' as const],
  });

  beforeAll(async () => {
    h = await startNotifications('ntfdeadline');
    h.others.agencies = [A];
    sweeper = h.app.get(Sweeper);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends the reminders of the new deadline, not of the old one, once each', async () => {
    // Opened with the deadline 10 days out: T-14 is due at once, T-7 three days later.
    h.others.closesAt = new Date(first).toISOString();
    await deliver(Events.CycleOpened, {
      cycleId: '2565',
      yearBE: 2565,
      opensAt: new Date(now - DAY).toISOString(),
      closesAt: new Date(first).toISOString(),
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      agencyCount: 1,
      version: 3,
    });
    expect(await cycleRow()).toEqual({ closesAt: new Date(first).toISOString(), status: 'open', version: 3 });
    const oldT14 = `T-14-${bangkokDay(first)}`;
    expect((await sweeper.sweep(new Date(now))).reminders).toEqual([`2565/${oldT14}`]);

    // The operator moves the deadline to 20 days out (intake version 5).
    h.others.closesAt = new Date(moved).toISOString();
    const movedEvent = updated(5, moved);
    const movedId = await deliver(Events.CycleUpdated, movedEvent);
    expect(await cycleRow()).toEqual({ closesAt: new Date(moved).toISOString(), status: 'open', version: 5 });

    // Nothing is due now; three days on, the old deadline's T-7 would have gone: it does not.
    expect((await sweeper.sweep(new Date(now + 60_000))).reminders).toEqual([]);
    expect((await sweeper.sweep(new Date(now + 3 * DAY + 60_000))).reminders).toEqual([]);

    // The same event delivered again (same id: the inbox drops it), and the same version published
    // under a new id with another date (not newer, so not applied): nothing changes.
    const dropped = await duplicates();
    await publish(Events.CycleUpdated, movedEvent, movedId, randomUUID());
    await waitFor(async () => ((await duplicates()) > dropped ? true : undefined), 10_000);
    await deliver(Events.CycleUpdated, { ...movedEvent, closesAt: new Date(now + 25 * DAY).toISOString() });
    expect(await cycleRow()).toEqual({ closesAt: new Date(moved).toISOString(), status: 'open', version: 5 });

    // An older update (version 4: 15 days out) arriving after the newer one is ignored; had it
    // been applied, its T-14 would be due a day from now.
    await deliver(Events.CycleUpdated, updated(4, now + 15 * DAY));
    expect(await cycleRow()).toEqual({ closesAt: new Date(moved).toISOString(), status: 'open', version: 5 });
    expect((await sweeper.sweep(new Date(now + DAY + 60_000))).reminders).toEqual([]);

    // The new deadline's own reminders: T-14 six days from now, T-7 thirteen, each once.
    const newT14 = `T-14-${bangkokDay(moved)}`;
    const newT7 = `T-7-${bangkokDay(moved)}`;
    expect((await sweeper.sweep(new Date(moved - 14 * DAY + 60_000))).reminders).toEqual([`2565/${newT14}`]);
    expect((await sweeper.sweep(new Date(moved - 14 * DAY + 120_000))).reminders).toEqual([]);
    expect((await sweeper.sweep(new Date(moved - 7 * DAY + 60_000))).reminders).toEqual([`2565/${newT7}`]);
    expect(await runs()).toEqual([
      { label: oldT14, campaign_id: `remind-2565-${oldT14}` },
      { label: newT14, campaign_id: `remind-2565-${newT14}` },
      { label: newT7, campaign_id: `remind-2565-${newT7}` },
    ]);
    // Each reminder is its own campaign, queued to the agency that has not submitted.
    const campaigns = (await h.ds.query(
      `SELECT id, queued FROM campaigns WHERE kind = 'reminder' ORDER BY created_at`,
    )) as { id: string; queued: number }[];
    expect(campaigns).toEqual([
      { id: `remind-2565-${oldT14}`, queued: 1 },
      { id: `remind-2565-${newT14}`, queued: 1 },
      { id: `remind-2565-${newT7}`, queued: 1 },
    ]);
    await waitFor(
      async () => ((await h.deliveries(`status = 'sent'`)).length === 3 ? true : undefined),
      20_000,
    );
    expect(h.smtp.messages.map((m) => m.messageId.split('_')[0]).sort()).toEqual(
      campaigns.map((c) => `<${c.id}`).sort(),
    );
  });

  it('stops reminders once the cycle closes, and a late update does not reopen it', async () => {
    // Version 6 moved the deadline to 22 days out before the cycle was closed (version 7); its
    // event arrives after intake.cycle.closed.
    await deliver(Events.CycleClosed, {
      cycleId: '2565',
      closedAt: new Date().toISOString(),
      submitted: 0,
      total: 1,
    });
    await deliver(Events.CycleUpdated, updated(6, now + 22 * DAY));
    expect(await cycleRow()).toEqual({
      closesAt: new Date(now + 22 * DAY).toISOString(),
      status: 'closed',
      version: 6,
    });
    expect((await sweeper.sweep(new Date(now + 22 * DAY - DAY + 60_000))).reminders).toEqual([]);
  });

  it('migrates the reminder runs recorded before: they keep their deadline and are not sent again', async () => {
    const db = await createTestDatabase('ntfdlmig');
    const before = new DataSource(
      dataSourceOptions({
        url: db.url,
        entities: [],
        migrations: [OutboxInbox1764100000000, NotificationsSchema1764500000001],
      }),
    );
    await before.initialize();
    try {
      await before.runMigrations();
      // 2022-07-31 23:59 in Bangkok is 16:59 UTC: the label takes the Bangkok day.
      await before.query(
        `INSERT INTO cycles (cycle_id, year_be, title_th, title_en, closes_at, status)
         VALUES ('2565', 2565, 'ปี 2565', '2565', '2022-07-31T23:59:00+07:00', 'open')`,
      );
      await before.query(
        `INSERT INTO reminder_runs (cycle_id, label, campaign_id)
         VALUES ('2565', 'T-14', NULL), ('2565', 'T-7', 'remind-2565-T-7'), ('2565', 'manual-2022-07-20-email', 'remind-2565-manual-2022-07-20-email')`,
      );
    } finally {
      await before.destroy();
    }
    // Up to this migration (later ones have their own tests).
    const upTo = notificationsMigrations.slice(
      0,
      notificationsMigrations.indexOf(CycleVersionDeadlineReminders1796290000000) + 1,
    );
    const after = new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations: upTo }));
    await after.initialize();
    try {
      expect((await after.runMigrations()).map((m) => m.name)).toEqual([
        'CycleVersionDeadlineReminders1796290000000',
      ]);
      const labels = async () =>
        ((await after.query(`SELECT label FROM reminder_runs`)) as { label: string }[])
          .map((r) => r.label)
          .sort();
      expect(await labels()).toEqual(['T-14-2022-07-31', 'T-7-2022-07-31', 'manual-2022-07-20-email']);
      expect(await after.query(`SELECT version FROM cycles`)).toEqual([{ version: null }]);
      await after.undoLastMigration();
      expect(await labels()).toEqual(['T-14', 'T-7', 'manual-2022-07-20-email']);
    } finally {
      await after.destroy();
      await db.drop();
    }
  });
});
