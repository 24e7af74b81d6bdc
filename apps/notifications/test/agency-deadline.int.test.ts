import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import { Events, type EventSubject, type PayloadOf, Rpc } from '@dg/contracts';
import { DataSource } from 'typeorm';
import { dataSourceOptions, Metrics, Nats } from '@dg/platform';
import { createTestDatabase, waitFor } from '@dg/platform/testing';
import { Sweeper } from '../src/campaigns/sweeper';
import { notificationsMigrations } from '../src/migrations';
import { AgencyDeadlines1796310000000 } from '../src/migrations/1796310000000-AgencyDeadlines';
import { contact, type NotificationsHarness, startNotifications, testAgency } from './harness';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const TH_MONTHS = [
  'มกราคม',
  'กุมภาพันธ์',
  'มีนาคม',
  'เมษายน',
  'พฤษภาคม',
  'มิถุนายน',
  'กรกฎาคม',
  'สิงหาคม',
  'กันยายน',
  'ตุลาคม',
  'พฤศจิกายน',
  'ธันวาคม',
];
const TH_SHORT = [
  'ม.ค.',
  'ก.พ.',
  'มี.ค.',
  'เม.ย.',
  'พ.ค.',
  'มิ.ย.',
  'ก.ค.',
  'ส.ค.',
  'ก.ย.',
  'ต.ค.',
  'พ.ย.',
  'ธ.ค.',
];
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Bangkok is UTC+7 all year. */
const bangkok = (t: number) => new Date(t + 7 * HOUR);
const bangkokDay = (t: number) => bangkok(t).toISOString().slice(0, 10);
/** `3 สิงหาคม 2565` with the Buddhist Era year, as a Thai reader expects it. */
const thaiLong = (t: number) => {
  const d = bangkok(t);
  return `${d.getUTCDate()} ${TH_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear() + 543}`;
};
const thaiShort = (t: number) => {
  const d = bangkok(t);
  return `${d.getUTCDate()} ${TH_SHORT[d.getUTCMonth()]} ${d.getUTCFullYear() + 543}`;
};
const englishLong = (t: number) => {
  const d = bangkok(t);
  return `${d.getUTCDate()} ${EN_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

/**
 * An agency with its own, later deadline (an operator's extension, `intake.response.extended`, or
 * a return's correction deadline) hears of that deadline, not the cycle's: every reminder gives it
 * its own date and days left, the cycle's scheduled reminders leave it out, and it gets its own
 * T-14/T-7/T-1 before its deadline, also after the cycle closed, once each, never after it has
 * submitted. Events delivered twice or out of order change nothing.
 */
describe('reminders follow each agency’s own deadline', () => {
  let h: NotificationsHarness;
  let sweeper: Sweeper;
  const now = Date.now();
  /** `days` from now at 16:30 in Bangkok: deadlines with a time a reader can check. */
  const at = (days: number) => {
    const d = new Date(now + days * DAY);
    d.setUTCHours(9, 30, 0, 0);
    return d.getTime();
  };
  const iso = (t: number) => new Date(t).toISOString();
  const cycleCloses = at(10);

  // E has an extension to day 20; S too, and submits; R was returned with a correction deadline
  // on day 13; U has an extension but intake says it has submitted (its event not here yet);
  // X gets a 3-day extension after the cycle closed; P has none.
  const E = testAgency('DEP-EXT', (id) => [
    contact(id, 'e1@dep-ext.go.th', 'Ue1000000000000000000000000000001'),
  ]);
  const S = testAgency('DEP-SUB', (id) => [contact(id, 's1@dep-sub.go.th')]);
  const R = testAgency('DEP-RET', (id) => [contact(id, 'r1@dep-ret.go.th')]);
  const U = testAgency('DEP-UNS', (id) => [contact(id, 'u1@dep-uns.go.th')], 'submitted');
  const X = testAgency('DEP-LATE', (id) => [contact(id, 'x1@dep-late.go.th')]);
  const P = testAgency('DEP-PLAIN', (id) => [contact(id, 'p1@dep-plain.go.th')]);
  E.deadline = S.deadline = U.deadline = iso(at(20));
  R.deadline = iso(at(13));
  R.status = 'returned';

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
  /**
   * Publishes an envelope as intake's relay does, `occurredAt` as given (when intake made the
   * change), and waits until the consumer has committed it. `msgId` other than the event id gets
   * a copy past JetStream's duplicate window, as a redelivery would.
   */
  const deliver = async <S extends EventSubject>(
    subject: S,
    payload: PayloadOf<S>,
    opts: { occurredAt?: number; id?: string; msgId?: string } = {},
  ) => {
    const id = opts.id ?? randomUUID();
    const nats = h.app.get(Nats);
    const envelope = {
      id,
      type: subject,
      schemaVersion: 1,
      occurredAt: new Date(opts.occurredAt ?? Date.now()).toISOString(),
      correlationId: 'test-ntfagencydl',
      actor: { id: 'operator-1', roles: ['operator'] },
      payload,
    };
    const before = await duplicates();
    await jetstream(await nats.connect()).publish(nats.subject(subject), JSON.stringify(envelope), {
      msgID: opts.msgId ?? id,
    });
    if (opts.msgId && opts.msgId !== id) {
      await waitFor(async () => ((await duplicates()) > before ? true : undefined), 10_000);
    } else await waitFor(() => inInbox(id), 10_000);
    return id;
  };
  const extension = (a: typeof E, deadline: number, responseVersion: number) => ({
    cycleId: '2565',
    responseId: randomUUID(),
    agencyId: a.id,
    agencyCode: a.code,
    deadline: iso(deadline),
    reason: 'ระบบของหน่วยงานขัดข้อง',
    responseVersion,
  });
  const deadlines = async () =>
    Object.fromEntries(
      (
        (await h.ds.query(
          `SELECT agency_code AS code, deadline, response_version AS version FROM agency_deadlines ORDER BY agency_code`,
        )) as { code: string; deadline: Date; version: number | null }[]
      ).map((r) => [r.code, { deadline: new Date(r.deadline).getTime(), version: r.version }]),
    );
  /** An agency's recorded runs: label -> its campaign (null for an offset that passed unsent). */
  const runsOf = async (a: typeof E) =>
    Object.fromEntries(
      (
        (await h.ds.query(
          `SELECT label, campaign_id AS "campaignId" FROM agency_reminder_runs WHERE agency_id = $1`,
          [a.id],
        )) as { label: string; campaignId: string | null }[]
      ).map((r) => [r.label, r.campaignId]),
    );
  const label = (offset: number, deadline: number) => `T-${offset}-${bangkokDay(deadline)}`;
  const ran = (a: typeof E, offset: number, deadline: number) => `2565/${a.id}/${label(offset, deadline)}`;
  const mailTo = (a: typeof E, campaign: string) =>
    h.smtp.messages.filter((m) => m.to === a.contacts[0].email && m.messageId.startsWith(`<${campaign}_`));
  /** Waits until no reminder of the campaigns is still queued. */
  const settled = (campaignLike: string) =>
    waitFor(
      async () =>
        (await h.deliveries(`id LIKE $1 AND status = 'queued'`, [`${campaignLike}%`])).length === 0
          ? true
          : undefined,
      20_000,
    );

  beforeAll(async () => {
    h = await startNotifications('ntfagencydl');
    h.others.agencies = [E, S, R, U, X, P];
    h.others.closesAt = iso(cycleCloses);
    sweeper = h.app.get(Sweeper);
    await deliver(Events.CycleOpened, {
      cycleId: '2565',
      yearBE: 2565,
      opensAt: iso(now - DAY),
      closesAt: iso(cycleCloses),
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      agencyCount: 6,
      version: 3,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('keeps each agency’s own deadline, applied only forward', async () => {
    const eId = await deliver(Events.ResponseExtended, extension(E, at(20), 5));
    // The same event again (the inbox drops it), the same version under another id with another
    // date, and an older extension arriving late: none changes E's deadline.
    await deliver(Events.ResponseExtended, extension(E, at(20), 5), { id: eId, msgId: randomUUID() });
    await deliver(Events.ResponseExtended, extension(E, at(25), 5));
    await deliver(Events.ResponseExtended, extension(E, at(15), 4));
    await deliver(Events.ResponseExtended, extension(S, at(20), 3));
    await deliver(Events.ResponseExtended, extension(U, at(20), 2));
    // A return written before returns carried a version is ordered by when it happened: an
    // extension made an hour before it, arriving after it, is older.
    await deliver(Events.ResponseReturned, {
      cycleId: '2565',
      responseId: randomUUID(),
      agencyId: R.id,
      agencyCode: R.code,
      comment: 'แนบหลักฐานที่ลงนามแล้ว',
      rejectedQuestions: ['p1_q1'],
      deadline: iso(at(13)),
    });
    await deliver(Events.ResponseExtended, extension(R, at(30), 2), { occurredAt: Date.now() - HOUR });
    expect(await deadlines()).toEqual({
      'DEP-EXT': { deadline: at(20), version: 5 },
      'DEP-RET': { deadline: at(13), version: null },
      'DEP-SUB': { deadline: at(20), version: 3 },
      'DEP-UNS': { deadline: at(20), version: 2 },
    });
  });

  it('tells an extended agency its own date in a reminder, in Thai (B.E.) and English', async () => {
    h.smtp.messages.length = 0;
    const reminder = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { label: 'manual-1', channels: ['email', 'line'] },
    });
    expect(reminder).toMatchObject({ agenciesSkipped: 1 }); // U has submitted
    await settled('remind-2565-manual-1_');
    const [toE] = mailTo(E, 'remind-2565-manual-1');
    const daysLeft = Math.ceil((at(20) - Date.now()) / DAY);
    expect(toE.subject).toBe(
      `แจ้งเตือน: กำหนดส่งการสำรวจระดับความพร้อมรัฐบาลดิจิทัล ปี 2565 ที่ขยายเวลาให้หน่วยงานของท่านจะสิ้นสุดในอีก ${daysLeft} วัน | ` +
        `Reminder: your extended deadline for the Digital Government Readiness Survey 2565 ends in ${daysLeft} days`,
    );
    expect(toE.text).toContain(
      `กำหนดส่งแบบสำรวจที่ขยายเวลาให้หน่วยงานของท่านคือวันที่ ${thaiLong(at(20))} เวลา 16:30 น. (อีก ${daysLeft} วัน)`,
    );
    expect(toE.text).toContain(
      `Your agency's extended deadline for the survey is in ${daysLeft} days, on ${englishLong(at(20))}, 16:30 (B.E. ${bangkok(at(20)).getUTCFullYear() + 543})`,
    );
    expect(toE.text).not.toContain(thaiLong(cycleCloses));
    // E was also told of the extension itself when it was granted (extension_granted); the reminder is the other push.
    const toEOnLine = h.line.pushes.filter((p) => p.to === E.contacts[0].lineId);
    expect(toEOnLine.some((p) => p.text.includes(`สพร. ขยายเวลาส่งแบบสำรวจของ ${E.nameTh}`))).toBe(true);
    const line = toEOnLine.find((p) => !p.text.includes('สพร. ขยายเวลาส่งแบบสำรวจของ'))!;
    expect(line.text).toContain(`กำหนดส่งแบบสำรวจที่ขยายเวลาให้ ${E.nameTh} คือวันที่ ${thaiShort(at(20))}`);
    // R's correction deadline is its own too; P has the cycle's, and no word of an extension.
    const toR = mailTo(R, 'remind-2565-manual-1')[0];
    expect(toR.text).toContain(`คือวันที่ ${thaiLong(at(13))} เวลา 16:30 น.`);
    // R was returned: it is reminded of its corrected response, not told it has not submitted.
    expect(toR.text).toContain('กำหนดส่งแบบสำรวจฉบับแก้ไขของหน่วยงานของท่าน');
    expect(toR.text).toContain('ยังไม่ได้ส่งแบบสำรวจที่แก้ไขแล้วกลับมา');
    const [toP] = mailTo(P, 'remind-2565-manual-1');
    expect(toP.text).toContain(`ระบบจะปิดรับแบบสำรวจในวันที่ ${thaiLong(cycleCloses)} เวลา 16:30 น.`);
    expect(`${toP.subject}${toP.text}`).not.toContain('ขยายเวลา');
  });

  it('leaves agencies with a later deadline out of the cycle’s scheduled reminder', async () => {
    const t7 = label(7, cycleCloses);
    expect((await sweeper.sweep(new Date(at(3) + 60_000))).reminders).toEqual([`2565/${t7}`]);
    await settled(`remind-2565-${t7}_`);
    const rows = (await h.ds.query(
      `SELECT DISTINCT agency_code AS code FROM deliveries WHERE campaign_id = $1 ORDER BY agency_code`,
      [`remind-2565-${t7}`],
    )) as { code: string }[];
    // X has no extension yet, so it hears the cycle's; U has submitted; E, S and R have their own.
    expect(rows.map((r) => r.code)).toEqual(['DEP-LATE', 'DEP-PLAIN']);
    const [campaign] = (await h.ds.query(`SELECT agencies_skipped AS n FROM campaigns WHERE id = $1`, [
      `remind-2565-${t7}`,
    ])) as { n: number }[];
    expect(campaign.n).toBe(4);
    expect(mailTo(E, `remind-2565-${t7}`)).toEqual([]);
  });

  it('sends each agency its own reminders before its deadline, once, and none once it has submitted', async () => {
    // Day 6 is T-14 of E and S (day 20) and T-7 of R (day 13). S submits while its reminder waits.
    await h.queue('email').pause();
    const { reminders } = await sweeper.sweep(new Date(at(6) + 60_000));
    expect(reminders.sort()).toEqual([ran(E, 14, at(20)), ran(R, 7, at(13)), ran(S, 14, at(20))].sort());
    // U: intake says submitted, so nothing is made and nothing recorded (the next sweep asks again).
    expect(await runsOf(U)).toEqual({});
    S.status = 'submitted';
    await deliver(Events.ResponseSubmitted, {
      cycleId: '2565',
      responseId: '00000000-0000-4000-8000-0000000000c5',
      agencyId: S.id,
      agencyCode: S.code,
      group: 'department',
      submission: 1,
      responseVersion: 6,
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      submittedAt: new Date().toISOString(),
    });
    await h.queue('email').resume();
    await settled(`remind-2565-`);
    const s = await h.deliveries(`channel = 'email' AND id LIKE $1`, [`remind-2565-${S.id}-%`]);
    expect(s.map((d) => [d.status, d.skip_reason])).toEqual([['skipped', 'already_submitted']]);
    expect(mailTo(E, `remind-2565-${E.id}-${label(14, at(20))}`)).toHaveLength(1);
    expect(mailTo(R, `remind-2565-${R.id}-${label(7, at(13))}`)).toHaveLength(1);
    // The same moment again: nothing new.
    expect((await sweeper.sweep(new Date(at(6) + 120_000))).reminders).toEqual([]);
  });

  it('goes on after the cycle has closed; a 3-day extension hears only T-1', async () => {
    h.others.cycleStatus = 'closed';
    await deliver(Events.CycleClosed, {
      cycleId: '2565',
      closedAt: iso(cycleCloses),
      submitted: 2,
      total: 6,
    });
    // X asks for 3 more days the day after the close.
    X.deadline = iso(at(14));
    await deliver(Events.ResponseExtended, extension(X, at(14), 4), { occurredAt: at(11) });

    expect((await sweeper.sweep(new Date(at(11) + HOUR))).reminders).toEqual([]);
    expect((await sweeper.sweep(new Date(at(12) + 60_000))).reminders).toEqual([ran(R, 1, at(13))]);
    expect((await sweeper.sweep(new Date(at(13) + 60_000))).reminders.sort()).toEqual(
      [ran(E, 7, at(20)), ran(X, 1, at(14))].sort(),
    );
    expect((await sweeper.sweep(new Date(at(13) + 120_000))).reminders).toEqual([]);
    expect((await sweeper.sweep(new Date(at(19) + 60_000))).reminders).toEqual([ran(E, 1, at(20))]);
    // Past every deadline: nothing more.
    expect((await sweeper.sweep(new Date(at(21)))).reminders).toEqual([]);
    await settled('remind-2565-');

    const campaignOf = (a: typeof E, d: number, deadline: number) =>
      `remind-2565-${a.id}-${label(d, deadline)}`;
    expect(await runsOf(E)).toEqual(
      Object.fromEntries([14, 7, 1].map((d) => [label(d, at(20)), campaignOf(E, d, at(20))])),
    );
    expect(await runsOf(R)).toEqual({
      [label(7, at(13))]: campaignOf(R, 7, at(13)),
      [label(1, at(13))]: campaignOf(R, 1, at(13)),
    });
    expect(await runsOf(X)).toEqual({ [label(1, at(14))]: campaignOf(X, 1, at(14)) });
    // U (submitted, says intake) never had a reminder made: offsets that passed are only recorded.
    expect(Object.values(await runsOf(U)).filter(Boolean)).toEqual([]);
    expect(await h.deliveries(`id LIKE $1`, [`remind-2565-${U.id}-%`])).toEqual([]);
    // E heard each of its own reminders once, the last one counting down from its own deadline.
    const own = h.smtp.messages.filter(
      (m) => m.to === E.contacts[0].email && m.messageId.startsWith(`<remind-2565-${E.id}-`),
    );
    expect(own).toHaveLength(3);
    const last = mailTo(E, `remind-2565-${E.id}-${label(1, at(20))}`)[0];
    expect(last.subject).toMatch(/ที่ขยายเวลาให้หน่วยงานของท่านจะสิ้นสุดในอีก 1 วัน \| .* ends in 1 day$/);
    expect(last.text).toContain(`คือวันที่ ${thaiLong(at(20))} เวลา 16:30 น. (อีก 1 วัน)`);
    expect(last.text).toContain(`is in 1 day, on ${englishLong(at(20))}, 16:30`);
    const [toX] = mailTo(X, `remind-2565-${X.id}-${label(1, at(14))}`);
    expect(toX.text).toContain(`คือวันที่ ${thaiLong(at(14))} เวลา 16:30 น. (อีก 1 วัน)`);
  });

  it('a late return, older than the submission and the extension, changes nothing', async () => {
    await deliver(
      Events.ResponseReturned,
      {
        cycleId: '2565',
        responseId: '00000000-0000-4000-8000-0000000000c5',
        agencyId: S.id,
        agencyCode: S.code,
        comment: 'แนบหลักฐานที่ลงนามแล้ว',
        rejectedQuestions: [],
        deadline: iso(at(25)),
        responseVersion: 2,
      },
      { occurredAt: Date.now() - HOUR },
    );
    expect(
      await h.ds.query(`SELECT 1 AS submitted FROM submitted_agencies WHERE agency_id = $1`, [S.id]),
    ).toEqual([{ submitted: 1 }]);
    expect((await deadlines())['DEP-SUB']).toEqual({ deadline: at(20), version: 3 });
  });

  it('adds the tables to a database that has the earlier ones, and takes them away again', async () => {
    const db = await createTestDatabase('ntfagdlmig');
    const index = notificationsMigrations.indexOf(AgencyDeadlines1796310000000);
    const ds = (migrations: typeof notificationsMigrations) =>
      new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations }));
    const tables = async (d: DataSource) =>
      (
        (await d.query(
          `SELECT table_name AS t FROM information_schema.tables
          WHERE table_name IN ('agency_deadlines', 'agency_reminder_runs', 'reminder_runs') ORDER BY table_name`,
        )) as { t: string }[]
      ).map((r) => r.t);
    const before = ds(notificationsMigrations.slice(0, index));
    await before.initialize();
    try {
      await before.runMigrations();
      await before.query(`INSERT INTO reminder_runs (cycle_id, label) VALUES ('2565', 'T-7-2022-07-31')`);
    } finally {
      await before.destroy();
    }
    const after = ds(notificationsMigrations);
    await after.initialize();
    try {
      expect((await after.runMigrations()).map((m) => m.name)).toEqual(['AgencyDeadlines1796310000000']);
      expect(await tables(after)).toEqual(['agency_deadlines', 'agency_reminder_runs', 'reminder_runs']);
      await after.undoLastMigration();
      expect(await tables(after)).toEqual(['reminder_runs']);
      expect(await after.query(`SELECT label FROM reminder_runs`)).toEqual([{ label: 'T-7-2022-07-31' }]);
    } finally {
      await after.destroy();
      await db.drop();
    }
  });
});
