import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Channel } from '@dg/contracts';

/**
 * Opt-outs per contact and channel (PDPA) and erased contacts. Which agency a contact belongs to is
 * the registry's to say (`registry.contact.owner`); the old `known_contacts` table is no longer used.
 */
@Injectable()
export class ConsentRepository {
  constructor(private readonly ds: DataSource) {}

  async optedOut(contactIds: string[], m: EntityManager = this.ds.manager): Promise<Set<string>> {
    if (!contactIds.length) return new Set();
    const rows = (await m.query(
      `SELECT contact_id || '/' || channel AS k FROM opt_outs WHERE contact_id = ANY($1::uuid[])`,
      [contactIds],
    )) as { k: string }[];
    return new Set(rows.map((r) => r.k));
  }

  async erased(contactIds: string[], m: EntityManager = this.ds.manager): Promise<Set<string>> {
    if (!contactIds.length) return new Set();
    const rows = (await m.query(
      `SELECT contact_id AS id FROM erased_contacts WHERE contact_id = ANY($1::uuid[])`,
      [contactIds],
    )) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }

  async setOptOut(contactId: string, channel: Channel, optedOut: boolean, by: string): Promise<Date | null> {
    if (!optedOut) {
      await this.ds.query(`DELETE FROM opt_outs WHERE contact_id = $1 AND channel = $2`, [
        contactId,
        channel,
      ]);
      return null;
    }
    const rows = (await this.ds.query(
      `INSERT INTO opt_outs (contact_id, channel, by) VALUES ($1, $2, $3)
       ON CONFLICT (contact_id, channel) DO UPDATE SET contact_id = excluded.contact_id RETURNING opted_out_at AS at`,
      [contactId, channel, by],
    )) as { at: Date }[];
    return rows[0].at;
  }

  async markErased(m: EntityManager, contactId: string, erasedAt: string): Promise<void> {
    await m.query(
      `INSERT INTO erased_contacts (contact_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [contactId, erasedAt],
    );
  }
}
