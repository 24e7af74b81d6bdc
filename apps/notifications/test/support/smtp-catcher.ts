// A real SMTP server for tests (smtp-server), on a free port of 127.0.0.1: keeps every message it
// accepts, parsed (mailparser), and can be told to refuse recipients (550), to fail the next ones
// for now (451), or to go down and come back on the same port, as a mail relay does in an outage.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

export interface CaughtAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface CaughtMessage {
  /** The envelope recipient (RCPT TO); `recipients` when there were several. */
  to: string;
  recipients: string[];
  /** The envelope sender (MAIL FROM). */
  from: string;
  /** The From header as written. */
  fromHeader: string;
  subject: string;
  /** The Message-ID header, with its angle brackets. */
  messageId: string;
  text: string;
  html: string;
  attachments: CaughtAttachment[];
  /** The user the client logged in as, when it did. */
  user: string | null;
  raw: Buffer;
  receivedAt: Date;
}

const smtpError = (code: number, message: string): SMTPServerError =>
  Object.assign(new Error(message), { responseCode: code });

export class SmtpCatcher {
  /** Messages accepted, oldest first; tests may clear it with `messages.length = 0`. */
  readonly messages: CaughtMessage[] = [];
  /** Addresses answered `550 5.1.1 Mailbox unavailable` at RCPT TO, for as long as they are here. */
  readonly rejectRecipients = new Set<string>();
  /** SMTP connections opened so far (to see that a pooled client reuses them). */
  connections = 0;
  /** Reply codes for the next RCPT TO commands, whatever the address (see rejectNext). */
  private readonly nextRcptReplies: number[] = [];
  private server: SMTPServer | undefined;

  private constructor(private boundPort: number) {}

  /** Starts on `port`, or on a free port when none is given. */
  static async start(port = 0): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher(port);
    await catcher.up();
    return catcher;
  }

  get port(): number {
    return this.boundPort;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  /** Answers the next `n` RCPT TO with `code`: 550 (permanent, the default) or e.g. 451 (try again later). */
  rejectNext(n: number, code = 550): void {
    for (let i = 0; i < n; i++) this.nextRcptReplies.push(code);
  }

  /** Answers the next `n` RCPT TO with `451 4.3.0 Temporary failure`. */
  failTemporarily(n: number): void {
    this.rejectNext(n, 451);
  }

  /** Waits until at least `count` messages have arrived. */
  async waitForMessages(count: number, timeoutMs = 10_000): Promise<CaughtMessage[]> {
    const until = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > until)
        throw new Error(`expected ${count} messages, got ${this.messages.length} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.messages;
  }

  /** An outage: stops listening (new connections are refused) and drops the open ones. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again, on the same port. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      // No STARTTLS: nodemailer would upgrade, and the built-in certificate is self-signed.
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      size: 30 * 1024 * 1024,
      // Drop pooled connections quickly on down() (with a 421, as a relay going away does).
      closeTimeout: 50,
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      onRcptTo: (address, _session, callback) => {
        const code = this.nextRcptReplies.shift();
        if (code !== undefined) {
          return callback(
            smtpError(
              code,
              code >= 500 ? '5.1.1 Mailbox unavailable' : '4.3.0 Temporary failure, please try again later',
            ),
          );
        }
        if (
          this.rejectRecipients.has(address.address.toLowerCase()) ||
          this.rejectRecipients.has(address.address)
        ) {
          return callback(
            smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: mailbox unavailable`),
          );
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (err: Error) => callback(err));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((mail) => {
              const recipients = session.envelope.rcptTo.map((r) => r.address);
              const mailFrom = session.envelope.mailFrom;
              this.messages.push({
                to: recipients[0] ?? '',
                recipients,
                from: mailFrom ? mailFrom.address : '',
                fromHeader: mail.from?.text ?? '',
                subject: mail.subject ?? '',
                messageId: mail.messageId ?? '',
                text: mail.text ?? '',
                html: typeof mail.html === 'string' ? mail.html : '',
                attachments: mail.attachments.map((a) => ({
                  fileName: a.filename ?? '',
                  contentType: a.contentType,
                  content: a.content,
                })),
                user: typeof session.user === 'string' ? session.user : null,
                raw,
                receivedAt: new Date(),
              });
              callback(null, `Message queued as ${this.messages.length}`);
            })
            .catch((err: unknown) =>
              callback(smtpError(554, `5.6.0 cannot parse the message: ${String(err)}`)),
            );
        });
      },
    });
    server.on('error', () => undefined); // a client that goes away mid-session is not a test failure
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    await this.down();
  }
}
