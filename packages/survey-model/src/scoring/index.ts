export { ENGINE_VERSION, ScoringRules, validateRules, classify } from './rules';
export type { RulesResult, Classification } from './rules';
export { scoreResponse } from './engine';
export type { ScoreInput, Scorecard, PillarScore, IndicatorScore, QuestionScore } from './engine';
export { standardiseCohort } from './cohort';
export type { CohortEntry, StandardisedScore } from './cohort';
export { summarise, rankWithTies } from './stats';
export type { Stats } from './stats';
