import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, type ResponseFilter, type StoredFile } from '@dg/contracts';
import {
  type CallContext,
  CSV_UTF8_BOM,
  type CsvCell,
  FileTransfer,
  hasRole,
  requireRole,
  toCsv,
} from '@dg/platform';
import { mask } from '../deliveries/deliveries.repository';
import { Sources, SUBMITTED } from '../sources/sources';

export const NON_SUBMITTER_COLUMNS = [
  'agency_code',
  'agency_name',
  'agency_group',
  'response_status',
  'deadline',
  'contact_name',
  'contact_position',
  'email',
  'phone',
  'line_id',
  'email_last_status',
  'email_last_at',
  'email_last_template',
  'line_last_status',
  'line_last_at',
  'line_last_template',
] as const;

interface LastDelivery {
  contactId: string;
  channel: 'email' | 'line';
  status: string;
  skipReason: string | null;
  templateKey: string;
  at: Date;
}

/**
 * The agencies of a cycle that have not submitted (as reminders count them: intake's status, and
 * a submission heard since), one row per contact (one empty row for an agency with none), with the
 * latest message each contact got on each channel: whom to chase, and how. Contacts' addresses in
 * full for DGA admins; operators get them masked, as in the delivery log (PDPA: those who need them).
 */
@Injectable()
export class NonSubmittersExport {
  constructor(
    private readonly ds: DataSource,
    private readonly sources: Sources,
    private readonly files: FileTransfer,
  ) {}

  async export(
    cycleId: string,
    filter: Pick<ResponseFilter, 'group' | 'ministryId' | 'province'>,
    ctx: CallContext,
  ): Promise<StoredFile> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const cycle = await this.sources.cycle(cycleId, ctx); // CYCLE_NOT_FOUND
    const [responses, contacts, heard, last] = await Promise.all([
      this.sources.responses(cycleId, ctx, filter),
      // A cycle still without a cohort (a draft) has nobody to chase, not a missing resource.
      this.sources.cohortContacts(cycleId, ctx).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'NOT_FOUND') return [];
        throw e;
      }),
      this.ds.query(`SELECT agency_id AS id FROM submitted_agencies WHERE cycle_id = $1`, [
        cycleId,
      ]) as Promise<{ id: string }[]>,
      this.ds.query(
        `SELECT DISTINCT ON (contact_id, channel) contact_id AS "contactId", channel, status,
                skip_reason AS "skipReason", template_key AS "templateKey", coalesce(sent_at, created_at) AS at
           FROM deliveries WHERE cycle_id = $1 ORDER BY contact_id, channel, created_at DESC, id`,
        [cycleId],
      ) as Promise<LastDelivery[]>,
    ]);
    const submitted = new Set(heard.map((r) => r.id));
    const lastOf = new Map(last.map((d) => [`${d.contactId}/${d.channel}`, d]));
    const contactsOf = new Map<string, (typeof contacts)[number][]>();
    for (const c of contacts) contactsOf.set(c.agencyId, [...(contactsOf.get(c.agencyId) ?? []), c]);
    const full = hasRole(ctx.actor, 'dga_admin');
    const shown = (v: string | null) => (full ? (v ?? '') : (mask(v) ?? ''));
    const delivery = (contactId: string, channel: 'email' | 'line'): CsvCell[] => {
      const d = lastOf.get(`${contactId}/${channel}`);
      if (!d) return ['', '', ''];
      return [
        d.skipReason ? `${d.status}:${d.skipReason}` : d.status,
        new Date(d.at).toISOString(),
        d.templateKey,
      ];
    };
    const rows: CsvCell[][] = [];
    const chased = responses
      .filter((r) => !SUBMITTED.includes(r.status) && !submitted.has(r.agencyId))
      .sort((a, b) => a.agencyCode.localeCompare(b.agencyCode));
    for (const r of chased) {
      const agency: CsvCell[] = [r.agencyCode, r.agencyName, r.group, r.status, r.deadline];
      const people = contactsOf.get(r.agencyId) ?? [];
      if (!people.length) rows.push([...agency, '', '', '', '', '', '', '', '', '', '', '']);
      for (const { contact: c } of people)
        rows.push([
          ...agency,
          c.fullName ?? '',
          c.position ?? '',
          shown(c.email),
          full ? (c.phone ?? '') : '',
          shown(c.lineId),
          ...delivery(c.id, 'email'),
          ...delivery(c.id, 'line'),
        ]);
    }
    const bytes = Buffer.concat([
      CSV_UTF8_BOM,
      Buffer.from(toCsv([[...NON_SUBMITTER_COLUMNS], ...rows]), 'utf8'),
    ]);
    const stamp = new Date().toISOString().slice(0, 10);
    return this.files.put(
      {
        objectName: `export/${randomUUID()}.csv`,
        fileName: `non-submitters-${cycle.id}-${stamp}.csv`,
        contentType: 'text/csv; charset=utf-8',
      },
      bytes,
    );
  }
}
