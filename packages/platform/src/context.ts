import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type Actor, SYSTEM_ACTOR } from '@dg/contracts';

/** What every unit of work carries: who asked and the id that ties its logs together across services. */
export interface CallContext {
  correlationId: string;
  actor: Actor;
}

const storage = new AsyncLocalStorage<CallContext>();

export function runInContext<T>(ctx: CallContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): CallContext | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * The context of a service calling another service on its own behalf: the same correlation id, the
 * `system` actor. Only the gateway signs a person's actor (ADR 0017); a service forwarding one
 * would be refused, so services call services as the system.
 */
export function systemContext(ctx: Pick<CallContext, 'correlationId'>): CallContext {
  return { correlationId: ctx.correlationId, actor: SYSTEM_ACTOR };
}
