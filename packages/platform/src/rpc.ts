import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  SetMetadata,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { headers as natsHeaders, Msg, MsgHdrs, Subscription } from '@nats-io/transport-node';
import {
  Actor,
  DomainError,
  fieldErrorsOf,
  Headers,
  RpcErrorBody,
  RpcRequest,
  RpcRequestParsed,
  RpcResponse,
  RpcSchemas,
  RpcSubject,
} from '@dg/contracts';
import { CallContext, newCorrelationId, runInContext } from './context';
import { Metrics } from './metrics';
import { Nats } from './nats';

const RPC_HANDLER = 'dg:rpc-handler';

/** Marks a provider method as the handler of one RPC subject; its request is validated before it runs. */
export const RpcHandler = (subject: RpcSubject) => SetMetadata(RPC_HANDLER, subject);

export type RpcHandlerFn<S extends RpcSubject> = (
  request: RpcRequestParsed<S>,
  ctx: CallContext,
) => Promise<RpcResponse<S>> | RpcResponse<S>;

type Reply = { ok: true; data: unknown } | { ok: false; error: RpcErrorBody };

export function contextHeaders(ctx: CallContext): MsgHdrs {
  const h = natsHeaders();
  h.set(Headers.CorrelationId, ctx.correlationId);
  h.set(Headers.Actor, JSON.stringify(ctx.actor));
  return h;
}

/** Reads correlation id and actor from NATS headers; a message without a valid actor is refused. */
export function contextFromHeaders(h: MsgHdrs | undefined): CallContext {
  const correlationId = h?.get(Headers.CorrelationId) || newCorrelationId();
  let actor: unknown;
  try {
    actor = JSON.parse(h?.get(Headers.Actor) || 'null');
  } catch {
    actor = null;
  }
  const parsed = Actor.safeParse(actor);
  if (!parsed.success) throw new DomainError('UNAUTHENTICATED', 'missing or invalid x-actor header');
  return { correlationId, actor: parsed.data };
}

/**
 * Subscribes every `@RpcHandler` method in a queue group named after the service, so replicas
 * share the load. Start-up fails when a subject has two handlers.
 */
@Injectable()
export class RpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RpcServer');
  private readonly subscriptions: Subscription[] = [];
  /** Requests being handled: a graceful stop answers them before NATS and the pools close. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly nats: Nats,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const nc = await this.nats.connect();
    const handlers = new Map<RpcSubject, (req: unknown, ctx: CallContext) => unknown>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = instance[name] as (...args: unknown[]) => unknown;
        const subject = Reflect.getMetadata(RPC_HANDLER, method) as RpcSubject | undefined;
        if (!subject) continue;
        if (handlers.has(subject)) throw new Error(`Two RPC handlers for ${subject}`);
        handlers.set(subject, method.bind(instance));
      }
    }
    for (const [subject, handler] of handlers) {
      const sub = nc.subscribe(this.nats.subject(subject), {
        queue: this.nats.options.service,
        callback: (err, msg) => {
          if (err) return this.logger.error(`subscription ${subject}: ${err.message}`);
          const handling = this.handle(subject, handler, msg).finally(() => this.inFlight.delete(handling));
          this.inFlight.add(handling);
        },
      });
      this.subscriptions.push(sub);
    }
    // A round trip to the server: once it answers, the node this service is connected to has
    // registered every subscription above, so a request sent through that node right after
    // start-up finds a responder instead of "no responders" (other nodes of a cluster learn of the
    // interest a moment later; callers retry "no responders" as a restart).
    await nc.flush();
    this.logger.log(`serving ${handlers.size} RPC subjects`);
  }

  /**
   * Stops taking requests (another replica of the queue group gets them; with none, callers get
   * "no responders" and retry) and answers those already taken. Runs before the shutdown hooks
   * that drain NATS and close the database.
   */
  async beforeApplicationShutdown(): Promise<void> {
    // drain, not unsubscribe: requests the server already routed to this connection are still
    // delivered and answered; unsubscribe would drop them and leave their callers to time out.
    await Promise.allSettled(this.subscriptions.splice(0).map((sub) => sub.drain()));
    if (this.inFlight.size)
      this.logger.log(`shutting down: answering ${this.inFlight.size} requests in flight`);
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(
    subject: RpcSubject,
    handler: (req: unknown, ctx: CallContext) => unknown,
    msg: Msg,
  ): Promise<void> {
    const started = performance.now();
    let reply: Reply;
    let ctx: CallContext | undefined;
    try {
      ctx = contextFromHeaders(msg.headers);
      const context = ctx;
      reply = await runInContext(context, async () => {
        const parsed = RpcSchemas[subject].request.safeParse(msg.data.length ? msg.json() : {});
        if (!parsed.success)
          throw new DomainError('VALIDATION_FAILED', undefined, fieldErrorsOf(parsed.error));
        return { ok: true as const, data: await handler(parsed.data, context) };
      });
    } catch (e) {
      reply = { ok: false, error: this.toErrorBody(subject, e, ctx) };
    }
    const outcome = reply.ok ? 'ok' : reply.error.code;
    const seconds = (performance.now() - started) / 1000;
    this.metrics.rpcServerDuration.observe({ subject, outcome }, seconds);
    const log = () => this.logger.debug(`rpc ${subject} ${outcome} ${Math.round(seconds * 1000)} ms`);
    if (ctx) runInContext(ctx, log);
    else log();
    if (msg.reply) this.respond(subject, msg, reply);
  }

  /**
   * A reply larger than the NATS server's max_payload (1 MiB by default) cannot be sent: answer
   * with an error instead of throwing out of the subscription (which would stop the process).
   */
  private respond(subject: string, msg: Msg, reply: Reply): void {
    try {
      msg.respond(JSON.stringify(reply));
    } catch (e) {
      this.logger.error(
        `rpc ${subject}: the reply could not be sent (${e instanceof Error ? e.message : String(e)})`,
      );
      const error: RpcErrorBody = {
        code: 'INTERNAL',
        detail: `คำตอบมีขนาดใหญ่เกินกว่าจะส่งได้ (the reply to ${subject} is too large to send)`,
      };
      try {
        msg.respond(JSON.stringify({ ok: false, error }));
      } catch {
        /* the caller times out */
      }
    }
  }

  private toErrorBody(subject: string, e: unknown, ctx?: CallContext): RpcErrorBody {
    if (e instanceof DomainError) return e.toBody();
    if (e instanceof SyntaxError) return { code: 'VALIDATION_FAILED', detail: 'request is not valid JSON' };
    // PostgreSQL refused the text itself (a NUL character, bad encoding): the client's input, not a fault.
    const pgCode = (e as { code?: unknown }).code;
    if (pgCode === '22P05' || pgCode === '22021') {
      return {
        code: 'VALIDATION_FAILED',
        detail: 'ข้อความมีอักขระที่ไม่รองรับ (text contains an unsupported character such as NUL)',
      };
    }
    if (
      e instanceof Error &&
      /timeout exceeded when trying to connect|Connection terminated/i.test(e.message)
    ) {
      this.logger.error(
        { err: e, subject, correlationId: ctx?.correlationId },
        `RPC ${subject}: database unavailable`,
      );
      return { code: 'SERVICE_UNAVAILABLE' };
    }
    this.logger.error({ err: e, subject, correlationId: ctx?.correlationId }, `RPC ${subject} failed`);
    return { code: 'INTERNAL' };
  }
}

/** Typed NATS request/reply: payload and reply checked against the contract, errors keep their code. */
@Injectable()
export class RpcClient {
  constructor(
    private readonly nats: Nats,
    private readonly metrics: Metrics,
  ) {}

  async call<S extends RpcSubject>(
    subject: S,
    request: RpcRequest<S>,
    ctx: CallContext,
    timeoutMs = 10_000,
  ): Promise<RpcResponse<S>> {
    const end = this.metrics.rpcClientDuration.startTimer({ subject });
    const nc = await this.nats.connect();
    let raw: Msg;
    try {
      raw = await nc.request(this.nats.subject(subject), JSON.stringify(request), {
        timeout: timeoutMs,
        headers: contextHeaders(ctx),
      });
    } catch (e) {
      end({ outcome: 'unavailable' });
      const reason = e instanceof Error ? e.message : String(e);
      throw new DomainError('SERVICE_UNAVAILABLE', `ระบบที่เกี่ยวข้องไม่ตอบสนอง (${subject}: ${reason})`);
    }
    const reply = raw.json<Reply>();
    if (!reply.ok) {
      end({ outcome: reply.error.code });
      throw DomainError.fromBody(reply.error);
    }
    const parsed = RpcSchemas[subject].response.safeParse(reply.data);
    if (!parsed.success) {
      end({ outcome: 'INTERNAL' });
      throw new DomainError('INTERNAL', `${subject} answered outside its contract`);
    }
    end({ outcome: 'ok' });
    return parsed.data as RpcResponse<S>;
  }
}
