import { z } from 'zod';
import { Page, paged, Uuid } from './common';
import { CycleId } from './intake';
import { AgencyGroup, AgencyKind } from './registry';
import { SafeUrl } from './url';

const Text = z.object({ th: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300) });

/** What a category ranks by: the overall score, one pillar, the change against last year, or the committee's scores. */
export const AwardMetric = z.enum(['overall', 'pillar', 'improvement', 'committee']);
export type AwardMetric = z.infer<typeof AwardMetric>;

/** Tie-breaks, tried in order after the metric; a tie that survives them all is shared (all tied win). */
export const TieBreak = z.union([
  z.enum(['overall', 'improvement', 'committee']),
  z.string().regex(/^pillar:[1-6]$/, 'pillar:<1-6>'),
]);

export const Eligibility = z
  .object({
    /** Only verified responses (default true). */
    verifiedOnly: z.boolean().default(true),
    minOverall: z.number().min(0).max(100).optional(),
    /** Minimum score per pillar number ("1".."6"). */
    minPillar: z.record(z.string().regex(/^[1-6]$/), z.number().min(0).max(100)).optional(),
    /** Agencies that won this category (same key) in the previous cycle are not eligible. */
    excludePreviousWinners: z.boolean().default(false),
    /** Improvement needs last year's score: agencies without it are not eligible (default true for improvement). */
    requirePrevious: z.boolean().optional(),
  })
  .strict();
export type Eligibility = z.infer<typeof Eligibility>;

export const CommitteeMember = z
  .object({
    userId: z.string().min(1).max(100),
    name: z.string().trim().min(1).max(200),
    /** The member's own agency: excluded from judging it and agencies of the same ministry. */
    agencyId: Uuid.nullable().default(null),
    chair: z.boolean().default(false),
  })
  .strict();
export type CommitteeMember = z.infer<typeof CommitteeMember>;

/** The fields of a category, without defaults (a patch must not fill in what it left out). */
const categoryFields = {
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, e.g. top-department'),
  name: Text,
  description: Text.optional(),
  group: AgencyGroup.nullable(),
  kinds: z.array(AgencyKind).max(5).optional(),
  metric: AwardMetric,
  /** The pillar number for metric `pillar`. */
  pillar: z.number().int().min(1).max(6).optional(),
  winners: z.number().int().min(1).max(100),
  eligibility: Eligibility,
  tieBreaks: z.array(TieBreak).max(5),
  /** Committee members; a committee-ranked category needs `quorum` of them voting. */
  committee: z.array(CommitteeMember).max(30),
  quorum: z.number().int().min(1).max(30),
  /** Only nominated agencies compete (e.g. outstanding digital leader): nominations with a short form. */
  nominated: z.boolean(),
};

export const CategoryInput = z
  .object({
    ...categoryFields,
    group: categoryFields.group.default(null),
    eligibility: Eligibility.default({ verifiedOnly: true, excludePreviousWinners: false }),
    tieBreaks: categoryFields.tieBreaks.default([]),
    committee: categoryFields.committee.default([]),
    quorum: categoryFields.quorum.default(1),
    nominated: categoryFields.nominated.default(false),
  })
  .strict();
export type CategoryInput = z.infer<typeof CategoryInput>;

/** Only the fields sent change; `version` is the one read. */
export const CategoryPatch = z
  .object(categoryFields)
  .omit({ key: true })
  .partial()
  .extend({ version: z.number().int().min(1) })
  .strict();

export const CategoryStatus = z.enum(['draft', 'candidates', 'decided', 'announced']);

export const Category = CategoryInput.extend({
  id: Uuid,
  cycleId: z.string(),
  status: CategoryStatus,
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Category = z.infer<typeof Category>;

export const Reason = z.object({ code: z.string(), th: z.string(), en: z.string() });

export const Candidate = z.object({
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  group: AgencyGroup,
  eligible: z.boolean(),
  /** Why not eligible (empty when eligible). */
  reasons: z.array(Reason),
  value: z.number().nullable(),
  overall: z.number(),
  pillars: z.record(z.string(), z.number()),
  change: z.number().nullable(),
  committeeScore: z.number().nullable(),
  /** Rank among the eligible (1, 2, 2, 4 …), after tie-breaks; null when not eligible. */
  rank: z.number().int().nullable(),
  tied: z.boolean(),
});
export type Candidate = z.infer<typeof Candidate>;

export const Winner = z.object({
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  rank: z.number().int(),
  shared: z.boolean(),
});

/** A nomination: the agency, the person or work nominated, why, and links to the evidence. */
export const NominationInput = z
  .object({
    agencyId: Uuid,
    nominee: z.object({ name: z.string().trim().min(1).max(200), position: z.string().trim().max(200).optional() }).strict(),
    statement: z.string().trim().min(20, 'say why, at least 20 characters').max(4000),
    evidence: z.array(z.object({ name: z.string().trim().min(1).max(200), url: SafeUrl }).strict()).max(10).default([]),
  })
  .strict();
export const Nomination = NominationInput.extend({
  id: z.string(),
  categoryId: Uuid,
  agencyCode: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});

export const DecisionInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conflict'), agencyId: Uuid, reason: z.string().trim().min(3).max(1000) }).strict(),
  z
    .object({
      type: z.literal('vote'),
      scores: z.array(z.object({ agencyId: Uuid, score: z.number().min(0).max(100) })).min(1).max(200),
    })
    .strict(),
  z.object({ type: z.literal('confirm') }).strict(),
  z
    .object({
      type: z.literal('override'),
      winners: z
        .array(Uuid)
        .min(1)
        .max(100)
        .refine((ids) => new Set(ids).size === ids.length, 'an agency is named twice'),
      reason: z.string().trim().min(10, 'say why, at least 10 characters').max(2000),
    })
    .strict(),
]);
export type DecisionInput = z.infer<typeof DecisionInput>;

export const DecisionRecord = z.object({
  id: z.string(),
  type: z.enum(['conflict', 'vote', 'confirm', 'override']),
  by: z.string(),
  at: z.string(),
  details: z.unknown(),
});

export const CategoryState = Category.extend({
  /** The ranked candidates first, then the unranked and the ineligible: at most 100 (a census group has thousands). */
  candidates: z.array(Candidate),
  candidateCount: z.number().int(),
  eligibleCount: z.number().int(),
  decisions: z.array(DecisionRecord),
  /** Members excluded per candidate (agency id -> member user ids), automatic or declared. */
  conflicts: z.record(z.string(), z.array(z.string())),
  /** The winners once announced (`winners` is how many the category awards). */
  awarded: z.array(Winner),
  nominations: z.array(Nomination),
});
export type CategoryState = z.infer<typeof CategoryState>;

export const AwardsOverview = z.object({
  cycleId: z.string(),
  announcedAt: z.string().nullable(),
  categories: z.array(CategoryState),
});

/** A winner as the public sees it, with the number of its certificate (null until the certificate is made). */
export const PublicWinner = Winner.extend({ certificateNo: z.string().nullable() });

export const PublicWinners = z.object({
  cycleId: z.string(),
  announcedAt: z.string(),
  categories: z.array(z.object({ id: Uuid, key: z.string(), name: Text, winners: z.array(PublicWinner) })),
});

export const CertificateRequest = z.object({ cycleId: CycleId, categoryId: Uuid, agencyId: Uuid });

/** A certificate number as printed on the PDF (e.g. DGA-2565-top_overall-001). */
export const CertificateNumber = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
/** What the public check of a certificate number tells: who won what, in which year, when. */
export const CertificateCheck = z.object({
  number: z.string(),
  genuine: z.literal(true),
  agencyCode: z.string(),
  agencyName: z.string(),
  category: z.object({ key: z.string(), name: Text }),
  cycleId: z.string(),
  /** Buddhist Era year of the cycle. */
  cycleYearBE: z.number().int(),
  rank: z.number().int(),
  shared: z.boolean(),
  announcedAt: z.string(),
  issuedAt: z.string(),
});

/** A page of one category's candidates (ranked first); `agencyId` narrows it to one agency. */
export const CandidateListRequest = Page.extend({ categoryId: Uuid, agencyId: Uuid.optional() });
export const CandidatePage = paged(Candidate).extend({ categoryId: Uuid, eligibleCount: z.number().int() });
