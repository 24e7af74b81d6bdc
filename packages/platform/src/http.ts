import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Headers } from '@dg/contracts';
import { Metrics } from './metrics';
import { ProblemFilter, sendProblem } from './problem';

export interface HttpAppOptions {
  /** Largest JSON body accepted; bigger requests get 413 problem+json. */
  bodyLimit?: number;
  /** Path prefix for the app's own routes; health and metrics stay at the root. */
  globalPrefix?: string;
  /**
   * Fastify's `trustProxy`: which proxies may set X-Forwarded-For (a hop count or their
   * addresses/CIDRs), so `request.ip` is the real client behind them. Default: nobody.
   */
  trustProxy?: false | number | string[];
}

/** The request id is the correlation id: taken from `x-correlation-id` or made here, then echoed. */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[Headers.CorrelationId];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  req.headers[Headers.CorrelationId] = id;
  return id;
}

/** Trusts the nearest `hops` proxies (X-Forwarded-For read from the right). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/**
 * Builds a service's HTTP side on Fastify the same way everywhere: JSON logs, problem+json errors
 * (including Fastify's own parser errors and unknown routes), correlation ids, request metrics.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, opts: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const frameworkLogger = new Logger('Fastify');
  const adapter = new FastifyAdapter({
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: correlationIdOf,
    logger: false,
    // A hop count as the function Fastify itself makes of one (the adapter's type has no number).
    trustProxy: typeof opts.trustProxy === 'number' ? trustHops(opts.trustProxy) : (opts.trustProxy ?? false),
    // Errors Fastify answers before any route (a malformed percent-escape: 400; a path parameter
    // over maxParamLength: 414) would otherwise leave in Fastify's own JSON shape. Nest's own
    // handler of these runs the hook of app.useSecurityHeaders() first; so does this one.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      try {
        (adapter as unknown as { securityHook?: (req: unknown, res: unknown) => void }).securityHook?.(request, reply.raw);
      } catch {
        /* refused either way */
      }
      // The router answers before the onSend hook that echoes the correlation id would run.
      void reply.header(Headers.CorrelationId, String(request.id));
      sendProblem(error, request, reply, frameworkLogger);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.useGlobalFilters(new ProblemFilter());
  if (opts.globalPrefix) app.setGlobalPrefix(opts.globalPrefix, { exclude: ['health/live', 'health/ready', 'metrics'] });
  // Nest installs Fastify's error and not-found handlers itself and sends both through the global
  // filters, so Fastify's own errors (413 body too large, 415, bad JSON) and unknown routes reach
  // ProblemFilter too; setting them again here would throw.
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(Metrics);
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header(Headers.CorrelationId, String(request.id));
  });
  endKeepAliveWhenClosing(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return app;
}

/**
 * Once the server is closing, a keep-alive connection is closed as soon as its response ends.
 * Node closes the connections that are idle when `close()` is called, but one whose response
 * (a CSV export streaming) ends afterwards would stay open until `keepAliveTimeout` (72 s in
 * Fastify), holding the close past the shutdown grace period: the process would exit 1.
 */
export function endKeepAliveWhenClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (_request, _reply, done) => {
    // The response's socket turns idle right after this hook: close it on the next turn.
    if (closing) setImmediate(() => fastify.server.closeIdleConnections());
    done();
  });
}

/**
 * Starts serving and makes SIGTERM (what Kubernetes sends) and SIGINT a graceful stop. Only the
 * services' main functions call this; tests close their apps themselves.
 */
export async function listen(app: INestApplication, port: number, host = '0.0.0.0'): Promise<string> {
  await app.listen(port, host);
  exitGracefullyOnSignals(app);
  return app.getUrl();
}

/** How long a graceful stop may take before the process gives up and exits 1 (below Kubernetes' grace period). */
export function shutdownGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.SHUTDOWN_GRACE_MS ?? 20_000);
  return Number.isFinite(ms) && ms > 0 ? ms : 20_000;
}

/**
 * On the first SIGTERM or SIGINT: `app.close()` runs the shutdown hooks in Nest's order — RPC
 * subscriptions and event consumers stop taking work and finish what they hold, the HTTP server
 * stops accepting and waits for open requests, BullMQ workers finish their running jobs, NATS
 * drains, the pools close — and the process exits 0. Past the grace period, or on a second
 * signal, it exits 1 at once (unfinished work is redelivered: messages are acknowledged, and jobs
 * completed, only after their results are committed). Nest's own enableShutdownHooks re-raises
 * the signal after closing, which makes a clean stop look like a kill to whoever watches the exit.
 */
export function exitGracefullyOnSignals(app: INestApplication, graceMs = shutdownGraceMs()): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    const log = (level: number, msg: string) => console.log(JSON.stringify({ level, time: Date.now(), signal, msg }));
    if (stopping) {
      log(50, 'second signal during shutdown: exiting now');
      process.exit(1);
    }
    stopping = true;
    log(30, `${signal}: finishing in-flight work, then exiting (at most ${graceMs} ms)`);
    setTimeout(() => {
      log(50, `shutdown did not finish within ${graceMs} ms: exiting with unfinished work (it will be redelivered)`);
      process.exit(1);
    }, graceMs).unref();
    app.close().then(
      () => {
        log(30, 'stopped cleanly');
        process.exit(0);
      },
      (e: unknown) => {
        log(50, `shutdown failed: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
