import { z } from 'zod';
import { Page, Uuid } from './common';
import { CycleId } from './intake';
import { AgencyGroup, Contact, StoredFile } from './registry';
import { SafeUrl } from './url';

/** Channels a message can go out on. */
export const Channel = z.enum(['email', 'line']);
export type Channel = z.infer<typeof Channel>;

/**
 * Template keys. WARNING: stored in the notifications database and in job data; a new key needs
 * its default templates, a renamed key a data migration.
 */
export const TemplateKey = z.enum([
  'briefing_invitation',
  'deadline_reminder',
  'submission_receipt',
  'response_returned',
  'results_published',
  'award_announced',
  'approval_requested',
  'response_sent_back',
  'extension_granted',
]);
export type TemplateKey = z.infer<typeof TemplateKey>;

export const DeliveryStatus = z.enum(['queued', 'sent', 'failed', 'skipped']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** Why a message was not sent (status `skipped`). */
/** `duplicate`: the same address of the same agency already has this message (one e-mail entered twice). */
export const SkipReason = z.enum([
  'opted_out',
  'erased',
  'no_address',
  'already_submitted',
  'cancelled',
  'duplicate',
]);

/** A contact of a cohort agency, as notifications needs it (from the registry). */
export const CohortContact = z.object({
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  group: AgencyGroup,
  contact: Contact,
});
export type CohortContact = z.infer<typeof CohortContact>;
export const CohortContactPage = z.object({
  items: z.array(CohortContact),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

const Localised = z.object({ th: z.string().min(1).max(20_000), en: z.string().min(1).max(20_000) });

/** One template: Thai and English e-mail subject, HTML and text bodies, and the LINE text. Handlebars syntax. */
export const TemplateBody = z
  .object({
    subject: z.object({ th: z.string().min(1).max(300), en: z.string().min(1).max(300) }),
    html: Localised,
    text: Localised,
    line: z.object({ th: z.string().min(1).max(5000), en: z.string().min(1).max(5000) }),
  })
  .strict();
export type TemplateBody = z.infer<typeof TemplateBody>;

export const Template = TemplateBody.extend({
  key: TemplateKey,
  version: z.number().int(),
  /** true while the shipped default is in use (never edited). */
  isDefault: z.boolean(),
  /** Variables the template may use, with a description. */
  variables: z.record(z.string(), z.string()),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type Template = z.infer<typeof Template>;

export const TemplatePut = TemplateBody.extend({ version: z.number().int().min(1) }).strict();

export const TemplatePreviewRequest = z.object({
  key: TemplateKey,
  /** Preview unsaved text; the stored template when absent. */
  template: TemplateBody.optional(),
  language: z.enum(['th', 'en']).default('th'),
  variables: z.record(z.string(), z.unknown()).optional(),
});
export const TemplatePreview = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  line: z.string(),
});

export const BriefingInput = z
  .object({
    /** When the briefing starts (ISO 8601 with offset). */
    startsAt: z.string().datetime({ offset: true }),
    endsAt: z.string().datetime({ offset: true }).optional(),
    venue: z.string().trim().max(500).optional(),
    meetingLink: SafeUrl.optional(),
    documents: z
      .array(z.object({ name: z.string().trim().min(1).max(200), url: SafeUrl }))
      .max(20)
      .default([]),
    /** Files attached to every e-mail (base64), at most 5 MB in all. */
    attachments: z
      .array(
        z.object({
          fileName: z.string().trim().min(1).max(200),
          contentType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/),
          contentBase64: z.string().max(7_000_000),
        }),
      )
      .max(10)
      .default([]),
    channels: z.array(Channel).min(1).default(['email', 'line']),
  })
  .strict();
export type BriefingInput = z.infer<typeof BriefingInput>;

/**
 * The briefing as it crosses NATS: attachments travel through the object store (a NATS message is
 * at most 1 MiB by default), the gateway puts them there and passes the references.
 */
export const BriefingRequest = BriefingInput.omit({ attachments: true }).extend({
  attachments: z.array(StoredFile).max(10).default([]),
});
export type BriefingRequest = z.infer<typeof BriefingRequest>;

export const CampaignSummary = z.object({
  id: z.string(),
  cycleId: z.string(),
  kind: z.enum(['announcement', 'reminder', 'results']),
  templateKey: TemplateKey,
  queued: z.number().int(),
  skipped: z.number().int(),
  /** Agencies left out (e.g. already submitted when a reminder went out). */
  agenciesSkipped: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

export const ReminderInput = z
  .object({
    /** A label for this reminder run; the same label twice sends nothing new. Default: today's date. */
    label: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,40}$/)
      .optional(),
    channels: z.array(Channel).min(1).default(['email', 'line']),
    /**
     * Only these agencies (registry codes, as the responses list shows them); each must be in the
     * cycle's cohort (else 400 AGENCY_NOT_IN_COHORT). With the filters below, both must match.
     */
    agencyCodes: z.array(z.string().trim().min(1).max(30)).min(1).max(5000).optional(),
    /** The responses list's filters: only agencies of this group, ministry or province. */
    group: AgencyGroup.optional(),
    ministryId: z.string().trim().min(1).max(20).optional().describe('Ministry code, as in GET /ministries'),
    province: z.string().trim().min(1).max(10).optional().describe('ISO 3166-2:TH code, e.g. TH-10'),
  })
  .strict();
export type ReminderInput = z.infer<typeof ReminderInput>;

export const Delivery = z.object({
  id: z.string(),
  campaignId: z.string().nullable(),
  cycleId: z.string().nullable(),
  agencyId: Uuid.nullable(),
  agencyCode: z.string().nullable(),
  /** The agency's Thai name as the message named it (null: a message to no agency). */
  agencyName: z.string().nullable(),
  contactId: Uuid,
  channel: Channel,
  templateKey: TemplateKey,
  /**
   * The e-mail subject, Thai | English, as the current template renders this message (a LINE
   * message has no subject of its own: the same words name it). Null if it cannot render.
   */
  subject: z.string().nullable(),
  /** The address used, masked (e.g. so***@dga.or.th) — the log is read by many. */
  address: z.string().nullable(),
  status: DeliveryStatus,
  skipReason: SkipReason.nullable(),
  attempts: z.number().int(),
  providerResponse: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryQuery = Page.extend({
  cycleId: CycleId.optional(),
  agencyId: Uuid.optional(),
  agencyCode: z
    .string()
    .trim()
    .min(1)
    .max(30)
    .optional()
    .describe('Registry code of the agency, e.g. as in the responses list'),
  channel: Channel.optional(),
  status: DeliveryStatus.optional(),
  templateKey: TemplateKey.optional(),
});
export const DeliveryPage = z.object({
  items: z.array(Delivery),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
});

/** The non-submitters of a cycle, optionally of a group, ministry or province (as the responses list filters). */
export const NonSubmittersExportRequest = z.object({
  cycleId: CycleId,
  group: AgencyGroup.optional(),
  ministryId: z.string().trim().min(1).max(20).optional().describe('Ministry code, as in GET /ministries'),
  province: z.string().trim().min(1).max(10).optional().describe('ISO 3166-2:TH code, e.g. TH-10'),
});

export const OptOutInput = z.object({ contactId: Uuid, channel: Channel, optedOut: z.boolean() }).strict();
export const OptOutState = z.object({
  contactId: Uuid,
  channel: Channel,
  optedOut: z.boolean(),
  at: z.string().nullable(),
});
