// LINE push messages through the official SDK (@line/bot-sdk v11, messagingApi.MessagingApiClient).
// Every push carries X-Line-Retry-Key: LINE accepts a key once and answers 409 to a repeat, so a
// retry after a timeout or a 5xx can never deliver the message twice; that 409 counts as sent.
import { Inject, Injectable } from '@nestjs/common';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { ChannelError, type OutgoingLine, type SendResult } from './channel';

export const LINE_OPTIONS = Symbol('LINE_OPTIONS');

export interface LineOptions {
  channelAccessToken: string;
  /** Default https://api.line.me; a stand-in's URL in development and tests. */
  baseURL?: string;
  /** How long one push may take before it counts as a (transient) timeout; default 15 s. */
  timeoutMs?: number;
}

/** The most characters LINE accepts in one text message. */
export const LINE_TEXT_LIMIT = 5000;
/** Used when a 429 carries no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Retry-After in seconds (or an HTTP date), in ms; the default when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now);
}

function describe(status: number, headers: Headers | undefined, body: string): string {
  const requestId = headers?.get('x-line-request-id');
  return [String(status), requestId ? `x-line-request-id=${requestId}` : '', body.slice(0, 500)]
    .filter(Boolean)
    .join(' ');
}

/**
 * Sorts a push failure: 429 → rate_limited (Retry-After); 400, 403, 404 and other 4xx (a wrong or
 * unknown user id, a user who blocked the account) → permanent; 401 (our token) → transient so a
 * fixed token lets the messages go; 5xx, network errors and timeouts → transient.
 */
export function classifyLineError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  if (err instanceof HTTPFetchError) {
    const response = describe(err.status, err.headers, err.body);
    if (err.status === 429) {
      const wait = retryAfterMs(err.headers?.get('retry-after'));
      return new ChannelError(`LINE rate limit: retry in ${wait} ms`, 'rate_limited', wait, response);
    }
    if (err.status === 401)
      return new ChannelError('LINE refused the channel access token', 'transient', undefined, response);
    if (err.status >= 400 && err.status < 500) {
      return new ChannelError(
        `LINE refused the push for good: ${response}`,
        'permanent',
        undefined,
        response,
      );
    }
    return new ChannelError(`LINE failed, will retry: ${response}`, 'transient', undefined, response);
  }
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return new ChannelError(
    `LINE unreachable, will retry: ${message}${cause}`,
    'transient',
    undefined,
    `${message}${cause}`,
  );
}

@Injectable()
export class LineChannel {
  private readonly client: messagingApi.MessagingApiClient;
  private readonly timeoutMs: number;

  constructor(@Inject(LINE_OPTIONS) options: LineOptions) {
    this.client = new messagingApi.MessagingApiClient({
      channelAccessToken: options.channelAccessToken,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    });
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async send(msg: OutgoingLine): Promise<SendResult> {
    if (!msg.text.trim()) throw new ChannelError('LINE text is empty', 'permanent', undefined, 'empty text');
    if (msg.text.length > LINE_TEXT_LIMIT) {
      throw new ChannelError(
        `LINE text has ${msg.text.length} characters; LINE accepts ${LINE_TEXT_LIMIT}`,
        'permanent',
        undefined,
        'text too long',
      );
    }
    try {
      const { httpResponse, body } = await this.withTimeout(
        this.client.pushMessageWithHttpInfo(
          { to: msg.to, messages: [{ type: 'text', text: msg.text }] },
          msg.retryKey,
        ),
      );
      const ids = (body?.sentMessages ?? []).map((m) => m.id).join(',');
      return {
        ok: true,
        providerResponse: describe(
          httpResponse.status,
          httpResponse.headers,
          ids ? `sentMessages=${ids}` : '',
        ),
      };
    } catch (err) {
      // 409: a push with this retry key was accepted before (LINE says which request in x-line-accepted-request-id).
      if (err instanceof HTTPFetchError && err.status === 409) {
        const accepted = err.headers?.get('x-line-accepted-request-id');
        return {
          ok: true,
          providerResponse:
            `409 already accepted${accepted ? ` x-line-accepted-request-id=${accepted}` : ''} ${err.body.slice(0, 300)}`.trim(),
        };
      }
      throw classifyLineError(err);
    }
  }

  /** The SDK's fetch has no timeout of its own; a late answer is harmless thanks to the retry key. */
  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from LINE within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
