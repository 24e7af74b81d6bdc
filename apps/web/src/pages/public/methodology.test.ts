import { describe, expect, it } from 'vitest';
import type { Condition } from '@dg/survey-model';
import { methodologyFixture } from './__fixtures__/methodology';
import {
  aggregationSentences,
  anchors,
  answerRules,
  conditionRules,
  conditionText,
  cutoffRange,
  introSentences,
  outcomeRules,
  questionRefs,
  questionRubric,
  roundingExample,
  roundingRules,
  rubricKinds,
  standardisedRules,
} from './methodology';

const m = methodologyFixture();
const question = (id: string) => m.pillars[0]!.indicators.flatMap((i) => i.questions).find((q) => q.id === id)!;

describe('how scores are made, written from the methodology data', () => {
  it('opens with the questionnaire, the rules and the counts, saying when something is a sample', () => {
    const th = introSentences(m, '2565', 'th');
    expect(th[0]).toBe('คะแนนของหน่วยงานในปี 2565 คิดจากคำตอบในแบบสำรวจ “แบบสำรวจ 2565” ฉบับที่ 1 ตามเกณฑ์การให้คะแนน “เกณฑ์ 2565” ฉบับที่ 2');
    expect(th[1]).toContain('ตัวอย่าง');
    expect(th[2]).toBe(
      'แบบสำรวจมี 1 เสาหลัก 2 ตัวชี้วัด รวม 6 ข้อ นำมาคิดคะแนน 5 ข้อ ส่วน “ข้อมูลทั่วไป” (5 ข้อ) เป็นข้อมูลของหน่วยงาน ไม่นำมาคิดคะแนน',
    );
    const official = introSentences(
      methodologyFixture({ questionnaire: { ...m.questionnaire, sample: false }, totals: { ...m.totals, excludedQuestions: 2 } }),
      '2565',
      'en',
    );
    expect(official.some((s) => s.includes('sample'))).toBe(false);
    expect(official[1]).toContain('(2 left out by the rules)');
  });

  it('says an indicator with nothing counted scores 0 and still weighs in, only while the data says so', () => {
    expect(aggregationSentences(m, 'th')).toContain(
      'ตัวชี้วัดที่ไม่มีข้อใดนับเลย (เช่น ทุกข้อไม่เกี่ยวข้อง) ได้ 0 คะแนน และยังนับน้ำหนักในเสาหลักตามปกติ',
    );
    const other = methodologyFixture({ aggregation: { ...m.aggregation, emptyIndicatorScoresZeroAndWeighs: false as true } });
    expect(aggregationSentences(other, 'en').some((s) => s.includes('still weighs'))).toBe(false);
  });

  it('says blank-only text is unanswered and that conditions compare strictly', () => {
    expect(answerRules(m, 'th')[0]).toBe('ข้อความที่มีแต่ช่องว่าง และรายการที่ว่าง ถือว่าไม่ได้ตอบ');
    expect(answerRules(m, 'en')).toContain('When the operator gave several verdicts on a question, the last one counts.');
    expect(conditionRules(m, 'en')[0]).toMatch(/strictly: the text “5” is not the number 5/);
  });

  it('rounds as the data says: scores, statistics from rounded figures to 2 places, change to 4', () => {
    const th = roundingRules(m, 'th');
    expect(th[0]).toBe('การปัดเศษใช้วิธีปัดครึ่งออกจากศูนย์ เช่น 1.005 ปัดเป็น 1.01 และ −1.005 ปัดเป็น −1.01');
    expect(th.join('\n')).toContain('คำนวณจากคะแนนที่ประกาศของแต่ละหน่วยงาน (ปัดแล้ว)');
    expect(th.join('\n')).toMatch(/ปัดเป็นทศนิยม 2 ตำแหน่ง$/m);
    expect(th.join('\n')).toContain('ปีก่อน ปัดเป็นทศนิยม 4 ตำแหน่ง');
    // One decimal for scores and 3 for change: the sentences follow the data, not the code.
    const en = roundingRules(methodologyFixture({ rounding: { ...m.rounding, scores: 1, change: { decimals: 3, from: 'reported_scores' } } }), 'en');
    expect(en[0]).toBe('Rounding is half away from zero: 1.05 becomes 1.1 and −1.05 becomes −1.1.');
    expect(en.join('\n')).toContain('rounded to 1 decimal place;');
    expect(en.join('\n')).toContain('rounded to 3 decimal places (only for agencies scored in both years)');
    expect(roundingExample(0)).toEqual({ from: '2.5', to: '3' });
  });

  it('explains hidden questions as zero or left out, following hiddenQuestions', () => {
    const zero = outcomeRules(m, 'th');
    expect(zero.map((o) => o.outcome)).toEqual(['earned', 'unanswered', 'hidden', 'rejected', 'awaiting_acceptance', 'excluded']);
    expect(zero.find((o) => o.outcome === 'hidden')!.counts).toBe(
      'ได้ 0 คะแนน และยังนับคะแนนสูงสุดของข้อในตัวชี้วัด (ดึงคะแนนตัวชี้วัดลง)',
    );
    const exclude = outcomeRules(methodologyFixture({ hiddenQuestions: 'exclude' }), 'en');
    expect(exclude.map((o) => o.outcome)).toContain('not_applicable');
    expect(exclude.map((o) => o.outcome)).not.toContain('hidden');
    expect(exclude.find((o) => o.outcome === 'not_applicable')!.counts).toBe('left out of its indicator, as if it had not been asked');
  });

  it('lists the rubric kinds in use and writes each question’s rubric with its points', () => {
    expect(rubricKinds(m)).toEqual(['yes_no', 'single_choice', 'range', 'count', 'evidence']);
    expect(questionRubric(question('p1_plan'), 'th')).toEqual(['ใช่ ได้ 2 คะแนน · ไม่ใช่ ได้ 0 คะแนน']);
    expect(questionRubric(question('p1_level'), 'en')).toEqual(['Low: 0 points', 'High: 3 points']);
    expect(questionRubric(question('p1_share'), 'th')).toEqual([
      'ต่ำกว่า 50: 0 คะแนน',
      '50 ถึงต่ำกว่า 80: 1 คะแนน',
      'ตั้งแต่ 80 ขึ้นไป: 2 คะแนน',
    ]);
    expect(questionRubric(question('p1_services'), 'en')).toEqual(['0.5 points per item, at most 2 points']);
    expect(questionRubric(question('p1_file'), 'th')).toEqual(['แนบหลักฐานได้ 1 คะแนน เมื่อผู้ตรวจรับหลักฐานแล้ว']);
    expect(questionRubric(question('p1_note'), 'th')).toEqual([]);
  });

  it('writes conditions with the questions’ own texts and option labels', () => {
    const refs = questionRefs(m);
    const c = (id: string) => question(id).visibleIf as Condition;
    expect(conditionText(c('p1_level'), refs, 'th')).toBe('ข้อ “ข้อ p1_plan” ตอบ ‘ใช่’');
    expect(conditionText(c('p1_share'), refs, 'th')).toBe('ตอบข้อ “ข้อ p1_plan”แล้ว และ ไม่ใช่กรณีที่ ข้อ “ข้อ p1_level” ตอบ ‘ต่ำ’');
    expect(conditionText(c('p1_services'), refs, 'en')).toBe('“Question p1_share” at least 10 and below 90');
    expect(conditionText({ question: 'unknown', equals: '5' }, refs, 'en')).toBe("unknown is ‘5’");
  });

  it('gives level ranges with the lowest score included, and the standardised method only when used', () => {
    expect(cutoffRange(m.levels[2]!, 'th')).toBe('40 ถึงต่ำกว่า 60');
    expect(cutoffRange(m.levels[4]!, 'en')).toBe('80 and above');
    expect(standardisedRules(m, 'th')).toEqual(['รอบนี้ไม่ใช้วิธีมาตรฐาน คะแนนและอันดับใช้คะแนนดิบ']);
    const std = standardisedRules(
      methodologyFixture({
        method: 'standardised',
        standardised: {
          within: 'group',
          z: 'population_standard_deviation',
          rescale: 'min_max',
          index: 'weighted_mean_of_scaled_pillars',
          sameScore: { z: 0, scaledAbove0: 1, scaledOtherwise: 0 },
        },
      }),
      'en',
    );
    expect(std[0]).toContain('within each agency group');
    expect(std).toHaveLength(4);
  });

  it('names an anchor for every rule a scorecard links to', () => {
    expect(anchors.question('p1_plan')).toBe('q-p1_plan');
    expect(anchors.outcome('unanswered')).toBe('rule-outcome-unanswered');
  });
});
