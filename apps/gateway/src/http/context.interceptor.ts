import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runInContext } from '@dg/platform';
import type { AuthenticatedRequest } from '../auth/access.decorators';

/**
 * Runs the route handler inside the platform's call context, so every log line it writes carries
 * the correlation id and the acting user, like the services' RPC handlers do.
 */
@Injectable()
export class CallContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = req.actor;
    if (!actor) return next.handle();
    const ctx = { correlationId: String(req.id), actor };
    return new Observable((subscriber) => runInContext(ctx, () => next.handle().subscribe(subscriber)));
  }
}
