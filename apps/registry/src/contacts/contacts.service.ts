import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Contact, ContactCreateInput, type ContactOwner, DomainError, Events } from '@dg/contracts';
import { addToOutbox, agencyScope, CallContext, OutboxRelay, requireRole } from '@dg/platform';
import { requireAgencyVisible } from '../access';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { audit } from '../audit/audit';
import { ContactEntity } from '../entities';
import { toContact } from './contact.mapper';
import { ContactsRepository } from './contacts.repository';

/** Which personal fields a contact holds, for the audit log (never the values: PDPA). */
const heldFields = (c: ContactEntity) =>
  (['fullName', 'position', 'email', 'phone', 'lineId'] as const).filter((f) => c[f] !== null);

/**
 * Contact people of an agency: personal data under Thailand's PDPA, kept with its purpose and
 * legal basis, erasable on request.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly agencies: AgenciesRepository,
    private readonly relay: OutboxRelay,
  ) {}

  private async requireAgency(agencyId: string, ctx: CallContext): Promise<void> {
    requireAgencyVisible(ctx.actor, agencyId);
    if (!(await this.agencies.findById(agencyId))) throw new DomainError('AGENCY_NOT_FOUND');
  }

  async list(agencyId: string, ctx: CallContext) {
    await this.requireAgency(agencyId, ctx);
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    return { items: (await this.contacts.listActive(agencyId)).map(toContact) };
  }

  async create(agencyId: string, input: ContactCreateInput, ctx: CallContext): Promise<Contact> {
    await this.requireAgency(agencyId, ctx);
    requireRole(ctx.actor, 'dga_admin', 'coordinator');
    const contact: ContactEntity = {
      id: randomUUID(),
      agencyId,
      fullName: input.fullName,
      position: input.position ?? null,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      lineId: input.lineId ?? null,
      purpose: input.purpose,
      legalBasis: input.legalBasis,
      createdBy: ctx.actor.id,
      createdAt: new Date(),
      erasedAt: null,
      erasedBy: null,
    };
    await this.contacts.transaction(async (m) => {
      await this.contacts.insert(m, contact);
      await audit(m, ctx, [
        {
          entity: 'contact',
          entityId: contact.id,
          action: 'create',
          after: { agencyId, fields: heldFields(contact), purpose: contact.purpose, legalBasis: contact.legalBasis },
        },
      ]);
    });
    return toContact(contact);
  }

  /**
   * Which agency a contact belongs to, and whether it was erased: ids only, for services that act on
   * a contact they were given (notifications' opt-outs). Another agency's contact is not found.
   */
  async owner(id: string, ctx: CallContext): Promise<ContactOwner> {
    requireRole(ctx.actor, 'system', 'dga_admin', 'operator', 'coordinator', 'approver');
    const scope = agencyScope(ctx.actor);
    const contact = await this.contacts.findById(id);
    if (!contact || (scope !== null && contact.agencyId !== scope)) throw new DomainError('CONTACT_NOT_FOUND');
    return { id: contact.id, agencyId: contact.agencyId, erased: contact.erasedAt !== null };
  }

  async erase(id: string, ctx: CallContext): Promise<Contact> {
    requireRole(ctx.actor, 'dga_admin', 'coordinator');
    const scope = agencyScope(ctx.actor);
    const result = await this.contacts.transaction(async (m) => {
      const current = await this.contacts.findForUpdate(m, id);
      if (!current || (scope !== null && current.agencyId !== scope)) throw new DomainError('CONTACT_NOT_FOUND');
      // Already erased: nothing changes, so no second audit row and no second event.
      if (current.erasedAt) return { contact: toContact(current), changed: false };
      const erasedAt = new Date();
      const erased = toContact(await this.contacts.erase(m, id, ctx.actor.id, erasedAt));
      await audit(m, ctx, [
        { entity: 'contact', entityId: id, action: 'erase', before: { fields: heldFields(current) }, after: { fields: [] } },
      ]);
      // Ids and the time only: the event must not carry the personal data that was just erased.
      await addToOutbox(m, Events.ContactErased, { contactId: id, agencyId: current.agencyId, erasedAt: erasedAt.toISOString() }, ctx);
      return { contact: erased, changed: true };
    });
    if (result.changed) this.relay.kick();
    return result.contact;
  }
}
