import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allQuestions } from './answers';
import { validateDefinition } from './definition';
import { QuestionType } from './format';
import { sample2565 } from './samples';

describe('the sample 2565 questionnaire', () => {
  const questions = allQuestions(sample2565);

  it('is valid as committed, and says it is a sample', () => {
    const raw: unknown = JSON.parse(
      readFileSync(join(__dirname, '../samples/questionnaire-2565.json'), 'utf8'),
    );
    expect(validateDefinition(raw).ok).toBe(true);
    expect(sample2565).toMatchObject({
      id: 'dg-readiness-2565-sample',
      version: 1,
      cycleYear: 2565,
      sample: true,
    });
    expect(sample2565.title.th).toContain('ตัวอย่าง');
    expect(sample2565.title.en).toContain('SAMPLE');
  });

  it('has between 80 and 150 questions', () => {
    expect(questions.length).toBeGreaterThanOrEqual(80);
    expect(questions.length).toBeLessThanOrEqual(150);
  });

  it('has the six pillars of the survey, numbered 1 to 6, weighted, with 2-4 weighted indicators each', () => {
    expect(sample2565.pillars.map((p) => [p.number, p.title.th, p.title.en])).toEqual([
      [1, 'แนวนโยบายและหลักปฏิบัติ', 'Policy and practice'],
      [2, 'ศักยภาพเจ้าหน้าที่ภาครัฐด้านดิจิทัล', 'Digital capability of staff'],
      [3, 'บริการภาครัฐ', 'Public services'],
      [4, 'การบริหารจัดการรูปแบบดิจิทัล', 'Digital internal management'],
      [5, 'โครงสร้างพื้นฐานที่มีความมั่นคงปลอดภัย', 'Secure infrastructure'],
      [6, 'เทคโนโลยีดิจิทัลและการนำไปใช้', 'Digital technology and its use'],
    ]);
    for (const p of sample2565.pillars) {
      expect(p.weight).toBeGreaterThan(0);
      expect(p.indicators.length).toBeGreaterThanOrEqual(2);
      expect(p.indicators.length).toBeLessThanOrEqual(4);
      for (const i of p.indicators) expect(i.weight).toBeGreaterThan(0);
    }
  });

  it('uses every question type', () => {
    expect(new Set(questions.map((x) => x.type))).toEqual(new Set(QuestionType.options));
  });

  it('scores pillar questions only, never text or URL answers', () => {
    for (const x of sample2565.general.questions) expect(x.rubric).toBeUndefined();
    for (const x of questions.filter((x) => x.type === 'text' || x.type === 'url'))
      expect(x.rubric).toBeUndefined();
    const scored = questions.filter((x) => x.rubric);
    expect(new Set(scored.map((x) => x.rubric!.kind))).toEqual(
      new Set(['yes_no', 'choice', 'range', 'count', 'evidence']),
    );
    expect(scored.length).toBeGreaterThan(60);
  });

  it('lists the e-services in pillar 3 with the agreed fields', () => {
    const group = sample2565.pillars[2].indicators
      .flatMap((i) => i.questions)
      .find((x) => x.type === 'repeating_group')!;
    expect(group.fields!.map((f) => [f.id, f.type])).toEqual([
      ['name', 'text'],
      ['channels', 'multiple_choice'],
      ['level', 'single_choice'],
      ['url', 'url'],
      ['users_per_year', 'number'],
    ]);
    expect(group.fields![0].required).toBe(true);
    expect(group.fields![1].options!.map((o) => o.value)).toEqual([
      'web',
      'mobile_app',
      'line_oa',
      'kiosk',
      'counter',
    ]);
    expect(group.fields![2].options!.map((o) => o.value)).toEqual([
      'info',
      'download',
      'submit',
      'pay',
      'e2e',
    ]);
    expect(group.rubric).toMatchObject({ kind: 'count' });
  });
});
