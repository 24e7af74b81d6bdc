import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** Where {@link RouteBodyLimit} leaves the limit in the route's Fastify config. */
const CONFIG_KEY = 'bodyLimit';

/**
 * A larger (or smaller) JSON body limit for one route than the app's 512 KiB, e.g. the briefing
 * invitation with its base64 attachments. Nest has no decorator for Fastify's route `bodyLimit`;
 * this one puts the limit in the route's config (`@RouteConfig`), and {@link RouteBodyLimits}
 * copies it into the route options as Fastify registers the route. A bigger body is refused by
 * Fastify before it is read in full: 413 PAYLOAD_TOO_LARGE (problem+json).
 *
 * `@RouteConfig` sets the whole route config, so a route cannot also use `@RouteConfig({ rateLimit })`.
 */
export const RouteBodyLimit = (bytes: number) => RouteConfig({ [CONFIG_KEY]: bytes });

/**
 * Installs a Fastify `onRoute` hook that applies {@link RouteBodyLimit}. Fastify only reads
 * `bodyLimit` when a route is registered, and Nest registers routes in `app.init()`, after every
 * provider is built, so the hook is added here, in the constructor, while the app is being
 * created. (It belongs with the app's bootstrap; it lives here because the notifications routes
 * are the only ones that need it so far.)
 */
@Injectable()
export class RouteBodyLimits {
  private static readonly installed = new WeakSet<object>();
  private readonly logger = new Logger('RouteBodyLimits');

  constructor(adapterHost: HttpAdapterHost) {
    const adapter = adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'fastify') return; // no HTTP side (an application context)
    const fastify = adapter.getInstance<FastifyInstance>();
    if (RouteBodyLimits.installed.has(fastify)) return;
    RouteBodyLimits.installed.add(fastify);
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const limit = (route.config as Record<string, unknown> | undefined)?.[CONFIG_KEY];
      if (typeof limit !== 'number') return;
      route.bodyLimit = limit;
      this.logger.debug(`${String(route.method)} ${route.url}: body limit ${limit} bytes`);
    });
  }
}
