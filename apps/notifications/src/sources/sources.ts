import { Injectable } from '@nestjs/common';
import {
  type CohortContact,
  type ResponseStatus,
  type ResponseSummary,
  Rpc,
  SYSTEM_ACTOR,
} from '@dg/contracts';
import { type CallContext, RpcClient } from '@dg/platform';

const PAGE = 500;

/** Response statuses that mean the agency has sent its answers (no reminder for it). */
export const SUBMITTED: readonly ResponseStatus[] = ['submitted', 'resubmitted', 'verified'];

/** What notifications asks the registry and intake (it never reads their tables). */
@Injectable()
export class Sources {
  constructor(private readonly rpc: RpcClient) {}

  /** The service asks for itself: the user who caused the work stays in the correlation id. */
  private system(ctx: CallContext): CallContext {
    return { correlationId: ctx.correlationId, actor: SYSTEM_ACTOR };
  }

  cycle(cycleId: string, ctx: CallContext) {
    return this.rpc.call(Rpc.CycleGet, { cycleId }, this.system(ctx));
  }

  /** Every active contact of the cycle's cohort, page by page. */
  async cohortContacts(cycleId: string, ctx: CallContext): Promise<CohortContact[]> {
    const all: CohortContact[] = [];
    for (let page = 1; ; page++) {
      const res = await this.rpc.call(
        Rpc.CohortContacts,
        { cycleId, page, pageSize: PAGE },
        this.system(ctx),
        30_000,
      );
      all.push(...res.items);
      if (page * PAGE >= res.total || !res.items.length) return all;
    }
  }

  async agencyName(agencyId: string, ctx: CallContext): Promise<string | null> {
    return (await this.rpc.call(Rpc.AgencyGet, { id: agencyId }, this.system(ctx))).nameTh;
  }

  async agencyContacts(agencyId: string, ctx: CallContext) {
    return (await this.rpc.call(Rpc.ContactList, { agencyId }, this.system(ctx))).items.filter(
      (c) => !c.erasedAt,
    );
  }

  /** Every response of a cycle as intake lists it (status, version, the agency's own deadline). */
  async responses(cycleId: string, ctx: CallContext): Promise<ResponseSummary[]> {
    const all: ResponseSummary[] = [];
    for (let page = 1; ; page++) {
      const res = await this.rpc.call(
        Rpc.ResponseList,
        { cycleId, page, pageSize: PAGE },
        this.system(ctx),
        30_000,
      );
      all.push(...res.items);
      if (page * PAGE >= res.total || !res.items.length) return all;
    }
  }
}
