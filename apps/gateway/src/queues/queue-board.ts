import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { BeforeHookResult, HTTPStatus, IServerAdapter } from '@bull-board/api/typings/app';
import { FastifyAdapter } from '@bull-board/fastify';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, type RedisClient } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@dg/contracts';
import { redisConnection, sendProblem, toDomainError } from '@dg/platform';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { actorOf, Authenticator } from '../auth/authenticator';
import { LoginThrottle, LoginThrottled } from '../auth/login-throttle';
import type { BoardQueue, GatewayConfig } from '../config';
import { BASIC_CHALLENGE, BoardAccess, BoardRateLimited, type PasswordCheckLimiter } from './board-access';

/** Where operators open the dashboard; outside /api/v1 and not in the OpenAPI document. */
export const QUEUE_BOARD_PATH = '/admin/queues';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A Redis that does not answer fails a board request after this long instead of holding it. */
const REDIS_COMMAND_TIMEOUT_MS = 5000;
const ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * The services' queues, opened by the gateway only to show and manage them (no worker runs here).
 * Redis being down must never stop the gateway: connection errors are logged (once a minute at
 * most), commands fail fast instead of waiting in ioredis' offline queue, and the board answers
 * 503 while any queue has no live connection.
 */
export class BoardQueues {
  readonly queues: Queue[];
  private readonly clients = new Map<Queue, RedisClient>();
  private lastErrorLog = 0;

  constructor(
    redisUrl: string,
    listed: BoardQueue[],
    private readonly logger: Logger,
  ) {
    const connection = {
      ...redisConnection(redisUrl),
      enableOfflineQueue: false,
      connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // Closing while Redis is down leaves ioredis a timer for a socket already gone (2 s by default).
      disconnectTimeout: 200,
    };
    this.queues = listed.map(({ prefix, name }) => {
      const queue = new Queue(name, { prefix, connection });
      // Without a listener an 'error' event would throw and take the whole gateway down.
      queue.on('error', (err) => this.connectionError(err));
      // BullMQ holds every command until the first connection is up; until then the board says 503.
      queue.getBackend().client.then(
        (client) => this.clients.set(queue, client),
        () => undefined,
      );
      return queue;
    });
  }

  /** Every queue has a Redis connection that is up now. */
  get ready(): boolean {
    return this.queues.every((q) => this.clients.get(q)?.status === 'ready');
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      this.queues.map((q) =>
        // While Redis is away BullMQ's QUIT is refused and ioredis would keep reconnecting: cut it.
        q.close().catch(() => this.clients.get(q)?.disconnect()),
      ),
    );
  }

  private connectionError(err: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = now;
    this.logger.warn(
      { err: err.message },
      'queue dashboard: Redis unreachable, the board answers 503 until it is back',
    );
  }
}

/** Browsers send Basic credentials on cross-site requests too: changes must come from the board's own pages. */
function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/** The gateway's login throttle (per client address, and a slow-down per e-mail), for Basic password checks. */
function passwordCheckLimiter(throttle: LoginThrottle): PasswordCheckLimiter {
  return {
    admit: async (request, email) => {
      try {
        await throttle.admit(request.ip, email);
        return null;
      } catch (e) {
        if (e instanceof LoginThrottled) return e.retryAfter;
        throw e;
      }
    },
    succeeded: (request, email) => throttle.succeeded(request.ip, email),
  };
}

/**
 * Mounts bull-board at /admin/queues for `dga_admin` users, with full rights (retry, clean,
 * promote, pause...), and for `operator` users read-only (GET and HEAD; a change is 403). Its routes are plain Fastify routes, so they get their own guard: an
 * onRequest hook in the board's encapsulated context (see BoardAccess), which also refuses
 * cross-site changes. Every change (POST, PUT, PATCH, DELETE) is logged with the admin's id.
 * Queue connections close with the app.
 */
export async function mountQueueBoard(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  const { enabled, redisUrl, queues: listed } = config.queueBoard;
  if (!enabled) return;
  const logger = new Logger('QueueBoard');
  const queues = new BoardQueues(redisUrl, listed, logger);

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.queues.map(
      (queue, i) => new BullMQAdapter(queue, { description: `BullMQ prefix ${listed[i].prefix}` }),
    ),
    // @bull-board/fastify 9.10.1 carries its own copy of @bull-board/api 9.10.1 for its types; the
    // adapter never loads it at run time, so only the declarations differ (private fields).
    serverAdapter: serverAdapter as unknown as IServerAdapter,
    options: {
      uiConfig: { boardTitle: 'คิวงาน DG · Queues' },
      handlerHooks: {
        before: (): BeforeHookResult =>
          queues.ready
            ? undefined
            : {
                allow: false,
                // 503 is not in bull-board's HTTPStatus type, but it is what this is.
                status: 503 as unknown as HTTPStatus,
                errorKey: 'ERRORS.REDIS_UNAVAILABLE',
                message: 'เชื่อมต่อ Redis ไม่ได้ในขณะนี้ (Redis unavailable)',
              },
      },
    },
  });

  const access = new BoardAccess(app.get(Authenticator), passwordCheckLimiter(app.get(LoginThrottle)));

  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    try {
      const user = await access.identify(request);
      // Known before the role check, so that a refused change is logged with who tried.
      const req = request as AuthenticatedRequest;
      req.account = user;
      req.actor = actorOf(user);
      access.requireAccess(user, request.method);
      if (UNSAFE_METHODS.has(request.method) && crossSite(request)) {
        throw new DomainError('FORBIDDEN', 'ไม่รับคำสั่งจากเว็บไซต์อื่น (cross-site request refused)');
      }
      return undefined;
    } catch (e) {
      // Answered here: bull-board's own error handler would turn a throw into its JSON shape.
      if (toDomainError(e).status === 401) void reply.header('www-authenticate', BASIC_CHALLENGE);
      if (e instanceof BoardRateLimited) void reply.header('retry-after', String(e.retryAfter));
      sendProblem(e, request, reply, logger);
      return reply;
    }
  }

  function audit(request: FastifyRequest, reply: FastifyReply): void {
    if (!UNSAFE_METHODS.has(request.method)) return;
    const entry = {
      by: (request as AuthenticatedRequest).actor?.id ?? null,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      params: request.params,
      status: reply.statusCode,
      correlationId: String(request.id),
    };
    if (reply.statusCode < 400) logger.log(entry, 'queue dashboard change');
    else logger.warn(entry, 'queue dashboard change refused or failed');
  }

  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', guard);
      scope.addHook('onSend', async (request, reply) => {
        void reply.header('x-frame-options', 'DENY');
        if (!request.url.startsWith(`${QUEUE_BOARD_PATH}/static/`)) {
          void reply.header('cache-control', 'private, no-store');
        }
      });
      scope.addHook('onResponse', async (request, reply) => audit(request, reply));
      scope.addHook('onClose', async () => queues.close());
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
