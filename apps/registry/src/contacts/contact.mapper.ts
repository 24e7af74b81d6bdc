import type { Contact } from '@dg/contracts';
import type { ContactEntity } from '../entities';

export function toContact(c: ContactEntity): Contact {
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
