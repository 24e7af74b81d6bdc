// What the senders hand to a channel, and how a channel reports a failure: the delivery worker
// retries a transient failure with backoff, pauses the channel on rate_limited for the time the
// provider asked, and stops at once on a permanent one (a mailbox that does not exist, a user who
// blocked the account).

export interface OutgoingAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  /** The delivery id: the Message-ID becomes `<messageId@dg-platform>`, so a duplicate can be spotted. */
  messageId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: OutgoingAttachment[];
}

export interface OutgoingLine {
  /** A UUID, the same on every retry of one delivery: LINE accepts a push with a given key once. */
  retryKey: string;
  /** The LINE user id (U followed by 32 hex digits). */
  to: string;
  text: string;
}

export type SendResult = { ok: true; providerResponse: string };

export type ChannelErrorKind = 'permanent' | 'transient' | 'rate_limited';

export class ChannelError extends Error {
  constructor(
    message: string,
    readonly kind: ChannelErrorKind,
    /** For rate_limited: how long the provider asked us to wait. */
    readonly retryAfterMs?: number,
    /** What the provider said (SMTP reply, HTTP status and body), for the delivery log. */
    readonly providerResponse?: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}
