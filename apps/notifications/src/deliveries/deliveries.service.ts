import { Injectable } from '@nestjs/common';
import { type Channel, DomainError, type RpcRequestParsed, Rpc } from '@dg/contracts';
import { agencyScope, type CallContext, requireRole } from '@dg/platform';
import { ConsentRepository } from '../consent/consent.repository';
import { Sources } from '../sources/sources';
import { TemplatesService } from '../templates/templates.service';
import { DeliveriesRepository, deliveryView } from './deliveries.repository';

/** The delivery log as people read it, and the opt-outs they set. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly consent: ConsentRepository,
    private readonly sources: Sources,
    private readonly templates: TemplatesService,
  ) {}

  /** Operators see everything; an agency's coordinator or approver sees their own agency's messages only. */
  async list(query: RpcRequestParsed<typeof Rpc.DeliveryList>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const scope = agencyScope(ctx.actor);
    if (scope !== null && query.agencyId && query.agencyId !== scope) {
      return { items: [], total: 0, page: query.page, pageSize: query.pageSize, byStatus: {} };
    }
    const result = await this.deliveries.list({ ...query, agencyId: scope ?? query.agencyId });
    // The subject from the row's own variables (what the message said), by the current template.
    const items = await Promise.all(
      result.items.map(async (r) =>
        deliveryView(r, await this.templates.subject(r.templateKey, r.variables).catch(() => null)),
      ),
    );
    return { ...result, items, page: query.page, pageSize: query.pageSize };
  }

  /**
   * PDPA: a contact stops (or resumes) messages on one channel; DGA admins or the agency's
   * coordinator. The registry owns contacts, so it says whether this one exists and whose it is: an
   * unknown or erased contact, or another agency's, is CONTACT_NOT_FOUND (never a row for nobody).
   */
  async setOptOut(contactId: string, channel: Channel, optedOut: boolean, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'coordinator');
    const scope = agencyScope(ctx.actor);
    const owner = await this.sources.contactOwner(contactId, ctx);
    if (!owner || owner.erased || (scope !== null && owner.agencyId !== scope))
      throw new DomainError('CONTACT_NOT_FOUND');
    const at = await this.consent.setOptOut(contactId, channel, optedOut, ctx.actor.id);
    return { contactId, channel, optedOut, at: at ? new Date(at).toISOString() : null };
  }
}
