import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ContactEntity } from '../entities';

@Injectable()
export class ContactsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  listActive(agencyId: string): Promise<ContactEntity[]> {
    return this.ds.manager.find(ContactEntity, {
      where: { agencyId, erasedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
  }

  findById(id: string): Promise<ContactEntity | null> {
    return this.ds.manager.findOne(ContactEntity, { where: { id }, select: { id: true, agencyId: true, erasedAt: true } });
  }

  /** Reads and locks the row inside the caller's transaction. */
  findForUpdate(m: EntityManager, id: string): Promise<ContactEntity | null> {
    return m.createQueryBuilder(ContactEntity, 'c').where('c.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  async insert(m: EntityManager, contact: ContactEntity): Promise<void> {
    await m.insert(ContactEntity, contact);
  }

  /** PDPA erasure: personal fields are cleared for good; the row stays as a tombstone. */
  async erase(m: EntityManager, id: string, by: string, at: Date): Promise<ContactEntity> {
    await m.update(ContactEntity, id, {
      fullName: null,
      position: null,
      email: null,
      phone: null,
      lineId: null,
      erasedAt: at,
      erasedBy: by,
    });
    return m.findOneOrFail(ContactEntity, { where: { id } });
  }
}
