export { ENGINE_VERSION, ScoringRules, validateRules, classify, DEFAULT_DECIMALS } from './rules';
export { ROUNDING } from './exact';
export { POINTS_DECIMALS } from './rubrics';
export type { RulesResult, Classification } from './rules';
export { scoreResponse, OUTCOME_COUNTED } from './engine';
export type { ScoreInput, Scorecard, PillarScore, IndicatorScore, QuestionScore } from './engine';
export { standardiseCohort, STANDARDISED_DECIMALS } from './cohort';
export type { CohortEntry, StandardisedScore } from './cohort';
export { summarise, rankWithTies, scoreChange, STATISTICS_DECIMALS, CHANGE_DECIMALS } from './stats';
export type { Stats } from './stats';
export { describeScoring } from './methodology';
export type {
  Methodology,
  MethodologyPillar,
  MethodologyIndicator,
  MethodologyQuestion,
  MethodologyOption,
  Cutoff,
  WeightSource,
} from './methodology';
