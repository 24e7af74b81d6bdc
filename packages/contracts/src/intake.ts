import { z } from 'zod';
import { Page, paged, Uuid } from './common';
import { AgencyGroup } from './registry';

/** A cycle's id is chosen when it is created, by default the Buddhist Era year (e.g. `2565`). */
export const CycleId = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/, 'letters, digits and dashes, e.g. 2565');

export const CycleStatus = z.enum(['draft', 'open', 'closed', 'archived']);
export type CycleStatus = z.infer<typeof CycleStatus>;

export const Cycle = z.object({
  id: z.string(),
  yearBE: z.number().int(),
  title: z.object({ th: z.string(), en: z.string() }),
  status: CycleStatus,
  opensAt: z.string(),
  closesAt: z.string(),
  questionnaireId: Uuid.nullable(),
  questionnaireVersion: z.number().int().nullable(),
  agencyCount: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Cycle = z.infer<typeof Cycle>;

/**
 * A date-time with an offset (`2022-07-31T23:59:00+07:00`), or a bare date meaning that day in
 * Asia/Bangkok. Years are Common Era: a B.E. year (2565) is refused with a hint, not read as 2565 AD.
 */
export const DateTimeInput = z
  .string()
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || z.string().datetime({ offset: true }).safeParse(v).success,
    'YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2022-07-31T23:59:00+07:00',
  )
  .refine((v) => {
    const day = v.slice(0, 10);
    const t = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day; // 2022-02-30 is not a day
  }, 'not a real date')
  .refine((v) => Number(v.slice(0, 4)) < 2400, 'use the Common Era year (B.E. − 543), e.g. 2022 for 2565');

export const CycleCreateInput = z
  .object({
    id: CycleId.optional(),
    yearBE: z.number().int().min(2558).max(2700),
    title: z.object({ th: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300) }),
    opensAt: DateTimeInput,
    closesAt: DateTimeInput,
  })
  .strict();
export const CyclePatch = z
  .object({
    title: CycleCreateInput.shape.title.optional(),
    opensAt: DateTimeInput.optional(),
    closesAt: DateTimeInput.optional(),
    status: z.literal('archived').optional(),
    version: z.number().int().min(1),
  })
  .strict();

export const QuestionnaireSummary = z.object({
  id: Uuid,
  key: z.string(),
  version: z.number().int(),
  title: z.object({ th: z.string(), en: z.string() }),
  questionCount: z.number().int(),
  sample: z.boolean(),
  createdAt: z.string(),
});
export const QuestionnaireRecord = QuestionnaireSummary.extend({ definition: z.unknown() });

export const ResponseStatus = z.enum([
  'not_started',
  'in_progress',
  'awaiting_approval',
  'submitted',
  'returned',
  'resubmitted',
  'verified',
]);
export type ResponseStatus = z.infer<typeof ResponseStatus>;

export const Verdict = z.object({
  questionId: z.string(),
  verdict: z.enum(['accepted', 'rejected']),
  comment: z.string().max(2000).nullable(),
  by: z.string(),
  at: z.string(),
});

export const ResponseSummary = z.object({
  id: Uuid,
  cycleId: z.string(),
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  group: AgencyGroup,
  status: ResponseStatus,
  version: z.number().int(),
  submissionCount: z.number().int(),
  deadline: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
});
export type ResponseSummary = z.infer<typeof ResponseSummary>;
export const ResponseDetail = ResponseSummary.extend({
  questionnaireId: Uuid,
  questionnaireVersion: z.number().int(),
  answers: z.record(z.string(), z.unknown()),
  verdicts: z.array(Verdict),
  returnComment: z.string().nullable(),
});
export type ResponseDetail = z.infer<typeof ResponseDetail>;

export const ResponseKey = z.object({ cycleId: CycleId, agencyId: Uuid });

export const AnswersPatch = z
  .object({
    version: z.number().int().min(1),
    answers: z
      .record(z.string().max(100), z.unknown())
      .refine((a) => Object.keys(a).length <= 500, 'at most 500 answers at once'),
  })
  .strict();

export const VerifyInput = z
  .object({
    verdicts: z
      .array(
        z.object({
          questionId: z.string().max(100),
          verdict: z.enum(['accepted', 'rejected']),
          comment: z.string().trim().max(2000).nullish(),
        }),
      )
      .max(1000),
    /** true: the verification is finished; rejected answers stay rejected and earn no points (return the response instead if the agency should correct them) */
    complete: z.boolean().default(false),
    version: z.number().int().min(1),
  })
  .strict();

export const Evidence = z.object({
  id: Uuid,
  cycleId: z.string(),
  agencyId: Uuid,
  questionId: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});

export const Progress = z.object({
  cycleId: z.string(),
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byGroup: z.record(
    z.string(),
    z.object({ total: z.number().int(), submitted: z.number().int(), responseRate: z.number() }),
  ),
  submitted: z.number().int(),
  responseRate: z.number(),
  deadline: z.string(),
});

export const ResponseListQuery = Page.extend({
  cycleId: CycleId,
  status: ResponseStatus.optional(),
  group: AgencyGroup.optional(),
  q: z.string().trim().max(200).optional(),
});

export const ResponsePage = paged(ResponseSummary);
export const CyclePage = paged(Cycle);
