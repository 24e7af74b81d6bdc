import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@dg/platform';
import type { GatewayConfig } from './config';
import { setupOpenApi } from './openapi';
import { mountQueueBoard } from './queues/queue-board';

export const API_PREFIX = 'api/v1';
export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Builds the gateway's HTTP application around `rootModule` (normally `AppModule.forRoot(config)`):
 * Fastify with problem+json errors and correlation ids (from the platform), routes under /api/v1,
 * 1 MiB JSON bodies, multipart uploads up to IMPORT_MAX_BYTES, the OpenAPI document at /docs and
 * the BullMQ queue dashboard at /admin/queues (dga_admin only, unless BULL_BOARD_ENABLED=false).
 * Not listening yet: the caller decides where.
 */
export async function createGatewayApp(
  rootModule: Type<unknown> | DynamicModule,
  config: GatewayConfig,
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(rootModule, { globalPrefix: API_PREFIX, bodyLimit: JSON_BODY_LIMIT });
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, parts: 20, fieldSize: 1024 },
  });
  // Only routes that opt in with @RouteConfig({ rateLimit: {} }) are limited (login). The key is
  // the client address and the e-mail tried, so one office behind NAT is not locked out as a whole.
  // In memory per replica: with N replicas an attacker gets N times the budget (see README).
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.loginRateLimit,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return `${req.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    },
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      message: `ลองใหม่ได้ในอีก ${Math.ceil(ctx.ttl / 1000)} วินาที (retry in ${Math.ceil(ctx.ttl / 1000)} s)`,
    }),
  });
  // After the rate limiter: Basic password checks on the board use the login limit.
  await mountQueueBoard(app, config);
  setupOpenApi(app);
  return app;
}
