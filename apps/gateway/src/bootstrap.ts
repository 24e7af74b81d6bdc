import fastifyMultipart from '@fastify/multipart';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@dg/platform';
import type { GatewayConfig } from './config';
import { setupOpenApi } from './openapi';

export const API_PREFIX = 'api/v1';
export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Builds the gateway's HTTP application around `rootModule` (normally `AppModule.forRoot(config)`):
 * Fastify with problem+json errors and correlation ids (from the platform), routes under /api/v1,
 * 1 MiB JSON bodies, multipart uploads up to IMPORT_MAX_BYTES, and the OpenAPI document at /docs.
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
  setupOpenApi(app);
  return app;
}
