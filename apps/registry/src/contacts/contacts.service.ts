import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Contact, ContactCreateInput, DomainError } from '@dg/contracts';
import { agencyScope, CallContext, requireRole } from '@dg/platform';
import { requireAgencyVisible } from '../access';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { audit } from '../audit/audit';
import { ContactEntity } from '../entities';
import { ContactsRepository } from './contacts.repository';

function toContact(c: ContactEntity): Contact {
  return {
    id: c.id,
    agencyId: c.agencyId,
    fullName: c.fullName,
    position: c.position,
    email: c.email,
    phone: c.phone,
    lineId: c.lineId,
    purpose: c.purpose,
    legalBasis: c.legalBasis as Contact['legalBasis'],
    erasedAt: c.erasedAt ? new Date(c.erasedAt).toISOString() : null,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

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

  async erase(id: string, ctx: CallContext): Promise<Contact> {
    requireRole(ctx.actor, 'dga_admin', 'coordinator');
    const scope = agencyScope(ctx.actor);
    return this.contacts.transaction(async (m) => {
      const current = await this.contacts.findForUpdate(m, id);
      if (!current || (scope !== null && current.agencyId !== scope)) throw new DomainError('CONTACT_NOT_FOUND');
      if (current.erasedAt) return toContact(current);
      const erased = await this.contacts.erase(m, id, ctx.actor.id);
      await audit(m, ctx, [
        { entity: 'contact', entityId: id, action: 'erase', before: { fields: heldFields(current) }, after: { fields: [] } },
      ]);
      return toContact(erased);
    });
  }
}
