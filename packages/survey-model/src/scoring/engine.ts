import { isVisible } from '../answers';
import type { Answers, Indicator, Pillar, Question, Questionnaire, Rubric, Text } from '../format';
import { Rational } from './exact';
import { earn, maxPoints, outOf, POINTS_DECIMALS } from './rubrics';
import {
  classify,
  DEFAULT_DECIMALS,
  ENGINE_VERSION,
  ownValue,
  pillarWeight,
  type ScoringRules,
} from './rules';

export interface ScoreInput {
  questionnaire: Questionnaire;
  /** Already validated against this questionnaire (validateRules). */
  rules: ScoringRules;
  answers: Answers;
  /** The operator's verdicts; when a question has several, the last one counts. */
  verdicts?: { questionId: string; verdict: 'accepted' | 'rejected' }[];
}

export interface QuestionScore {
  questionId: string;
  /** The rubric kind. */
  kind: string;
  weight: number;
  /** Exact points earned (authored decimals, at most 6 places). */
  points: number;
  maxPoints: number;
  outcome:
    'earned' | 'unanswered' | 'hidden' | 'not_applicable' | 'excluded' | 'rejected' | 'awaiting_acceptance';
  /** A cap reduced the points. */
  capped: boolean;
  verdict: 'accepted' | 'rejected' | null;
  /** The value scored: `{ rows: n }` for a repeating group, `{ files: n }` for evidence; null when not scored from an answer. */
  answer: unknown;
  reason: { th: string; en: string };
}

export interface IndicatorScore {
  id: string;
  title: Text;
  weight: number;
  score: number;
  questions: QuestionScore[];
}

export interface PillarScore {
  id: string;
  number: number;
  title: Text;
  weight: number;
  score: number;
  indicators: IndicatorScore[];
}

export interface Scorecard {
  engineVersion: string;
  questionnaire: { id: string; version: number };
  rules: { id: string; version: number };
  method: 'raw' | 'standardised';
  decimals: number;
  /** Weighted 0..100, rounded to `decimals`. */
  overall: number;
  /** From the rules' cut-offs for method 'raw'; null for 'standardised', where the cohort decides. */
  level: { level: number; name: Text } | null;
  band: { id: string; name: Text } | null;
  pillars: PillarScore[];
  totals: { scoredQuestions: number; answered: number; earning: number; rejected: number };
}

const HUNDRED = Rational.of(100n);

/**
 * Whether a question with each outcome counts in its indicator's average: counted ones weigh in
 * with their points (0 for all but `earned`), the others are left out as if not asked. The engine
 * scores by this table and the methodology page (`describeScoring`) shows it.
 */
export const OUTCOME_COUNTED: Readonly<Record<QuestionScore['outcome'], boolean>> = {
  earned: true,
  unanswered: true,
  hidden: true,
  not_applicable: false,
  excluded: false,
  rejected: true,
  awaiting_acceptance: true,
};

/** A figure with its exact value kept beside it, so parents are computed from exact children. */
interface Exact<T> {
  out: T;
  value: Rational;
}

/** A question's contribution to its indicator: weight × points / max, when it counts. */
interface QuestionPart {
  out: QuestionScore;
  weight: Rational;
  points: Rational;
  max: Rational;
  counted: boolean;
}

/**
 * Scores one response. Pure and deterministic: exact rational arithmetic throughout, and every
 * reported figure is rounded once from its exact value (never from rounded children).
 */
export function scoreResponse(input: ScoreInput): Scorecard {
  const { questionnaire: q, rules, answers } = input;
  if (rules.questionnaireId !== q.id || rules.questionnaireVersion !== q.version) {
    throw new Error(
      `scoring rules ${rules.id} are for questionnaire ${rules.questionnaireId} v${rules.questionnaireVersion}, not ${q.id} v${q.version}`,
    );
  }
  const decimals = rules.decimals ?? DEFAULT_DECIMALS;
  const verdicts = new Map<string, 'accepted' | 'rejected'>();
  for (const v of input.verdicts ?? []) verdicts.set(v.questionId, v.verdict);
  const ctx: Context = {
    rules,
    excluded: new Set(rules.excludeQuestions ?? []),
    verdicts,
    answerOf: (id) => (Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] : undefined),
    visible: (id) => isVisible(q, id, answers),
    decimals,
  };

  const pillars = q.pillars.map((p) => scorePillar(p, ctx));
  const overall = weightedMean(pillars.map((p) => [Rational.from(p.out.weight), p.value]));
  const reported = overall.round(decimals);
  const { level, band } = rules.method === 'raw' ? classify(reported, rules) : { level: null, band: null };

  const questions = pillars.flatMap((p) => p.out.indicators.flatMap((i) => i.questions));
  const scored = questions.filter((x) => x.outcome !== 'excluded');
  return {
    engineVersion: ENGINE_VERSION,
    questionnaire: { id: q.id, version: q.version },
    rules: { id: rules.id, version: rules.version },
    method: rules.method,
    decimals,
    overall: reported,
    level,
    band,
    pillars: pillars.map((p) => p.out),
    totals: {
      scoredQuestions: scored.length,
      answered: scored.filter((x) => ANSWERED.has(x.outcome)).length,
      earning: scored.filter((x) => x.points > 0).length,
      rejected: scored.filter((x) => x.outcome === 'rejected').length,
    },
  };
}

const ANSWERED: ReadonlySet<QuestionScore['outcome']> = new Set([
  'earned',
  'rejected',
  'awaiting_acceptance',
]);

interface Context {
  rules: ScoringRules;
  excluded: ReadonlySet<string>;
  verdicts: ReadonlyMap<string, 'accepted' | 'rejected'>;
  answerOf: (id: string) => unknown;
  visible: (id: string) => boolean;
  decimals: number;
}

/** Σ(w × x) / Σw; 0 when nothing carries weight (so an empty part scores 0 instead of dividing by 0). */
function weightedMean(parts: [weight: Rational, value: Rational][]): Rational {
  const total = Rational.sum(parts.map(([w]) => w));
  if (total.isZero()) return Rational.ZERO;
  return Rational.sum(parts.map(([w, x]) => w.mul(x))).div(total);
}

function scorePillar(p: Pillar, ctx: Context): Exact<PillarScore> {
  const indicators = p.indicators.map((i) => scoreIndicator(i, ctx));
  const value = weightedMean(indicators.map((i) => [Rational.from(i.out.weight), i.value]));
  return {
    value,
    out: {
      id: p.id,
      number: p.number,
      title: p.title,
      weight: pillarWeight(ctx.rules, p),
      score: value.round(ctx.decimals),
      indicators: indicators.map((i) => i.out),
    },
  };
}

function scoreIndicator(ind: Indicator, ctx: Context): Exact<IndicatorScore> {
  const parts = ind.questions.flatMap((x) => (x.rubric ? [scoreQuestion(x, x.rubric, ctx)] : []));
  // 100 × Σ(w × points / max) / Σw over the questions that count (a question worth 0 cannot be normalised).
  const counted = parts.filter((x) => x.counted);
  const value = weightedMean(counted.map((x) => [x.weight, HUNDRED.mul(x.points).div(x.max)]));
  return {
    value,
    out: {
      id: ind.id,
      title: ind.title,
      weight: ind.weight ?? 1,
      score: value.round(ctx.decimals),
      questions: parts.map((x) => x.out),
    },
  };
}

function scoreQuestion(x: Question, rubric: Rubric, ctx: Context): QuestionPart {
  const max = maxPoints(x, rubric);
  const weight = ownValue(ctx.rules.questionWeights, x.id) ?? x.weight ?? 1;
  const verdict = ctx.verdicts.get(x.id) ?? null;
  const earned = earn(x, rubric, ctx.answerOf(x.id), max, verdict === 'accepted');
  const { en: of, th: ofTh } = outOf(Rational.ZERO, max);
  const zero = (
    outcome: QuestionScore['outcome'],
    answer: unknown,
    en: string,
    th: string,
  ): QuestionPart => ({
    out: {
      questionId: x.id,
      kind: rubric.kind,
      weight,
      points: 0,
      maxPoints: max.round(POINTS_DECIMALS),
      outcome,
      capped: false,
      verdict,
      answer,
      reason: { th, en },
    },
    weight: Rational.from(weight),
    points: Rational.ZERO,
    max,
    counted: OUTCOME_COUNTED[outcome] && max.sign() > 0,
  });

  // Order matters: the rules' exclusions first, then visibility, then the answer and its verdict.
  if (ctx.excluded.has(x.id)) {
    return zero(
      'excluded',
      earned?.answer ?? null,
      'left out by the scoring rules',
      'เกณฑ์การให้คะแนนไม่นำข้อนี้มาคิด',
    );
  }
  if (!ctx.visible(x.id)) {
    return ctx.rules.hiddenQuestions === 'exclude'
      ? zero(
          'not_applicable',
          null,
          'not shown for the other answers: left out',
          'ไม่แสดงตามคำตอบข้ออื่น จึงไม่นำมาคิดคะแนน',
        )
      : zero('hidden', null, `not shown for the other answers: ${of}`, `ไม่แสดงตามคำตอบข้ออื่น ${ofTh}`);
  }
  if (!earned) return zero('unanswered', null, `not answered: ${of}`, `ไม่ได้ตอบ ${ofTh}`);
  if (verdict === 'rejected') {
    return rubric.kind === 'evidence'
      ? zero('rejected', earned.answer, `evidence rejected by the operator: ${of}`, `ผู้ตรวจไม่รับหลักฐาน ${ofTh}`)
      : zero('rejected', earned.answer, `answer rejected by the operator: ${of}`, `ผู้ตรวจไม่รับคำตอบ ${ofTh}`);
  }
  if (earned.needsAcceptance && verdict !== 'accepted') {
    const { en, th } = earned.what;
    return zero(
      'awaiting_acceptance',
      earned.answer,
      `${en}, awaiting the operator's acceptance: ${of}`,
      `${th} รอผู้ตรวจรับหลักฐาน ${ofTh}`,
    );
  }
  return {
    out: {
      questionId: x.id,
      kind: rubric.kind,
      weight,
      points: earned.points.round(POINTS_DECIMALS),
      maxPoints: max.round(POINTS_DECIMALS),
      outcome: 'earned',
      capped: earned.capped,
      verdict,
      answer: earned.answer,
      reason: earned.reason,
    },
    weight: Rational.from(weight),
    points: earned.points,
    max,
    counted: OUTCOME_COUNTED.earned && max.sign() > 0,
  };
}
