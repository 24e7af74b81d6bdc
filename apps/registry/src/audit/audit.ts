import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CallContext } from '@dg/platform';
import { AuditEntry } from '../entities';

export interface AuditRecord {
  entity: 'agency' | 'contact' | 'cohort';
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** Appends audit rows inside the caller's transaction (one insert for many rows). */
export async function audit(manager: EntityManager, ctx: CallContext, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  for (let i = 0; i < records.length; i += 2000) {
    await manager.insert(
      AuditEntry,
      records.slice(i, i + 2000).map((r) => ({
        actorId: ctx.actor.id,
        correlationId: ctx.correlationId,
        entity: r.entity,
        entityId: r.entityId,
        action: r.action,
        before: r.before ?? null,
        after: r.after ?? null,
      })) as QueryDeepPartialEntity<AuditEntry>[],
    );
  }
}
