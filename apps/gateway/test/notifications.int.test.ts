import type { INestApplicationContext } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import type { Agency, RpcSubject, StoredFile } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import {
  StandInContact,
  StandInNotifications,
  startStandInNotifications,
} from './support/stand-in-notifications';
import { TestGateway } from './support/gateway';

const PROBLEM = /^application\/problem\+json/;
const MiB = 1024 * 1024;

const briefing = (over: Record<string, unknown> = {}) => ({
  startsAt: '2022-05-25T09:30:00+07:00',
  endsAt: '2022-05-25T12:00:00+07:00',
  venue: 'ห้องประชุม สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)',
  meetingLink: 'https://meet.example.go.th/dg-2565',
  documents: [{ name: 'กำหนดการ.pdf', url: 'https://www.dga.or.th/docs/agenda-2565.pdf' }],
  channels: ['email', 'line'],
  ...over,
});

/** A briefing with one attachment of `bytes` random bytes, and the sha-256 of those bytes. */
const withAttachment = (bytes: number, fileName = 'คู่มือการตอบแบบสำรวจ.pdf') => {
  const content = randomBytes(bytes);
  return {
    body: briefing({
      attachments: [{ fileName, contentType: 'application/pdf', contentBase64: content.toString('base64') }],
    }),
    sha256: sha256(content),
  };
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An attachment as the gateway passes it on: a reference into the transfer bucket. */
const storedAttachment = (fileName: string, size: number): StoredFile => ({
  objectName: expect.stringMatching(/^announcement\/[0-9a-f-]{36}$/),
  fileName,
  contentType: 'application/pdf',
  size,
});

const templateTexts = (over: Record<string, unknown> = {}) => ({
  subject: { th: 'ขอเชิญประชุมชี้แจง {{agencyName}}', en: 'Briefing invitation for {{agencyName}}' },
  html: { th: '<p>เรียน {{agencyName}} ณ {{venue}}</p>', en: '<p>Dear {{agencyName}}, at {{venue}}</p>' },
  text: { th: 'เรียน {{agencyName}}', en: 'Dear {{agencyName}}' },
  line: { th: 'ประชุมชี้แจง {{startsAt}}', en: 'Briefing {{startsAt}}' },
  ...over,
});

/**
 * The notification routes, over real NATS to a stand-in notifications service (the real one is
 * tested in its own app, the two together in e2e/): each route reaches its `notifications.*`
 * subject with the right payload, actor and correlation id; roles, path segments, queries and
 * bodies are checked before the service hears of it; the service's DomainErrors come back as
 * problem+json with their stable code; the announcement takes base64 attachments past the 1 MiB
 * JSON limit of every other route, puts each file in the transfer bucket and sends the service
 * references (`StoredFile`), so a briefing with 3 MB of files fits the shared NATS server's default
 * 1 MiB `max_payload`.
 */
describe('notification routes: HTTP to notifications RPCs', () => {
  let gw: TestGateway;
  let notificationsApp: INestApplicationContext | undefined;
  let notifications: StandInNotifications;
  let agency: Agency;
  let other: Agency;
  let admin: string;
  let operator: string;
  let committee: string;
  let coordinator: string;
  let approver: string;
  let adminId: string;
  let operatorId: string;
  let coordinatorId: string;

  beforeAll(async () => {
    gw = await TestGateway.start();
    ({ app: notificationsApp, notifications } = await startStandInNotifications(
      gw.config.nats.url,
      gw.config.nats.prefix,
    ));
    admin = await gw.adminToken();
    adminId = (await gw.api('GET', '/auth/me', { token: admin })).body.id;
    agency = gw.registry.addAgency({ code: 'DEP-NOTIFY' });
    other = gw.registry.addAgency({ code: 'DEP-OTHER' });
    const [coordinatorUser, approverUser, operatorUser, committeeUser] = await Promise.all([
      gw.userWithRoles(['coordinator'], agency.id),
      gw.userWithRoles(['approver'], agency.id),
      gw.userWithRoles(['operator']),
      gw.userWithRoles(['committee']),
    ]);
    ({
      token: coordinator,
      user: { id: coordinatorId },
    } = coordinatorUser);
    ({
      token: operator,
      user: { id: operatorId },
    } = operatorUser);
    approver = approverUser.token;
    committee = committeeUser.token;
  });

  afterAll(async () => {
    await notificationsApp?.close();
    await gw?.close();
  });

  const last = (subject: RpcSubject) => notifications.lastCall(subject)!;
  const calls = () => notifications.calls.length;

  /** The attachments of the last announcement the service received. */
  const sentAttachments = () =>
    (last(Rpc.AnnouncementSend).request as { briefing: { attachments: StoredFile[] } }).briefing.attachments;

  /** The sha-256 of an object in the transfer bucket, read back as the service would (null: not there). */
  const storedSha256 = async (objectName: string) => {
    const bytes = await gw.app.get(FileTransfer).get(objectName);
    return bytes ? sha256(bytes) : null;
  };

  const contact = (over: Partial<StandInContact> = {}): StandInContact => ({
    id: randomUUID(),
    email: 'somchai@agency.go.th',
    lineId: 'somchai.line',
    ...over,
  });

  /**
   * A fresh cycle: our agency with a contact on both channels and one with e-mail only, the other
   * agency with a contact who opted out of e-mail.
   */
  let seq = 0;
  const freshCycle = () => {
    const cycleId = `n${++seq}`;
    const optedOut = contact({ email: 'optout@other.go.th' });
    notifications.addCycle(cycleId, [
      {
        agencyId: agency.id,
        agencyCode: agency.code,
        contacts: [contact(), contact({ email: 'mali@agency.go.th', lineId: null })],
      },
      { agencyId: other.id, agencyCode: other.code, contacts: [optedOut], submitted: true },
    ]);
    notifications.optOuts.set(`${optedOut.id}/email`, new Date().toISOString());
    return cycleId;
  };

  describe('announcements', () => {
    it('sends the briefing invitation (202 with the campaign) with the briefing, actor and correlation id reaching notifications', async () => {
      const cycleId = freshCycle();
      const body = briefing();
      const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, {
        token: operator,
        body,
        headers: { 'x-correlation-id': 'briefing-1' },
      });
      expect(res.status).toBe(202);
      // Both channels for the first contact, e-mail for the second (no LINE id: skipped), LINE for
      // the opted-out one (e-mail: skipped).
      expect(res.body).toEqual({
        id: expect.any(String),
        cycleId,
        kind: 'announcement',
        templateKey: 'briefing_invitation',
        queued: 4,
        skipped: 2,
        agenciesSkipped: 0,
        createdAt: expect.any(String),
        createdBy: operatorId,
      });
      const call = last(Rpc.AnnouncementSend);
      expect(call.request).toEqual({ cycleId, briefing: { ...body, attachments: [] } });
      expect(call.ctx.correlationId).toBe('briefing-1');
      expect(call.ctx.actor).toMatchObject({ id: operatorId, roles: ['operator'] });

      // The same briefing again queues nothing new.
      const again = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ id: res.body.id, queued: 0 });
      expect(last(Rpc.AnnouncementSend).ctx.actor.roles).toEqual(['dga_admin']);

      // The opted-out contact is in the log as skipped.
      const skipped = await gw.api(
        'GET',
        `/notifications?cycleId=${cycleId}&status=skipped&templateKey=briefing_invitation`,
        { token: admin },
      );
      expect(skipped.status).toBe(200);
      expect(skipped.body).toMatchObject({ total: 2, byStatus: { queued: 4, skipped: 2 } });
      expect(
        (skipped.body.items as { skipReason: string; channel: string }[])
          .map((d) => `${d.channel}:${d.skipReason}`)
          .sort(),
      ).toEqual(['email:opted_out', 'line:no_address']);
    });

    it('fills in the defaults (channels, documents, attachments) and passes attachments as references to the stored bytes', async () => {
      const cycleId = freshCycle();
      const minimal = { startsAt: '2022-05-25T02:30:00Z' };
      const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body: minimal });
      expect(res.status).toBe(202);
      expect(last(Rpc.AnnouncementSend).request).toEqual({
        cycleId,
        briefing: { ...minimal, documents: [], attachments: [], channels: ['email', 'line'] },
      });

      const manual = randomBytes(20_000);
      const map = randomBytes(1234);
      const pdf = (fileName: string, content: Buffer) => ({
        fileName,
        contentType: 'application/pdf',
        contentBase64: content.toString('base64'),
      });
      const attachments = [
        pdf('คู่มือการตอบแบบสำรวจ.pdf', manual),
        // A path in the name is dropped: only the base name is kept.
        pdf('../../etc/แผนที่.pdf', map),
      ];
      const body = briefing({ attachments, channels: ['email'] });
      const withFiles = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
      expect(withFiles.status).toBe(202);
      expect(last(Rpc.AnnouncementSend).request).toEqual({
        cycleId,
        briefing: {
          ...body,
          attachments: [
            storedAttachment('คู่มือการตอบแบบสำรวจ.pdf', 20_000),
            storedAttachment('แผนที่.pdf', 1234),
          ],
        },
      });
      const [first, second] = sentAttachments();
      expect(first.objectName).not.toBe(second.objectName);
      expect(await storedSha256(first.objectName)).toBe(sha256(manual));
      expect(await storedSha256(second.objectName)).toBe(sha256(map));

      // The same briefing with the same files again queues nothing new, though stored anew.
      const again = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ id: withFiles.body.id, queued: 0 });
      expect(sentAttachments()[0].objectName).not.toBe(first.objectName);
    });

    it('refuses a bad briefing with 400 VALIDATION_FAILED naming the field, before notifications hears of it', async () => {
      const cycleId = freshCycle();
      const before = calls();
      const attachment = { fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0=' };
      for (const [body, path] of [
        [{ ...briefing(), startsAt: undefined }, 'startsAt'],
        [briefing({ startsAt: '2022-05-25 09:30' }), 'startsAt'],
        [briefing({ startsAt: '2022-05-25T09:30:00' }), 'startsAt'], // no offset
        [briefing({ meetingLink: 'meet at the ministry' }), 'meetingLink'],
        [briefing({ channels: [] }), 'channels'],
        [briefing({ channels: ['sms'] }), 'channels.0'],
        [briefing({ documents: [{ name: '', url: 'https://dga.or.th/a.pdf' }] }), 'documents.0.name'],
        [briefing({ attachments: [{ ...attachment, contentType: 'PDF' }] }), 'attachments.0.contentType'],
        [briefing({ attachments: Array.from({ length: 11 }, () => attachment) }), 'attachments'],
        [briefing({ subject: 'extra field' }), ''],
      ] as const) {
        const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
        expect({ path, status: res.status, code: res.body.code }).toEqual({
          path,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
        expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
      }
      // Links people will open: https:// only (the portal and the e-mails render them as links).
      for (const [body, path] of [
        [briefing({ meetingLink: 'javascript:alert(document.cookie)' }), 'meetingLink'],
        [briefing({ meetingLink: 'http://meet.example.go.th/briefing' }), 'meetingLink'],
        [
          briefing({ documents: [{ name: 'กำหนดการ', url: 'data:text/html,<script>alert(1)</script>' }] }),
          'documents.0.url',
        ],
      ] as const) {
        const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
        expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
        expect(res.body.errors).toEqual([expect.objectContaining({ path, code: 'UNSAFE_URL' })]);
      }
      const notJson = await gw.api('POST', `/cycles/${cycleId}/announcements`, {
        token: admin,
        raw: '{"startsAt": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(notJson.status).toBe(400);
      const noBody = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin });
      expect(noBody.status).toBe(400);
      for (const bad of ['a.b', '-2565', 'x'.repeat(65)]) {
        const res = await gw.api('POST', `/cycles/${bad}/announcements`, { token: admin, body: briefing() });
        expect({ bad, status: res.status, code: res.body.code }).toEqual({
          bad,
          status: 404,
          code: 'CYCLE_NOT_FOUND',
        });
      }
      expect(calls()).toBe(before);

      const unknown = await gw.api('POST', '/cycles/2599/announcements', { token: admin, body: briefing() });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('CYCLE_NOT_FOUND');
      expect(last(Rpc.AnnouncementSend).request).toMatchObject({ cycleId: '2599' });
    });

    it('passes ATTACHMENTS_TOO_LARGE (413) through as problem+json', async () => {
      const cycleId = freshCycle();
      notifications.failNext(Rpc.AnnouncementSend, new DomainError('ATTACHMENTS_TOO_LARGE'));
      const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, {
        token: admin,
        body: withAttachment(1000).body,
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 413, code: 'ATTACHMENTS_TOO_LARGE' });
      expect(res.body.detail).toMatch(/5 MB/);
    });

    it('reads bodies up to 8 MB on this route only (413 PAYLOAD_TOO_LARGE beyond, and over 1 MiB elsewhere)', async () => {
      const cycleId = freshCycle();
      const before = calls();
      // Two attachments of 4.2 MB of base64 each: past the route's 8 MB.
      const part = {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        contentBase64: 'A'.repeat(4_200_000),
      };
      const huge = await gw.api('POST', `/cycles/${cycleId}/announcements`, {
        token: admin,
        body: briefing({ attachments: [part, part] }),
      });
      expect(huge.status).toBe(413);
      expect(huge.headers.get('content-type')).toMatch(PROBLEM);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');

      const twoMiB = 'x'.repeat(2 * MiB);
      for (const [method, path, body] of [
        ['POST', `/cycles/${cycleId}/reminders`, { label: 'big', channels: ['email'], pad: twoMiB }],
        ['PUT', '/templates/briefing_invitation', { ...templateTexts(), version: 1, pad: twoMiB }],
        ['POST', '/templates/briefing_invitation/preview', { variables: { pad: twoMiB } }],
        ['PUT', `/contacts/${randomUUID()}/channels/email`, { optedOut: true, pad: twoMiB }],
      ] as const) {
        const res = await gw.api(method, path, { token: admin, body });
        expect({ path, status: res.status, code: res.body.code }).toEqual({
          path,
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
      }
      expect(calls()).toBe(before);
    });

    it('takes a 3 MB attachment past the 1 MiB JSON limit over the shared NATS server (default max_payload): 202, the service gets its bytes', async () => {
      const cycleId = freshCycle();
      const { body, sha256: digest } = withAttachment(3 * MiB);
      expect(JSON.stringify(body).length).toBeGreaterThan(4 * MiB);
      const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ cycleId, kind: 'announcement', queued: 4, skipped: 2 });
      // Only the reference crossed NATS; the bytes went through the transfer bucket.
      const sent = sentAttachments();
      expect(sent).toEqual([storedAttachment('คู่มือการตอบแบบสำรวจ.pdf', 3 * MiB)]);
      expect(JSON.stringify(last(Rpc.AnnouncementSend).request).length).toBeLessThan(2000);
      expect(await storedSha256(sent[0].objectName)).toBe(digest);
    });

    it('lets the service refuse more than 5 MB of attachments in all: 413 ATTACHMENTS_TOO_LARGE', async () => {
      const cycleId = freshCycle();
      // Two files of 2.75 MiB: each within the contract's 7,000,000 base64 characters, 5.5 MiB in all.
      const file = (name: string) => ({
        fileName: name,
        contentType: 'application/pdf',
        contentBase64: randomBytes(2.75 * MiB).toString('base64'),
      });
      const body = briefing({ attachments: [file('a.pdf'), file('b.pdf')] });
      expect(JSON.stringify(body).length).toBeLessThan(8_000_000);
      const before = calls();
      const res = await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body.code).toBe('ATTACHMENTS_TOO_LARGE');
      expect(calls()).toBe(before + 1);
      expect(sentAttachments().map((a) => a.size)).toEqual([2.75 * MiB, 2.75 * MiB]);
    });
  });

  describe('reminders', () => {
    it('sends a reminder (202 with the campaign) to agencies that have not submitted, once per label', async () => {
      const cycleId = freshCycle();
      const res = await gw.api('POST', `/cycles/${cycleId}/reminders`, {
        token: operator,
        body: { label: 'week-1', channels: ['line'] },
        headers: { 'x-correlation-id': 'remind-1' },
      });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        cycleId,
        kind: 'reminder',
        templateKey: 'deadline_reminder',
        queued: 1,
        skipped: 1,
        agenciesSkipped: 1,
        createdBy: operatorId,
      });
      const call = last(Rpc.ReminderSend);
      expect(call.request).toEqual({ cycleId, input: { label: 'week-1', channels: ['line'] } });
      expect(call.ctx).toMatchObject({ correlationId: 'remind-1', actor: { roles: ['operator'] } });

      const again = await gw.api('POST', `/cycles/${cycleId}/reminders`, {
        token: admin,
        body: { label: 'week-1', channels: ['line'] },
      });
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ id: res.body.id, queued: 0 });
    });

    it('takes no body at all (every channel, today’s label) and refuses a bad one before notifications hears of it', async () => {
      const cycleId = freshCycle();
      const res = await gw.api('POST', `/cycles/${cycleId}/reminders`, { token: admin });
      expect(res.status).toBe(202);
      expect(last(Rpc.ReminderSend).request).toEqual({ cycleId, input: { channels: ['email', 'line'] } });
      expect((await gw.api('POST', `/cycles/${cycleId}/reminders`, { token: admin, body: {} })).status).toBe(
        202,
      );

      const before = calls();
      for (const [body, path] of [
        [{ label: 'รอบที่ 1' }, 'label'],
        [{ label: 'x'.repeat(41) }, 'label'],
        [{ channels: ['fax'] }, 'channels.0'],
        [{ channels: [] }, 'channels'],
        [{ startsAt: '2022-05-25T09:30:00+07:00' }, ''],
      ] as const) {
        const bad = await gw.api('POST', `/cycles/${cycleId}/reminders`, { token: admin, body });
        expect({ path, status: bad.status, code: bad.body.code }).toEqual({
          path,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(bad.body.errors).toEqual([expect.objectContaining({ path })]);
      }
      const badCycle = await gw.api('POST', '/cycles/a.b/reminders', { token: admin });
      expect(badCycle.status).toBe(404);
      expect(badCycle.body.code).toBe('CYCLE_NOT_FOUND');
      expect(calls()).toBe(before);
    });
  });

  describe('chasing non-submitters (issue 14 item 5)', () => {
    it('passes a chosen set (agency codes and the responses filters) to the reminder, and lets AGENCY_NOT_IN_COHORT through as 400', async () => {
      const cycleId = freshCycle();
      const body = {
        channels: ['email'],
        agencyCodes: [agency.code],
        ministryId: '15',
        province: 'TH-50',
        group: 'department',
      };
      const res = await gw.api('POST', `/cycles/${cycleId}/reminders`, { token: operator, body });
      expect(res.status).toBe(202);
      expect(last(Rpc.ReminderSend).request).toEqual({ cycleId, input: body });

      notifications.failNext(
        Rpc.ReminderSend,
        new DomainError('AGENCY_NOT_IN_COHORT', 'ไม่มีหน่วยงานรหัส NOPE-9 ในรอบนี้', undefined, {
          agencyCodes: ['NOPE-9'],
        }),
      );
      const bad = await gw.api('POST', `/cycles/${cycleId}/reminders`, {
        token: admin,
        body: { agencyCodes: ['NOPE-9'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(PROBLEM);
      expect(bad.body).toMatchObject({ code: 'AGENCY_NOT_IN_COHORT' });
      expect(bad.body.detail).toContain('NOPE-9');

      const before = calls();
      for (const [b, path] of [
        [{ agencyCodes: [] }, 'agencyCodes'],
        [{ group: 'planet' }, 'group'],
        [{ province: '' }, 'province'],
      ] as const) {
        const r = await gw.api('POST', `/cycles/${cycleId}/reminders`, { token: admin, body: b });
        expect({ path, status: r.status, code: r.body.code }).toEqual({
          path,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expect(calls()).toBe(before);
    });

    it('streams the non-submitters export (CSV) to staff with its filters, and refuses others and unknown filters', async () => {
      const cycleId = freshCycle();
      const res = await gw.api(
        'GET',
        `/cycles/${cycleId}/non-submitters/export?province=TH-50&ministryId=15`,
        {
          token: operator,
        },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain(`non-submitters-${cycleId}.csv`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      // Our agency has not submitted (both its contacts); the other one has.
      expect(res.text).toBe(
        `agency_code,email\r\n${agency.code},somchai@agency.go.th\r\n${agency.code},mali@agency.go.th\r\n`,
      );
      expect(last(Rpc.NonSubmittersExport).request).toEqual({ cycleId, province: 'TH-50', ministryId: '15' });

      const before = calls();
      for (const token of [coordinator, approver, committee]) {
        const r = await gw.api('GET', `/cycles/${cycleId}/non-submitters/export`, { token });
        expect(r.status).toBe(403);
      }
      const unknown = await gw.api('GET', `/cycles/${cycleId}/non-submitters/export?agencyId=${agency.id}`, {
        token: admin,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe('UNKNOWN_QUERY_PARAMETER');
      expect(calls()).toBe(before);
    });

    it('filters the delivery log by agency code; each row names its agency and subject', async () => {
      const cycleId = freshCycle();
      await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body: briefing() });
      const res = await gw.api('GET', `/notifications?cycleId=${cycleId}&agencyCode=${other.code}`, {
        token: admin,
      });
      expect(res.status).toBe(200);
      expect(last(Rpc.DeliveryList).request).toEqual({
        cycleId,
        agencyCode: other.code,
        page: 1,
        pageSize: 50,
      });
      expect(res.body.total).toBe(2);
      for (const d of res.body.items as { agencyCode: string; agencyName: string; subject: string }[])
        expect(d).toMatchObject({
          agencyCode: other.code,
          agencyName: `หน่วยงาน ${other.code}`,
          subject: expect.stringContaining('briefing_invitation'),
        });
    });
  });

  describe('delivery log', () => {
    it('forwards every filter and the page for staff, and no agency unless asked', async () => {
      const cycleId = freshCycle();
      await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body: briefing() });

      const res = await gw.api(
        'GET',
        `/notifications?cycleId=${cycleId}&agencyId=${agency.id}&channel=email&status=queued&templateKey=briefing_invitation&page=1&pageSize=1`,
        { token: operator, headers: { 'x-correlation-id': 'log-1' } },
      );
      expect(res.status).toBe(200);
      expect(last(Rpc.DeliveryList).request).toEqual({
        cycleId,
        agencyId: agency.id,
        channel: 'email',
        status: 'queued',
        templateKey: 'briefing_invitation',
        page: 1,
        pageSize: 1,
      });
      expect(last(Rpc.DeliveryList).ctx).toMatchObject({
        correlationId: 'log-1',
        actor: { roles: ['operator'] },
      });
      expect(res.body).toMatchObject({
        total: 2,
        page: 1,
        pageSize: 1,
        byStatus: { queued: 2 },
        items: [
          {
            cycleId,
            agencyId: agency.id,
            channel: 'email',
            status: 'queued',
            address: expect.stringMatching(/\*\*\*@/),
          },
        ],
      });

      const all = await gw.api('GET', `/notifications?cycleId=${cycleId}`, { token: admin });
      expect(all.status).toBe(200);
      expect(last(Rpc.DeliveryList).request).toEqual({ cycleId, page: 1, pageSize: 50 });
      expect(all.body.total).toBe(6);
    });

    it('fills in the agency of coordinators and approvers who give none; the service judges any other', async () => {
      const cycleId = freshCycle();
      await gw.api('POST', `/cycles/${cycleId}/announcements`, { token: admin, body: briefing() });

      for (const [token, role] of [
        [coordinator, 'coordinator'],
        [approver, 'approver'],
      ] as const) {
        const res = await gw.api('GET', `/notifications?cycleId=${cycleId}`, { token });
        expect(res.status).toBe(200);
        expect(last(Rpc.DeliveryList).request).toEqual({
          cycleId,
          agencyId: agency.id,
          page: 1,
          pageSize: 50,
        });
        expect(last(Rpc.DeliveryList).ctx.actor).toMatchObject({ roles: [role], agencyId: agency.id });
        expect(res.body.total).toBe(4);
        expect((res.body.items as { agencyId: string }[]).every((d) => d.agencyId === agency.id)).toBe(true);
      }
      expect(last(Rpc.DeliveryList).ctx.actor).toMatchObject({ roles: ['approver'] });

      // Their own agency named explicitly is the same; another agency goes to the service as asked.
      const own = await gw.api('GET', `/notifications?agencyId=${agency.id}`, { token: coordinator });
      expect(own.status).toBe(200);
      expect(last(Rpc.DeliveryList).ctx.actor.id).toBe(coordinatorId);
      const theirs = await gw.api('GET', `/notifications?agencyId=${other.id}`, { token: coordinator });
      expect(last(Rpc.DeliveryList).request).toEqual({ agencyId: other.id, page: 1, pageSize: 50 });
      expect(theirs.status).toBe(403);
      expect(theirs.headers.get('content-type')).toMatch(PROBLEM);
      expect(theirs.body.code).toBe('FORBIDDEN');
    });

    it('refuses a bad query with 400 VALIDATION_FAILED naming the field, before notifications hears of it', async () => {
      const before = calls();
      for (const [query, path] of [
        ['channel=sms', 'channel'],
        ['status=delivered', 'status'],
        ['templateKey=welcome', 'templateKey'],
        ['agencyId=not-a-uuid', 'agencyId'],
        ['cycleId=a.b', 'cycleId'],
        ['pageSize=9999', 'pageSize'],
        ['page=0', 'page'],
      ]) {
        const res = await gw.api('GET', `/notifications?${query}`, { token: admin });
        expect({ query, status: res.status, code: res.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
      }
      expect(calls()).toBe(before);
    });
  });

  describe('templates', () => {
    it('shows a template to staff with its version as ETag, and changes it as dga_admin (body version or If-Match)', async () => {
      const key = 'briefing_invitation';
      const get = await gw.api('GET', `/templates/${key}`, { token: operator });
      expect(get.status).toBe(200);
      expect(get.headers.get('etag')).toBe('"1"');
      expect(get.body).toMatchObject({
        key,
        version: 1,
        isDefault: true,
        variables: { agencyName: expect.any(String) },
      });
      expect(last(Rpc.TemplateGet).request).toEqual({ key });
      expect(last(Rpc.TemplateGet).ctx.actor.roles).toEqual(['operator']);

      const texts = templateTexts();
      const put = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: { ...texts, version: 1 },
        headers: { 'x-correlation-id': 'template-put' },
      });
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe('"2"');
      expect(put.body).toMatchObject({ ...texts, key, version: 2, isDefault: false, updatedBy: adminId });
      expect(last(Rpc.TemplatePut).request).toEqual({ key, template: { ...texts, version: 1 } });
      expect(last(Rpc.TemplatePut).ctx).toMatchObject({
        correlationId: 'template-put',
        actor: { id: adminId },
      });

      const viaIfMatch = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: texts,
        headers: { 'if-match': put.headers.get('etag')! },
      });
      expect(viaIfMatch.status).toBe(200);
      expect(viaIfMatch.headers.get('etag')).toBe('"3"');
      expect(last(Rpc.TemplatePut).request).toEqual({ key, template: { ...texts, version: 2 } });

      const stale = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: { ...texts, version: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.headers.get('content-type')).toMatch(PROBLEM);
      expect(stale.body).toMatchObject({ status: 409, code: 'TEMPLATE_VERSION_CONFLICT', currentVersion: 3 });

      const before = calls();
      const noVersion = await gw.api('PUT', `/templates/${key}`, { token: admin, body: texts });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.errors).toEqual([expect.objectContaining({ path: 'version', code: 'REQUIRED' })]);
      const mismatch = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: { ...texts, version: 3 },
        headers: { 'if-match': '"2"' },
      });
      expect(mismatch.status).toBe(400);
      const missingText = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: { ...texts, line: { th: 'ไลน์' }, version: 3 },
      });
      expect(missingText.status).toBe(400);
      expect(missingText.body.errors).toEqual([expect.objectContaining({ path: 'line.en' })]);
      const extra = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: { ...texts, version: 3, isDefault: true },
      });
      expect(extra.status).toBe(400);
      expect(calls()).toBe(before);
    });

    it('answers a template that does not render with 422 TEMPLATE_INVALID listing every problem', async () => {
      const key = 'deadline_reminder';
      const res = await gw.api('PUT', `/templates/${key}`, {
        token: admin,
        body: {
          ...templateTexts({ text: { th: 'เรียน {{agencyName', en: 'Dear {{ agencyName }}' } }),
          version: 1,
        },
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 422, code: 'TEMPLATE_INVALID' });
      // deadline_reminder offers neither venue nor startsAt; text.th does not compile.
      expect(
        (res.body.errors as { path: string; code: string }[]).map((e) => `${e.path} ${e.code}`).sort(),
      ).toEqual([
        'html.en UNKNOWN_VARIABLE',
        'html.th UNKNOWN_VARIABLE',
        'line.en UNKNOWN_VARIABLE',
        'line.th UNKNOWN_VARIABLE',
        'text.th TEMPLATE_SYNTAX',
      ]);
    });

    it('previews the stored or unsaved texts with sample variables (nothing saved)', async () => {
      const key = 'results_published';
      const stored = await gw.api('POST', `/templates/${key}/preview`, {
        token: operator,
        body: { language: 'en', variables: { agencyName: 'DGA' } },
      });
      expect(stored.status).toBe(200);
      expect(stored.body).toEqual({
        subject: 'Dear DGA (results_published)',
        html: '<p>Dear DGA</p>',
        text: 'Dear DGA',
        line: 'Dear DGA',
      });
      expect(last(Rpc.TemplatePreview).request).toEqual({
        key,
        language: 'en',
        variables: { agencyName: 'DGA' },
      });
      expect(last(Rpc.TemplatePreview).ctx.actor.roles).toEqual(['operator']);

      const texts = templateTexts({
        html: { th: '<p>{{agencyName}}: {{resultsUrl}}</p>', en: '<p>{{resultsUrl}}</p>' },
      });
      const unsaved = await gw.api('POST', `/templates/${key}/preview`, {
        token: admin,
        body: {
          template: { ...texts, line: { th: 'ผล {{resultsUrl}}', en: 'Results' } },
          variables: { agencyName: 'กรม ก' },
        },
      });
      expect(unsaved.status).toBe(200);
      expect(unsaved.body).toMatchObject({
        subject: 'ขอเชิญประชุมชี้แจง กรม ก',
        html: '<p>กรม ก: [resultsUrl]</p>',
      });
      expect(last(Rpc.TemplatePreview).request).toMatchObject({ key, language: 'th' });

      const invalid = await gw.api('POST', `/templates/${key}/preview`, {
        token: admin,
        body: { template: texts },
      });
      expect(invalid.status).toBe(422);
      expect(invalid.body.code).toBe('TEMPLATE_INVALID');
      expect(invalid.body.errors).toContainEqual(
        expect.objectContaining({ path: 'line.th', code: 'UNKNOWN_VARIABLE' }),
      );

      const before = calls();
      const badLanguage = await gw.api('POST', `/templates/${key}/preview`, {
        token: admin,
        body: { language: 'fr' },
      });
      expect(badLanguage.status).toBe(400);
      expect(badLanguage.body.errors).toEqual([expect.objectContaining({ path: 'language' })]);
      expect(calls()).toBe(before);
    });

    it('refuses a key outside the list with 400 VALIDATION_FAILED naming `key`, before notifications hears of it', async () => {
      const before = calls();
      for (const key of ['welcome', 'BRIEFING_INVITATION', 'briefing-invitation', '%20briefing_invitation']) {
        for (const [method, path, body] of [
          ['GET', `/templates/${key}`, undefined],
          ['PUT', `/templates/${key}`, { ...templateTexts(), version: 1 }],
          ['POST', `/templates/${key}/preview`, {}],
        ] as const) {
          const res = await gw.api(method, path, { token: admin, body });
          expect({ method, path, status: res.status, code: res.body.code }).toEqual({
            method,
            path,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
          expect(res.headers.get('content-type')).toMatch(PROBLEM);
          expect(res.body.errors).toEqual([expect.objectContaining({ path: 'key', code: 'INVALID_VALUE' })]);
        }
      }
      expect(calls()).toBe(before);
    });
  });

  describe('opt-outs', () => {
    it('lets a coordinator opt their agency’s contact out of a channel and back in; dga_admin any contact', async () => {
      const mine = notifications.addContact(agency.id);
      const res = await gw.api('PUT', `/contacts/${mine.id}/channels/email`, {
        token: coordinator,
        body: { optedOut: true },
        headers: { 'x-correlation-id': 'optout-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        contactId: mine.id,
        channel: 'email',
        optedOut: true,
        at: expect.any(String),
      });
      const call = last(Rpc.OptOutSet);
      expect(call.request).toEqual({ contactId: mine.id, channel: 'email', optedOut: true });
      expect(call.ctx).toMatchObject({
        correlationId: 'optout-1',
        actor: { id: coordinatorId, roles: ['coordinator'], agencyId: agency.id },
      });
      expect(notifications.optOuts.has(`${mine.id}/email`)).toBe(true);

      const back = await gw.api('PUT', `/contacts/${mine.id}/channels/email`, {
        token: coordinator,
        body: { optedOut: false },
      });
      expect(back.body).toMatchObject({ optedOut: false });
      expect(notifications.optOuts.has(`${mine.id}/email`)).toBe(false);

      const theirs = notifications.addContact(other.id);
      const byAdmin = await gw.api('PUT', `/contacts/${theirs.id}/channels/line`, {
        token: admin,
        body: { optedOut: true },
      });
      expect(byAdmin.status).toBe(200);
      expect(last(Rpc.OptOutSet).request).toEqual({ contactId: theirs.id, channel: 'line', optedOut: true });

      // Another agency's contact: the service answers 404, as if it did not exist.
      const notMine = await gw.api('PUT', `/contacts/${theirs.id}/channels/line`, {
        token: coordinator,
        body: { optedOut: false },
      });
      expect(notMine.status).toBe(404);
      expect(notMine.headers.get('content-type')).toMatch(PROBLEM);
      expect(notMine.body.code).toBe('CONTACT_NOT_FOUND');
    });

    it('refuses a bad channel (400), a malformed contact id (404) and a bad body (400) before notifications hears of it', async () => {
      const mine = notifications.addContact(agency.id);
      const before = calls();
      for (const channel of ['sms', 'EMAIL', 'e-mail', 'phone']) {
        const res = await gw.api('PUT', `/contacts/${mine.id}/channels/${channel}`, {
          token: admin,
          body: { optedOut: true },
        });
        expect({ channel, status: res.status, code: res.body.code }).toEqual({
          channel,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(res.body.errors).toEqual([expect.objectContaining({ path: 'channel' })]);
      }
      const badId = await gw.api('PUT', '/contacts/not-a-uuid/channels/email', {
        token: admin,
        body: { optedOut: true },
      });
      expect(badId.status).toBe(404);
      expect(badId.body.code).toBe('CONTACT_NOT_FOUND');
      for (const [body, path] of [
        [{}, 'optedOut'],
        [{ optedOut: 'yes' }, 'optedOut'],
        [{ optedOut: true, reason: 'PDPA' }, ''],
        [{ optedOut: true, contactId: randomUUID() }, ''],
      ] as const) {
        const res = await gw.api('PUT', `/contacts/${mine.id}/channels/email`, { token: admin, body });
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
      }
      const noBody = await gw.api('PUT', `/contacts/${mine.id}/channels/email`, { token: admin });
      expect(noBody.status).toBe(400);
      expect(calls()).toBe(before);
    });
  });

  describe('access', () => {
    const routes = (cycleId: string, contactId: string): [method: string, path: string, body?: unknown][] => [
      ['POST', `/cycles/${cycleId}/announcements`, briefing()],
      ['POST', `/cycles/${cycleId}/reminders`, { label: 'access' }],
      ['GET', '/notifications'],
      ['GET', '/templates/briefing_invitation'],
      ['PUT', '/templates/briefing_invitation', { ...templateTexts(), version: 1 }],
      ['POST', '/templates/briefing_invitation/preview', {}],
      ['PUT', `/contacts/${contactId}/channels/email`, { optedOut: true }],
    ];

    it('answers every route with 401 without a valid token, before notifications hears of it', async () => {
      const cycleId = freshCycle();
      const before = calls();
      for (const [method, path, body] of routes(cycleId, randomUUID())) {
        for (const token of [undefined, 'not-a-jwt']) {
          const res = await gw.api(method, path, { token, body });
          expect({ method, path, token, status: res.status, code: res.body.code }).toEqual({
            method,
            path,
            token,
            status: 401,
            code: 'UNAUTHENTICATED',
          });
          expect(res.headers.get('content-type')).toMatch(PROBLEM);
        }
      }
      expect(calls()).toBe(before);
    });

    it('lets each role reach only its routes (403 FORBIDDEN otherwise, before notifications hears of it)', async () => {
      const cycleId = freshCycle();
      const contactId = notifications.addContact(agency.id).id;
      const allowed: Record<string, string[]> = {
        dga_admin: [
          'announcements',
          'reminders',
          'notifications',
          'GET templates',
          'PUT templates',
          'preview',
          'channels',
        ],
        operator: ['announcements', 'reminders', 'notifications', 'GET templates', 'preview'],
        coordinator: ['notifications', 'channels'],
        approver: ['notifications'],
        committee: [],
      };
      const tokens: Record<string, string> = { dga_admin: admin, operator, coordinator, approver, committee };
      const nameOf = (method: string, path: string) => {
        const segment = path.split('/').filter(Boolean);
        if (segment[0] === 'templates') return segment[2] === 'preview' ? 'preview' : `${method} templates`;
        if (segment[0] === 'contacts') return 'channels';
        return segment.at(-1)!.split('?')[0];
      };
      for (const [role, may] of Object.entries(allowed)) {
        for (const [method, path, body] of routes(cycleId, contactId)) {
          const before = calls();
          const res = await gw.api(method, path, { token: tokens[role], body });
          const name = nameOf(method, path);
          if (may.includes(name)) {
            expect({ role, name, status: res.status }).toEqual({ role, name, status: expect.any(Number) });
            expect({ role, name, reached: calls() > before }).toEqual({ role, name, reached: true });
            continue;
          }
          expect({ role, method, path, status: res.status, code: res.body.code }).toEqual({
            role,
            method,
            path,
            status: 403,
            code: 'FORBIDDEN',
          });
          expect(calls()).toBe(before);
        }
      }
    });
  });

  describe('OpenAPI', () => {
    type Operation = {
      summary?: string;
      description?: string;
      security?: unknown[];
      tags?: string[];
      parameters?: { name: string; in: string; schema?: { enum?: string[] } }[];
      requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
      responses: Record<
        string,
        { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }
      >;
    };
    let paths: Record<string, Record<string, Operation>>;

    beforeAll(async () => {
      const res = await gw.request('GET', '/docs-json');
      expect(res.status).toBe(200);
      paths = res.body.paths;
    });

    it('lists every notification route with an English and Thai summary, its response schema and bearer auth', () => {
      const expected: [string, string, string, string][] = [
        ['post', '/api/v1/cycles/{id}/announcements', '202', 'CampaignSummaryDto'],
        ['post', '/api/v1/cycles/{id}/reminders', '202', 'CampaignSummaryDto'],
        ['get', '/api/v1/notifications', '200', 'DeliveryPageDto'],
        ['get', '/api/v1/templates/{key}', '200', 'TemplateDto'],
        ['put', '/api/v1/templates/{key}', '200', 'TemplateDto'],
        ['post', '/api/v1/templates/{key}/preview', '200', 'TemplatePreviewDto'],
        ['put', '/api/v1/contacts/{id}/channels/{channel}', '200', 'OptOutStateDto'],
      ];
      for (const [method, path, status, dto] of expected) {
        const op = paths[path]?.[method];
        expect({ method, path, defined: op !== undefined }).toEqual({ method, path, defined: true });
        expect(op.summary).toMatch(/[A-Za-z].*·.*[\u0E00-\u0E7F]/);
        expect(op.tags).toEqual(['notifications']);
        expect(op.security).toEqual([{ bearer: [] }]);
        expect(op.responses[status]?.content?.['application/json']?.schema?.$ref).toBe(
          `#/components/schemas/${dto}`,
        );
        expect(op.responses['503']?.description).toContain('SERVICE_UNAVAILABLE');
      }
      expect(paths['/api/v1/notifications'].get.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
        'query:agencyCode',
        'query:agencyId',
        'query:channel',
        'query:cycleId',
        'query:page',
        'query:pageSize',
        'query:status',
        'query:templateKey',
      ]);
    });

    it('describes the briefing invitation, the request bodies, the path enums and the error codes', () => {
      const announce = paths['/api/v1/cycles/{id}/announcements'].post;
      expect(announce.description).toMatch(/every active contact of every agency in the cycle’s cohort/);
      expect(announce.description).toMatch(/once: sending the same briefing again queues nothing new/);
      expect(announce.description).toMatch(/opted out .* skipped/);
      expect(announce.requestBody?.content['application/json']?.schema?.$ref).toBe(
        '#/components/schemas/BriefingInputDto',
      );
      expect(announce.responses['413'].description).toContain('ATTACHMENTS_TOO_LARGE');
      expect(announce.responses['413'].description).toContain('PAYLOAD_TOO_LARGE');
      expect(announce.responses['404'].description).toContain('CYCLE_NOT_FOUND');
      expect(announce.responses['400'].description).toContain('VALIDATION_FAILED');

      const put = paths['/api/v1/templates/{key}'].put;
      expect(put.responses['409'].description).toContain('TEMPLATE_VERSION_CONFLICT');
      expect(put.responses['422'].description).toContain('TEMPLATE_INVALID');
      expect(put.responses['422'].content?.['application/problem+json']?.schema?.$ref).toBe(
        '#/components/schemas/ProblemDto',
      );
      expect(put.parameters?.find((p) => p.name === 'key')?.schema?.enum).toEqual([
        'briefing_invitation',
        'deadline_reminder',
        'submission_receipt',
        'response_returned',
        'results_published',
        'award_announced',
        'approval_requested',
        'response_sent_back',
        'extension_granted',
      ]);
      expect(put.parameters?.some((p) => p.in === 'header' && p.name === 'If-Match')).toBe(true);
      expect(paths['/api/v1/templates/{key}/preview'].post.responses['422'].description).toContain(
        'TEMPLATE_INVALID',
      );

      const optOut = paths['/api/v1/contacts/{id}/channels/{channel}'].put;
      expect(optOut.parameters?.find((p) => p.name === 'channel')?.schema?.enum).toEqual(['email', 'line']);
      expect(optOut.responses['404'].description).toContain('CONTACT_NOT_FOUND');
      expect(optOut.responses['403'].description).toContain('FORBIDDEN');
      expect(optOut.description).toMatch(/PDPA|opts back in/);
    });
  });

  describe('notifications service down', () => {
    it('answers 503 SERVICE_UNAVAILABLE when no notifications service answers', async () => {
      await notificationsApp!.close();
      notificationsApp = undefined;
      const res = await gw.api('GET', '/notifications', { token: admin });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    });
  });
});
