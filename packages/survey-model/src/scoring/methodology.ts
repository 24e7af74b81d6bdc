import type {
  Condition,
  EvidenceSpec,
  Pillar,
  Question,
  QuestionType,
  Questionnaire,
  Rubric,
  Text,
} from '../format';
import { STANDARDISED_DECIMALS } from './cohort';
import { OUTCOME_COUNTED, type QuestionScore } from './engine';
import { ROUNDING } from './exact';
import { maxPoints, POINTS_DECIMALS } from './rubrics';
import { DEFAULT_DECIMALS, ENGINE_VERSION, ownValue, pillarWeight, type ScoringRules } from './rules';
import { CHANGE_DECIMALS, STATISTICS_DECIMALS } from './stats';

/** Where a weight comes from: the cycle's scoring rules, the questionnaire, or the default of 1. */
export type WeightSource = 'rules' | 'questionnaire' | 'default';

export interface MethodologyOption {
  value: string;
  label: Text;
  /** What choosing it earns under a `choice` rubric (options the rubric does not name earn 0); null when not scored by choice. */
  points: number | null;
}

export interface MethodologyQuestion {
  id: string;
  type: QuestionType;
  text: Text;
  help: Text | null;
  required: boolean;
  /** Shown only when this holds (and the questions it names are shown); null: always shown. */
  visibleIf: Condition | null;
  options: MethodologyOption[] | null;
  unit: Text | null;
  min: number | null;
  max: number | null;
  integer: boolean;
  /** repeating_group: its columns. */
  fields: { id: string; type: QuestionType; text: Text }[] | null;
  evidence: EvidenceSpec | null;
  /** Scored: it has a rubric and the rules do not leave it out. */
  scored: boolean;
  /** Left out by the rules (`excludeQuestions`): its rubric is shown but earns nothing. */
  excluded: boolean;
  rubric: Rubric | null;
  /** The most it can earn (null without a rubric); a question whose most is 0 does not count. */
  maxPoints: number | null;
  /** Its weight within its indicator. */
  weight: number;
  weightFrom: WeightSource;
}

export interface MethodologyIndicator {
  id: string;
  title: Text;
  weight: number;
  weightFrom: Exclude<WeightSource, 'rules'>;
  /** How many of its questions are scored. */
  scoredQuestions: number;
  questions: MethodologyQuestion[];
}

export interface MethodologyPillar {
  id: string;
  number: number;
  title: Text;
  weight: number;
  weightFrom: WeightSource;
  indicators: MethodologyIndicator[];
}

/** A level or band: from `min` (inclusive) up to the next one's `min` (`below`, exclusive; null for the top one). */
export interface Cutoff {
  name: Text;
  min: number;
  below: number | null;
}

type Outcome = QuestionScore['outcome'];

/**
 * How one cycle's answers become scores, as data for a methodology page: the questionnaire with
 * every question's rubric, points, weight and condition, and the parameters and fixed rules of the
 * engine, each read from the constant the engine itself scores with (never prose, so it cannot
 * drift; the portal writes the sentences). `methodology.test.ts` proves every fixed rule on the
 * engine.
 */
export interface Methodology {
  engineVersion: string;
  questionnaire: { id: string; version: number; title: Text; sample: boolean };
  rules: { id: string; version: number; title: Text; sample: boolean };
  method: 'raw' | 'standardised';
  /** The scale of scores: 0..100; levels and bands are on `classifyScale` (0..100 raw, 0..1 standardised). */
  scoreScale: { min: 0; max: 100 };
  classifyScale: { min: 0; max: 100 | 1 };
  /** The general block (about the agency and its coordinator) is never scored. */
  general: { title: Text; questions: number };
  pillars: MethodologyPillar[];
  totals: {
    pillars: number;
    indicators: number;
    questions: number;
    scoredQuestions: number;
    excludedQuestions: number;
  };
  /** Default weights where neither the rules nor the questionnaire give one. */
  defaultWeights: { pillar: 1; indicator: 1; question: 1 };
  /** A question hidden by a condition: counts 0 of its points (`zero`) or is left out (`exclude`). */
  hiddenQuestions: 'zero' | 'exclude';
  /**
   * How each outcome of a question counts in its indicator: `counted` ones weigh in (with 0 points
   * for all but `earned`), the others are left out as if not asked.
   */
  outcomes: Record<Outcome, { counted: boolean; points: 'rubric' | 'zero' }>;
  /** What is an answer, and how lists and verdicts are read. */
  answers: {
    /** Text of spaces only, and an empty list, are no answer (`unanswered`). */
    blankIsUnanswered: true;
    /** A file or option listed twice counts once. */
    duplicatesCountOnce: true;
    /** An answer of the wrong shape earns nothing (as unanswered), never an error. */
    malformedIsUnanswered: true;
    /** When the operator gave several verdicts on a question, the last one counts. */
    lastVerdictCounts: true;
  };
  conditions: {
    /** Values are compared as they are: "5" is not 5, "yes" is not true. */
    strictComparison: true;
    /** On a multiple-choice question, `equals` means "is among the chosen", `in` "any of these is among the chosen". */
    multipleChoiceContains: true;
    /** A question whose condition names a hidden question is hidden too, whatever that question's stored answer. */
    hiddenQuestionHidesDependents: true;
    /** A condition on an unanswered question is false (except `answered: false`). */
    unansweredIsFalse: true;
  };
  aggregation: {
    /** An indicator is 100 × Σ(weight × points / max) / Σ weight over its counted questions. */
    indicator: 'weighted_mean_of_points_over_max';
    pillar: 'weighted_mean_of_indicators';
    overall: 'weighted_mean_of_pillars';
    /** An indicator with no counted question scores 0 and still weighs in its pillar. */
    emptyIndicatorScoresZeroAndWeighs: true;
    /** A multiple-choice answer earns the sum of its options' points, at most the rubric's cap; its most is the sum of the positive points, capped. */
    multipleChoice: 'sum_capped';
    /** range: the first band with min <= value < max wins (min inclusive, max exclusive); a value in no band earns 0. */
    range: 'first_band_min_inclusive_max_exclusive';
    /** count: points per row (repeating group) or per chosen option, at most the cap. */
    count: 'per_item_capped';
  };
  rounding: {
    mode: typeof ROUNDING;
    /** Every reported score (question to overall) is rounded once from its exact value, never from rounded parts. */
    fromExactValues: true;
    scores: number;
    points: number;
    /** Statistics of a cohort (mean, quartiles, min, max) from the agencies' reported scores. */
    statistics: { decimals: number; from: 'reported_scores' };
    /** Year-on-year change: this cycle's reported overall minus the previous cycle's published one. */
    change: { decimals: number; from: 'reported_scores' };
    standardised: number | null;
  };
  levels: (Cutoff & { level: number })[];
  bands: (Cutoff & { id: string })[];
  /** Levels and bands come from the reported (rounded) overall score, or the standardised index. */
  classifiedBy: 'reported_overall' | 'standardised_index';
  ranking: {
    within: 'group';
    by: 'overall' | 'standardised_index';
    order: 'descending';
    /** Competition ranking: equal values share a rank and the next rank skips (1, 2, 2, 4). */
    ties: 'shared_rank_skip_next';
    /** Tied agencies are listed by agency code. */
    tiesListedBy: 'agency_code';
  };
  standardised: {
    within: 'group' | 'cycle';
    /** Each pillar score becomes a z-score with the population standard deviation of the slice. */
    z: 'population_standard_deviation';
    /** z-scores are rescaled to 0..1 by the slice's lowest and highest. */
    rescale: 'min_max';
    /** The index is the weighted mean of the rescaled pillars with the pillar weights. */
    index: 'weighted_mean_of_scaled_pillars';
    /** Everyone in the slice has the same score on a pillar: z = 0, scaled 1 if that score is above 0, else 0. */
    sameScore: { z: 0; scaledAbove0: 1; scaledOtherwise: 0 };
  } | null;
}

/** The scoring of one questionnaire by one set of rules (already checked with validateRules), as data. */
export function describeScoring(q: Questionnaire, rules: ScoringRules): Methodology {
  const excluded = new Set(rules.excludeQuestions ?? []);
  const pillarFrom = (p: Pillar): WeightSource =>
    ownValue(rules.pillarWeights, p.id) !== undefined
      ? 'rules'
      : p.weight !== undefined
        ? 'questionnaire'
        : 'default';
  const question = (x: Question): MethodologyQuestion => {
    const ruleWeight = ownValue(rules.questionWeights, x.id);
    const rubric = x.rubric ?? null;
    const choice = rubric?.kind === 'choice' ? rubric : null;
    return {
      id: x.id,
      type: x.type,
      text: x.text,
      help: x.help ?? null,
      required: x.required ?? false,
      visibleIf: x.visibleIf ?? null,
      options: x.options
        ? x.options.map((o) => ({
            value: o.value,
            label: o.label,
            points: choice ? (ownValue(choice.points, o.value) ?? 0) : null,
          }))
        : null,
      unit: x.unit ?? null,
      min: x.min ?? null,
      max: x.max ?? null,
      integer: x.integer ?? false,
      fields: x.fields ? x.fields.map((f) => ({ id: f.id, type: f.type, text: f.text })) : null,
      evidence: x.evidence ?? null,
      scored: !!rubric && !excluded.has(x.id),
      excluded: !!rubric && excluded.has(x.id),
      rubric,
      maxPoints: rubric ? maxPoints(x, rubric).round(POINTS_DECIMALS) : null,
      weight: ruleWeight ?? x.weight ?? 1,
      weightFrom: ruleWeight !== undefined ? 'rules' : x.weight !== undefined ? 'questionnaire' : 'default',
    };
  };
  const pillars = q.pillars.map((p): MethodologyPillar => ({
    id: p.id,
    number: p.number,
    title: p.title,
    weight: pillarWeight(rules, p),
    weightFrom: pillarFrom(p),
    indicators: p.indicators.map((ind) => {
      const questions = ind.questions.map(question);
      return {
        id: ind.id,
        title: ind.title,
        weight: ind.weight ?? 1,
        weightFrom: ind.weight !== undefined ? 'questionnaire' : 'default',
        scoredQuestions: questions.filter((x) => x.scored).length,
        questions,
      };
    }),
  }));
  const all = pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions));
  const standardised = rules.method === 'standardised';
  const cutoffs = <T extends { min: number }>(list: T[]) =>
    list.map((c, i) => ({ ...c, below: list[i + 1]?.min ?? null }));
  const outcomes = Object.fromEntries(
    (Object.keys(OUTCOME_COUNTED) as Outcome[]).map((o) => [
      o,
      { counted: OUTCOME_COUNTED[o], points: o === 'earned' ? 'rubric' : 'zero' },
    ]),
  ) as Methodology['outcomes'];
  return {
    engineVersion: ENGINE_VERSION,
    questionnaire: { id: q.id, version: q.version, title: q.title, sample: q.sample ?? false },
    rules: { id: rules.id, version: rules.version, title: rules.title, sample: rules.sample ?? false },
    method: rules.method,
    scoreScale: { min: 0, max: 100 },
    classifyScale: { min: 0, max: standardised ? 1 : 100 },
    general: { title: q.general.title, questions: q.general.questions.length },
    pillars,
    totals: {
      pillars: pillars.length,
      indicators: pillars.reduce((n, p) => n + p.indicators.length, 0),
      questions: all.length,
      scoredQuestions: all.filter((x) => x.scored).length,
      excludedQuestions: all.filter((x) => x.excluded).length,
    },
    defaultWeights: { pillar: 1, indicator: 1, question: 1 },
    hiddenQuestions: rules.hiddenQuestions ?? 'zero',
    outcomes,
    answers: {
      blankIsUnanswered: true,
      duplicatesCountOnce: true,
      malformedIsUnanswered: true,
      lastVerdictCounts: true,
    },
    conditions: {
      strictComparison: true,
      multipleChoiceContains: true,
      hiddenQuestionHidesDependents: true,
      unansweredIsFalse: true,
    },
    aggregation: {
      indicator: 'weighted_mean_of_points_over_max',
      pillar: 'weighted_mean_of_indicators',
      overall: 'weighted_mean_of_pillars',
      emptyIndicatorScoresZeroAndWeighs: true,
      multipleChoice: 'sum_capped',
      range: 'first_band_min_inclusive_max_exclusive',
      count: 'per_item_capped',
    },
    rounding: {
      mode: ROUNDING,
      fromExactValues: true,
      scores: rules.decimals ?? DEFAULT_DECIMALS,
      points: POINTS_DECIMALS,
      statistics: { decimals: STATISTICS_DECIMALS, from: 'reported_scores' },
      change: { decimals: CHANGE_DECIMALS, from: 'reported_scores' },
      standardised: standardised ? STANDARDISED_DECIMALS : null,
    },
    levels: cutoffs(rules.levels).map((l) => ({ level: l.level, name: l.name, min: l.min, below: l.below })),
    bands: cutoffs(rules.bands).map((b) => ({ id: b.id, name: b.name, min: b.min, below: b.below })),
    classifiedBy: standardised ? 'standardised_index' : 'reported_overall',
    ranking: {
      within: 'group',
      by: standardised ? 'standardised_index' : 'overall',
      order: 'descending',
      ties: 'shared_rank_skip_next',
      tiesListedBy: 'agency_code',
    },
    standardised: standardised
      ? {
          within: rules.standardiseWithin ?? 'group',
          z: 'population_standard_deviation',
          rescale: 'min_max',
          index: 'weighted_mean_of_scaled_pillars',
          sameScore: { z: 0, scaledAbove0: 1, scaledOtherwise: 0 },
        }
      : null,
  };
}
