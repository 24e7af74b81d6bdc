import { EntityManager } from 'typeorm';
import type { CallContext } from '@dg/platform';
import { ResponseAuditEntity } from './entities';

export interface ResponseAuditRecord {
  responseId: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  version?: number | null;
  changes?: unknown;
}

/** Appends to the response audit trail inside the caller's transaction. */
export async function auditResponses(m: EntityManager, ctx: CallContext, records: ResponseAuditRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 1000) {
    await m.insert(
      ResponseAuditEntity,
      records.slice(i, i + 1000).map((r) => ({
        responseId: r.responseId,
        actorId: ctx.actor.id,
        correlationId: ctx.correlationId,
        action: r.action,
        fromStatus: r.fromStatus ?? null,
        toStatus: r.toStatus ?? null,
        version: r.version ?? null,
        changes: (r.changes ?? null) as object,
      })),
    );
  }
}
