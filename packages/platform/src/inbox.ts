import { Column, Entity, EntityManager, PrimaryColumn } from 'typeorm';

/** Event ids a consumer has handled: a redelivered event finds its id here and changes nothing. */
@Entity('inbox')
export class InboxEntry {
  @PrimaryColumn('text') consumer: string;
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId: string;
  @Column('timestamptz', { name: 'handled_at', default: () => 'now()' }) handledAt: Date;
}

/**
 * Records the event id inside the caller's transaction. Returns false when it was already handled,
 * in which case the caller must skip its work (the transaction then commits nothing new).
 */
export async function claimInbox(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
  const rows = (await manager.query(
    `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventId],
  )) as unknown[];
  return rows.length === 1;
}
