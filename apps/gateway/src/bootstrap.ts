import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import { Logger, type DynamicModule, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@dg/platform';
import type { GatewayConfig } from './config';
import { authenticateBeforeBody } from './http/authenticate-first';
import { useCheckedJsonParser } from './http/json-body';
import { servePortal } from './http/portal';
import { setupOpenApi } from './openapi';
import { mountQueueBoard } from './queues/queue-board';

export const API_PREFIX = 'api/v1';
/**
 * Largest JSON body (bytes, raw and once parsed) on every route that does not set its own. Half of
 * NATS's 1 MiB `max_payload`: what the gateway forwards is the body plus the RPC envelope, and the
 * reply often carries the document back (a questionnaire, a template), so both fit one message.
 * Bigger: 413 PAYLOAD_TOO_LARGE from the gateway, before anything reaches NATS.
 */
export const JSON_BODY_LIMIT = 512 * 1024;

/**
 * Builds the gateway's HTTP application around `rootModule` (normally `AppModule.forRoot(config)`):
 * Fastify with problem+json errors and correlation ids (from the platform), routes under /api/v1,
 * security headers on every answer, the bearer token checked before the body is read, 512 KiB
 * JSON bodies nested at most MAX_JSON_DEPTH levels, multipart uploads up to IMPORT_MAX_BYTES, the OpenAPI document at /docs,
 * the BullMQ queue dashboard at /admin/queues (dga_admin only, unless BULL_BOARD_ENABLED=false) and
 * the web portal at / (WEB_DIR, when there is one).
 * Not listening yet: the caller decides where.
 */
export async function createGatewayApp(
  rootModule: Type<unknown> | DynamicModule,
  config: GatewayConfig,
): Promise<NestFastifyApplication> {
  // TRUST_PROXY: only the Ingress may say who the client is (X-Forwarded-For); the login
  // throttle counts per request.ip.
  const app = await createHttpApp(rootModule, {
    globalPrefix: API_PREFIX,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: config.trustProxy,
  });
  // The refresh token's cookie (auth routes only).
  await app.register(fastifyCookie);
  // helmet's headers (Nest's built-in equivalent): nosniff, HSTS (browsers honour it over the
  // Ingress's TLS), no framing. The CSP is helmet's default, which the Swagger UI at /docs and the
  // queue dashboard work with (their scripts are files, not inline), without
  // upgrade-insecure-requests so the docs also load over plain http on a developer's machine.
  app.useSecurityHeaders({
    contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    xFrameOptions: { action: 'deny' },
  });
  useCheckedJsonParser(app, JSON_BODY_LIMIT);
  authenticateBeforeBody(app, API_PREFIX);
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, parts: 20, fieldSize: 1024 },
  });
  await mountQueueBoard(app, config);
  setupOpenApi(app);
  // Said once at boot, either way: a gateway that answers 404 at / should say why.
  if (config.portal.dir) await servePortal(app, config.portal.dir);
  new Logger('Portal').log(
    config.portal.dir
      ? `portal served at / (${config.portal.reason})`
      : `portal not served: ${config.portal.reason}`,
  );
  return app;
}
