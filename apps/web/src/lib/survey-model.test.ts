import { describe, expect, it } from 'vitest';
import { validateAnswers, validateDefinition } from '@dg/survey-model';
import sample from '../../../../packages/survey-model/samples/questionnaire-2565.json';

/**
 * The portal runs the same answer validators as intake, bundled from @dg/survey-model's source
 * (vite.config.ts alias to its browser entry): this proves they load and answer in a browser
 * environment, on the sample 2565 questionnaire.
 */
describe('@dg/survey-model in the browser bundle', () => {
  const result = validateDefinition(sample);
  if (!result.ok) throw new Error('the sample questionnaire should be valid');
  const q = result.questionnaire;

  it('accepts an answer within the question’s limits', () => {
    expect(validateAnswers(q, { p1_committee: true, p1_committee_meetings: 3 }, { mode: 'partial' })).toEqual(
      [],
    );
  });

  it('refuses an answer outside them, in Thai and English', () => {
    const problems = validateAnswers(
      q,
      { p1_committee: true, p1_committee_meetings: 500 },
      { mode: 'partial' },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ questionId: 'p1_committee_meetings' });
    expect(problems[0]?.messageTh).toMatch(/[\u0E00-\u0E7F]/);
  });

  it('refuses an answer to a question the other answers hide', () => {
    const problems = validateAnswers(
      q,
      { p1_committee: false, p1_committee_meetings: 3 },
      { mode: 'partial' },
    );
    expect(problems.map((p) => p.code)).toEqual(['HIDDEN_QUESTION']);
  });
});
