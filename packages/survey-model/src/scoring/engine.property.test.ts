import fc from 'fast-check';
import { allQuestions, validateAnswers } from '../answers';
import type { Answers, AnswerValue, Question } from '../format';
import { sample2565, sampleRules2565 } from '../samples';
import { scoreResponse, type ScoreInput, type Scorecard } from './engine';

/*
 * Property tests on the sample questionnaire and rules, with answers generated from the question
 * definitions (valid values, hidden questions' stale answers included) and random verdicts.
 */

const questions = allQuestions(sample2565);
const scored = questions.filter((x) => x.rubric);
const uuid = fc.uuid({ version: 4 });

/** A valid value for a question (fields of a group row included). */
function valueOf(x: Question): fc.Arbitrary<AnswerValue> {
  const options = (x.options ?? []).map((o) => o.value);
  switch (x.type) {
    case 'yes_no':
      return fc.boolean();
    case 'single_choice':
      return fc.constantFrom(...options);
    case 'multiple_choice':
      return fc.subarray(options, { minLength: 1 });
    case 'number': {
      const min = x.min ?? -1e6;
      const max = x.max ?? 1e6;
      return x.integer
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);
    }
    case 'percentage':
      return fc
        .integer({ min: Math.max(0, x.min ?? 0) * 10, max: Math.min(100, x.max ?? 100) * 10 })
        .map((n) => n / 10);
    case 'text':
      return fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '');
    case 'url':
      return fc.constant('https://www.example.go.th');
    case 'evidence':
      return fc.uniqueArray(uuid, { minLength: 1, maxLength: x.evidence?.maxFiles ?? 5 });
    case 'repeating_group': {
      const row = fc.record(
        Object.fromEntries((x.fields ?? []).map((f) => [f.id, valueOf(f)])) as Record<
          string,
          fc.Arbitrary<AnswerValue>
        >,
      );
      return fc.array(row, { minLength: 1, maxLength: 12 }) as fc.Arbitrary<AnswerValue>;
    }
  }
}

// requiredKeys []: every question may be left out, which is how an unanswered question looks.
const answersArb = fc.record(
  Object.fromEntries(questions.map((x) => [x.id, valueOf(x)])) as Record<string, fc.Arbitrary<AnswerValue>>,
  { requiredKeys: [] },
) as fc.Arbitrary<Answers>;

const verdictsArb: fc.Arbitrary<NonNullable<ScoreInput['verdicts']>> = fc
  .subarray(scored.map((x) => x.id))
  .chain((ids) =>
    fc
      .tuple(...ids.map(() => fc.constantFrom('accepted' as const, 'rejected' as const)))
      .map((vs) => ids.map((questionId, i) => ({ questionId, verdict: vs[i] }))),
  );

const score = (answers: Answers, verdicts: ScoreInput['verdicts']): Scorecard =>
  scoreResponse({ questionnaire: sample2565, rules: sampleRules2565, answers, verdicts });

/** An answer to `x` that earns more than 0 points under its rubric, or null when none can. */
function earningAnswer(x: Question): AnswerValue | null {
  const r = x.rubric!;
  switch (r.kind) {
    case 'yes_no':
      return r.yes > 0 ? true : r.no > 0 ? false : null;
    case 'choice': {
      const best = Object.entries(r.points).filter(([, p]) => p > 0);
      if (!best.length) return null;
      return x.type === 'multiple_choice' ? best.map(([v]) => v) : best.sort((a, b) => b[1] - a[1])[0][0];
    }
    case 'range': {
      for (const b of r.bands.filter((b) => b.points > 0)) {
        // The band's lowest value that the question accepts.
        const lo = Math.max(b.min ?? -Infinity, x.type === 'percentage' ? 0 : -Infinity, x.min ?? -Infinity);
        const v = Number.isFinite(lo) ? Math.ceil(lo) : Math.min(0, (b.max ?? 1) - 1);
        if ((b.max === undefined || v < b.max) && (x.max === undefined || v <= x.max)) return v;
      }
      return null;
    }
    case 'count':
      return r.perItem > 0 ? [{ name: 'a service' }] : null;
    case 'evidence':
      return r.points > 0 ? ['0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11'] : null;
  }
}

describe('scoring properties (sample 2565)', () => {
  it('generated answers are valid, so the properties test real responses', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const problems = validateAnswers(sample2565, answers, { mode: 'partial' }).filter(
          (p) => p.code !== 'HIDDEN_QUESTION', // stale answers to hidden questions are kept on purpose
        );
        expect(problems).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('is deterministic: the same input, or the same answers in another key order, give the same scorecard', () => {
    fc.assert(
      fc.property(answersArb, verdictsArb, (answers, verdicts) => {
        const first = JSON.stringify(score(answers, verdicts));
        expect(JSON.stringify(score(answers, verdicts))).toBe(first);
        const reordered = Object.fromEntries(Object.entries(answers).reverse());
        expect(JSON.stringify(score(reordered, [...verdicts].reverse()))).toBe(first);
        const card = JSON.parse(first) as Scorecard;
        expect(card.overall).toBeGreaterThanOrEqual(0);
        expect(card.overall).toBeLessThanOrEqual(100);
      }),
      { numRuns: 200 },
    );
  });

  it('is monotone: making a question earn never lowers its indicator, its pillar or the overall score', () => {
    fc.assert(
      fc.property(answersArb, verdictsArb, fc.nat(), (answers, verdicts, pick) => {
        const before = score(answers, verdicts);
        const verdictOf = new Map(verdicts.map((v) => [v.questionId, v.verdict]));
        const candidates = before.pillars.flatMap((p) =>
          p.indicators.flatMap((i) =>
            i.questions
              .filter((x) => x.outcome === 'unanswered' || (x.outcome === 'earned' && x.points === 0))
              .filter((x) => verdictOf.get(x.questionId) !== 'rejected')
              .map((x) => ({
                pillar: p.id,
                indicator: i.id,
                question: questions.find((q) => q.id === x.questionId)!,
              }))
              .filter(({ question }) => {
                const r = question.rubric!;
                // Evidence that needs acceptance earns only once accepted.
                return !(
                  r.kind === 'evidence' &&
                  r.requireAccepted &&
                  verdictOf.get(question.id) !== 'accepted'
                );
              })
              .filter(({ question }) => earningAnswer(question) !== null),
          ),
        );
        fc.pre(candidates.length > 0);
        const { pillar, indicator, question } = candidates[pick % candidates.length];
        const after = score({ ...answers, [question.id]: earningAnswer(question) }, verdicts);

        const p0 = before.pillars.find((p) => p.id === pillar)!;
        const p1 = after.pillars.find((p) => p.id === pillar)!;
        const i0 = p0.indicators.find((i) => i.id === indicator)!;
        const i1 = p1.indicators.find((i) => i.id === indicator)!;
        expect(i1.questions.find((x) => x.questionId === question.id)!.points).toBeGreaterThan(0);
        expect(i1.score).toBeGreaterThanOrEqual(i0.score);
        expect(p1.score).toBeGreaterThanOrEqual(p0.score);
        expect(after.overall).toBeGreaterThanOrEqual(before.overall);
      }),
      { numRuns: 200 },
    );
  });
});
