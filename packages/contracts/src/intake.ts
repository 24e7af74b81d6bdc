import { z } from 'zod';
import { Page, paged, Uuid } from './common';
import { AgencyGroup, StoredFile } from './registry';

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
    // One problem per value: a date that is not one is not also "not a real date".
    {
      message: 'YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2022-07-31T23:59:00+07:00',
      abort: true,
    },
  )
  .refine(
    (v) => {
      const day = v.slice(0, 10);
      const t = Date.parse(`${day}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day; // 2022-02-30 is not a day
    },
    { message: 'not a real date', abort: true },
  )
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
  /** The display name of `by`, added by the gateway (null: an account no longer there). */
  byName: z.string().nullable().optional(),
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
  /** DGA staff decided not to wait for this response before publishing (see `intake.response.set-aside`). */
  setAside: z.object({ at: z.string(), by: z.string(), reason: z.string() }).nullable(),
});
export type ResponseSummary = z.infer<typeof ResponseSummary>;
/**
 * The latest time the response was sent back to the coordinator: by the agency's head
 * (`approver`, approval rejected) or by DGA's verifier (`verifier`, returned for correction),
 * with that person's comment. Null once approved, and before any send-back.
 */
export const SentBack = z.object({
  by: z.enum(['approver', 'verifier']),
  actorId: z.string(),
  comment: z.string(),
  at: z.string(),
});
export type SentBack = z.infer<typeof SentBack>;

export const ResponseDetail = ResponseSummary.extend({
  questionnaireId: Uuid,
  questionnaireVersion: z.number().int(),
  answers: z.record(z.string(), z.unknown()),
  verdicts: z.array(Verdict),
  returnComment: z.string().nullable(),
  sentBack: SentBack.nullable(),
});
export type ResponseDetail = z.infer<typeof ResponseDetail>;

export const ResponseKey = z.object({ cycleId: CycleId, agencyId: Uuid });

const BilingualText = z.object({ th: z.string(), en: z.string() });

/** One answer that is not right yet, named by its question's text (Thai and English) as well as its id. */
export const AnswerIssue = z.object({
  questionId: z.string(),
  questionText: BilingualText,
  path: z.string(),
  code: z.string(),
  message: z.string(),
  messageTh: z.string(),
});
export type AnswerIssue = z.infer<typeof AnswerIssue>;

/**
 * Autosave's answer: the response as saved, and the answers of the patch that were not saved
 * (`rejected`, empty when all were). A patch whose every answer is refused saves nothing and is
 * 422 ANSWERS_INVALID instead.
 */
export const SaveResult = ResponseDetail.extend({ rejected: z.array(AnswerIssue) });
export type SaveResult = z.infer<typeof SaveResult>;

/** What still stops a response from being submitted, per section (general, then each pillar). */
export const Completeness = z.object({
  cycleId: z.string(),
  agencyId: Uuid,
  status: ResponseStatus,
  version: z.number().int(),
  /** true exactly when submitting now would pass the answer checks */
  complete: z.boolean(),
  required: z.number().int(),
  answered: z.number().int(),
  problemCount: z.number().int(),
  sections: z.array(
    z.object({
      pillarId: z.string().nullable(),
      number: z.number().int().nullable(),
      title: BilingualText,
      required: z.number().int(),
      answered: z.number().int(),
      missing: z.array(AnswerIssue.extend({ indicatorId: z.string().nullable() })),
    }),
  ),
});
export type Completeness = z.infer<typeof Completeness>;

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
  /** The display name of `uploadedBy`, added by the gateway to lists (null: an account no longer there). */
  uploadedByName: z.string().nullable().optional(),
  uploadedAt: z.string(),
});
export type Evidence = z.infer<typeof Evidence>;

/**
 * A response's evidence files, newest first, the agency's quota for the cycle, and the largest
 * file accepted: the limits as configured, which the portal checks a file against before sending.
 */
export const EvidenceList = z.object({
  items: z.array(Evidence),
  usedBytes: z.number().int(),
  quotaBytes: z.number().int(),
  maxFileBytes: z.number().int(),
});
export type EvidenceList = z.infer<typeof EvidenceList>;

/**
 * The responses export, and what it says about personal data (PDPA): whether the coordinators'
 * names, e-mails and phone numbers are in it, and which questions (`group.field` for the fields
 * of a list) hold personal data: carried when included, left out otherwise.
 */
export const ResponsesExportFile = StoredFile.extend({
  personalData: z.object({ included: z.boolean(), questions: z.array(z.string()) }),
});
export type ResponsesExportFile = z.infer<typeof ResponsesExportFile>;

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

/**
 * A status to filter responses by: one of the response's statuses, or `not_submitted` (never
 * submitted and approved: what progress counts as not answered, whatever the draft's state).
 */
export const ResponseStatusFilter = z.union([ResponseStatus, z.literal('not_submitted')]);
export type ResponseStatusFilter = z.infer<typeof ResponseStatusFilter>;

/** One value, a comma-separated list, or the parameter repeated (`?status=a,b` = `?status=a&status=b`). */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v: unknown): unknown[] =>
      (Array.isArray(v) ? (v as unknown[]) : [v])
        .flatMap((x: unknown): unknown[] => (typeof x === 'string' ? x.split(',') : [x]))
        .map((x: unknown): unknown => (typeof x === 'string' ? x.trim() : x))
        .filter((x: unknown) => x !== ''),
    z.array(item).min(1).max(20),
  );

/**
 * The filters of a cycle's responses, named as everywhere in the API (results, agencies): by
 * `ministryId`, `province` (ISO 3166-2:TH), `group`, and several `status` values at once.
 */
export const ResponseFilter = z.object({
  status: listOf(ResponseStatusFilter)
    .optional()
    .describe(
      'One or more statuses, comma-separated or repeated; `not_submitted` = never submitted and approved',
    ),
  group: AgencyGroup.optional(),
  ministryId: z.string().trim().min(1).max(20).optional().describe('Ministry code, as in GET /ministries'),
  province: z.string().trim().min(1).max(10).optional().describe('ISO 3166-2:TH code, e.g. TH-10'),
});
export type ResponseFilter = z.infer<typeof ResponseFilter>;

/**
 * Why a response holds publication back: submitted and not verified, returned for correction,
 * a resubmission awaiting the agency's approver, or an agency still inside its own extension.
 */
export const PublicationBlock = z.enum([
  'AWAITING_VERIFICATION',
  'RETURNED',
  'AWAITING_APPROVAL',
  'EXTENSION_OPEN',
]);
export type PublicationBlock = z.infer<typeof PublicationBlock>;

/** Thai and English words for each reason, for problems and views. */
export const PublicationBlockText: Record<PublicationBlock, { th: string; en: string }> = {
  AWAITING_VERIFICATION: { th: 'ส่งแล้ว รอการตรวจสอบ', en: 'submitted, not verified yet' },
  RETURNED: { th: 'ส่งกลับให้แก้ไข ยังไม่ส่งใหม่', en: 'returned for correction, not resubmitted' },
  AWAITING_APPROVAL: { th: 'ส่งแก้ไขแล้ว รอผู้บริหารอนุมัติ', en: 'resubmission awaiting the head’s approval' },
  EXTENSION_OPEN: { th: 'ได้รับขยายเวลาและยังไม่ครบกำหนด', en: 'an extension is still running' },
};

export const BlockingResponse = z.object({
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  status: ResponseStatus,
  reason: PublicationBlock,
  deadline: z.string(),
});
export type BlockingResponse = z.infer<typeof BlockingResponse>;

/**
 * Whether a cycle's results (and awards) may be published: the cycle is closed and no response
 * blocks. `blocking.items` lists at most 200 (by agency code); `total` and `byReason` count all.
 */
export const PublicationReadiness = z.object({
  cycleId: z.string(),
  cycleStatus: CycleStatus,
  closed: z.boolean(),
  ready: z.boolean(),
  blocking: z.object({
    total: z.number().int(),
    byReason: z.record(z.string(), z.number().int()),
    items: z.array(BlockingResponse),
  }),
  setAside: z.number().int(),
});
export type PublicationReadiness = z.infer<typeof PublicationReadiness>;

/**
 * The refusal of a publication (results or awards) that `readiness` does not allow, or null: the
 * cycle still open (`CYCLE_NOT_CLOSED`), or responses blocking it (`RESPONSES_NOT_VERIFIED`, with
 * their count by reason and the first 50 agencies in `meta`). Thai first, with English.
 */
export function publicationRefusal(
  readiness: PublicationReadiness,
  what: { th: string; en: string },
): {
  code: 'CYCLE_NOT_CLOSED' | 'RESPONSES_NOT_VERIFIED';
  detail: string;
  meta: Record<string, unknown>;
} | null {
  if (!readiness.closed) {
    return {
      code: 'CYCLE_NOT_CLOSED',
      detail: `ปิดรอบการสำรวจก่อน จึง${what.th}ได้ (สถานะ ${readiness.cycleStatus}) (close the cycle before the ${what.en}; it is ${readiness.cycleStatus})`,
      meta: { cycleStatus: readiness.cycleStatus },
    };
  }
  if (readiness.ready) return null;
  const b = readiness.blocking;
  const reasons = Object.entries(b.byReason)
    .map(([reason, n]) => `${PublicationBlockText[reason as PublicationBlock]?.th ?? reason} ${n}`)
    .join(', ');
  const shown = b.items.slice(0, 50);
  const codes = shown.map((i) => i.agencyCode).join(', ');
  return {
    code: 'RESPONSES_NOT_VERIFIED',
    detail:
      `ยัง${what.th}ไม่ได้: มีคำตอบ ${b.total} หน่วยงานที่ยังไม่ได้ตรวจสอบหรือกันออก (${reasons}): ${codes}${b.total > shown.length ? ' …' : ''} ` +
      `ตรวจสอบให้เสร็จ หรือกันออกพร้อมเหตุผล (${b.total} responses are neither verified nor set aside; verify them, or set them aside with a reason, before the ${what.en})`,
    meta: {
      blockingCount: b.total,
      byReason: b.byReason,
      agencies: shown.map((i) => ({
        agencyId: i.agencyId,
        agencyCode: i.agencyCode,
        agencyName: i.agencyName,
        status: i.status,
        reason: i.reason,
      })),
    },
  };
}

export const SetAsideInput = z
  .object({
    reason: z.string().trim().min(10, 'at least 10 characters').max(2000),
    version: z.number().int().min(1),
  })
  .strict();

export const ResponseListQuery = Page.extend({
  cycleId: CycleId,
  ...ResponseFilter.shape,
  q: z.string().trim().max(200).optional().describe('Part of the agency code or name'),
});

export const ProgressQuery = ResponseFilter.extend({ cycleId: CycleId });

export const ResponsePage = paged(ResponseSummary);
export const CyclePage = paged(Cycle);
