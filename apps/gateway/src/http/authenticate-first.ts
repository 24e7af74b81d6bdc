import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { accessRuleOf, authenticateRequest } from '../auth/access.guard';
import { Authenticator } from '../auth/authenticator';

/** `GET /api/v1/cycles/:id` as Nest registers it and Fastify reports it in `routeOptions.url`. */
export function routeKey(method: string, path: string): string {
  const normalized = `/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return `${method.toUpperCase()} ${normalized}`;
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : [typeof value === 'string' ? value : ''];

/**
 * Every Nest route of the app that needs a login (an `@Allow(...)` rule), read from the same metadata the access guard
 * reads (`@Public()`, `@Allow(...)`, on the method or its class). Routes under the global prefix
 * unless the platform excludes them (health, metrics), which are public anyway.
 */
export function routesNeedingLogin(app: NestFastifyApplication, globalPrefix: string): Set<string> {
  const reflector = app.get(Reflector);
  const scanner = app.get(MetadataScanner);
  const keys = new Set<string>();
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const metatype = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as () => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      // Only routes open to some roles: public ones need no token, and one with no rule at all is
      // the guard's 403 (deny by default), whoever asks.
      if (!Array.isArray(accessRuleOf(reflector, handler, metatype))) continue;
      for (const base of asList(Reflect.getMetadata(PATH_METADATA, metatype))) {
        for (const path of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          keys.add(routeKey(RequestMethod[method], `${globalPrefix}/${base}/${path}`));
        }
      }
    }
  }
  return keys;
}

/**
 * Authenticate first, then read the body: a Fastify `onRequest` hook, which runs before the
 * content-type parser, verifies the bearer token of every route that needs a login, so an
 * anonymous caller gets 401 before a byte of a large body is parsed. The access guard stays the
 * authority (roles, public routes, routes this table does not know): it reuses the actor found
 * here instead of verifying the token again.
 */
export function authenticateBeforeBody(app: NestFastifyApplication, globalPrefix: string): void {
  const needLogin = routesNeedingLogin(app, globalPrefix);
  const authenticator = app.get(Authenticator);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request: AuthenticatedRequest) => {
      const url = request.routeOptions.url;
      if (!url) return; // no route: the 404 handler answers
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      if (!needLogin.has(routeKey(method, url))) return;
      await authenticateRequest(authenticator, request);
    });
}
