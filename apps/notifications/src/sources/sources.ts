import { Injectable } from '@nestjs/common';
import {
  type CohortContact,
  type Contact,
  type ContactOwner,
  DomainError,
  type ResponseFilter,
  type ResponseStatus,
  type ResponseSummary,
  Rpc,
  SYSTEM_ACTOR,
} from '@dg/contracts';
import { type CallContext, ServiceClient } from '@dg/platform';

const PAGE = 500;

/** Response statuses that mean the agency has sent its answers (no reminder for it). */
export const SUBMITTED: readonly ResponseStatus[] = ['submitted', 'resubmitted', 'verified'];

/** What notifications asks the registry and intake (it never reads their tables). */
@Injectable()
export class Sources {
  constructor(private readonly rpc: ServiceClient) {}

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

  /** The registry's word on a contact: its agency and whether it was erased; null when it has none. */
  async contactOwner(contactId: string, ctx: CallContext): Promise<ContactOwner | null> {
    try {
      return await this.rpc.call(Rpc.ContactOwner, { id: contactId }, this.system(ctx));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'CONTACT_NOT_FOUND') return null;
      throw e;
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

  /**
   * The agency's active users with any of `roles` (the gateway owns accounts), as recipients in a
   * contact's shape: e-mail only (an account has no LINE id), the purpose being their role.
   */
  async agencyUsers(
    agencyId: string,
    roles: ('coordinator' | 'approver')[],
    ctx: CallContext,
  ): Promise<Contact[]> {
    const { items } = await this.rpc.call(Rpc.AgencyUsers, { agencyId, roles }, this.system(ctx));
    return items.map((u) => ({
      id: u.id,
      agencyId,
      fullName: u.displayName,
      position: null,
      email: u.email,
      phone: null,
      lineId: null,
      purpose: `user:${u.roles.join(',')}`,
      legalBasis: 'public_task',
      erasedAt: null,
      createdAt: new Date(0).toISOString(),
    }));
  }

  /**
   * Every response of a cycle as intake lists it (status, version, the agency's own deadline),
   * optionally only those of a group, ministry or province (intake's own filter).
   */
  async responses(
    cycleId: string,
    ctx: CallContext,
    filter: Pick<ResponseFilter, 'group' | 'ministryId' | 'province'> = {},
  ): Promise<ResponseSummary[]> {
    const all: ResponseSummary[] = [];
    for (let page = 1; ; page++) {
      const res = await this.rpc.call(
        Rpc.ResponseList,
        { cycleId, page, pageSize: PAGE, ...filter },
        this.system(ctx),
        30_000,
      );
      all.push(...res.items);
      if (page * PAGE >= res.total || !res.items.length) return all;
    }
  }
}
