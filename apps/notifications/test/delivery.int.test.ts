import { randomUUID } from 'node:crypto';
import { DomainError, Events, Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { DEFAULT_TEMPLATES } from '../src/templates/defaults';
import { contact, type NotificationsHarness, startNotifications, testAgency } from './harness';
import { linkProblems } from './support/portal-addresses';

/**
 * One agency's messages under failure: duplicate events, an SMTP outage, LINE's 429 and 400, a
 * mailbox that does not exist; and template editing.
 */
describe('notifications delivery', () => {
  let h: NotificationsHarness;
  const A = testAgency('DEP-A', (id) => [
    contact(id, 'coordinator@dep-a.go.th', 'Ua2000000000000000000000000000001'),
  ]);
  const X = testAgency('DEP-X', (id) => [
    contact(id, 'nobody@dep-x.go.th', 'Uinvalid0000000000000000000000001'),
  ]);

  beforeAll(async () => {
    h = await startNotifications('ntfdel');
    h.others.agencies = [A, X];
  });
  afterAll(async () => {
    await h?.close();
  });

  const submitted = (agency = A, responseId = randomUUID(), submission = 1) => ({
    cycleId: '2565',
    responseId,
    agencyId: agency.id,
    agencyCode: agency.code,
    group: 'department' as const,
    submission,
    responseVersion: 4,
    questionnaireId: '00000000-0000-4000-8000-0000000000aa',
    questionnaireVersion: 1,
    submittedAt: '2022-07-20T10:15:00+07:00',
  });
  const settled = (where: string) =>
    waitFor(async () => {
      const rows = await h.deliveries(where);
      return rows.length && rows.every((r) => r.status !== 'queued') ? rows : undefined;
    }, 30_000);

  it('sends a receipt once even when the event is delivered twice', async () => {
    const payload = submitted();
    const eventId = await h.publish(Events.ResponseSubmitted, payload);
    await h.publish(Events.ResponseSubmitted, payload, eventId); // the same event again (JetStream drops it)
    await h.publish(Events.ResponseSubmitted, payload); // the same submission under a new event id
    const rows = await settled(`template_key = 'submission_receipt' AND agency_id = '${A.id}'`);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['email', 'sent'],
      ['line', 'sent'],
    ]);
    await new Promise((r) => setTimeout(r, 800));
    expect(h.smtp.messages.filter((m) => m.to === 'coordinator@dep-a.go.th')).toHaveLength(1);
    expect(h.line.pushes.filter((p) => p.to === 'Ua2000000000000000000000000000001')).toHaveLength(1);
    expect(h.smtp.messages[0].text).toContain('20 กรกฎาคม 2565'); // submitted at, in Thai with the B.E. year
    // The link is the portal's page of the agency's response, not a path on the API's host.
    expect(h.smtp.messages[0].text).toContain('https://survey.example.go.th/cycles/2565/response');
    expect(
      linkProblems(h.smtp.messages[0].text + h.smtp.messages[0].html, 'https://survey.example.go.th'),
    ).toEqual([]);
    expect(linkProblems(h.line.pushes[0].text, 'https://survey.example.go.th')).toEqual([]);
  });

  it('retries a young send job whose row is not there yet (an older release queued it early), and drops an old one', async () => {
    const queue = h.queue('email');
    const opts = { attempts: 8, backoff: { type: 'fixed', delay: 200 } };
    const young = await queue.add(
      'send',
      { deliveryId: 'early-young_email' },
      { ...opts, jobId: 'early-young_email' },
    );
    const old = await queue.add(
      'send',
      { deliveryId: 'early-old_email' },
      { ...opts, jobId: 'early-old_email', timestamp: Date.now() - 5 * 60_000 },
    );
    const stateOf = async (id: string) => {
      const job = await queue.getJob(id);
      return { state: await job!.getState(), attempts: job!.attemptsMade, reason: job!.failedReason };
    };
    // The old one fails at once, without spending its other attempts.
    const dropped = await waitFor(async () => {
      const s = await stateOf(old.id!);
      return s.state === 'failed' ? s : undefined;
    });
    expect(dropped).toMatchObject({ attempts: 1, reason: expect.stringContaining('nothing to send') });
    // The young one is retried: it is still waiting for its row after several attempts.
    const retried = await waitFor(async () => {
      const s = await stateOf(young.id!);
      return s.attempts >= 2 ? s : undefined;
    });
    expect(retried.state).not.toBe('failed');
    expect(retried.reason).toContain('not committed yet');
    await young.remove().catch(() => undefined);
  });

  it('fails a send job whose payload does not match its schema at once, without retrying it', async () => {
    const queue = h.queue('line');
    const job = await queue.add(
      'send',
      { delivery: 'x_line' },
      { attempts: 8, backoff: { type: 'fixed', delay: 50 } },
    );
    await waitFor(async () => ((await job.getState()) === 'failed' ? true : undefined));
    const failed = (await queue.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^job "send" of queue line does not match its schema/);
    expect(failed.failedReason).toContain('deliveryId');
  });

  it('delays but loses nothing while the SMTP server is down', async () => {
    h.smtp.messages.length = 0;
    await h.smtp.down();
    const payload = submitted(A, randomUUID());
    await h.publish(Events.ResponseSubmitted, payload);
    await waitFor(
      async () =>
        (
          await h.deliveries(
            `id LIKE 'receipt-${payload.responseId}%' AND channel = 'email' AND attempts > 0`,
          )
        ).length
          ? true
          : undefined,
      20_000,
    );
    expect(h.smtp.messages).toHaveLength(0);
    await h.smtp.up();
    const [row] = await settled(`id LIKE 'receipt-${payload.responseId}%' AND channel = 'email'`);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBeGreaterThan(1);
    expect(h.smtp.messages.filter((m) => m.to === 'coordinator@dep-a.go.th')).toHaveLength(1);
  });

  it('waits as long as LINE asks after a 429, then sends once', async () => {
    const before = h.line.pushes.length;
    h.line.failNext429(1, 1);
    const payload = submitted(A, randomUUID());
    const t0 = Date.now();
    await h.publish(Events.ResponseSubmitted, payload);
    const [row] = await settled(`id LIKE 'receipt-${payload.responseId}%' AND channel = 'line'`);
    expect(row.status).toBe('sent');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(h.line.pushes.length - before).toBe(1);
  });

  it('stops at a permanent refusal: an unknown mailbox (550) or LINE user (400)', async () => {
    h.smtp.rejectRecipients.add('nobody@dep-x.go.th');
    h.line.invalidUsers.add('Uinvalid0000000000000000000000001');
    const payload = submitted(X, randomUUID());
    await h.publish(Events.ResponseSubmitted, payload);
    const rows = await settled(`id LIKE 'receipt-${payload.responseId}%'`);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'failed', 1],
      ['line', 'failed', 1],
    ]);
    expect(rows[0].provider_response).toMatch(/550/);
    expect(rows[1].provider_response).toMatch(/400|invalid/i);
    const job = await h.queue('email').getJob(rows[0].id);
    expect(await job?.getState()).toBe('failed');
  });

  it('refuses a broken template, keeps versions, and sends with the edited one', async () => {
    const current = await h.call(Rpc.TemplateGet, { key: 'response_returned' });
    expect(current).toMatchObject({ version: 1, isDefault: true });
    const broken = {
      ...DEFAULT_TEMPLATES.response_returned,
      version: 1,
      html: { th: '<p>{{#if comment}}ไม่ปิด</p>', en: 'ok' },
    };
    const e = (await h
      .call(Rpc.TemplatePut, { key: 'response_returned', template: broken })
      .catch((x: unknown) => x)) as DomainError;
    expect(e.code).toBe('TEMPLATE_INVALID');
    expect(e.errors?.[0].path).toBe('html.th');
    const edited = {
      ...DEFAULT_TEMPLATES.response_returned,
      version: 1,
      text: { th: 'แก้ไขด่วน: {{comment}}', en: 'Please correct: {{comment}}' },
    };
    const saved = await h.call(Rpc.TemplatePut, { key: 'response_returned', template: edited });
    expect(saved).toMatchObject({ version: 2, isDefault: false });
    const stale = (await h
      .call(Rpc.TemplatePut, { key: 'response_returned', template: edited })
      .catch((x: unknown) => x)) as DomainError;
    expect(stale.code).toBe('TEMPLATE_VERSION_CONFLICT');
    const preview = await h.call(Rpc.TemplatePreview, {
      key: 'response_returned',
      language: 'th',
      variables: { comment: 'แนบหลักฐานเพิ่ม' },
    });
    expect(preview.text).toBe('แก้ไขด่วน: แนบหลักฐานเพิ่ม');

    h.smtp.messages.length = 0;
    await h.publish(Events.ResponseReturned, {
      cycleId: '2565',
      responseId: randomUUID(),
      agencyId: A.id,
      agencyCode: A.code,
      comment: 'กรุณาแนบแผนดิจิทัล',
      rejectedQuestions: ['p1_q1'],
      deadline: '2022-08-07T23:59:00+07:00',
    });
    await waitFor(() => h.smtp.messages.find((m) => m.to === 'coordinator@dep-a.go.th'), 20_000);
    expect(h.smtp.messages[0].text).toContain('แก้ไขด่วน: กรุณาแนบแผนดิจิทัล');
    expect(h.smtp.messages[0].text).toContain('Please correct: กรุณาแนบแผนดิจิทัล');
  });
});
