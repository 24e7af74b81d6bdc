// A local stand-in for the LINE Messaging API push endpoint (POST /v2/bot/message/push), as LINE
// documents it: Bearer token, X-Line-Retry-Key accepted once (a repeat gets 409 with
// x-line-accepted-request-id), 429 with Retry-After when told, 400 for an invalid `to`.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LinePush {
  to: string;
  /** The text of the first message (the platform sends one text message per push). */
  text: string;
  messages: { type: string; text?: string }[];
  retryKey: string | null;
  /** The x-line-request-id the stand-in answered with. */
  requestId: string;
  at: Date;
}

/** Every request, accepted or not, with the status it got. */
export interface LineRequest {
  status: number;
  to: string | null;
  retryKey: string | null;
  at: Date;
}

const USER_ID = /^U[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class LineStandIn {
  /** Pushes LINE would have delivered, oldest first. */
  readonly pushes: LinePush[] = [];
  readonly requests: LineRequest[] = [];
  /** User ids answered 400 "The property, 'to', in the request body is invalid". */
  readonly invalidUsers = new Set<string>();
  /** The channel access token it expects after `Bearer `. */
  readonly token: string;
  private readonly accepted = new Map<
    string,
    { requestId: string; sentMessages: { id: string; quoteToken: string }[] }
  >();
  private fail429 = { remaining: 0, retryAfterSeconds: 1 };
  private fail5xx = 0;
  private server!: Server;

  private constructor(token: string) {
    this.token = token;
  }

  static async start(options: { token?: string } = {}): Promise<LineStandIn> {
    const standIn = new LineStandIn(options.token ?? `stand-in-${randomBytes(12).toString('hex')}`);
    standIn.server = createServer((req, res) => standIn.handle(req, res));
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** http://127.0.0.1:<port>: the MessagingApiClient's baseURL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers the next `n` pushes with 429 and `Retry-After: <retryAfterSeconds>`. */
  failNext429(n: number, retryAfterSeconds: number): void {
    this.fail429 = { remaining: n, retryAfterSeconds };
  }

  /** Answers the next `n` pushes with 500 (the message is not accepted). */
  failNext500(n: number): void {
    this.fail5xx = n;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
  }

  private answer(req: IncomingMessage, rawBody: string, res: ServerResponse): void {
    const requestId = randomUUID();
    const retryKey =
      typeof req.headers['x-line-retry-key'] === 'string' ? req.headers['x-line-retry-key'] : null;
    let to: string | null = null;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      this.requests.push({ status, to, retryKey, at: new Date() });
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-line-request-id': requestId,
        ...headers,
      });
      res.end(JSON.stringify(body));
    };

    if (req.method !== 'POST' || req.url !== '/v2/bot/message/push')
      return reply(404, { message: 'Not found' });
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return reply(401, {
        message: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
      });
    }
    let body: { to?: unknown; messages?: unknown };
    try {
      body = JSON.parse(rawBody) as typeof body;
    } catch {
      return reply(400, { message: 'The request body could not be parsed as JSON' });
    }
    to = typeof body.to === 'string' ? body.to : null;
    if (retryKey !== null && !UUID.test(retryKey)) {
      return reply(400, { message: "The value for the 'X-Line-Retry-Key' header is invalid" });
    }
    if (this.fail429.remaining > 0) {
      this.fail429.remaining--;
      return reply(
        429,
        { message: 'The API rate limit has been exceeded. Try again later.' },
        { 'retry-after': String(this.fail429.retryAfterSeconds) },
      );
    }
    if (this.fail5xx > 0) {
      this.fail5xx--;
      return reply(500, { message: 'Internal server error' });
    }
    const done = retryKey ? this.accepted.get(retryKey) : undefined;
    if (done) {
      return reply(
        409,
        { message: 'The retry key is already accepted', sentMessages: done.sentMessages },
        { 'x-line-accepted-request-id': done.requestId },
      );
    }
    if (!to || !USER_ID.test(to) || this.invalidUsers.has(to)) {
      return reply(400, { message: "The property, 'to', in the request body is invalid" });
    }
    const messages = Array.isArray(body.messages) ? (body.messages as { type: string; text?: string }[]) : [];
    if (messages.length < 1 || messages.length > 5) {
      return reply(400, {
        message: 'The request body has 1 error(s)',
        details: [{ message: 'Size must be between 1 and 5', property: 'messages' }],
      });
    }
    const tooLong = messages.findIndex(
      (m) => m.type === 'text' && (typeof m.text !== 'string' || m.text.length === 0 || m.text.length > 5000),
    );
    if (tooLong >= 0) {
      return reply(400, {
        message: 'The request body has 1 error(s)',
        details: [{ message: 'Length must be between 1 and 5000', property: `messages[${tooLong}].text` }],
      });
    }
    const sentMessages = messages.map(() => ({
      id: String(BigInt(`0x${randomBytes(7).toString('hex')}`)),
      quoteToken: randomBytes(24).toString('base64url'),
    }));
    if (retryKey) this.accepted.set(retryKey, { requestId, sentMessages });
    this.pushes.push({ to, text: messages[0]?.text ?? '', messages, retryKey, requestId, at: new Date() });
    reply(200, { sentMessages });
  }
}
