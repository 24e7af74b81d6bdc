// E-mail through SMTP with nodemailer's pooled transport: a few long-lived connections, each
// reused for up to `maxMessages` messages, STARTTLS whenever the server offers it (unless
// `starttls: false`), and every failure sorted into permanent / transient for the retry policy.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import * as nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { ChannelError, type OutgoingEmail, type SendResult } from './channel';

export const EMAIL_OPTIONS = Symbol('EMAIL_OPTIONS');

export interface EmailOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered. */
  secure: boolean;
  user?: string;
  password?: string;
  /** The From header, e.g. `DGA Digital Government Survey <no-reply@dga.or.th>`. */
  from: string;
  /** Simultaneous SMTP connections (default 5). */
  maxConnections?: number;
  /** Messages sent over one connection before it is replaced (default 100). */
  maxMessages?: number;
  /** false: never upgrade with STARTTLS even when offered (a local catcher). Default true. */
  starttls?: boolean;
  /** Connect and greeting timeout, ms (default 10 s); a reply slower than 6× this fails the send. */
  timeoutMs?: number;
  pool: true;
}

/** The domain of every Message-ID the platform sets: `<deliveryId@dg-platform>`. */
export const MESSAGE_ID_DOMAIN = 'dg-platform';

/** nodemailer's error fields (`code` is one of its E* codes; SMTP reply code and text when the server answered). */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** Failures caused by our own configuration: retried (someone can fix it) rather than failing every message for good. */
const CONFIGURATION_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG']);

/**
 * Sorts an SMTP failure: a 5xx reply (550 mailbox unavailable, 553 mailbox name not allowed,
 * 554 transaction failed) is permanent; a 4xx reply (421, 450, 451, 452), a refused or dropped
 * connection, a timeout, DNS or TLS trouble is transient, as is anything unknown.
 */
export function classifySmtpError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as SmtpError;
  const reply = e.responseCode ? `${e.response ?? e.responseCode}` : undefined;
  const providerResponse = [e.code, e.command, reply ?? e.message].filter(Boolean).join(' ');
  if (
    e.responseCode &&
    e.responseCode >= 500 &&
    e.responseCode < 600 &&
    !CONFIGURATION_CODES.has(e.code ?? '')
  ) {
    return new ChannelError(
      `SMTP refused the message for good: ${reply}`,
      'permanent',
      undefined,
      providerResponse,
    );
  }
  return new ChannelError(
    `SMTP failed, will retry: ${reply ?? e.message}`,
    'transient',
    undefined,
    providerResponse,
  );
}

@Injectable()
export class EmailChannel implements OnApplicationShutdown {
  private readonly transport: nodemailer.Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

  constructor(@Inject(EMAIL_OPTIONS) private readonly options: EmailOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      pool: true,
      host: options.host,
      port: options.port,
      secure: options.secure,
      ignoreTLS: options.starttls === false,
      auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: options.maxMessages ?? 100,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 6,
      // Messages carry only in-memory content: never let one read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
  }

  async send(mail: OutgoingEmail): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.messageId}@${MESSAGE_ID_DOMAIN}>`,
        attachments: mail.attachments?.map((a) => ({
          filename: a.fileName,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      // One recipient: nodemailer fails the whole send when it is refused, but be sure.
      if (info.rejected?.length) {
        throw (
          info.rejectedErrors?.[0] ??
          Object.assign(new Error(`recipient rejected: ${info.rejected.map(String).join(', ')}`), {
            code: 'EENVELOPE',
          })
        );
      }
      return { ok: true, providerResponse: `${info.response} ${info.messageId}` };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  /** Closes the pool; a message being sent finishes first. */
  close(): void {
    this.transport.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }
}
