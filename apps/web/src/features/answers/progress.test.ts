import { describe, expect, it } from 'vitest';
import { TEST_QUESTIONNAIRE as Q } from '../../test/questionnaire';
import { filterQuestions, progressOf, returnedIds, sectionsOf } from './progress';

describe('progress per section and indicator', () => {
  it('counts required questions shown for the answers, and what is answered', () => {
    const p = progressOf(Q, { g_name: 'x', p1_plan: false });
    const [general, p1] = p.sections;
    expect(general).toMatchObject({ id: 'general', required: 1, answered: 1, missing: 0 });
    // p1_plan_year is hidden (plan = no): not required.
    expect(p1!.indicators[0]).toMatchObject({ id: 'p1_1', required: 1, answered: 1, missing: 0 });
    expect(p1!.indicators[1]).toMatchObject({ id: 'p1_2', required: 1, answered: 0, missing: 1 });
    expect(p.missing.get('p1_level')).toEqual(['REQUIRED']);
    expect(p.complete).toBe(false);
  });

  it('follows a condition: answering yes makes the follow-up required', () => {
    const p = progressOf(Q, { g_name: 'x', p1_plan: true, p1_level: 'high' });
    expect(p.sections[1]!.indicators[0]).toMatchObject({ required: 2, answered: 1, missing: 1 });
    expect(p.missing.has('p1_plan_year')).toBe(true);
  });

  it('marks a list row missing a required cell', () => {
    const p = progressOf(Q, { g_name: 'x', p1_plan: false, p1_level: 'low', p1_services: [{ url: 'https://a.example' }] });
    expect(p.missing.get('p1_services')).toEqual(['REQUIRED']);
  });

  it('filters unanswered and returned questions among those shown', () => {
    const all = sectionsOf(Q)[1]!.indicators.flatMap((i) => i.questions);
    const answers = { p1_plan: false, p1_share: 10 };
    expect(filterQuestions(Q, all, 'unanswered', answers, new Set()).map((x) => x.id)).toEqual(['p1_level', 'p1_channels', 'p1_services']);
    expect(filterQuestions(Q, all, 'returned', answers, new Set(['p1_share', 'p1_plan_year'])).map((x) => x.id)).toEqual(['p1_share']);
    expect(filterQuestions(Q, all, 'all', answers, new Set())).toHaveLength(5);
  });

  it('takes the last verdict per question', () => {
    const ids = returnedIds([
      { questionId: 'a', verdict: 'rejected', at: '2023-07-01T00:00:00Z' },
      { questionId: 'a', verdict: 'accepted', at: '2023-07-02T00:00:00Z' },
      { questionId: 'b', verdict: 'accepted', at: '2023-07-01T00:00:00Z' },
      { questionId: 'b', verdict: 'rejected', at: '2023-07-03T00:00:00Z' },
    ]);
    expect([...ids]).toEqual(['b']);
  });
});
