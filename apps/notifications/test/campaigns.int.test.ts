import { randomUUID } from 'node:crypto';
import { DomainError, Events, Rpc } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Sweeper } from '../src/campaigns/sweeper';
import { QUEUES, SWEEP_JOB } from '../src/deliveries/jobs';
import {
  admin,
  contact,
  coordinatorOf,
  type NotificationsHarness,
  startNotifications,
  testAgency,
} from './harness';
import { linkProblems } from './support/portal-addresses';

const briefing = {
  startsAt: '2022-05-25T09:00:00+07:00',
  endsAt: '2022-05-25T12:00:00+07:00',
  venue: 'ห้องประชุม สพร. ชั้น 17',
  meetingLink: 'https://meet.example.go.th/briefing-2565',
  documents: [{ name: 'คู่มือการตอบแบบสำรวจ', url: 'https://example.go.th/manual-2565.pdf' }],
  channels: ['email', 'line'] as ('email' | 'line')[],
};

/**
 * Cohort-wide messages against a real SMTP server and a LINE stand-in: the briefing invitation,
 * reminders (manual and scheduled), consent, and the delivery log.
 */
describe('notifications campaigns', () => {
  let h: NotificationsHarness;
  const A = testAgency('DEP-A', (id) => [
    contact(id, 'a1@dep-a.go.th', 'Ua1000000000000000000000000000001'),
    contact(id, 'a2@dep-a.go.th'),
  ]);
  const B = testAgency('DEP-B', (id) => [contact(id, 'b1@dep-b.go.th')]);
  const C = testAgency('DEP-C', (id) => [contact(id, null, 'Uc1000000000000000000000000000001')]);
  const D = testAgency('DEP-D', (id) => [contact(id, 'd1@dep-d.go.th')], 'submitted');

  beforeAll(async () => {
    h = await startNotifications('ntfcamp');
    h.others.agencies = [A, B, C, D];
  });
  afterAll(async () => {
    await h?.close();
  });

  const sent = () => h.deliveries(`status = 'sent'`);

  it('sends the briefing invitation to every cohort contact once per channel, with the attachment', async () => {
    const put = () =>
      h.app.get(FileTransfer).put(
        {
          objectName: `announcement/${randomUUID()}`,
          fileName: 'กำหนดการ.pdf',
          contentType: 'application/pdf',
        },
        Buffer.from('%PDF-1.4 briefing'),
      );
    const first = await h.call(Rpc.AnnouncementSend, {
      cycleId: '2565',
      briefing: { ...briefing, attachments: [await put()] },
    });
    // 5 contacts × 2 channels = 10 rows: 4 e-mails and 2 LINE messages go out; 4 have no address on a channel.
    expect(first).toMatchObject({
      kind: 'announcement',
      templateKey: 'briefing_invitation',
      queued: 6,
      skipped: 4,
    });
    await waitFor(async () => ((await sent()).length === 6 ? true : undefined), 20_000);
    expect(h.smtp.messages.map((m) => m.to).sort()).toEqual([
      'a1@dep-a.go.th',
      'a2@dep-a.go.th',
      'b1@dep-b.go.th',
      'd1@dep-d.go.th',
    ]);
    expect(h.line.pushes.map((p) => p.to).sort()).toEqual([
      'Ua1000000000000000000000000000001',
      'Uc1000000000000000000000000000001',
    ]);
    const mail = h.smtp.messages.find((m) => m.to === 'b1@dep-b.go.th')!;
    expect(mail.subject).toMatch(/[\u0E00-\u0E7F]/); // Thai first
    expect(mail.text).toContain('https://meet.example.go.th/briefing-2565');
    expect(mail.text).toContain('2565'); // the B.E. year
    expect(mail.attachments.map((a) => a.fileName)).toEqual(['กำหนดการ.pdf']);
    const skipped = await h.deliveries(`status = 'skipped'`);
    expect(skipped.every((d) => d.skip_reason === 'no_address')).toBe(true);

    // The same briefing again: the same campaign, nothing new queued or sent.
    const again = await h.call(Rpc.AnnouncementSend, {
      cycleId: '2565',
      briefing: { ...briefing, attachments: [await put()] },
    });
    expect(again.id).toBe(first.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.smtp.messages).toHaveLength(4);
    expect(h.line.pushes).toHaveLength(2);
  });

  it('reminds only agencies that have not submitted, and checks again just before sending', async () => {
    h.smtp.messages.length = 0;
    await h.queue('email').pause();
    const reminder = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { label: 'test-1', channels: ['email'] },
    });
    // D submitted before the reminder was made: left out.
    expect(reminder).toMatchObject({ kind: 'reminder', queued: 3, agenciesSkipped: 1 });
    // B submits while the reminder waits in the queue.
    await h.publish(Events.ResponseSubmitted, {
      cycleId: '2565',
      responseId: '00000000-0000-4000-8000-00000000000b',
      agencyId: B.id,
      agencyCode: B.code,
      group: 'department',
      submission: 1,
      responseVersion: 4,
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      submittedAt: new Date().toISOString(),
    });
    await waitFor(
      async () =>
        ((await h.ds.query(`SELECT 1 FROM submitted_agencies WHERE agency_id = $1`, [B.id])) as unknown[])
          .length > 0,
      10_000,
    );
    await h.queue('email').resume();
    await waitFor(
      async () =>
        (await h.deliveries(`template_key = 'deadline_reminder' AND status = 'queued'`)).length === 0
          ? true
          : undefined,
      20_000,
    );
    // (B's submission also brought B a receipt; the reminders are the messages whose id says so.)
    const reminders = h.smtp.messages.filter((m) => m.messageId.startsWith('<remind-2565-test-1'));
    expect(reminders.map((m) => m.to).sort()).toEqual(['a1@dep-a.go.th', 'a2@dep-a.go.th']);
    expect(reminders.find((m) => m.to === 'b1@dep-b.go.th')).toBeUndefined();
    const b = await h.deliveries(`template_key = 'deadline_reminder' AND agency_id = $1`, [B.id]);
    expect(b.map((d) => [d.status, d.skip_reason])).toEqual([['skipped', 'already_submitted']]);
  });

  it('answers CONTACT_NOT_FOUND for opting a contact the registry does not have in or out, and stores nothing', async () => {
    const nobody = '00000000-0000-4000-8000-00000000dead';
    for (const optedOut of [true, false]) {
      const e = await h
        .call(Rpc.OptOutSet, { contactId: nobody, channel: 'email', optedOut })
        .catch((x: unknown) => x);
      expect((e as DomainError).code).toBe('CONTACT_NOT_FOUND');
    }
    expect(await h.ds.query(`SELECT 1 FROM opt_outs WHERE contact_id = $1`, [nobody])).toEqual([]);
    // A contact just added in the registry, that no message has reached yet, is the agency's
    // coordinator's to opt out (and no other agency's); an erased one is gone.
    const fresh = contact(B.id, 'b2@dep-b.go.th');
    B.contacts.push(fresh);
    try {
      const set = await h.call(
        Rpc.OptOutSet,
        { contactId: fresh.id, channel: 'line', optedOut: true },
        coordinatorOf(B.id),
      );
      expect(set).toMatchObject({ contactId: fresh.id, channel: 'line', optedOut: true });
      await h.call(
        Rpc.OptOutSet,
        { contactId: fresh.id, channel: 'line', optedOut: false },
        coordinatorOf(B.id),
      );
      const other = await h
        .call(Rpc.OptOutSet, { contactId: fresh.id, channel: 'line', optedOut: true }, coordinatorOf(A.id))
        .catch((x: unknown) => x);
      expect((other as DomainError).code).toBe('CONTACT_NOT_FOUND');
      fresh.erasedAt = new Date().toISOString();
      const erased = await h
        .call(Rpc.OptOutSet, { contactId: fresh.id, channel: 'email', optedOut: true })
        .catch((x: unknown) => x);
      expect((erased as DomainError).code).toBe('CONTACT_NOT_FOUND');
    } finally {
      B.contacts.pop();
    }
  });

  it('never messages an opted-out or erased contact, and the log says why', async () => {
    const [a1, a2] = A.contacts;
    await h.call(Rpc.OptOutSet, { contactId: a1.id, channel: 'email', optedOut: true }, coordinatorOf(A.id));
    const other = await h
      .call(Rpc.OptOutSet, { contactId: a1.id, channel: 'email', optedOut: true }, coordinatorOf(B.id))
      .catch((e: unknown) => e);
    expect((other as DomainError).code).toBe('CONTACT_NOT_FOUND');
    await h.publish(Events.ContactErased, {
      contactId: a2.id,
      agencyId: A.id,
      erasedAt: new Date().toISOString(),
    });
    await waitFor(
      async () =>
        ((await h.ds.query(`SELECT 1 FROM erased_contacts WHERE contact_id = $1`, [a2.id])) as unknown[])
          .length > 0,
      10_000,
    );
    h.smtp.messages.length = 0;
    await h.call(Rpc.ReminderSend, { cycleId: '2565', input: { label: 'test-2', channels: ['email'] } });
    await waitFor(
      async () =>
        (await h.deliveries(`id LIKE 'remind-2565-test-2%' AND status = 'queued'`)).length === 0
          ? true
          : undefined,
      20_000,
    );
    expect(h.smtp.messages.map((m) => m.to)).not.toContain('a1@dep-a.go.th');
    expect(h.smtp.messages.map((m) => m.to)).not.toContain('a2@dep-a.go.th');
    const log = await h.call(Rpc.DeliveryList, {
      agencyId: A.id,
      templateKey: 'deadline_reminder',
      page: 1,
      pageSize: 50,
    });
    const test2 = log.items.filter((d) => d.campaignId === 'remind-2565-test-2');
    expect(test2.map((d) => [d.contactId, d.status, d.skipReason]).sort()).toEqual(
      [
        [a1.id, 'skipped', 'opted_out'],
        [a2.id, 'skipped', 'erased'],
      ].sort(),
    );
    expect(test2.every((d) => d.address === null)).toBe(true); // no address kept for them
    // A coordinator reads their own agency's log only.
    const own = await h.call(Rpc.DeliveryList, { page: 1, pageSize: 500 }, coordinatorOf(B.id));
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((d) => d.agencyId === B.id)).toBe(true);
    expect(own.items.find((d) => d.address)?.address).toMatch(/^b1\*\*\*@dep-b\.go\.th$/);
  });

  it('sends the scheduled reminder that is due, once, and records the ones that passed', async () => {
    await h.publish(Events.CycleOpened, {
      cycleId: '2565',
      yearBE: 2565,
      opensAt: new Date().toISOString(),
      closesAt: h.others.closesAt,
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      agencyCount: 4,
    });
    await waitFor(
      async () =>
        ((await h.ds.query(`SELECT 1 FROM cycles WHERE cycle_id = '2565'`)) as unknown[]).length > 0,
      10_000,
    );
    const sweeper = h.app.get(Sweeper);
    const closes = Date.parse(h.others.closesAt);
    // Scheduled runs are labelled with the deadline's day in Bangkok (UTC+7): T-7-<day>.
    const day = new Date(closes + 7 * 3_600_000).toISOString().slice(0, 10);
    expect((await sweeper.sweep(new Date(closes - 20 * 86_400_000))).reminders).toEqual([]);
    // Six days before: T-14 and T-7 are due; only the latest goes out, T-14 is recorded as passed.
    expect((await sweeper.sweep(new Date(closes - 6 * 86_400_000))).reminders).toEqual([`2565/T-7-${day}`]);
    expect((await sweeper.sweep(new Date(closes - 6 * 86_400_000 + 60_000))).reminders).toEqual([]);
    const runs = (await h.ds.query(
      `SELECT label, campaign_id FROM reminder_runs WHERE cycle_id = '2565' AND label LIKE 'T-%' ORDER BY label`,
    )) as {
      label: string;
      campaign_id: string | null;
    }[];
    expect(runs).toEqual([
      { label: `T-14-${day}`, campaign_id: null },
      { label: `T-7-${day}`, campaign_id: `remind-2565-T-7-${day}` },
    ]);
  });

  it('puts the sweep schedule back when Redis has lost it, and re-queues the deliveries whose jobs went with it', async () => {
    const sweeper = h.app.get(Sweeper);
    const queue = h.app.get<Queue>(getQueueToken(QUEUES.sweep));
    expect(await sweeper.ensureScheduled()).toBe(false); // there: nothing to do
    // A delivery queued a moment ago whose job Redis lost (not yet old enough for the usual sweep).
    const [row] = (await h.ds.query(
      `SELECT id FROM deliveries WHERE channel = 'email' AND status = 'sent' LIMIT 1`,
    )) as {
      id: string;
    }[];
    await h.ds.query(`UPDATE deliveries SET status = 'queued', updated_at = now() WHERE id = $1`, [row.id]);
    await (await h.app.get<Queue>(getQueueToken(QUEUES.email)).getJob(row.id))?.remove();
    await queue.removeJobScheduler(SWEEP_JOB);
    expect(await queue.getJobScheduler(SWEEP_JOB)).toBeFalsy();
    expect(await sweeper.ensureScheduled()).toBe(true);
    expect(await queue.getJobScheduler(SWEEP_JOB)).toBeTruthy();
    await waitFor(async () => {
      const [d] = (await h.ds.query(`SELECT status FROM deliveries WHERE id = $1`, [row.id])) as {
        status: string;
      }[];
      return d.status !== 'queued' ? true : undefined; // sent again (or skipped, as its contact now is)
    }, 20_000);
  });

  it('tells the contacts of the agencies that answered when results are published, and nobody else', async () => {
    h.smtp.messages.length = 0;
    C.status = 'verified'; // C and D answered (D is submitted); A and B never did, as far as intake knows
    await h.publish(Events.ResultsPublished, {
      cycleId: '2565',
      publishedAt: new Date().toISOString(),
      rulesVersion: 1,
      scored: 4,
      byGroup: { department: 4 },
    });
    await waitFor(async () => {
      const rows = await h.deliveries(`template_key = 'results_published' AND status = 'sent'`);
      return rows.length === 2 ? rows : undefined; // D by e-mail, C by LINE
    }, 20_000);
    const mail = h.smtp.messages.find((m) => m.to === 'd1@dep-d.go.th')!;
    expect(mail.text).toContain(`https://survey.example.go.th/results/2565/agencies/${D.code}`);
    expect(linkProblems(mail.text + mail.html, 'https://survey.example.go.th')).toEqual([]);
    const [campaign] = (await h.ds.query(
      `SELECT queued, agencies_skipped AS "agenciesSkipped" FROM campaigns WHERE id = 'results-2565'`,
    )) as { queued: number; agenciesSkipped: number }[];
    expect(campaign).toEqual({ queued: 2, agenciesSkipped: 2 });
    const rows = (await h.ds.query(
      `SELECT DISTINCT agency_id AS "agencyId" FROM deliveries WHERE template_key = 'results_published'`,
    )) as { agencyId: string }[];
    expect(rows.map((r) => r.agencyId).sort()).toEqual([C.id, D.id].sort());
    expect(admin.roles).toContain('dga_admin');
  });
});
