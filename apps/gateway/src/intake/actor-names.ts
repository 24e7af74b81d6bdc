import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { ResponseDetail, RpcResponse } from '@dg/contracts';
import { DomainError, Rpc } from '@dg/contracts';
import { UsersRepository } from '../users/users.repository';

/** How the system actor (sweepers, services) is shown to a person. */
export const SYSTEM_NAME = 'ระบบ (system)';

type Audit = RpcResponse<typeof Rpc.ResponseAudit>;
type EvidenceList = RpcResponse<typeof Rpc.EvidenceList>;

/**
 * Services know people by id only; the gateway holds the users, so it adds the display name of
 * each actor a person reads (audit entries, verdicts) beside the id. A removed account keeps its id
 * with `null` for the name.
 */
@Injectable()
export class ActorNames {
  constructor(private readonly users: UsersRepository) {}

  private async names(ids: string[]): Promise<(id: string) => string | null> {
    const found = await this.users.displayNames(ids);
    return (id) => (id === 'system' ? SYSTEM_NAME : (found.get(id) ?? null));
  }

  async response<T extends ResponseDetail>(r: T): Promise<T> {
    if (!r.verdicts.length) return r;
    const name = await this.names(r.verdicts.map((v) => v.by));
    return { ...r, verdicts: r.verdicts.map((v) => ({ ...v, byName: name(v.by) })) };
  }

  /**
   * A response's 409 names who made the version it now has (`updatedBy`, from intake) as
   * `updatedByName`, so the portal can say "edited elsewhere by ..." beside the answers to merge.
   * Any other error is left as it is.
   */
  async conflict(e: unknown): Promise<unknown> {
    if (!(e instanceof DomainError) || e.code !== 'RESPONSE_VERSION_CONFLICT') return e;
    const by = e.meta?.updatedBy;
    if (typeof by !== 'string') return e;
    const name = await this.names([by]);
    return new DomainError(e.code, e.detail, e.errors, { ...e.meta, updatedByName: name(by) });
  }

  async evidence(list: EvidenceList): Promise<EvidenceList> {
    const name = await this.names(list.items.map((e) => e.uploadedBy));
    return { ...list, items: list.items.map((e) => ({ ...e, uploadedByName: name(e.uploadedBy) })) };
  }

  async audit(a: Audit): Promise<Audit> {
    const name = await this.names(a.items.map((i) => i.actorId));
    return { items: a.items.map((i) => ({ ...i, actorName: name(i.actorId) })) };
  }
}

/** Adds `updatedByName` to a RESPONSE_VERSION_CONFLICT on its way out of a route ({@link ActorNames.conflict}). */
@Injectable()
export class ConflictNamesInterceptor implements NestInterceptor {
  constructor(private readonly names: ActorNames) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((e: unknown) =>
          from(this.names.conflict(e)).pipe(mergeMap((named) => throwError(() => named))),
        ),
      );
  }
}
