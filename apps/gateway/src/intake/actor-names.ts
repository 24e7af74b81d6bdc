import { Injectable } from '@nestjs/common';
import type { ResponseDetail, RpcResponse } from '@dg/contracts';
import { Rpc } from '@dg/contracts';
import { UsersRepository } from '../users/users.repository';

/** How the system actor (sweepers, services) is shown to a person. */
export const SYSTEM_NAME = 'ระบบ (system)';

type Audit = RpcResponse<typeof Rpc.ResponseAudit>;

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

  async audit(a: Audit): Promise<Audit> {
    const name = await this.names(a.items.map((i) => i.actorId));
    return { items: a.items.map((i) => ({ ...i, actorName: name(i.actorId) })) };
  }
}
