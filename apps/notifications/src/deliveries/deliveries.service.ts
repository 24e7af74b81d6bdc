import { Injectable } from '@nestjs/common';
import { type Channel, DomainError, type RpcRequestParsed, Rpc } from '@dg/contracts';
import { agencyScope, type CallContext, requireRole } from '@dg/platform';
import { ConsentRepository } from '../consent/consent.repository';
import { DeliveriesRepository } from './deliveries.repository';

/** The delivery log as people read it, and the opt-outs they set. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly consent: ConsentRepository,
  ) {}

  /** Operators see everything; an agency's coordinator or approver sees their own agency's messages only. */
  async list(query: RpcRequestParsed<typeof Rpc.DeliveryList>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const scope = agencyScope(ctx.actor);
    if (scope !== null && query.agencyId && query.agencyId !== scope) {
      return { items: [], total: 0, page: query.page, pageSize: query.pageSize, byStatus: {} };
    }
    const result = await this.deliveries.list({ ...query, agencyId: scope ?? query.agencyId });
    return { ...result, page: query.page, pageSize: query.pageSize };
  }

  /** PDPA: a contact stops (or resumes) messages on one channel; DGA admins or the agency's coordinator. */
  async setOptOut(contactId: string, channel: Channel, optedOut: boolean, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'coordinator');
    const scope = agencyScope(ctx.actor);
    if (scope !== null && (await this.consent.agencyOf(contactId)) !== scope)
      throw new DomainError('CONTACT_NOT_FOUND');
    const at = await this.consent.setOptOut(contactId, channel, optedOut, ctx.actor.id);
    return { contactId, channel, optedOut, at: at ? new Date(at).toISOString() : null };
  }
}
