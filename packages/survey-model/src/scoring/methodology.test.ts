import { holds } from '../conditions';
import { isVisible } from '../answers';
import { validateDefinition } from '../definition';
import type { Answers, Questionnaire } from '../format';
import { sample2565, sampleRules2565 } from '../samples';
import { standardiseCohort } from './cohort';
import { scoreResponse, type Scorecard } from './engine';
import { Rational } from './exact';
import { describeScoring } from './methodology';
import { validateRules, type ScoringRules } from './rules';
import { rankWithTies, scoreChange, summarise } from './stats';

const t = (en: string, th = en) => ({ th, en });

function valid(json: unknown): Questionnaire {
  const r = validateDefinition(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.questionnaire;
}

/** One pillar of three indicators: every kind of answer the methodology describes. */
const q = valid({
  formatVersion: 1,
  id: 'm-q',
  version: 1,
  cycleYear: 2566,
  title: t('Methodology test', 'ทดสอบวิธีคิดคะแนน'),
  general: {
    title: t('General'),
    questions: [
      { id: 'g_name', type: 'text', text: t('Name') },
      { id: 'g_mail', type: 'text', text: t('E-mail') },
    ],
  },
  pillars: [
    {
      id: 'p1',
      number: 1,
      title: t('Pillar'),
      indicators: [
        {
          id: 'i1',
          title: t('One'),
          weight: 2,
          questions: [
            {
              id: 'yes',
              type: 'yes_no',
              text: t('Yes?'),
              required: true,
              rubric: { kind: 'yes_no', yes: 2, no: 0 },
            },
            {
              id: 'pick',
              type: 'single_choice',
              text: t('Pick'),
              visibleIf: { question: 'yes', equals: true },
              options: [
                { value: 'a', label: t('A') },
                { value: 'b', label: t('B') },
                { value: 'c', label: t('C') },
              ],
              rubric: { kind: 'choice', points: { a: 2, b: 1 } },
            },
            {
              id: 'many',
              type: 'multiple_choice',
              text: t('Many'),
              weight: 2,
              options: [
                { value: 'x', label: t('X') },
                { value: 'y', label: t('Y') },
                { value: 'z', label: t('Z') },
              ],
              rubric: { kind: 'choice', points: { x: 2, y: 2, z: -1 }, cap: 3 },
            },
            { id: 'note', type: 'text', text: t('Note') },
          ],
        },
        {
          id: 'i2',
          title: t('Two'),
          questions: [
            {
              id: 'files',
              type: 'evidence',
              text: t('Files'),
              evidence: { accept: ['application/pdf'], maxFiles: 3 },
              rubric: { kind: 'evidence', points: 1, requireAccepted: true },
            },
            { id: 'left', type: 'yes_no', text: t('Left out'), rubric: { kind: 'yes_no', yes: 1, no: 0 } },
            { id: 'dropped', type: 'yes_no', text: t('Dropped'), rubric: { kind: 'yes_no', yes: 1, no: 0 } },
          ],
        },
        {
          // Nothing scored here: it still weighs in its pillar, with 0.
          id: 'i3',
          title: t('Three'),
          questions: [{ id: 'remark', type: 'text', text: t('Remark') }],
        },
      ],
    },
  ],
});

const LEVELS = [1, 2, 3, 4, 5].map((level, i) => ({ level, name: t(`L${level}`), min: i * 20 }));
const BANDS = [
  { id: 'low', name: t('Low'), min: 0 },
  { id: 'high', name: t('High'), min: 50 },
];

function rules(over: Record<string, unknown> = {}): ScoringRules {
  const r = validateRules(
    {
      formatVersion: 1,
      id: 'm-rules',
      version: 3,
      questionnaireId: 'm-q',
      questionnaireVersion: 1,
      title: t('Rules'),
      method: 'raw',
      questionWeights: { yes: 3 },
      excludeQuestions: ['dropped'],
      levels: LEVELS,
      bands: BANDS,
      ...over,
    },
    q,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.rules;
}

const score = (answers: Answers, over: Partial<Parameters<typeof scoreResponse>[0]> = {}): Scorecard =>
  scoreResponse({ questionnaire: q, rules: rules(), answers, ...over });
const outcome = (card: Scorecard, id: string) =>
  card.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions)).find((x) => x.questionId === id)!;
const indicator = (card: Scorecard, id: string) =>
  card.pillars.flatMap((p) => p.indicators).find((i) => i.id === id)!;

describe('describeScoring: the questionnaire as the methodology page shows it', () => {
  const m = describeScoring(q, rules());

  it('names the questionnaire, the rules and the engine', () => {
    expect(m).toMatchObject({
      questionnaire: { id: 'm-q', version: 1, sample: false },
      rules: { id: 'm-rules', version: 3, sample: false },
      method: 'raw',
      general: { questions: 2 },
      totals: { pillars: 1, indicators: 3, questions: 8, scoredQuestions: 5, excludedQuestions: 1 },
    });
    expect(m.engineVersion).toBe(score({}).engineVersion);
  });

  it('gives every question its text, type, condition, options with points, rubric, most points and weight with its source', () => {
    const [i1, i2, i3] = m.pillars[0].indicators;
    expect(i1).toMatchObject({ id: 'i1', weight: 2, weightFrom: 'questionnaire', scoredQuestions: 3 });
    expect(i2).toMatchObject({ weight: 1, weightFrom: 'default', scoredQuestions: 2 });
    const [yes, pick, many, note] = i1.questions;
    expect(yes).toMatchObject({
      type: 'yes_no',
      required: true,
      weight: 3,
      weightFrom: 'rules',
      maxPoints: 2,
      scored: true,
    });
    expect(pick).toMatchObject({
      visibleIf: { question: 'yes', equals: true },
      options: [
        { value: 'a', points: 2 },
        { value: 'b', points: 1 },
        { value: 'c', points: 0 }, // not named by the rubric: 0
      ],
      maxPoints: 2,
      weightFrom: 'default',
    });
    expect(many).toMatchObject({ weight: 2, weightFrom: 'questionnaire', maxPoints: 3, rubric: { cap: 3 } });
    expect(note).toMatchObject({
      scored: false,
      excluded: false,
      rubric: null,
      maxPoints: null,
      options: null,
    });
    expect(i2.questions[0]).toMatchObject({ evidence: { maxFiles: 3 }, rubric: { requireAccepted: true } });
    expect(i2.questions[2]).toMatchObject({ id: 'dropped', scored: false, excluded: true, maxPoints: 1 });
    expect(i3).toMatchObject({ scoredQuestions: 0, questions: [{ id: 'remark', scored: false }] });
    // The most points shown are the engine's.
    expect(outcome(score({}), 'many').maxPoints).toBe(many.maxPoints);
    expect(outcome(score({}), 'yes').weight).toBe(yes.weight);
  });

  it('gives levels and bands with their ranges, on the scale of the method', () => {
    expect(m.levels.map((l) => [l.level, l.min, l.below])).toEqual([
      [1, 0, 20],
      [2, 20, 40],
      [3, 40, 60],
      [4, 60, 80],
      [5, 80, null],
    ]);
    expect(m.bands).toEqual([
      { id: 'low', name: t('Low'), min: 0, below: 50 },
      { id: 'high', name: t('High'), min: 50, below: null },
    ]);
    expect(m).toMatchObject({
      classifyScale: { max: 100 },
      classifiedBy: 'reported_overall',
      standardised: null,
    });
    const std = describeScoring(
      q,
      rules({
        method: 'standardised',
        standardiseWithin: 'cycle',
        levels: LEVELS.map((l) => ({ ...l, min: l.min / 100 })),
        bands: BANDS.map((b) => ({ ...b, min: b.min / 100 })),
      }),
    );
    expect(std).toMatchObject({
      classifyScale: { max: 1 },
      classifiedBy: 'standardised_index',
      ranking: { by: 'standardised_index' },
      rounding: { standardised: 4 },
      standardised: { within: 'cycle' },
    });
  });

  it('works on the sample 2565 questionnaire and rules', () => {
    const sample = describeScoring(sample2565, sampleRules2565);
    expect(sample.totals.questions).toBe(
      sample2565.pillars.reduce((n, p) => n + p.indicators.reduce((k, i) => k + i.questions.length, 0), 0),
    );
    expect(sample.questionnaire.sample).toBe(true);
    expect(sample.pillars.map((p) => p.weight).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

/** Each fixed rule the methodology states, checked on the engine itself: if one changes, this fails. */
describe('describeScoring: every rule it states is what the engine does', () => {
  const m = describeScoring(q, rules());

  it('outcomes: unanswered, hidden, rejected and awaiting acceptance count 0 of their points; excluded and not applicable are left out', () => {
    expect(m.hiddenQuestions).toBe('zero');
    // i1 with yes = false: pick hidden, many unanswered; yes 0 of 2 counts.
    const card = score({ yes: false });
    expect(outcome(card, 'pick').outcome).toBe('hidden');
    expect(outcome(card, 'many').outcome).toBe('unanswered');
    // Counted: every question weighs in with 0 points, so the indicator is 0.
    expect(indicator(card, 'i1').score).toBe(0);
    expect(m.outcomes.hidden).toEqual({ counted: true, points: 'zero' });
    expect(m.outcomes.unanswered).toEqual({ counted: true, points: 'zero' });
    // Left out: with hidden questions excluded, only yes and many count.
    const excl = score({ yes: true, many: ['x'] }, { rules: rules({ hiddenQuestions: 'exclude' }) });
    expect(outcome(excl, 'pick').outcome).toBe('unanswered'); // shown (yes = true), not answered
    const na = score({ yes: false, many: ['x', 'y'] }, { rules: rules({ hiddenQuestions: 'exclude' }) });
    expect(outcome(na, 'pick').outcome).toBe('not_applicable');
    expect(m.outcomes.not_applicable.counted).toBe(false);
    // (3×0/2 + 2×3/3) / (3 + 2) × 100 = 40: pick is not in the denominator.
    expect(indicator(na, 'i1').score).toBe(40);
    // Rejected and awaiting acceptance count 0.
    const files = score({ files: ['f1'], left: true });
    expect(outcome(files, 'files').outcome).toBe('awaiting_acceptance');
    expect(indicator(files, 'i2').score).toBe(50);
    expect(m.outcomes.awaiting_acceptance).toEqual({ counted: true, points: 'zero' });
    const rejected = score(
      { files: ['f1'], left: true },
      { verdicts: [{ questionId: 'left', verdict: 'rejected' }] },
    );
    expect(outcome(rejected, 'left').outcome).toBe('rejected');
    expect(indicator(rejected, 'i2').score).toBe(0);
    expect(m.outcomes.rejected).toEqual({ counted: true, points: 'zero' });
    expect(m.outcomes.excluded.counted).toBe(false);
    expect(m.outcomes.earned).toEqual({ counted: true, points: 'rubric' });
  });

  it('an indicator with nothing counted scores 0 and still weighs in its pillar', () => {
    expect(m.aggregation.emptyIndicatorScoresZeroAndWeighs).toBe(true);
    // i3 has no scored question: it scores 0 and weighs 1 of (2 + 1 + 1).
    const card = score({ yes: true, pick: 'a', many: ['x', 'y'], files: ['f1'], left: true });
    expect(indicator(card, 'i3').score).toBe(0);
    expect(indicator(card, 'i1').score).toBe(100);
    expect(indicator(card, 'i2').score).toBe(50);
    expect(card.overall).toBe(62.5); // (2×100 + 1×50 + 1×0) / 4
  });

  it('answers: blank text and empty lists are unanswered, duplicates count once, wrong shapes earn nothing, the last verdict counts', () => {
    expect(outcome(score({ many: [] }), 'many').outcome).toBe('unanswered');
    expect(outcome(score({ pick: '   ' } as Answers), 'pick').outcome).not.toBe('earned');
    expect(outcome(score({ yes: true, pick: '   ' }), 'pick').outcome).toBe('unanswered');
    expect(outcome(score({ many: ['x', 'x'] }), 'many').points).toBe(2);
    expect(outcome(score({ yes: 'true' } as unknown as Answers), 'yes').outcome).toBe('unanswered');
    const twice = score(
      { left: true },
      {
        verdicts: [
          { questionId: 'left', verdict: 'rejected' },
          { questionId: 'left', verdict: 'accepted' },
        ],
      },
    );
    expect(outcome(twice, 'left').outcome).toBe('earned');
    expect(m.answers).toEqual({
      blankIsUnanswered: true,
      duplicatesCountOnce: true,
      malformedIsUnanswered: true,
      lastVerdictCounts: true,
    });
  });

  it('conditions compare strictly, read multiple choices as "among the chosen", and hide what depends on a hidden question', () => {
    const answerOf = (a: Answers) => (id: string) => a[id];
    expect(holds({ question: 'n', equals: 5 }, answerOf({ n: '5' }))).toBe(false);
    expect(holds({ question: 'n', equals: true }, answerOf({ n: 'true' }))).toBe(false);
    expect(holds({ question: 'many', equals: 'y' }, answerOf({ many: ['x', 'y'] }))).toBe(true);
    expect(holds({ question: 'n', gt: 1 }, answerOf({}))).toBe(false);
    expect(holds({ question: 'n', answered: false }, answerOf({}))).toBe(true);
    const chain = valid({
      ...JSON.parse(JSON.stringify(q)),
      pillars: [
        {
          ...q.pillars[0],
          indicators: [
            {
              ...q.pillars[0].indicators[0],
              questions: [
                ...q.pillars[0].indicators[0].questions,
                {
                  id: 'after',
                  type: 'text',
                  text: t('After'),
                  visibleIf: { question: 'pick', answered: true },
                },
              ],
            },
            ...q.pillars[0].indicators.slice(1),
          ],
        },
      ],
    });
    // pick keeps a stale answer while hidden: what depends on it is hidden all the same.
    expect(isVisible(chain, 'after', { yes: false, pick: 'a' })).toBe(false);
    expect(isVisible(chain, 'after', { yes: true, pick: 'a' })).toBe(true);
    expect(m.conditions).toEqual({
      strictComparison: true,
      multipleChoiceContains: true,
      hiddenQuestionHidesDependents: true,
      unansweredIsFalse: true,
    });
  });

  it('rubrics: multiple choice sums and caps, range bands are min-inclusive max-exclusive', () => {
    expect(outcome(score({ many: ['x', 'y'] }), 'many')).toMatchObject({ points: 3, capped: true });
    expect(outcome(score({ many: ['x', 'z'] }), 'many').points).toBe(1);
    expect(m.aggregation).toMatchObject({
      multipleChoice: 'sum_capped',
      range: 'first_band_min_inclusive_max_exclusive',
    });
  });

  it('rounding: half away from zero, once from exact values, to the places it names', () => {
    expect(m.rounding).toEqual({
      mode: 'half_away_from_zero',
      fromExactValues: true,
      scores: 2,
      points: 6,
      statistics: { decimals: 2, from: 'reported_scores' },
      change: { decimals: 4, from: 'reported_scores' },
      standardised: null,
    });
    expect(Rational.of(5n, 2n).round(0)).toBe(3);
    expect(Rational.of(-5n, 2n).round(0)).toBe(-3);
    expect(Rational.of(1n, 8n).round(2)).toBe(0.13);
    // 2/3 weighs in exactly: (3×2/2 + 1×1/2 + 2×0/3) / 6 = 3.5/6 = 58.333… → 58.33, not a sum of rounded parts.
    const card = score({ yes: true, pick: 'b', many: [] });
    expect(indicator(card, 'i1').score).toBe(58.33);
    expect(describeScoring(q, rules({ decimals: 3 })).rounding.scores).toBe(3);
    expect(
      scoreResponse({ questionnaire: q, rules: rules({ decimals: 3 }), answers: { yes: true, pick: 'b' } })
        .decimals,
    ).toBe(3);
    // Statistics from the reported scores, to 2 places; change to 4.
    expect(summarise([1.005, 2]).mean).toBe(1.5); // 1.5025 → 1.5
    expect(summarise([1, 2.0051]).max).toBe(2.01);
    expect(scoreChange(61.25, 59.1234)).toBe(2.1266);
    expect(scoreChange(50.00005, 50)).toBe(0.0001);
  });

  it('ranking: best first, equal values share a rank and the next one skips, ties listed by code', () => {
    const ranked = rankWithTies([
      { key: 'B', value: 80 },
      { key: 'A', value: 80 },
      { key: 'C', value: 90 },
      { key: 'D', value: 70 },
    ]);
    expect(ranked.map((r) => [r.key, r.rank, r.tied])).toEqual([
      ['C', 1, false],
      ['A', 2, true],
      ['B', 2, true],
      ['D', 4, false],
    ]);
    expect(m.ranking).toEqual({
      within: 'group',
      by: 'overall',
      order: 'descending',
      ties: 'shared_rank_skip_next',
      tiesListedBy: 'agency_code',
    });
  });

  it('standardised: z by the population sd, min-max rescaled, and the same score everywhere is z 0, scaled 1 above 0', () => {
    const std = rules({
      method: 'standardised',
      levels: LEVELS.map((l) => ({ ...l, min: l.min / 100 })),
      bands: BANDS.map((b) => ({ ...b, min: b.min / 100 })),
    });
    const out = standardiseCohort(q, std, [
      { key: 'A', group: 'g', pillars: { p1: 20 } },
      { key: 'B', group: 'g', pillars: { p1: 40 } },
      { key: 'C', group: 'g', pillars: { p1: 60 } },
      { key: 'D', group: 'h', pillars: { p1: 50 } },
    ]);
    // mean 40, population sd √(800/3) = 16.3299: z(A) = -1.2247
    expect(out.get('A')!.pillars.p1).toEqual({ z: -1.2247, scaled: 0 });
    expect(out.get('B')!.index).toBe(0.5);
    expect(out.get('D')!.pillars.p1).toEqual({ z: 0, scaled: 1 }); // alone in its group, above 0
    const d = describeScoring(q, std).standardised!;
    expect(d).toEqual({
      within: 'group',
      z: 'population_standard_deviation',
      rescale: 'min_max',
      index: 'weighted_mean_of_scaled_pillars',
      sameScore: { z: 0, scaledAbove0: 1, scaledOtherwise: 0 },
    });
  });
});
