import { randomUUID } from 'node:crypto';
import { Events, Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { admin, contact, type NotificationsHarness, startNotifications, testAgency } from './harness';
import { linkProblems } from './support/portal-addresses';

const PORTAL = 'https://survey.example.go.th';

/**
 * The people of an agency hear about its response, not only the registry's contacts: the head
 * (approver accounts) when a response awaits approval, the coordinators when the head sends it
 * back, coordinators and approvers with the contacts for a receipt and an extension. Users come
 * from the gateway (gateway.user.agency); one address hears a message once, and an address opted
 * out as a contact is not reached as a user either.
 */
describe('notifications to the users of an agency, by role', () => {
  let h: NotificationsHarness;
  const ids = { coord: randomUUID(), second: randomUUID(), head: randomUUID(), quiet: randomUUID() };
  const P = testAgency('DEP-P', (id) => [
    contact(id, 'coord@dep-p.go.th', 'Ua2000000000000000000000000000777'),
    contact(id, 'Coord@Dep-P.go.th '), // the same e-mail entered twice: one message
    contact(id, 'quiet@dep-p.go.th'), // opts out of e-mail below
  ]);
  P.users = [
    { id: ids.coord, email: 'coord@dep-p.go.th', displayName: 'สมศรี ประสานงาน', roles: ['coordinator'] },
    { id: ids.second, email: 'second@dep-p.go.th', displayName: 'สมชาย ผู้ช่วย', roles: ['coordinator'] },
    { id: ids.head, email: 'head@dep-p.go.th', displayName: 'อธิบดี กรมทดสอบ', roles: ['approver'] },
    { id: ids.quiet, email: 'QUIET@dep-p.go.th', displayName: 'เงียบ', roles: ['approver'] },
  ];
  const responseId = randomUUID();
  const base = { cycleId: '2565', responseId, agencyId: P.id, agencyCode: P.code };

  beforeAll(async () => {
    h = await startNotifications('ntfpeople');
    h.others.agencies = [P];
    await h.call(Rpc.OptOutSet, { contactId: P.contacts[2].id, channel: 'email', optedOut: true }, admin);
  });
  afterAll(async () => h?.close());

  const settled = (templateKey: string, n: number) =>
    waitFor(async () => {
      const rows = await h.deliveries(`template_key = '${templateKey}'`);
      return rows.length === n && rows.every((r) => r.status !== 'queued') ? rows : undefined;
    }, 30_000);
  const mailsOf = (templateKey: string) =>
    waitFor(async () => {
      const sent = await h.deliveries(
        `template_key = '${templateKey}' AND status = 'sent' AND channel = 'email'`,
      );
      const mails = h.smtp.messages.filter((m) => sent.some((d) => m.messageId === `<${d.id}@dg-platform>`));
      return mails.length === sent.length ? mails : undefined;
    }, 10_000);

  it('tells the approvers that a response awaits their approval (and no one else)', async () => {
    await h.publish(Events.ResponseApprovalRequested, {
      ...base,
      responseVersion: 5,
      submission: 1,
      requestedAt: '2022-07-10T10:15:00+07:00',
    });
    const rows = await settled('approval_requested', 2);
    expect(rows.map((r) => [r.contact_id, r.channel, r.status, r.skip_reason]).sort()).toEqual(
      [
        [ids.head, 'email', 'sent', null],
        // the approver's address is a contact's that opted out of e-mail: consent holds
        [ids.quiet, 'email', 'skipped', 'opted_out'],
      ].sort(),
    );
    const [mail] = await mailsOf('approval_requested');
    expect(mail.to).toBe('head@dep-p.go.th');
    expect(mail.subject).toContain('รอการอนุมัติจากท่าน');
    expect(mail.text).toContain('เรียน อธิบดี กรมทดสอบ');
    expect(mail.text).toContain('10 กรกฎาคม 2565');
    expect(mail.text).toContain(`${PORTAL}/cycles/2565/response`);
    expect(linkProblems(mail.text + mail.html, PORTAL)).toEqual([]);
  });

  it('tells the coordinators when the head sends it back, with the head’s comment', async () => {
    await h.publish(Events.ResponseSentBack, {
      ...base,
      responseVersion: 6,
      comment: 'ข้อ 2.1 โปรดแนบแผนฉบับลงนาม',
      submittedBy: ids.coord,
    });
    const rows = await settled('response_sent_back', 2);
    expect(rows.map((r) => r.contact_id).sort()).toEqual([ids.coord, ids.second].sort());
    const mails = await mailsOf('response_sent_back');
    expect(mails.map((m) => m.to).sort()).toEqual(['coord@dep-p.go.th', 'second@dep-p.go.th']);
    expect(mails[0].text).toContain('ความเห็นของผู้บริหาร');
    expect(mails[0].text).toContain('ข้อ 2.1 โปรดแนบแผนฉบับลงนาม');
    expect(mails[0].subject).toContain('ส่งแบบสำรวจของ หน่วยงาน DEP-P กลับให้แก้ไข');
  });

  it('sends a receipt to the contacts, coordinators and approvers: each address once', async () => {
    await h.publish(Events.ResponseSubmitted, {
      ...base,
      group: 'department',
      submission: 1,
      responseVersion: 8,
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      submittedAt: '2022-07-20T10:15:00+07:00',
      submittedBy: ids.coord,
    });
    // 3 contacts × 2 channels + 4 users × e-mail
    const rows = await settled('submission_receipt', 10);
    const sentMail = rows.filter((r) => r.channel === 'email' && r.status === 'sent');
    expect(sentMail.map((r) => r.contact_id).sort()).toEqual([P.contacts[0].id, ids.second, ids.head].sort());
    const skipped = Object.fromEntries(
      rows
        .filter((r) => r.channel === 'email' && r.status === 'skipped')
        .map((r) => [r.contact_id, r.skip_reason]),
    );
    expect(skipped).toEqual({
      [P.contacts[1].id]: 'duplicate', // the same address as the first contact
      [ids.coord]: 'duplicate', // the coordinator is that contact
      [P.contacts[2].id]: 'opted_out',
      [ids.quiet]: 'opted_out',
    });
    await mailsOf('submission_receipt');
    expect(
      h.smtp.messages
        .filter((m) => m.messageId.startsWith(`<receipt-${responseId}-1_`))
        .map((m) => m.to)
        .sort(),
    ).toEqual(['coord@dep-p.go.th', 'head@dep-p.go.th', 'second@dep-p.go.th']);
    expect(rows.filter((r) => r.channel === 'line' && r.status === 'sent')).toHaveLength(1);
  });

  it('tells everyone of the agency that an extension was granted, once however often the event comes', async () => {
    const extended = {
      ...base,
      deadline: '2022-08-05T23:59:59+07:00',
      reason: 'ปรับโครงสร้างหน่วยงาน',
      responseVersion: 9,
    };
    await h.publish(Events.ResponseExtended, extended);
    await h.publish(Events.ResponseExtended, extended); // a new event id, the same grant
    const rows = await settled('extension_granted', 10);
    expect(rows.filter((r) => r.status === 'sent' || r.status === 'queued')).toHaveLength(4); // 3 e-mails, 1 LINE
    const mails = await mailsOf('extension_granted');
    expect(mails.map((m) => m.to).sort()).toEqual([
      'coord@dep-p.go.th',
      'head@dep-p.go.th',
      'second@dep-p.go.th',
    ]);
    expect(mails[0].text).toContain('5 สิงหาคม 2565');
    expect(mails[0].text).toContain('ปรับโครงสร้างหน่วยงาน');
    const push = h.line.pushes.find((p) => p.text.includes('ขยายเวลา'));
    expect(push?.text).toContain(`${PORTAL}/cycles/2565/response`);
  });
});
