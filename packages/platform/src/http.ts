import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Headers } from '@dg/contracts';
import { Metrics } from './metrics';
import { ProblemFilter } from './problem';

export interface HttpAppOptions {
  /** Largest JSON body accepted; bigger requests get 413 problem+json. */
  bodyLimit?: number;
  /** Path prefix for the app's own routes; health and metrics stay at the root. */
  globalPrefix?: string;
}

/** The request id is the correlation id: taken from `x-correlation-id` or made here, then echoed. */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[Headers.CorrelationId];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  req.headers[Headers.CorrelationId] = id;
  return id;
}

/**
 * Builds a service's HTTP side on Fastify the same way everywhere: JSON logs, problem+json errors
 * (including Fastify's own parser errors and unknown routes), correlation ids, request metrics.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, opts: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: correlationIdOf,
    logger: false,
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
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host = '0.0.0.0'): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}
