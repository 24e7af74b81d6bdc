import { Controller, INestApplicationContext, Module } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { createHash, randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import type {
  CampaignSummary,
  Channel,
  Delivery,
  DeliveryStatus,
  FieldError,
  RpcRequestParsed,
  RpcResponse,
  RpcSubject,
  Template,
  TemplateBody,
  TemplateKey,
} from '@dg/contracts';
import { FileTransfer, PlatformModule, startService } from '@dg/platform';
import { TEST_ACTOR_KEYS } from '@dg/platform/testing';
import type { CallContext } from '@dg/platform';
import type { SeenCall } from './stand-in-registry';

/** The notifications service's limit on a briefing's attachments, decoded, in all. */
export const ATTACHMENTS_MAX_BYTES = 5 * 1024 * 1024;

/** The variables each template may use (the real service documents them in `Template.variables`). */
export const TEMPLATE_VARIABLES: Record<TemplateKey, Record<string, string>> = {
  briefing_invitation: {
    agencyName: 'ชื่อหน่วยงาน · agency name',
    startsAt: 'วันเวลาเริ่มประชุม · start',
    venue: 'สถานที่ · venue',
    meetingLink: 'ลิงก์ประชุม · meeting link',
  },
  deadline_reminder: { agencyName: 'ชื่อหน่วยงาน · agency name', closesAt: 'วันปิดรับ · deadline' },
  submission_receipt: { agencyName: 'ชื่อหน่วยงาน · agency name', submittedAt: 'วันที่ส่ง · submitted' },
  award_announced: { agencyName: 'ชื่อหน่วยงาน · agency name', awards: 'รางวัลที่ได้รับ · awards' },
  response_returned: { agencyName: 'ชื่อหน่วยงาน · agency name', comment: 'เหตุผล · comment' },
  results_published: { agencyName: 'ชื่อหน่วยงาน · agency name', resultsUrl: 'ลิงก์ผล · results link' },
  approval_requested: { agencyName: 'ชื่อหน่วยงาน · agency name', requestedAt: 'เสนอเมื่อ · requested' },
  response_sent_back: { agencyName: 'ชื่อหน่วยงาน · agency name', comment: 'ความเห็น · comment' },
  extension_granted: { agencyName: 'ชื่อหน่วยงาน · agency name', extendedUntil: 'กำหนดใหม่ · new deadline' },
};

/** A contact of a cohort agency, as far as the stand-in needs one. */
export interface StandInContact {
  id: string;
  email: string | null;
  lineId: string | null;
  erased?: boolean;
}

/** A cohort agency of a cycle with its contacts; `submitted` ones get no reminder. */
export interface StandInMember {
  agencyId: string;
  agencyCode: string;
  contacts: StandInContact[];
  submitted?: boolean;
}

const STAFF = ['dga_admin', 'operator'];
const text = (th: string, en: string) => ({ th, en });
const mask = (address: string) => address.replace(/^(.{1,2})[^@]*/, '$1***');

function defaultTemplate(key: TemplateKey): Template {
  return {
    key,
    version: 1,
    isDefault: true,
    variables: TEMPLATE_VARIABLES[key],
    updatedBy: null,
    updatedAt: null,
    subject: text(`เรียน {{agencyName}} (${key})`, `Dear {{agencyName}} (${key})`),
    html: text('<p>เรียน {{agencyName}}</p>', '<p>Dear {{agencyName}}</p>'),
    text: text('เรียน {{agencyName}}', 'Dear {{agencyName}}'),
    line: text('เรียน {{agencyName}}', 'Dear {{agencyName}}'),
  };
}

/** Every text of a template body with its path (`html.th`...). */
function textsOf(body: TemplateBody): [path: string, value: string][] {
  return (['subject', 'html', 'text', 'line'] as const).flatMap((part) =>
    (['th', 'en'] as const).map((lang): [string, string] => [`${part}.${lang}`, body[part][lang]]),
  );
}

/**
 * A stand-in for the notifications service, answering every `notifications.*` RPC subject over
 * the real NATS (same prefix as the gateway under test) with contract-valid data and DomainErrors.
 * It records what it was asked (payload, actor, correlation id); keeps cycles and their cohort's
 * contacts, campaigns (the same briefing or reminder label twice queues nothing new), a delivery
 * log (opted-out, erased and address-less contacts logged as skipped), opt-outs and versioned
 * templates (a stale version is 409 with `currentVersion`; unbalanced braces or unknown variables
 * are 422 TEMPLATE_INVALID with every problem in `errors[]`); takes a briefing's attachments as
 * references into the transfer bucket (`StoredFile`), refuses more than 5 MiB of them in all by their
 * `size` (413 ATTACHMENTS_TOO_LARGE) and reads each one back through FileTransfer, as the service
 * does (one that is not there is 400 VALIDATION_FAILED); scopes coordinators and approvers to their own agency;
 * and `failNext(subject, error)` makes its next answer a given DomainError. It is NOT the
 * notifications service: that one is tested in its own app, the two together in the end-to-end suite.
 */
@Controller()
export class StandInNotifications {
  readonly calls: SeenCall[] = [];
  readonly cohorts = new Map<string, StandInMember[]>();
  readonly templates = new Map<TemplateKey, Template>();
  readonly deliveries: Delivery[] = [];
  /** `${contactId}/${channel}` → when the contact opted out. */
  readonly optOuts = new Map<string, string>();
  /** Every contact the stand-in knows, by id, with its agency. */
  readonly contacts = new Map<string, { agencyId: string; contact: StandInContact }>();
  private readonly campaigns = new Map<string, CampaignSummary>();
  private readonly nextFailures = new Map<RpcSubject, DomainError>();

  constructor(private readonly files: FileTransfer) {}

  seen(subject: RpcSubject): SeenCall[] {
    return this.calls.filter((c) => c.subject === subject);
  }

  lastCall(subject: RpcSubject): SeenCall | undefined {
    return this.seen(subject).at(-1);
  }

  /** The next call of `subject` answers with `error` (once). */
  failNext(subject: RpcSubject, error: DomainError): void {
    this.nextFailures.set(subject, error);
  }

  /** A cycle with its cohort (an empty one by default); its contacts become known for opt-outs. */
  addCycle(cycleId: string, members: StandInMember[] = []): void {
    this.cohorts.set(cycleId, members);
    for (const m of members)
      for (const c of m.contacts) this.contacts.set(c.id, { agencyId: m.agencyId, contact: c });
  }

  /** A contact of `agencyId` (in no cohort); returns it. */
  addContact(agencyId: string, contact: Partial<StandInContact> = {}): StandInContact {
    const c: StandInContact = { id: randomUUID(), email: 'someone@agency.go.th', lineId: null, ...contact };
    this.contacts.set(c.id, { agencyId, contact: c });
    return c;
  }

  private enter(subject: RpcSubject, request: unknown, ctx: CallContext): void {
    this.calls.push({ subject, request, ctx });
    const failure = this.nextFailures.get(subject);
    if (failure) {
      this.nextFailures.delete(subject);
      throw failure;
    }
  }

  private requireRole(ctx: CallContext, ...roles: string[]): void {
    if (!ctx.actor.roles.some((r) => roles.includes(r))) throw new DomainError('FORBIDDEN');
  }

  private scoped(ctx: CallContext): boolean {
    return ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
  }

  private cohort(cycleId: string): StandInMember[] {
    const members = this.cohorts.get(cycleId);
    if (!cycleId || !members) throw new DomainError('CYCLE_NOT_FOUND');
    return members;
  }

  /** One campaign: a delivery per contact and channel, once per `key`. */
  private campaign(
    key: string,
    input: { cycleId: string; kind: CampaignSummary['kind']; templateKey: TemplateKey; channels: Channel[] },
    ctx: CallContext,
  ): CampaignSummary {
    const members = this.cohort(input.cycleId);
    const existing = this.campaigns.get(key);
    if (existing) return { ...existing, queued: 0, skipped: 0, agenciesSkipped: 0 };
    const summary: CampaignSummary = {
      id: randomUUID(),
      cycleId: input.cycleId,
      kind: input.kind,
      templateKey: input.templateKey,
      queued: 0,
      skipped: 0,
      agenciesSkipped: 0,
      createdAt: new Date().toISOString(),
      createdBy: ctx.actor.id,
    };
    for (const member of members) {
      if (input.kind === 'reminder' && member.submitted) {
        summary.agenciesSkipped++;
        continue;
      }
      for (const contact of member.contacts)
        for (const channel of input.channels) {
          const address = channel === 'email' ? contact.email : contact.lineId;
          const skipReason = contact.erased
            ? ('erased' as const)
            : this.optOuts.has(`${contact.id}/${channel}`)
              ? ('opted_out' as const)
              : !address
                ? ('no_address' as const)
                : null;
          const status: DeliveryStatus = skipReason ? 'skipped' : 'queued';
          if (skipReason) summary.skipped++;
          else summary.queued++;
          this.deliveries.push({
            id: randomUUID(),
            campaignId: summary.id,
            cycleId: input.cycleId,
            agencyId: member.agencyId,
            agencyCode: member.agencyCode,
            agencyName: `หน่วยงาน ${member.agencyCode}`,
            contactId: contact.id,
            channel,
            templateKey: input.templateKey,
            subject: `เรียน หน่วยงาน ${member.agencyCode} (${input.templateKey}) | Dear (${input.templateKey})`,
            address: address && !contact.erased ? mask(address) : null,
            status,
            skipReason,
            attempts: 0,
            providerResponse: null,
            createdAt: summary.createdAt,
            sentAt: null,
          });
        }
    }
    this.campaigns.set(key, summary);
    return summary;
  }

  private template(key: TemplateKey): Template {
    return this.templates.get(key) ?? defaultTemplate(key);
  }

  /** Unbalanced braces and variables the template does not offer, every one of them. */
  private check(key: TemplateKey, body: TemplateBody): void {
    const errors: FieldError[] = [];
    for (const [path, value] of textsOf(body)) {
      if ((value.match(/\{\{/g) ?? []).length !== (value.match(/\}\}/g) ?? []).length) {
        errors.push({ path, code: 'TEMPLATE_SYNTAX', message: `${path}: unbalanced {{ }}` });
        continue;
      }
      for (const [, name] of value.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)) {
        if (!(name in TEMPLATE_VARIABLES[key]))
          errors.push({
            path,
            code: 'UNKNOWN_VARIABLE',
            message: `${path}: {{${name}}} is not a variable of ${key}`,
            value: name,
          });
      }
    }
    if (errors.length) throw new DomainError('TEMPLATE_INVALID', undefined, errors);
  }

  // ---- campaigns ------------------------------------------------------------------------------

  /**
   * Like the notifications service: the 5 MiB is counted from the references' sizes, then every
   * file is read back from the transfer bucket; the same briefing (the same files' bytes, wherever
   * they were stored) twice queues nothing new.
   */
  @MessagePattern(Rpc.AnnouncementSend)
  async announce(
    @Payload() req: RpcRequestParsed<typeof Rpc.AnnouncementSend>,
    @Ctx() ctx: CallContext,
  ): Promise<CampaignSummary> {
    this.enter(Rpc.AnnouncementSend, req, ctx);
    this.requireRole(ctx, ...STAFF);
    this.cohort(req.cycleId);
    const { attachments, ...details } = req.briefing;
    if (attachments.reduce((sum, a) => sum + a.size, 0) > ATTACHMENTS_MAX_BYTES)
      throw new DomainError('ATTACHMENTS_TOO_LARGE');
    const files = [];
    for (const a of attachments) {
      const bytes = await this.files.get(a.objectName);
      if (!bytes) throw new DomainError('VALIDATION_FAILED', 'attachment not found in the transfer area');
      files.push([a.fileName, a.contentType, createHash('sha256').update(bytes).digest('hex')]);
    }
    const hash = createHash('sha256').update(JSON.stringify({ details, files })).digest('hex');
    return this.campaign(
      `${req.cycleId}/announcement/${hash}`,
      {
        cycleId: req.cycleId,
        kind: 'announcement',
        templateKey: 'briefing_invitation',
        channels: req.briefing.channels,
      },
      ctx,
    );
  }

  /** The non-submitters' CSV: a header and one row per contact of a cohort agency not submitted. */
  @MessagePattern(Rpc.NonSubmittersExport)
  async exportNonSubmitters(
    @Payload() req: RpcRequestParsed<typeof Rpc.NonSubmittersExport>,
    @Ctx() ctx: CallContext,
  ) {
    this.enter(Rpc.NonSubmittersExport, req, ctx);
    this.requireRole(ctx, ...STAFF);
    const rows = this.cohort(req.cycleId)
      .filter((m) => !m.submitted)
      .flatMap((m) => m.contacts.map((c) => `${m.agencyCode},${c.email ?? ''}`));
    return this.files.put(
      {
        objectName: `export/${randomUUID()}.csv`,
        fileName: `non-submitters-${req.cycleId}.csv`,
        contentType: 'text/csv; charset=utf-8',
      },
      Buffer.from(`\uFEFFagency_code,email\r\n${rows.join('\r\n')}\r\n`, 'utf8'),
    );
  }

  @MessagePattern(Rpc.ReminderSend)
  remind(
    @Payload() req: RpcRequestParsed<typeof Rpc.ReminderSend>,
    @Ctx() ctx: CallContext,
  ): CampaignSummary {
    this.enter(Rpc.ReminderSend, req, ctx);
    this.requireRole(ctx, ...STAFF);
    const label = req.input.label ?? new Date().toISOString().slice(0, 10);
    return this.campaign(
      `${req.cycleId}/reminder/${label}`,
      {
        cycleId: req.cycleId,
        kind: 'reminder',
        templateKey: 'deadline_reminder',
        channels: req.input.channels,
      },
      ctx,
    );
  }

  // ---- delivery log ---------------------------------------------------------------------------

  /** Like the notifications service: coordinators and approvers see their own agency's log only. */
  @MessagePattern(Rpc.DeliveryList)
  list(
    @Payload() req: RpcRequestParsed<typeof Rpc.DeliveryList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.DeliveryList> {
    this.enter(Rpc.DeliveryList, req, ctx);
    if (this.scoped(ctx) && (!ctx.actor.agencyId || req.agencyId !== ctx.actor.agencyId))
      throw new DomainError('FORBIDDEN', 'coordinators and approvers see their own agency only');
    const rows = this.deliveries.filter(
      (d) =>
        (!req.cycleId || d.cycleId === req.cycleId) &&
        (!req.agencyId || d.agencyId === req.agencyId) &&
        (!req.agencyCode || d.agencyCode === req.agencyCode) &&
        (!req.channel || d.channel === req.channel) &&
        (!req.templateKey || d.templateKey === req.templateKey),
    );
    const byStatus: Record<string, number> = {};
    for (const d of rows) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
    const filtered = rows.filter((d) => !req.status || d.status === req.status);
    return {
      items: filtered.slice((req.page - 1) * req.pageSize, req.page * req.pageSize),
      total: filtered.length,
      page: req.page,
      pageSize: req.pageSize,
      byStatus,
    };
  }

  // ---- templates ------------------------------------------------------------------------------

  @MessagePattern(Rpc.TemplateGet)
  getTemplate(@Payload() req: RpcRequestParsed<typeof Rpc.TemplateGet>, @Ctx() ctx: CallContext): Template {
    this.enter(Rpc.TemplateGet, req, ctx);
    this.requireRole(ctx, ...STAFF);
    return this.template(req.key);
  }

  @MessagePattern(Rpc.TemplatePut)
  putTemplate(@Payload() req: RpcRequestParsed<typeof Rpc.TemplatePut>, @Ctx() ctx: CallContext): Template {
    this.enter(Rpc.TemplatePut, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    const current = this.template(req.key);
    if (req.template.version !== current.version)
      throw new DomainError('TEMPLATE_VERSION_CONFLICT', undefined, undefined, {
        currentVersion: current.version,
      });
    const { version: _version, ...body } = req.template;
    this.check(req.key, body);
    const next: Template = {
      ...current,
      ...body,
      version: current.version + 1,
      isDefault: false,
      updatedBy: ctx.actor.id,
      updatedAt: new Date().toISOString(),
    };
    this.templates.set(req.key, next);
    return next;
  }

  @MessagePattern(Rpc.TemplatePreview)
  preview(
    @Payload() req: RpcRequestParsed<typeof Rpc.TemplatePreview>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.TemplatePreview> {
    this.enter(Rpc.TemplatePreview, req, ctx);
    this.requireRole(ctx, ...STAFF);
    const body = req.template ?? this.template(req.key);
    this.check(req.key, body);
    const render = (s: string) =>
      s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
        const value = req.variables?.[name];
        return value === undefined ? `[${name}]` : typeof value === 'string' ? value : JSON.stringify(value);
      });
    const lang = req.language;
    return {
      subject: render(body.subject[lang]),
      html: render(body.html[lang]),
      text: render(body.text[lang]),
      line: render(body.line[lang]),
    };
  }

  // ---- opt-outs -------------------------------------------------------------------------------

  /** Like the notifications service: a coordinator only for their own agency's contacts (404 otherwise). */
  @MessagePattern(Rpc.OptOutSet)
  optOut(
    @Payload() req: RpcRequestParsed<typeof Rpc.OptOutSet>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.OptOutSet> {
    this.enter(Rpc.OptOutSet, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'coordinator');
    const found = this.contacts.get(req.contactId);
    if (!found || (this.scoped(ctx) && found.agencyId !== ctx.actor.agencyId))
      throw new DomainError('CONTACT_NOT_FOUND');
    const key = `${req.contactId}/${req.channel}`;
    const at = new Date().toISOString();
    if (req.optedOut) this.optOuts.set(key, at);
    else this.optOuts.delete(key);
    return { contactId: req.contactId, channel: req.channel, optedOut: req.optedOut, at };
  }
}

/**
 * Starts the stand-in as its own Nest application with its own NATS connection (service
 * "notifications"), after the gateway (it needs the gateway's NATS prefix), like the scoring stand-in.
 */
export async function startStandInNotifications(
  natsUrl: string,
  prefix: string,
): Promise<{ app: INestApplicationContext; notifications: StandInNotifications }> {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'notifications',
        logLevel: 'silent',
        nats: { url: natsUrl, prefix, actorKeys: { verifyKey: TEST_ACTOR_KEYS.verifyKey } },
        outbox: false,
      }),
    ],
    controllers: [StandInNotifications],
  })
  class StandInNotificationsModule {}

  const app = await startService(
    await NestFactory.create(StandInNotificationsModule, new FastifyAdapter(), { logger: false }),
  );
  return { app, notifications: app.get(StandInNotifications) };
}
