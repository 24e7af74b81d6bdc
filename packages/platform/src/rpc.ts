import {
  ArgumentsHost,
  Catch,
  Injectable,
  Logger,
  OnApplicationShutdown,
  RpcExceptionFilter,
} from '@nestjs/common';
import {
  ClientNats,
  type CustomTransportStrategy,
  type MessageHandler,
  NatsRecordBuilder,
  ServerNats,
} from '@nestjs/microservices';
import {
  headers as natsHeaders,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { lastValueFrom, type Observable, throwError, timeout } from 'rxjs';
import {
  Actor,
  DomainError,
  fieldErrorsOf,
  Headers,
  type RpcErrorBody,
  type RpcRequest,
  type RpcRequestParsed,
  type RpcResponse,
  rpcErrorCodes,
  RpcSchemas,
  type RpcSubject,
  type ServiceReadiness,
} from '@dg/contracts';
import { requireRole } from './access';
import { ActorSigner, ActorVerifier } from './actor-assertion';
import { type CallContext, newCorrelationId, runInContext } from './context';
import { isDatabaseUnavailable } from './database';
import { Metrics } from './metrics';
import { inboxPrefixOf, Nats } from './nats';

/** What a `@MessagePattern(subject)` handler receives: the request checked against its contract, and who calls. */
export type RpcHandlerFn<S extends RpcSubject> = (
  request: RpcRequestParsed<S>,
  ctx: CallContext,
) => Promise<RpcResponse<S>> | RpcResponse<S>;

/**
 * The caller's context as NATS headers: the correlation id, the actor, and (where the service has
 * the signing key: the gateway) the actor's assertion for this subject and request (ADR 0017).
 */
export function contextHeaders(ctx: CallContext, assertion?: string): MsgHdrs {
  const h = natsHeaders();
  h.set(Headers.CorrelationId, ctx.correlationId);
  h.set(Headers.Actor, JSON.stringify(ctx.actor));
  if (assertion) h.set(Headers.ActorAssertion, assertion);
  return h;
}

/** The `x-actor` header as an actor, or undefined when it is missing or not one. */
function unsignedActorOf(h: MsgHdrs | undefined): Actor | undefined {
  try {
    const parsed = Actor.safeParse(JSON.parse(h?.get(Headers.Actor) || 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The caller's context of one request: its correlation id, and its actor as the verifier accepts
 * it (the gateway's signed assertion, or a service's system actor where services may call). A
 * request without a verifiable actor is refused (UNAUTHENTICATED, ACTOR_UNVERIFIED).
 */
export function contextFromHeaders(
  h: MsgHdrs | undefined,
  subject: string,
  request: unknown,
  verifier: ActorVerifier,
): CallContext {
  const correlationId = h?.get(Headers.CorrelationId) || newCorrelationId();
  const assertion = h?.get(Headers.ActorAssertion) || undefined;
  return { correlationId, actor: verifier.actorOf(subject, request, assertion, unsignedActorOf(h)) };
}

/**
 * Nest's default RPC filter turns every error it does not know into "Internal server error". The
 * transports below need the error itself (a DomainError keeps its stable code on the wire), so the
 * microservices of a service rethrow what their handlers throw.
 */
@Catch()
export class RethrowRpcErrors implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/** The reply body of the wire format: Nest's NATS packet (`{id, response}` or `{id, err}`). */
type ReplyPacket = { id: string; response?: unknown; err?: RpcErrorBody; isDisposed: true };

/** The error body a failure answers with: domain errors keep their code, the rest say as little as is safe. */
export function errorBodyOf(e: unknown, subject: string, logger: Logger, ctx?: CallContext): RpcErrorBody {
  if (e instanceof DomainError) return e.toBody();
  if (e instanceof SyntaxError) return { code: 'VALIDATION_FAILED', detail: 'request is not valid JSON' };
  // PostgreSQL refused the text itself (a NUL character, bad encoding): the client's input, not a fault.
  const pgCode = (e as { code?: unknown } | undefined)?.code;
  if (pgCode === '22P05' || pgCode === '22021') {
    return {
      code: 'VALIDATION_FAILED',
      detail: 'ข้อความมีอักขระที่ไม่รองรับ (text contains an unsupported character such as NUL)',
    };
  }
  if (isDatabaseUnavailable(e)) {
    logger.error(
      { err: e, subject, correlationId: ctx?.correlationId },
      `RPC ${subject}: database unavailable`,
    );
    return { code: 'SERVICE_UNAVAILABLE' };
  }
  logger.error({ err: e, subject, correlationId: ctx?.correlationId }, `RPC ${subject} failed`);
  return { code: 'INTERNAL' };
}

/**
 * Request/reply over `@nestjs/microservices`' NATS transport, on the service's one NATS connection
 * (`Nats`: its login, TLS and per-service inbox prefix of ADR 0012). `@MessagePattern(subject)`
 * handlers are subscribed in a queue group named after the service, so replicas share the load;
 * event handlers (`@EventPattern`) are left to the JetStream transport. Each request is checked
 * against its zod contract before the handler runs and the handler runs inside the caller's
 * context (correlation id and actor from the NATS headers); the reply is Nest's packet with the
 * data, or with an error body that keeps its stable code.
 */
export class NatsRpcTransport extends ServerNats implements CustomTransportStrategy {
  private readonly log = new Logger('NatsRpcTransport');
  private readonly rpcSubscriptions: Subscription[] = [];
  /** Requests being handled: a graceful stop answers them before NATS and the pools close. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly verifier: ActorVerifier;

  constructor(
    private readonly nats: Nats,
    private readonly metrics: Metrics,
    /** The service's readiness report: answers `<service>.health.ready` where the contracts name it. */
    private readonly readiness?: () => Promise<ServiceReadiness>,
  ) {
    super({ queue: nats.options.service });
    const verifyKey = nats.options.actorKeys?.verifyKey;
    // Without the gateway's public key no actor could be verified: the service must not serve.
    if (!verifyKey)
      throw new Error(
        `${nats.options.service}: ACTOR_VERIFY_KEY (the gateway's public key) is not set; RPC handlers cannot verify actors (ADR 0017)`,
      );
    this.verifier = new ActorVerifier(verifyKey);
  }

  override async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const nc = await this.nats.connect();
      this.addReadinessHandler();
      this.subscribeAll(nc);
      // A round trip to the server: once it answers, the node this service is connected to has
      // registered every subscription, so a request sent through that node right after start-up
      // finds a responder instead of "no responders" (other nodes of a cluster learn of the
      // interest a moment later; callers retry "no responders" as a restart).
      await nc.flush();
      callback();
    } catch (e) {
      callback(e);
    }
  }

  /**
   * Every service answers its `<service>.health.ready` (the gateway's aggregate readiness view)
   * without a handler of its own: the platform's readiness checks, for DGA's admins and operators.
   */
  private addReadinessHandler(): void {
    const subject = `${this.nats.options.service}.health.ready`;
    if (!this.readiness || !(subject in RpcSchemas) || this.getHandlerByPattern(subject)) return;
    const readiness = this.readiness;
    const handler = (_request: unknown, ctx: CallContext) => {
      requireRole(ctx.actor, 'dga_admin', 'operator');
      return readiness();
    };
    this.addHandler(subject, handler as unknown as MessageHandler);
  }

  private subscribeAll(nc: NatsConnection): void {
    const subjects = [...this.getHandlers()].filter(([, h]) => !h.isEventHandler).map(([s]) => s);
    for (const subject of subjects) {
      if (!(subject in RpcSchemas))
        throw new Error(`@MessagePattern('${subject}') is not an RPC subject of the contracts`);
      const sub = nc.subscribe(this.nats.subject(subject), {
        queue: this.nats.options.service,
        callback: (err, msg) => {
          if (err) return this.log.error(`subscription ${subject}: ${err.message}`);
          const handling = this.handleRequest$(subject as RpcSubject, msg).finally(() =>
            this.inFlight.delete(handling),
          );
          this.inFlight.add(handling);
        },
      });
      this.rpcSubscriptions.push(sub);
    }
    this.log.log(`serving ${subjects.length} RPC subjects`);
  }

  /**
   * Stops taking requests (another replica of the queue group gets them; with none, callers get
   * "no responders" and retry) and answers those already taken. Nest closes the microservices
   * before the shutdown hooks that drain NATS and close the database.
   */
  override async close(): Promise<void> {
    // drain, not unsubscribe: requests the server already routed to this connection are still
    // delivered and answered; unsubscribe would drop them and leave their callers to time out.
    await Promise.allSettled(this.rpcSubscriptions.splice(0).map((sub) => sub.drain()));
    if (this.inFlight.size) this.log.log(`shutting down: answering ${this.inFlight.size} requests in flight`);
    await Promise.allSettled([...this.inFlight]);
  }

  override unwrap<T>(): T {
    return this.nats.nc as T;
  }

  private async handleRequest$(subject: RpcSubject, msg: Msg): Promise<void> {
    const started = performance.now();
    let ctx: CallContext | undefined;
    let id = '';
    let reply: Omit<ReplyPacket, 'id'>;
    try {
      const packet = (await this.deserializer.deserialize(msg, { channel: subject })) as {
        id?: string;
        data?: unknown;
      };
      id = packet.id ?? '';
      const data = packet.data ?? {};
      ctx = contextFromHeaders(msg.headers, subject, data, this.verifier);
      const context = ctx;
      const handler = this.getHandlerByPattern(subject) as MessageHandler;
      const response: unknown = await runInContext(context, async (): Promise<unknown> => {
        const parsed = RpcSchemas[subject].request.safeParse(data);
        if (!parsed.success)
          throw new DomainError('VALIDATION_FAILED', undefined, fieldErrorsOf(parsed.error));
        const result: unknown = await handler(parsed.data, context);
        return lastValueFrom(this.transformToObservable(result), {
          defaultValue: undefined,
        });
      });
      reply = { response, isDisposed: true };
    } catch (e) {
      reply = { err: this.declared(subject, errorBodyOf(e, subject, this.log, ctx)), isDisposed: true };
    }
    const outcome = reply.err ? reply.err.code : 'ok';
    const seconds = (performance.now() - started) / 1000;
    this.metrics.rpcServerDuration.observe({ subject, outcome }, seconds);
    const log = () => this.log.debug(`rpc ${subject} ${outcome} ${Math.round(seconds * 1000)} ms`);
    if (ctx) runInContext(ctx, log);
    else log();
    if (msg.reply) this.respond(subject, msg, { id, ...reply });
  }

  /**
   * An error code the subject's contract does not list (`rpcErrorCodes`) is a contract break: the
   * gateway's OpenAPI document and every client read the list. Logged always; answered as
   * INTERNAL where RPC_STRICT_ERROR_CODES=1 (every test run), so a test meets it at once.
   */
  private declared(subject: RpcSubject, body: RpcErrorBody): RpcErrorBody {
    if (rpcErrorCodes(subject).includes(body.code)) return body;
    this.log.error(
      `RPC ${subject} answered ${body.code}, which its contract does not list (@dg/contracts RpcErrorCodes)`,
    );
    // (Read here, not in a service's config: it is a switch of the test runs, the same for every service.)
    if (process.env.RPC_STRICT_ERROR_CODES !== '1') return body;
    return { code: 'INTERNAL', detail: `${subject} answered ${body.code}, which its contract does not list` };
  }

  /**
   * A reply larger than the NATS server's max_payload (1 MiB by default) cannot be sent: answer
   * with an error instead of throwing out of the subscription (which would stop the process).
   */
  private respond(subject: string, msg: Msg, packet: ReplyPacket): void {
    try {
      msg.respond(JSON.stringify(packet));
    } catch (e) {
      this.log.error(
        `rpc ${subject}: the reply could not be sent (${e instanceof Error ? e.message : String(e)})`,
      );
      const err: RpcErrorBody = {
        code: 'INTERNAL',
        detail: `คำตอบมีขนาดใหญ่เกินกว่าจะส่งได้ (the reply to ${subject} is too large to send)`,
      };
      try {
        msg.respond(JSON.stringify({ id: packet.id, err, isDisposed: true }));
      } catch {
        /* the caller times out */
      }
    }
  }
}

/**
 * Nest's NATS client on the service's one connection (its login and inbox prefix). Closing it
 * leaves the connection to `Nats`, which drains it last at shutdown.
 */
class SharedConnectionClient extends ClientNats {
  constructor(private readonly nats: Nats) {
    // Replies come back to the service's own inboxes, the only ones its NATS user may read.
    super({ inboxPrefix: inboxPrefixOf(nats.options.service) });
  }

  /**
   * The shared connection, even while it reconnects: a request then waits in the client's buffer
   * for its timeout, as a plain nats.js request would, instead of failing at once.
   */
  override async connect(): Promise<NatsConnection> {
    this.natsClient ??= await this.nats.connect();
    return this.natsClient as NatsConnection;
  }

  override close(): Promise<void> {
    this.handleClose();
    return Promise.resolve();
  }

  override unwrap<T>(): T {
    return this.nats.nc as T;
  }
}

/**
 * Typed request/reply over Nest's `ClientProxy`: the request typed by its contract, the reply
 * checked against it, no-responders and timeouts turned into SERVICE_UNAVAILABLE, and an error
 * reply back into a `DomainError` with the same code.
 */
@Injectable()
export class ServiceClient implements OnApplicationShutdown {
  private readonly proxy: SharedConnectionClient;
  /** The gateway's signer (ACTOR_SIGNING_KEY); other services call as the system actor, unsigned. */
  private readonly signer?: ActorSigner;
  private readonly log = new Logger('ServiceClient');

  constructor(
    private readonly nats: Nats,
    private readonly metrics: Metrics,
  ) {
    this.proxy = new SharedConnectionClient(nats);
    const signingKey = nats.options.actorKeys?.signingKey;
    if (signingKey) this.signer = new ActorSigner(signingKey);
  }

  /** The assertion of this call: signed by the gateway; none for a service's system actor. */
  private assertionOf(subject: RpcSubject, request: unknown, ctx: CallContext): string | undefined {
    if (this.signer) return this.signer.sign(subject, request, ctx.actor, ctx.correlationId);
    if (ctx.actor.roles.includes('system')) return undefined;
    // The receiver would refuse it: say where the mistake is instead (ADR 0017).
    throw new DomainError(
      'ACTOR_UNVERIFIED',
      `${this.nats.options.service} cannot sign a person's actor for ${subject}: services call services as the system actor (systemContext)`,
    );
  }

  async call<S extends RpcSubject>(
    subject: S,
    request: RpcRequest<S>,
    ctx: CallContext,
    timeoutMs = 10_000,
  ): Promise<RpcResponse<S>> {
    const end = this.metrics.rpcClientDuration.startTimer({ subject });
    let headers: MsgHdrs;
    try {
      headers = contextHeaders(ctx, this.assertionOf(subject, request, ctx));
    } catch (e) {
      end({ outcome: 'ACTOR_UNVERIFIED' });
      throw e;
    }
    await this.proxy.connect();
    let data: unknown;
    try {
      const record = new NatsRecordBuilder(request).setHeaders(headers).build();
      data = await lastValueFrom(
        this.proxy.send(this.nats.subject(subject), record).pipe(timeout(timeoutMs)),
      );
    } catch (e) {
      const body = e as Partial<RpcErrorBody> | undefined;
      if (body && typeof body === 'object' && !(e instanceof Error) && typeof body.code === 'string') {
        end({ outcome: body.code });
        throw DomainError.fromBody(body as RpcErrorBody);
      }
      end({ outcome: 'unavailable' });
      // The subject and the transport's reason go to the log only: a caller's answer never names
      // an internal subject or a NATS limit (issue 13, hole 8).
      const reason = e instanceof Error ? e.message || e.name : String(e);
      this.log.warn({ subject, reason, correlationId: ctx.correlationId }, `RPC ${subject} unavailable`);
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'ระบบที่เกี่ยวข้องไม่ตอบสนอง ลองใหม่ภายหลัง (a service behind this request did not answer; try again later)',
      );
    }
    const parsed = RpcSchemas[subject].response.safeParse(data);
    if (!parsed.success) {
      end({ outcome: 'INTERNAL' });
      throw new DomainError('INTERNAL', `${subject} answered outside its contract`);
    }
    end({ outcome: 'ok' });
    return parsed.data as RpcResponse<S>;
  }

  /** Requests still waiting when the service stops are failed at once rather than left hanging. */
  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }
}
