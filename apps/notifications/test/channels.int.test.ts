import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ChannelError, type OutgoingEmail } from '../src/channels/channel';
import { EmailChannel, type EmailOptions } from '../src/channels/email.channel';
import { LineChannel } from '../src/channels/line.channel';
import { LineStandIn } from './support/line-stand-in';
import { SmtpCatcher } from './support/smtp-catcher';

/**
 * The two channels through their real clients: nodemailer's pooled SMTP transport against a real
 * SMTP server (smtp-server), and @line/bot-sdk against a local stand-in of the push endpoint.
 */

const THAI_SUBJECT = 'ขอเชิญเข้าร่วมประชุมชี้แจงการสำรวจระดับความพร้อมรัฐบาลดิจิทัล ประจำปี พ.ศ. 2565';
const THAI_TEXT = 'เรียน ผู้ประสานงาน\nวันที่ 25 พฤษภาคม 2565 เวลา 09:30 น.\n๒๕ พฤษภาคม ๒๕๖๕';

async function caught<T>(work: Promise<T>): Promise<ChannelError> {
  const result = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(result).toBeInstanceOf(ChannelError);
  return result as ChannelError;
}

/** A port nothing listens on (bound and released at once). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('EmailChannel against a real SMTP server', () => {
  let smtp: SmtpCatcher;
  let email: EmailChannel;
  const options = (port: number): EmailOptions => ({
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'DGA Digital Government Survey <no-reply@dga.or.th>',
    maxConnections: 2,
    timeoutMs: 2_000,
    pool: true,
  });
  const mail = (to: string, extra: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
    messageId: randomUUID(),
    to,
    subject: THAI_SUBJECT,
    text: THAI_TEXT,
    html: `<p>${THAI_TEXT.replace(/\n/g, '<br>')}</p>`,
    ...extra,
  });

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    email = new EmailChannel(options(smtp.port));
  });
  afterAll(async () => {
    email?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
  });

  it('delivers Thai subject and body intact (UTF-8), with the Message-ID set and the attachment', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% กำหนดการ\n%%EOF\n', 'utf8');
    const out = mail('coordinator@dep-a.go.th', {
      attachments: [{ fileName: 'กำหนดการประชุม.pdf', contentType: 'application/pdf', content: pdf }],
    });
    const result = await email.send(out);
    expect(result.ok).toBe(true);
    expect(result.providerResponse).toMatch(/^250 /);
    expect(result.providerResponse).toContain(`<${out.messageId}@dg-platform>`);

    const [got] = smtp.messages;
    expect(got.to).toBe('coordinator@dep-a.go.th');
    expect(got.from).toBe('no-reply@dga.or.th');
    expect(got.subject).toBe(THAI_SUBJECT);
    expect(got.text.trim()).toBe(THAI_TEXT);
    expect(got.html).toContain('๒๕ พฤษภาคม ๒๕๖๕');
    expect(got.messageId).toBe(`<${out.messageId}@dg-platform>`);
    expect(got.attachments).toHaveLength(1);
    expect(got.attachments[0].fileName).toBe('กำหนดการประชุม.pdf');
    expect(got.attachments[0].contentType).toBe('application/pdf');
    expect(got.attachments[0].content.equals(pdf)).toBe(true);
  });

  it('reuses pooled connections for several messages sent at once', async () => {
    const outs = Array.from({ length: 6 }, (_, i) => mail(`c${i}@dep-b.go.th`));
    const opened = smtp.connections;
    await Promise.all(outs.map((m) => email.send(m)));
    expect(smtp.connections - opened).toBeLessThanOrEqual(2); // maxConnections
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(
      outs.map((m) => `<${m.messageId}@dg-platform>`).sort(),
    );
  });

  it('a 550 for the recipient is permanent, with the server reply kept', async () => {
    smtp.rejectRecipients.add('nobody@dep-x.go.th');
    try {
      const e = await caught(email.send(mail('nobody@dep-x.go.th')));
      expect(e.kind).toBe('permanent');
      expect(e.providerResponse).toMatch(/550/);
      expect(e.providerResponse).toMatch(/mailbox unavailable/i);
    } finally {
      smtp.rejectRecipients.delete('nobody@dep-x.go.th');
    }
    // The pool is still usable afterwards.
    await expect(email.send(mail('after-550@dep-a.go.th'))).resolves.toMatchObject({ ok: true });
  });

  it('a 451 (try again later) is transient, and the next attempt goes through', async () => {
    smtp.failTemporarily(1);
    const e = await caught(email.send(mail('busy@dep-a.go.th')));
    expect(e.kind).toBe('transient');
    expect(e.providerResponse).toMatch(/451/);
    await expect(email.send(mail('busy@dep-a.go.th'))).resolves.toMatchObject({ ok: true });
    expect(smtp.messages.map((m) => m.to)).toEqual(['busy@dep-a.go.th']);
  });

  it('a 553 is permanent', async () => {
    smtp.rejectNext(1, 553);
    const e = await caught(email.send(mail('not-allowed@dep-a.go.th')));
    expect(e.kind).toBe('permanent');
    expect(e.providerResponse).toMatch(/553/);
  });

  it('a server that is down is transient; once it is back, the same channel sends again', async () => {
    await email.send(mail('warm@dep-a.go.th')); // a pooled connection is open when the outage starts
    await smtp.down();
    try {
      const e = await caught(email.send(mail('during-outage@dep-a.go.th')));
      expect(e.kind).toBe('transient');
    } finally {
      await smtp.up();
    }
    await expect(email.send(mail('after-outage@dep-a.go.th'))).resolves.toMatchObject({ ok: true });
    expect(smtp.messages.map((m) => m.to)).toEqual(['warm@dep-a.go.th', 'after-outage@dep-a.go.th']);
  });

  it('connection refused is transient', async () => {
    const nowhere = new EmailChannel(options(await closedPort()));
    try {
      const e = await caught(nowhere.send(mail('x@dep-a.go.th')));
      expect(e.kind).toBe('transient');
      expect(e.providerResponse).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    } finally {
      nowhere.close();
    }
  });
});

describe('LineChannel against the push endpoint stand-in', () => {
  let line: LineStandIn;
  let channel: LineChannel;
  const USER = 'Ua2000000000000000000000000000001';

  beforeAll(async () => {
    line = await LineStandIn.start();
    channel = new LineChannel({ channelAccessToken: line.token, baseURL: line.url });
  });
  afterAll(async () => {
    await line?.close();
  });

  it('pushes the text with the retry key', async () => {
    const retryKey = randomUUID();
    const result = await channel.send({ retryKey, to: USER, text: THAI_TEXT });
    expect(result.ok).toBe(true);
    expect(result.providerResponse).toMatch(/^200 x-line-request-id=\S+ sentMessages=\d+$/);
    const push = line.pushes.at(-1)!;
    expect(push).toMatchObject({ to: USER, text: THAI_TEXT, retryKey });
    expect(push.messages).toEqual([{ type: 'text', text: THAI_TEXT }]);
  });

  it('a repeated retry key gets 409 from LINE and counts as sent, without a second push', async () => {
    const retryKey = randomUUID();
    await channel.send({ retryKey, to: USER, text: 'ครั้งแรก' });
    const before = line.pushes.length;
    const again = await channel.send({ retryKey, to: USER, text: 'ครั้งแรก' });
    expect(again.ok).toBe(true);
    expect(again.providerResponse).toMatch(/^409 already accepted x-line-accepted-request-id=\S+/);
    expect(line.pushes.length).toBe(before);
    expect(line.requests.at(-1)).toMatchObject({ status: 409, retryKey });
  });

  it('429 is rate_limited with retryAfterMs from Retry-After; the retry then goes through', async () => {
    line.failNext429(1, 7);
    const msg = { retryKey: randomUUID(), to: USER, text: 'แจ้งเตือน' };
    const e = await caught(channel.send(msg));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(7000);
    expect(e.providerResponse).toMatch(/^429 /);
    await expect(channel.send(msg)).resolves.toMatchObject({ ok: true });
    expect(line.pushes.filter((p) => p.retryKey === msg.retryKey)).toHaveLength(1);
  });

  it('400 for an invalid user id is permanent, with LINE’s message kept', async () => {
    const invalid = 'Uffff000000000000000000000000beef';
    line.invalidUsers.add(invalid);
    const e = await caught(channel.send({ retryKey: randomUUID(), to: invalid, text: 'สวัสดี' }));
    expect(e.kind).toBe('permanent');
    expect(e.providerResponse).toMatch(/^400 /);
    expect(e.providerResponse).toContain("The property, 'to', in the request body is invalid");
  });

  it('5xx is transient; the retry with the same key is sent once', async () => {
    line.failNext500(1);
    const msg = { retryKey: randomUUID(), to: USER, text: 'ลองใหม่' };
    const e = await caught(channel.send(msg));
    expect(e.kind).toBe('transient');
    expect(e.providerResponse).toMatch(/^500 /);
    await channel.send(msg);
    expect(line.pushes.filter((p) => p.retryKey === msg.retryKey)).toHaveLength(1);
  });

  it('a text over 5,000 characters is refused before it is sent', async () => {
    const before = line.requests.length;
    const e = await caught(channel.send({ retryKey: randomUUID(), to: USER, text: 'ก'.repeat(5001) }));
    expect(e.kind).toBe('permanent');
    expect(line.requests.length).toBe(before);
  });

  it('a wrong token is transient (our configuration, not the message)', async () => {
    const wrong = new LineChannel({ channelAccessToken: 'not-the-token', baseURL: line.url });
    const e = await caught(wrong.send({ retryKey: randomUUID(), to: USER, text: 'x' }));
    expect(e.kind).toBe('transient');
    expect(e.providerResponse).toMatch(/^401 /);
  });

  it('no answer within the timeout is transient (the retry key makes the retry safe)', async () => {
    const silent = createHttpServer(() => undefined); // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const slow = new LineChannel({
        channelAccessToken: 't',
        baseURL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        timeoutMs: 300,
      });
      const e = await caught(slow.send({ retryKey: randomUUID(), to: USER, text: 'x' }));
      expect(e.kind).toBe('transient');
      expect(e.message).toMatch(/within 300 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('LINE unreachable is transient', async () => {
    const nowhere = new LineChannel({
      channelAccessToken: 't',
      baseURL: `http://127.0.0.1:${await closedPort()}`,
    });
    const e = await caught(nowhere.send({ retryKey: randomUUID(), to: USER, text: 'x' }));
    expect(e.kind).toBe('transient');
    expect(e.providerResponse).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
