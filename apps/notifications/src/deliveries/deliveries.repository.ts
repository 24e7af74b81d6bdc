import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Channel, Delivery, DeliveryStatus, TemplateKey } from '@dg/contracts';

export interface NewDelivery {
  id: string;
  campaignId: string | null;
  cycleId: string | null;
  agencyId: string | null;
  agencyCode: string | null;
  contactId: string;
  channel: Channel;
  templateKey: TemplateKey;
  address: string | null;
  variables: Record<string, unknown>;
  status: 'queued' | 'skipped';
  skipReason: string | null;
}

export interface DeliveryRow extends Omit<NewDelivery, 'status'> {
  status: DeliveryStatus;
  attempts: number;
  providerResponse: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

const COLUMNS = `id, campaign_id AS "campaignId", cycle_id AS "cycleId", agency_id AS "agencyId", agency_code AS "agencyCode",
  contact_id AS "contactId", channel, template_key AS "templateKey", address, variables, status, skip_reason AS "skipReason",
  attempts, provider_response AS "providerResponse", created_at AS "createdAt", sent_at AS "sentAt"`;

/** The delivery log: the only code that touches `deliveries`. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Inserts what is new; returns the ids actually inserted (a repeated message inserts nothing). */
  async insert(m: EntityManager, rows: NewDelivery[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const part = rows.slice(i, i + 1000);
      const col = <K extends keyof NewDelivery>(k: K) => part.map((r) => r[k]);
      const inserted = (await m.query(
        `INSERT INTO deliveries (id, campaign_id, cycle_id, agency_id, agency_code, contact_id, channel, template_key, address,
                                 variables, status, skip_reason)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::uuid[], $7::text[], $8::text[],
                              $9::text[], $10::jsonb[], $11::text[], $12::text[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          col('id'),
          col('campaignId'),
          col('cycleId'),
          col('agencyId'),
          col('agencyCode'),
          col('contactId'),
          col('channel'),
          col('templateKey'),
          col('address'),
          part.map((r) => JSON.stringify(r.variables)),
          col('status'),
          col('skipReason'),
        ],
      )) as { id: string }[];
      ids.push(...inserted.map((r) => r.id));
    }
    return ids;
  }

  async get(id: string): Promise<DeliveryRow | null> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM deliveries WHERE id = $1`, [
      id,
    ])) as DeliveryRow[];
    return rows[0] ?? null;
  }

  async markSent(id: string, providerResponse: string): Promise<void> {
    await this.ds.query(
      `UPDATE deliveries SET status = 'sent', attempts = attempts + 1, provider_response = $2, sent_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'queued'`,
      [id, providerResponse.slice(0, 1000)],
    );
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.ds.query(
      // Erased or opted out: the log keeps no address or name of that person.
      `UPDATE deliveries SET status = 'skipped', skip_reason = $2, updated_at = now(),
              address = CASE WHEN $2 IN ('erased', 'opted_out') THEN NULL ELSE address END,
              variables = CASE WHEN $2 IN ('erased', 'opted_out') THEN variables - 'contactName' ELSE variables END
        WHERE id = $1 AND status = 'queued'`,
      [id, reason],
    );
  }

  /** A failed attempt: still queued (it will be retried) unless `final`. */
  async markAttempt(id: string, providerResponse: string, final: boolean): Promise<void> {
    await this.ds.query(
      `UPDATE deliveries SET attempts = attempts + 1, provider_response = $2, updated_at = now(),
              status = CASE WHEN $3 THEN 'failed' ELSE status END
        WHERE id = $1 AND status = 'queued'`,
      [id, providerResponse.slice(0, 1000), final],
    );
  }

  /** Queued deliveries of an erased contact are cancelled (never sent). */
  async skipQueuedOf(m: EntityManager, contactId: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE deliveries SET status = 'skipped', skip_reason = $2, updated_at = now(), address = NULL,
              variables = variables - 'contactName'
        WHERE contact_id = $1 AND status = 'queued'`,
      [contactId, reason],
    );
  }

  /** Deliveries still queued after a while: their job may never have reached Redis (crash between commit and enqueue). */
  async stranded(olderThanMs: number, limit = 5000): Promise<{ id: string; channel: Channel }[]> {
    return (await this.ds.query(
      `SELECT id, channel FROM deliveries WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2`,
      [olderThanMs / 1000, limit],
    )) as { id: string; channel: Channel }[];
  }

  async touch(ids: string[]): Promise<void> {
    if (ids.length)
      await this.ds.query(
        `UPDATE deliveries SET updated_at = now() WHERE id = ANY($1) AND status = 'queued'`,
        [ids],
      );
  }

  async list(filter: {
    cycleId?: string;
    agencyId?: string;
    agencyCode?: string;
    channel?: string;
    status?: string;
    templateKey?: string;
    page: number;
    pageSize: number;
  }): Promise<{ items: DeliveryRow[]; total: number; byStatus: Record<string, number> }> {
    const where = `($1::text IS NULL OR cycle_id = $1) AND ($2::uuid IS NULL OR agency_id = $2) AND ($3::text IS NULL OR channel = $3)
      AND ($4::text IS NULL OR template_key = $4) AND ($5::text IS NULL OR agency_code = $5)`;
    const params = [
      filter.cycleId ?? null,
      filter.agencyId ?? null,
      filter.channel ?? null,
      filter.templateKey ?? null,
      filter.agencyCode ?? null,
    ];
    const counts = (await this.ds.query(
      `SELECT status, count(*)::int AS n FROM deliveries WHERE ${where} GROUP BY status`,
      params,
    )) as {
      status: string;
      n: number;
    }[];
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, c.n]));
    const total = filter.status ? (byStatus[filter.status] ?? 0) : counts.reduce((n, c) => n + c.n, 0);
    const rows = (await this.ds.query(
      `SELECT ${COLUMNS} FROM deliveries WHERE ${where} AND ($6::text IS NULL OR status = $6)
        ORDER BY created_at DESC, id LIMIT $7 OFFSET $8`,
      [...params, filter.status ?? null, filter.pageSize, (filter.page - 1) * filter.pageSize],
    )) as DeliveryRow[];
    return { items: rows, total, byStatus };
  }
}

/** A log row as people read it: the address masked, the agency named, the subject beside it. */
export function deliveryView(r: DeliveryRow, subject: string | null): Delivery {
  const name = r.variables?.agencyName;
  return {
    id: r.id,
    campaignId: r.campaignId,
    cycleId: r.cycleId,
    agencyId: r.agencyId,
    agencyCode: r.agencyCode,
    agencyName: typeof name === 'string' && name ? name : null,
    contactId: r.contactId,
    channel: r.channel,
    templateKey: r.templateKey,
    subject,
    address: mask(r.address),
    status: r.status,
    skipReason: r.skipReason as Delivery['skipReason'],
    attempts: r.attempts,
    providerResponse: r.providerResponse,
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
  };
}

/** so***@dga.or.th, U12***: enough to recognise, not to harvest. */
export function mask(address: string | null): string | null {
  if (!address) return null;
  const at = address.indexOf('@');
  if (at > 0) return `${address.slice(0, Math.min(2, at))}***${address.slice(at)}`;
  return `${address.slice(0, 3)}***`;
}
