import { z } from 'zod';
import { Page, Uuid } from './common';
import { CycleId } from './intake';
import { AgencyCode, AgencyGroup, StoredFile } from './registry';

/**
 * The scoring service's wire shapes. The scorecard mirrors the engine's output in
 * @dg/survey-model (`Scorecard`); scores are numbers already rounded by the engine from exact
 * fractions (so `61.25` is exactly what the engine printed, on every machine).
 */
const Text = z.object({ th: z.string(), en: z.string() });

export const ScoringMethod = z.enum(['raw', 'standardised']);

export const QuestionOutcome = z.enum([
  'earned', // answered and the rubric gave points (possibly 0 for the chosen option)
  'unanswered', // shown but not answered: 0 of its maximum
  'hidden', // hidden by a condition: 0 of its maximum (rules.hiddenQuestions = zero)
  'not_applicable', // hidden by a condition and left out of the indicator (rules.hiddenQuestions = exclude)
  'excluded', // the rules leave this question out of scoring
  'rejected', // the operator rejected the answer: no points
  'awaiting_acceptance', // evidence that earns points only once accepted, not yet accepted
]);

export const QuestionScore = z.object({
  questionId: z.string(),
  kind: z.string(),
  weight: z.number(),
  points: z.number(),
  maxPoints: z.number(),
  outcome: QuestionOutcome,
  capped: z.boolean(),
  verdict: z.enum(['accepted', 'rejected']).nullable(),
  answer: z.unknown(),
  reason: Text,
});
export const IndicatorScore = z.object({
  id: z.string(),
  title: Text,
  weight: z.number(),
  score: z.number(),
  questions: z.array(QuestionScore),
});
export const PillarScore = z.object({
  id: z.string(),
  number: z.number().int(),
  title: Text,
  weight: z.number(),
  score: z.number(),
  indicators: z.array(IndicatorScore),
});
export const LevelRef = z.object({ level: z.number().int().min(1).max(5), name: Text });
export const BandRef = z.object({ id: z.string(), name: Text });

export const Scorecard = z.object({
  engineVersion: z.string(),
  questionnaire: z.object({ id: z.string(), version: z.number().int() }),
  rules: z.object({ id: z.string(), version: z.number().int() }),
  method: ScoringMethod,
  decimals: z.number().int(),
  overall: z.number(),
  level: LevelRef.nullable(),
  band: BandRef.nullable(),
  pillars: z.array(PillarScore),
  totals: z.object({
    scoredQuestions: z.number().int(),
    answered: z.number().int(),
    earning: z.number().int(),
    rejected: z.number().int(),
  }),
});
export type ScorecardWire = z.infer<typeof Scorecard>;

/** A stored scorecard: what was scored, with which inputs, and the engine's card. */
export const ScorecardRecord = z.object({
  id: z.string(),
  cycleId: z.string(),
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  group: AgencyGroup,
  responseId: Uuid,
  responseVersion: z.number().int(),
  submission: z.number().int(),
  questionnaireId: Uuid,
  questionnaireVersion: z.number().int(),
  rulesVersion: z.number().int(),
  engineVersion: z.string(),
  verified: z.boolean(),
  computedAt: z.string(),
  /** Filled when the cohort standardises scores (method `standardised`). */
  standardised: z
    .object({
      index: z.number(),
      pillars: z.record(z.string(), z.object({ z: z.number(), scaled: z.number() })),
    })
    .nullable(),
  published: z.boolean(),
  card: Scorecard,
});
export type ScorecardRecord = z.infer<typeof ScorecardRecord>;

export const RuleSetRecord = z.object({
  cycleId: z.string(),
  version: z.number().int(),
  rulesId: z.string(),
  questionnaireKey: z.string(),
  questionnaireVersion: z.number().int(),
  method: ScoringMethod,
  sample: z.boolean(),
  rules: z.unknown(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const Stats = z.object({
  n: z.number().int(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  q1: z.number().nullable(),
  q3: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type Stats = z.infer<typeof Stats>;

/** Statistics of one slice of the cohort (a group, a ministry, a province, or everyone). */
export const SliceStats = z.object({
  key: z.string(),
  name: Text.nullable(),
  overall: Stats,
  pillars: z.record(z.string(), Stats),
  /** Agencies per maturity level 1..5 (keys "1".."5"). */
  levels: z.record(z.string(), z.number().int()),
  /** Mean change of the overall score against the previous cycle, over agencies scored in both. */
  change: z.object({ n: z.number().int(), mean: z.number().nullable() }),
});
export type SliceStats = z.infer<typeof SliceStats>;

export const RankingRow = z.object({
  rank: z.number().int(),
  tied: z.boolean(),
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  group: AgencyGroup,
  ministryId: z.string().nullable(),
  provinceCode: z.string().nullable(),
  /** The ranked value: the overall score (raw) or the standardised index (0-1). */
  value: z.number(),
  overall: z.number(),
  pillars: z.record(z.string(), z.number()),
  level: z.number().int().nullable(),
  band: z.string().nullable(),
  verified: z.boolean(),
  previous: z.number().nullable(),
  change: z.number().nullable(),
});
export type RankingRow = z.infer<typeof RankingRow>;

export const ResultsQuery = Page.extend({
  cycleId: CycleId,
  group: AgencyGroup.optional(),
  ministryId: z.string().max(20).optional(),
  province: z.string().max(10).optional().describe('ISO 3166-2:TH code, e.g. TH-10'),
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('part of the agency code or name, any case (the public search box); empty means all'),
});

export const Results = z.object({
  cycleId: z.string(),
  status: z.enum(['provisional', 'published']),
  publishedAt: z.string().nullable(),
  rulesVersion: z.number().int().nullable(),
  method: ScoringMethod.nullable(),
  previousCycleId: z.string().nullable(),
  scored: z.number().int(),
  failed: z.number().int(),
  statistics: z.object({
    all: SliceStats,
    byGroup: z.array(SliceStats),
    byMinistry: z.array(SliceStats),
    byProvince: z.array(SliceStats),
  }),
  /** Within each agency group, best first; equal values share a rank (1, 2, 2, 4) and are marked tied. */
  rankings: z.object({
    items: z.array(RankingRow),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  }),
});
export type Results = z.infer<typeof Results>;

export const RescoreStatus = z.object({
  cycleId: z.string(),
  jobId: z.string(),
  rulesVersion: z.number().int(),
  state: z.enum(['queued', 'running', 'completed', 'failed']),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RescoreStatus = z.infer<typeof RescoreStatus>;

export const ScoringFailure = z.object({
  jobId: z.string(),
  cycleId: z.string(),
  responseId: Uuid,
  responseVersion: z.number().int(),
  agencyCode: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  attempts: z.number().int(),
  failedAt: z.string(),
});

export const PublishSummary = z.object({
  cycleId: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  rulesVersion: z.number().int(),
  scored: z.number().int(),
  byGroup: z.partialRecord(AgencyGroup, z.number().int()),
});
export type PublishSummary = z.infer<typeof PublishSummary>;

export const PreviousResultsImportReport = z.object({
  cycleId: z.string(),
  imported: z.number().int(),
  replaced: z.number().int(),
  dryRun: z.boolean(),
});
export const PreviousResultsImportRequest = z.object({
  cycleId: CycleId,
  file: StoredFile,
  dryRun: z.boolean().default(false),
});

/** A cycle whose results are published, for the public list of results (`GET /public/cycles`). */
export const PublishedCycle = z.object({
  id: z.string(),
  /** Buddhist Era year; null only if intake no longer knows the cycle. */
  yearBE: z.number().int().nullable(),
  title: Text.nullable(),
  publishedAt: z.string(),
});
export const PublishedCycles = z.object({ items: z.array(PublishedCycle) });
export type PublishedCycles = z.infer<typeof PublishedCycles>;

/** One agency's published scorecard, asked by its code (no login). */
export const PublicScorecardRequest = z.object({ cycleId: CycleId, agencyCode: AgencyCode });

const QuestionType = z.enum([
  'yes_no',
  'single_choice',
  'multiple_choice',
  'number',
  'percentage',
  'text',
  'url',
  'evidence',
  'repeating_group',
]);
const WeightSource = z.enum(['rules', 'questionnaire', 'default']);
const MethodologyCutoff = z.object({
  name: Text,
  min: z.number(),
  /** The next cut-off's min (exclusive); null for the top one. */
  below: z.number().nullable(),
});
const Outcome = z.object({ counted: z.boolean(), points: z.enum(['rubric', 'zero']) });

export const MethodologyQuestion = z.object({
  id: z.string(),
  type: QuestionType,
  text: Text,
  help: Text.nullable(),
  required: z.boolean(),
  visibleIf: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      'The questionnaire condition (question + equals / in / answered / gt..lte, or all / any / not)',
    ),
  options: z.array(z.object({ value: z.string(), label: Text, points: z.number().nullable() })).nullable(),
  unit: Text.nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  integer: z.boolean(),
  fields: z.array(z.object({ id: z.string(), type: QuestionType, text: Text })).nullable(),
  evidence: z.object({ accept: z.array(z.string()), maxFiles: z.number().int() }).nullable(),
  scored: z.boolean(),
  excluded: z.boolean(),
  rubric: z
    .looseObject({ kind: z.enum(['yes_no', 'choice', 'range', 'count', 'evidence']) })
    .nullable()
    .describe(
      'The rubric as authored: yes_no {yes, no}; choice {points, cap?}; range {bands}; count {perItem, cap}; evidence {points, requireAccepted?}',
    ),
  maxPoints: z.number().nullable(),
  weight: z.number(),
  weightFrom: WeightSource,
});

/**
 * How a cycle's answers become scores, generated from its questionnaire and scoring rules by
 * `describeScoring` in @dg/survey-model (data only; the portal writes the sentences).
 */
export const Methodology = z.object({
  cycleId: z.string(),
  engineVersion: z.string(),
  questionnaire: z.object({ id: z.string(), version: z.number().int(), title: Text, sample: z.boolean() }),
  rules: z.object({ id: z.string(), version: z.number().int(), title: Text, sample: z.boolean() }),
  method: ScoringMethod,
  scoreScale: z.object({ min: z.literal(0), max: z.literal(100) }),
  classifyScale: z.object({ min: z.literal(0), max: z.union([z.literal(100), z.literal(1)]) }),
  general: z.object({ title: Text, questions: z.number().int() }),
  pillars: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      title: Text,
      weight: z.number(),
      weightFrom: WeightSource,
      indicators: z.array(
        z.object({
          id: z.string(),
          title: Text,
          weight: z.number(),
          weightFrom: z.enum(['questionnaire', 'default']),
          scoredQuestions: z.number().int(),
          questions: z.array(MethodologyQuestion),
        }),
      ),
    }),
  ),
  totals: z.object({
    pillars: z.number().int(),
    indicators: z.number().int(),
    questions: z.number().int(),
    scoredQuestions: z.number().int(),
    excludedQuestions: z.number().int(),
  }),
  defaultWeights: z.object({ pillar: z.literal(1), indicator: z.literal(1), question: z.literal(1) }),
  hiddenQuestions: z.enum(['zero', 'exclude']),
  /** One entry per QuestionOutcome (listed, so the OpenAPI document names them). */
  outcomes: z.object(
    Object.fromEntries(QuestionOutcome.options.map((o) => [o, Outcome])) as Record<
      z.infer<typeof QuestionOutcome>,
      typeof Outcome
    >,
  ),
  answers: z.object({
    blankIsUnanswered: z.literal(true),
    duplicatesCountOnce: z.literal(true),
    malformedIsUnanswered: z.literal(true),
    lastVerdictCounts: z.literal(true),
  }),
  conditions: z.object({
    strictComparison: z.literal(true),
    multipleChoiceContains: z.literal(true),
    hiddenQuestionHidesDependents: z.literal(true),
    unansweredIsFalse: z.literal(true),
  }),
  aggregation: z.object({
    indicator: z.literal('weighted_mean_of_points_over_max'),
    pillar: z.literal('weighted_mean_of_indicators'),
    overall: z.literal('weighted_mean_of_pillars'),
    emptyIndicatorScoresZeroAndWeighs: z.literal(true),
    multipleChoice: z.literal('sum_capped'),
    range: z.literal('first_band_min_inclusive_max_exclusive'),
    count: z.literal('per_item_capped'),
  }),
  rounding: z.object({
    mode: z.literal('half_away_from_zero'),
    fromExactValues: z.literal(true),
    scores: z.number().int(),
    points: z.number().int(),
    statistics: z.object({ decimals: z.number().int(), from: z.literal('reported_scores') }),
    change: z.object({ decimals: z.number().int(), from: z.literal('reported_scores') }),
    standardised: z.number().int().nullable(),
  }),
  levels: z.array(MethodologyCutoff.extend({ level: z.number().int() })),
  bands: z.array(MethodologyCutoff.extend({ id: z.string() })),
  classifiedBy: z.enum(['reported_overall', 'standardised_index']),
  ranking: z.object({
    within: z.literal('group'),
    by: z.enum(['overall', 'standardised_index']),
    order: z.literal('descending'),
    ties: z.literal('shared_rank_skip_next'),
    tiesListedBy: z.literal('agency_code'),
  }),
  standardised: z
    .object({
      within: z.enum(['group', 'cycle']),
      z: z.literal('population_standard_deviation'),
      rescale: z.literal('min_max'),
      index: z.literal('weighted_mean_of_scaled_pillars'),
      sameScore: z.object({ z: z.literal(0), scaledAbove0: z.literal(1), scaledOtherwise: z.literal(0) }),
    })
    .nullable(),
});
export type Methodology = z.infer<typeof Methodology>;
