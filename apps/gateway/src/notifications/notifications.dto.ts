import { createZodDto } from 'nestjs-zod';
import {
  BriefingInput,
  CampaignSummary,
  DeliveryPage,
  DeliveryQuery,
  NonSubmittersExportRequest,
  OptOutInput,
  OptOutState,
  ReminderInput,
  Template,
  TemplatePreview,
  TemplatePreviewRequest,
  TemplatePut,
} from '@dg/contracts';

/**
 * HTTP shapes of the notification routes: the contract's schemas (so HTTP and NATS check the same
 * thing), less what the path carries (template key, contact id, channel), with the template's
 * `version` optional where it may come as `If-Match` instead.
 */

/**
 * A reminder run: `label` and `channels`, both optional, so `POST /cycles/:id/reminders` with no
 * body at all (no content-type) reminds on every channel with today's label.
 */
export const ReminderBody = ReminderInput.prefault({});

/** `PUT /templates/:key`: the template texts with the version last read (or `If-Match`). */
export const TemplatePutBody = TemplatePut.extend({
  version: TemplatePut.shape.version
    .optional()
    .describe('The version last read; may instead be sent as `If-Match`'),
}).strict();

/** `POST /templates/:key/preview`: the contract's request without the key (the path carries it). */
export const TemplatePreviewBody = TemplatePreviewRequest.omit({ key: true });

/** `PUT /contacts/:id/channels/:channel`: only the choice; contact and channel are in the path. */
export const OptOutBody = OptOutInput.pick({ optedOut: true }).strict();

export class BriefingInputDto extends createZodDto(BriefingInput) {}
export class ReminderInputDto extends createZodDto(ReminderBody) {}
export class DeliveryQueryDto extends createZodDto(DeliveryQuery) {}
/** `GET /cycles/:id/non-submitters/export`: the filters; the cycle is in the path. */
export class NonSubmittersQueryDto extends createZodDto(
  NonSubmittersExportRequest.omit({ cycleId: true }).strict(),
) {}
export class TemplatePutDto extends createZodDto(TemplatePutBody) {}
export class TemplatePreviewBodyDto extends createZodDto(TemplatePreviewBody) {}
export class OptOutBodyDto extends createZodDto(OptOutBody) {}

export class CampaignSummaryDto extends createZodDto(CampaignSummary) {}
export class DeliveryPageDto extends createZodDto(DeliveryPage) {}
export class TemplateDto extends createZodDto(Template) {}
export class TemplatePreviewDto extends createZodDto(TemplatePreview) {}
export class OptOutStateDto extends createZodDto(OptOutState) {}
