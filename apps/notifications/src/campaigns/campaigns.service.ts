import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type BriefingRequest,
  type CampaignSummary,
  type Channel,
  type Cycle,
  DomainError,
  type ReminderInput,
  type ResponseSummary,
  type TemplateKey,
} from '@dg/contracts';
import { type CallContext, FileTransfer, requireRole } from '@dg/platform';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { AgencyDeadlinesRepository } from '../deadlines/agency-deadlines.repository';
import { Dispatcher, type Message, type Recipient } from '../deliveries/dispatcher';
import { Sources, SUBMITTED } from '../sources/sources';
import { messageLinks, PortalLinks } from '../templates/portal-links';

/** Agencies whose own reminders are recorded in one transaction (remindAgencies). */
const AGENCY_BATCH = 200;
const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const DAY_MS = 86_400_000;

interface CampaignSpec {
  id: string;
  cycle: Cycle;
  kind: 'announcement' | 'reminder' | 'results';
  templateKey: TemplateKey;
  channels: Channel[];
  payload: Record<string, unknown>;
  attachments?: { fileName: string; contentType: string; content: Buffer }[];
  recipients: Recipient[];
  agenciesSkipped: number;
  extraVariables: (r: Recipient) => Record<string, unknown>;
  reminderLabel?: string;
  /** With `reminderLabel`: the run is one agency's (before its own deadline), not the cycle's. */
  reminderAgencyId?: string;
}

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12);

/** Whole days left before a deadline, rounded up; 0 on the day itself (and after). */
const daysLeftUntil = (deadline: Date | string, now: number) =>
  Math.max(0, Math.ceil((new Date(deadline).getTime() - now) / DAY_MS));

/** A reminder's date is the agency's own when an operator gave it a later one than the cycle's. */
const ownDeadlineVariables = (deadline: Date, now: number) => ({
  deadline: deadline.toISOString(),
  daysLeft: daysLeftUntil(deadline, now),
  extended: true,
});

/**
 * Messages to a whole cohort: the briefing invitation, deadline reminders (manual or scheduled)
 * and the results notice. A campaign's id is derived from what it says, so sending the same thing
 * twice finds the first campaign and queues nothing new.
 */
@Injectable()
export class CampaignsService {
  private readonly links: PortalLinks;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) config: NotificationsConfig,
    private readonly ds: DataSource,
    private readonly sources: Sources,
    private readonly dispatcher: Dispatcher,
    private readonly files: FileTransfer,
    private readonly deadlines: AgencyDeadlinesRepository,
  ) {
    this.links = new PortalLinks(config.PORTAL_URL);
  }

  async announce(cycleId: string, briefing: BriefingRequest, ctx: CallContext): Promise<CampaignSummary> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    if (briefing.attachments.reduce((n, a) => n + a.size, 0) > MAX_ATTACHMENT_BYTES)
      throw new DomainError('ATTACHMENTS_TOO_LARGE');
    // Attachments arrive through the transfer bucket (short-lived): kept with the campaign.
    const attachments = [];
    for (const a of briefing.attachments) {
      const content = await this.files.get(a.objectName);
      if (!content)
        throw new DomainError(
          'VALIDATION_FAILED',
          'ไฟล์แนบหมดอายุหรือไม่พบ กรุณาส่งใหม่ (attachment expired; send again)',
        );
      attachments.push({ fileName: a.fileName, contentType: a.contentType, content: Buffer.from(content) });
    }
    const cycle = await this.sources.cycle(cycleId, ctx);
    const { attachments: _files, ...details } = briefing;
    const id = `announce-${cycleId}-${hash({ ...details, files: attachments.map((a) => [a.fileName, hash(a.content.toString('base64'))]) })}`;
    const summary = await this.run(
      {
        id,
        cycle,
        kind: 'announcement',
        templateKey: 'briefing_invitation',
        channels: briefing.channels,
        payload: details,
        attachments,
        recipients: await this.sources.cohortContacts(cycleId, ctx),
        agenciesSkipped: 0,
        extraVariables: () => ({
          briefingStartsAt: briefing.startsAt,
          briefingEndsAt: briefing.endsAt ?? null,
          venue: briefing.venue ?? null,
          meetingLink: briefing.meetingLink ?? null,
          documents: briefing.documents,
        }),
      },
      ctx,
    );
    for (const a of briefing.attachments) await this.files.delete(a.objectName).catch(() => undefined);
    return summary;
  }

  /**
   * A deadline reminder to the contacts of every agency that has not submitted right now; the
   * send job checks again just before sending. `label` names the run (`T-7-2022-07-31` when
   * scheduled). An agency whose own deadline (extension, correction period) is later than the
   * cycle's is told its own date and days left; a `scheduled` cycle reminder leaves it out, since
   * the sweep sends it reminders of its own before that date (`remindAgency`).
   */
  async remind(
    cycleId: string,
    input: Pick<ReminderInput, 'label' | 'agencyCodes' | 'group' | 'ministryId' | 'province'> & {
      channels: Channel[];
    },
    ctx: CallContext,
    options: { scheduled?: boolean } = {},
  ): Promise<CampaignSummary> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const cycle = await this.sources.cycle(cycleId, ctx);
    if (cycle.status !== 'open')
      throw new DomainError(
        'CYCLE_NOT_OPEN',
        'ส่งการแจ้งเตือนได้เฉพาะรอบที่เปิดอยู่ (reminders only for an open cycle)',
      );
    // The default label names the day and the channels: an e-mail reminder and a LINE one on the
    // same day are two reminders, the same one twice is one.
    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });
    const base = input.label ?? `manual-${day}-${[...input.channels].sort().join('-')}`;
    const [contacts, responses, ownDeadlines] = await Promise.all([
      this.sources.cohortContacts(cycleId, ctx),
      this.sources.responses(cycleId, ctx),
      this.deadlines.laterThan(cycleId, cycle.closesAt),
    ]);
    const scope = await this.reminderScope(cycleId, input, responses, ctx);
    // A chosen set is part of the run's name: two sets the same day are two reminders, the same
    // set twice is one (and neither takes the name of the whole cohort's reminder).
    const label = scope ? `${base}-set-${scope.key}` : base;
    const chosen = (agencyId: string) => !scope || scope.agencyIds.has(agencyId);
    const submitted = new Set(responses.filter((r) => SUBMITTED.includes(r.status)).map((r) => r.agencyId));
    // Returned for correction: what they are reminded of is the corrected response.
    const returned = new Set(responses.filter((r) => r.status === 'returned').map((r) => r.agencyId));
    const local = (await this.ds.query(`SELECT agency_id AS id FROM submitted_agencies WHERE cycle_id = $1`, [
      cycleId,
    ])) as { id: string }[];
    for (const r of local) submitted.add(r.id);
    const leftOut = (agencyId: string) =>
      submitted.has(agencyId) || (options.scheduled === true && ownDeadlines.has(agencyId));
    const now = Date.now();
    const daysLeft = daysLeftUntil(cycle.closesAt, now);
    return this.run(
      {
        id: `remind-${cycleId}-${label}`,
        cycle,
        kind: 'reminder',
        templateKey: 'deadline_reminder',
        channels: input.channels,
        payload: { label, ...(scope ? { scope: scope.spec } : {}) },
        recipients: contacts.filter((c) => chosen(c.agencyId) && !leftOut(c.agencyId)),
        agenciesSkipped: new Set(
          contacts.filter((c) => chosen(c.agencyId) && leftOut(c.agencyId)).map((c) => c.agencyId),
        ).size,
        extraVariables: (r) => {
          const own = ownDeadlines.get(r.agencyId);
          const status = { returned: returned.has(r.agencyId) };
          return own
            ? { ...ownDeadlineVariables(own, now), ...status }
            : { daysLeft, extended: false, ...status };
        },
        reminderLabel: label,
      },
      ctx,
    );
  }

  /**
   * The agencies a reminder is limited to (codes and/or the responses list's filters), or null
   * for the whole cohort. A code outside the cohort is refused, naming it, rather than dropped:
   * an operator would otherwise believe it was reminded.
   */
  private async reminderScope(
    cycleId: string,
    input: Pick<ReminderInput, 'agencyCodes' | 'group' | 'ministryId' | 'province'>,
    responses: ResponseSummary[],
    ctx: CallContext,
  ): Promise<{ agencyIds: Set<string>; key: string; spec: Record<string, unknown> } | null> {
    const filter = { group: input.group, ministryId: input.ministryId, province: input.province };
    const filtered = Object.values(filter).some((v) => v !== undefined);
    if (!input.agencyCodes && !filtered) return null;
    let inScope = responses;
    if (input.agencyCodes) {
      const codes = [...new Set(input.agencyCodes)].sort();
      const known = new Set(responses.map((r) => r.agencyCode));
      const unknown = codes.filter((c) => !known.has(c));
      if (unknown.length)
        throw new DomainError(
          'AGENCY_NOT_IN_COHORT',
          `ไม่มีหน่วยงานรหัส ${unknown.join(', ')} ในรอบนี้ (not in this cycle's cohort: ${unknown.join(', ')})`,
          undefined,
          { agencyCodes: unknown },
        );
      const wanted = new Set(codes);
      inScope = inScope.filter((r) => wanted.has(r.agencyCode));
    }
    if (filtered) {
      const matching = new Set((await this.sources.responses(cycleId, ctx, filter)).map((r) => r.agencyId));
      inScope = inScope.filter((r) => matching.has(r.agencyId));
    }
    const spec = {
      ...(input.agencyCodes ? { agencyCodes: [...new Set(input.agencyCodes)].sort() } : {}),
      ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
    };
    return { agencyIds: new Set(inScope.map((r) => r.agencyId)), key: hash(spec), spec };
  }

  /**
   * Scheduled reminders to agencies of one cycle before their own deadlines (an extension or a
   * correction period later than the cycle's), also once the cycle has closed: a campaign and run
   * per agency (`remind-<cycle>-<agency>-T-1-2022-08-03`), so each goes once per deadline. Made in
   * batches: one look at the cycle, intake's response list and the cohort's contacts for all of
   * them, then AGENCY_BATCH agencies' campaigns, runs and delivery rows per transaction, queued
   * together (one agency at a time cost 3 RPCs and a transaction each: bench/reminders.bench.mjs).
   * Returns the agencies reminded. One that intake says has submitted, or whose deadline intake
   * holds differently (the event that moved it is still on its way), is left for the next sweep
   * with nothing recorded.
   */
  async remindAgencies(
    cycleId: string,
    targets: { agencyId: string; deadline: Date; label: string }[],
    at: Date,
    ctx: CallContext,
  ): Promise<string[]> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    if (!targets.length) return [];
    const [cycle, responses, contacts] = await Promise.all([
      this.sources.cycle(cycleId, ctx),
      this.sources.responses(cycleId, ctx),
      this.sources.cohortContacts(cycleId, ctx),
    ]);
    const responseOf = new Map(responses.map((r) => [r.agencyId, r]));
    const contactsOf = new Map<string, Recipient[]>();
    for (const c of contacts) contactsOf.set(c.agencyId, [...(contactsOf.get(c.agencyId) ?? []), c]);
    const ready = targets.filter((t) => {
      const r = responseOf.get(t.agencyId);
      return !!r && !SUBMITTED.includes(r.status) && Date.parse(r.deadline) === t.deadline.getTime();
    });
    for (let i = 0; i < ready.length; i += AGENCY_BATCH) {
      const queued = await this.ds.transaction(async (m) => {
        const all: Awaited<ReturnType<CampaignsService['record']>> = [];
        for (const t of ready.slice(i, i + AGENCY_BATCH)) {
          const response = responseOf.get(t.agencyId)!;
          const spec: CampaignSpec = {
            id: `remind-${cycleId}-${t.agencyId}-${t.label}`,
            cycle,
            kind: 'reminder',
            templateKey: 'deadline_reminder',
            channels: ['email', 'line'],
            payload: { label: t.label, agencyId: t.agencyId, deadline: t.deadline.toISOString() },
            recipients: contactsOf.get(t.agencyId) ?? [],
            agenciesSkipped: 0,
            extraVariables: () => ({
              ...ownDeadlineVariables(t.deadline, at.getTime()),
              returned: response.status === 'returned',
            }),
            reminderLabel: t.label,
            reminderAgencyId: t.agencyId,
          };
          all.push(...(await this.record(m, spec, ctx)));
        }
        return all;
      });
      await this.dispatcher.enqueue(queued);
    }
    return ready.map((t) => t.agencyId);
  }

  /**
   * scoring.results.published: the contacts of every agency that answered (submitted at least
   * once, as intake says) hear that results and their scorecard are out; an agency that never
   * answered has no scorecard to be thanked for.
   */
  async resultsPublished(cycleId: string, ctx: CallContext): Promise<CampaignSummary> {
    const [cycle, contacts, responses] = await Promise.all([
      this.sources.cycle(cycleId, ctx),
      this.sources.cohortContacts(cycleId, ctx),
      this.sources.responses(cycleId, ctx),
    ]);
    const answered = new Set(responses.filter((r) => r.submissionCount > 0).map((r) => r.agencyId));
    return this.run(
      {
        id: `results-${cycleId}`,
        cycle,
        kind: 'results',
        templateKey: 'results_published',
        channels: ['email', 'line'],
        payload: {},
        recipients: contacts.filter((c) => answered.has(c.agencyId)),
        agenciesSkipped: new Set(contacts.filter((c) => !answered.has(c.agencyId)).map((c) => c.agencyId))
          .size,
        extraVariables: () => ({}),
      },
      ctx,
    );
  }

  /** Variables every message to an agency of a cycle has, with the portal links of its template. */
  baseVariables(cycle: Cycle, r: Recipient, templateKey: TemplateKey): Record<string, unknown> {
    return {
      agencyName: r.agencyName,
      agencyCode: r.agencyCode,
      contactName: r.contact.fullName ?? '',
      cycleTitleTh: cycle.title.th,
      cycleTitleEn: cycle.title.en,
      cycleYearBE: cycle.yearBE,
      deadline: cycle.closesAt,
      ...messageLinks(templateKey, this.links, { cycleId: cycle.id, agencyCode: r.agencyCode }),
    };
  }

  private async run(spec: CampaignSpec, ctx: CallContext): Promise<CampaignSummary> {
    const queued = await this.ds.transaction((m) => this.record(m, spec, ctx));
    await this.dispatcher.enqueue(queued);
    return this.summary(spec.id);
  }

  /** A campaign's rows (campaign, run, attachments, deliveries) in the caller's transaction; returns what to queue. */
  private async record(m: EntityManager, spec: CampaignSpec, ctx: CallContext) {
    const message: Message = {
      key: spec.id,
      campaignId: spec.id,
      cycleId: spec.cycle.id,
      templateKey: spec.templateKey,
      channels: spec.channels,
      variables: (r) => ({
        ...this.baseVariables(spec.cycle, r, spec.templateKey),
        ...spec.extraVariables(r),
      }),
    };
    const created = (await m.query(
      `INSERT INTO campaigns (id, cycle_id, kind, template_key, payload, agencies_skipped, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        spec.id,
        spec.cycle.id,
        spec.kind,
        spec.templateKey,
        JSON.stringify(spec.payload),
        spec.agenciesSkipped,
        ctx.actor.id,
      ],
    )) as unknown[];
    if (spec.reminderLabel && spec.reminderAgencyId) {
      await this.deadlines.recordRun(m, {
        cycleId: spec.cycle.id,
        agencyId: spec.reminderAgencyId,
        label: spec.reminderLabel,
        campaignId: spec.id,
      });
    } else if (spec.reminderLabel) {
      await m.query(
        `INSERT INTO reminder_runs (cycle_id, label, campaign_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [spec.cycle.id, spec.reminderLabel, spec.id],
      );
    }
    if (!created.length) return []; // the same campaign again: nothing new
    for (const [index, a] of (spec.attachments ?? []).entries()) {
      await m.query(
        `INSERT INTO campaign_attachments (campaign_id, index, file_name, content_type, content) VALUES ($1, $2, $3, $4, $5)`,
        [spec.id, index, a.fileName, a.contentType, a.content],
      );
    }
    const result = await this.dispatcher.record(m, message, spec.recipients);
    await m.query(`UPDATE campaigns SET queued = $2, skipped = $3 WHERE id = $1`, [
      spec.id,
      result.queued.length,
      result.skipped,
    ]);
    return result.queued;
  }

  async summary(id: string): Promise<CampaignSummary> {
    const [c] = (await this.ds.query(
      `SELECT id, cycle_id AS "cycleId", kind, template_key AS "templateKey", queued, skipped, agencies_skipped AS "agenciesSkipped",
              created_at AS "createdAt", created_by AS "createdBy" FROM campaigns WHERE id = $1`,
      [id],
    )) as (Omit<CampaignSummary, 'createdAt'> & { createdAt: Date })[];
    return { ...c, createdAt: new Date(c.createdAt).toISOString() };
  }
}
