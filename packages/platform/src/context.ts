import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Actor } from '@dg/contracts';

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
