import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Actor, DomainError } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import type { UserEntity } from '../users/user.entity';
import type { AssignableRole } from '../users/users.dto';
import { ApiProblems } from '../openapi';

export const ALLOWED_ROLES = 'dg:allowed-roles';

/** Marker for "any logged-in user, whatever the role". */
export const AnyRole = '*';
export type AllowRule = AssignableRole | typeof AnyRole;

/**
 * Declares who may call a route (method or controller). Routes with neither `@Allow(...)` nor
 * `@Public()` are refused by the access guard: deny by default.
 */
export const Allow = (...roles: [AllowRule, ...AllowRule[]]) =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    ApiBearerAuth(),
    ApiProblems('UNAUTHENTICATED', 'FORBIDDEN'),
  );

/** A request that went through the access guard. */
export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
  /** The user row the guard read for this request (a per-request cache, nothing longer). */
  account?: UserEntity;
  /** The session of the request's access token (absent on the queue dashboard's Basic login). */
  sessionId?: string;
}

function actorOf(host: ExecutionContext): Actor {
  const actor = host.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new DomainError('UNAUTHENTICATED');
  return actor;
}

/** The acting user, as the access guard re-read it for this request. */
export const CurrentActor = createParamDecorator((_: unknown, host: ExecutionContext): Actor =>
  actorOf(host),
);

/** The logged-in user's row, as read by the access guard for this request. */
export const CurrentAccount = createParamDecorator((_: unknown, host: ExecutionContext): UserEntity => {
  const account = host.switchToHttp().getRequest<AuthenticatedRequest>().account;
  if (!account) throw new DomainError('UNAUTHENTICATED');
  return account;
});

/** The session of the request's access token, for logout and password change. */
export const CurrentSession = createParamDecorator((_: unknown, host: ExecutionContext): string => {
  const sessionId = host.switchToHttp().getRequest<AuthenticatedRequest>().sessionId;
  if (!sessionId) throw new DomainError('UNAUTHENTICATED');
  return sessionId;
});

/** What every RPC needs: `{ correlationId, actor }`; the correlation id is the request id (x-correlation-id). */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): CallContext => ({
  correlationId: String(host.switchToHttp().getRequest<FastifyRequest>().id),
  actor: actorOf(host),
}));
