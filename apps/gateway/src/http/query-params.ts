import { CallHandler, ExecutionContext, Injectable, NestInterceptor, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '@dg/contracts';

type ParamMetadata = Record<string, { index: number; data?: unknown }>;

/**
 * The names of an object schema, through the wrappers a query DTO may carry (default, prefault,
 * optional, a transform's input, a refinement); undefined when the schema is not an object.
 */
export function objectKeys(schema: z.core.$ZodType): string[] | undefined {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  if (def.type === 'pipe') return objectKeys(def.in as z.core.$ZodType);
  if (def.type === 'intersection') {
    const left = objectKeys(def.left as z.core.$ZodType);
    const right = objectKeys(def.right as z.core.$ZodType);
    return left && right ? [...left, ...right] : undefined;
  }
  if (def.innerType) return objectKeys(def.innerType as z.core.$ZodType);
  return undefined;
}

const cache = new WeakMap<object, readonly string[]>();

/**
 * The query parameters a route accepts: the keys of its `@Query()` DTO (a zod schema through
 * nestjs-zod) and any `@Query('name')`; none for a route without `@Query`. A `@Query()` whose type
 * is not an object schema is a programming error, thrown at once (a test walks every route).
 */
export function acceptedQueryOf(controller: Type, method: string): readonly string[] {
  const handler = (controller.prototype as Record<string, object>)[method];
  const known = cache.get(handler);
  if (known) return known;
  const params =
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) as ParamMetadata | undefined) ?? {};
  const types =
    (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) as
      unknown[] | undefined) ?? [];
  const accepted = new Set<string>();
  for (const [key, { index, data }] of Object.entries(params)) {
    if (Number(key.split(':')[0]) !== Number(RouteParamtypes.QUERY)) continue;
    if (typeof data === 'string') {
      accepted.add(data);
      continue;
    }
    // A nestjs-zod DTO class carries its schema as the static `schema`.
    const schema = (types[index] as { isZodDto?: boolean; schema?: z.core.$ZodType } | undefined)?.schema;
    const keys = schema ? objectKeys(schema) : undefined;
    if (!keys)
      throw new Error(`${controller.name}.${method}: @Query() needs a zod object DTO to know its parameters`);
    keys.forEach((k) => accepted.add(k));
  }
  const list = [...accepted];
  cache.set(handler, list);
  return list;
}

/** The names of a query string that a route does not accept, in the order they came. */
export function unknownQueryParameters(query: unknown, accepted: readonly string[]): string[] {
  if (!query || typeof query !== 'object') return [];
  return Object.keys(query).filter((k) => !accepted.includes(k));
}

export function unknownQueryError(unknown: string[], accepted: readonly string[]): DomainError {
  const list = accepted.length ? accepted.join(', ') : '(none)';
  return new DomainError(
    'UNKNOWN_QUERY_PARAMETER',
    `ไม่รู้จักพารามิเตอร์ ${unknown.join(', ')} ของเส้นทางนี้ ใช้ได้เฉพาะ ${accepted.length ? list : '(ไม่มี)'} ` +
      `(unknown query parameter ${unknown.join(', ')}; this route accepts ${list})`,
    unknown.map((name) => ({
      path: name,
      code: 'UNKNOWN_QUERY_PARAMETER',
      message: `unknown query parameter; accepted: ${list}`,
      messageTh: `ไม่รู้จักพารามิเตอร์นี้ ใช้ได้เฉพาะ ${accepted.length ? list : '(ไม่มี)'}`,
    })),
    { accepted: [...accepted] },
  );
}

/**
 * Refuses a request whose query string names a parameter the route does not take (400
 * UNKNOWN_QUERY_PARAMETER, naming it and the accepted ones): a filter that does not exist, such
 * as `?province=` where the route filters by `provinceCode`, would otherwise be ignored and answer
 * everything. Once for every route of the API (`/api/`), after the login and role check.
 */
@Injectable()
export class QueryParamsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.url.startsWith('/api/')) {
      const accepted = acceptedQueryOf(context.getClass(), context.getHandler().name);
      const unknown = unknownQueryParameters(req.query, accepted);
      if (unknown.length) throw unknownQueryError(unknown, accepted);
    }
    return next.handle();
  }
}
