import { describe, expect, it } from 'vitest';
import { TEST_QUESTIONNAIRE as Q } from '../../test/questionnaire';
import { cellName, fieldName, formValuesOf, parseNumber, questionIdOf, toAnswer, toFormValue } from './form-values';

const q = (id: string) => [...Q.general.questions, ...Q.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions))].find((x) => x.id === id)!;

describe('form values', () => {
  it('names fields so react-hook-form never reads an id as a path', () => {
    expect(fieldName('p3.1-x')).toBe('q_p3~1-x');
    expect(questionIdOf('q_p3~1-x')).toBe('p3.1-x');
    expect(questionIdOf('q_p1_services.2.f_name')).toBe('p1_services');
    expect(questionIdOf('email')).toBeNull();
    expect(cellName('a.b')).toBe('f_a~b');
  });

  it('reads numbers as people type them: Thai digits, separators; other text stays text', () => {
    expect(parseNumber('๒๕๖๕')).toBe(2565);
    expect(parseNumber('1,250.5')).toBe(1250.5);
    expect(parseNumber(' 12 ')).toBe(12);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('สิบ')).toBe('สิบ');
    expect(parseNumber('1e5')).toBe('1e5');
  });

  it('round-trips every type between answers and inputs', () => {
    expect(toAnswer(q('p1_plan'), toFormValue(q('p1_plan'), false))).toBe(false);
    expect(toFormValue(q('p1_plan'), null)).toBe('');
    expect(toAnswer(q('p1_plan'), '')).toBeNull();
    expect(toAnswer(q('p1_plan_year'), '2560')).toBe(2560);
    expect(toFormValue(q('p1_share'), 12.5)).toBe('12.5');
    expect(toAnswer(q('g_name'), '')).toBeNull();
    expect(toAnswer(q('g_name'), '  ')).toBe('  '); // blank text is kept: the validator says it is unanswered
    expect(toAnswer(q('p1_channels'), [])).toBeNull();
    expect(toAnswer(q('p1_channels'), ['web'])).toEqual(['web']);
    const rows = [{ name: 'จองคิว', url: 'https://q.example' }, { name: 'ชำระเงิน' }];
    const form = toFormValue(q('p1_services'), rows);
    expect(form).toEqual([
      { f_name: 'จองคิว', f_url: 'https://q.example' },
      { f_name: 'ชำระเงิน', f_url: '' },
    ]);
    expect(toAnswer(q('p1_services'), form)).toEqual(rows);
    expect(toAnswer(q('p1_services'), [])).toBeNull();
  });

  it('starts the form with every question of the questionnaire', () => {
    const values = formValuesOf(Q, { g_name: 'x' });
    expect(values.q_g_name).toBe('x');
    expect(values.q_p1_services).toEqual([]);
    expect(Object.keys(values)).toHaveLength(8);
  });
});
