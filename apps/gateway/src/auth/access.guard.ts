import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, DomainError } from '@dg/contracts';
import { PUBLIC_ROUTE } from '@dg/platform';
import { ALLOWED_ROLES, AllowRule, AnyRole, AuthenticatedRequest } from './access.decorators';
import { actorOf, Authenticator } from './authenticator';

/**
 * The one access rule of the gateway, registered as APP_GUARD. Deny by default: a route is open
 * only if marked `@Public()`, and otherwise only to the roles its `@Allow(...)` names. The token is
 * verified and the user re-read on every request, so a deactivation or a role change applies at
 * once; the result is kept on the request (and nowhere else) as its `Actor`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const rule = accessRuleOf(this.reflector, context.getHandler(), context.getClass());
    if (rule === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!rule) {
      this.logger.error(
        `${request.method} ${request.routeOptions.url ?? request.url} declares no access rule; refused`,
      );
      throw new DomainError('FORBIDDEN', 'ไม่มีสิทธิ์ดำเนินการนี้ (route has no access rule)');
    }

    const actor = request.actor ?? (await this.authenticate(request));
    if (rule.includes(AnyRole)) return true;
    if (actor.roles.some((role) => (rule as string[]).includes(role))) return true;
    throw new DomainError('FORBIDDEN');
  }

  private authenticate(request: AuthenticatedRequest): Promise<Actor> {
    return authenticateRequest(this.authenticator, request);
  }
}

/**
 * Verifies the request's bearer token and keeps who it is on the request (account, session,
 * actor). The guard calls it, and so does the authenticate-first hook, before the body is read.
 */
export async function authenticateRequest(
  authenticator: Authenticator,
  request: AuthenticatedRequest,
): Promise<Actor> {
  const { user, sessionId } = await authenticator.bearerSession(request.headers.authorization);
  const actor = actorOf(user);
  request.account = user;
  request.sessionId = sessionId;
  request.actor = actor;
  return actor;
}

type Target = ReturnType<ExecutionContext['getHandler']> | ReturnType<ExecutionContext['getClass']>;

function ruleOf(reflector: Reflector, target: Target): AllowRule[] | 'public' | undefined {
  const roles = reflector.get<AllowRule[] | undefined>(ALLOWED_ROLES, target);
  if (roles?.length) return roles;
  return reflector.get<boolean | undefined>(PUBLIC_ROUTE, target) ? 'public' : undefined;
}

/**
 * A route's access rule: the method's own marker wins over its class's; on one level, @Allow wins
 * over @Public. Undefined: no rule, refused. (Also read by the authenticate-first hook.)
 */
export function accessRuleOf(
  reflector: Reflector,
  handler: Target,
  cls: Target,
): AllowRule[] | 'public' | undefined {
  return ruleOf(reflector, handler) ?? ruleOf(reflector, cls);
}
