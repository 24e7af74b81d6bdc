import { validateAnswers } from '@dg/survey-model';
import { describe, expect, it } from 'vitest';
import { TEST_QUESTIONNAIRE as Q } from '../../test/questionnaire';
import { describeAnswer, rubricHint } from './describe';
import { fieldMessage } from './messages';

const q = (id: string) => [...Q.general.questions, ...Q.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions))].find((x) => x.id === id)!;
const problemsOf = (answers: Record<string, unknown>) => validateAnswers(Q, answers as never, { mode: 'partial' });

describe('messages at the field, from the validators’ codes', () => {
  it('says what is wrong in Thai with the question’s own limits', () => {
    const [p] = problemsOf({ p1_plan: true, p1_plan_year: 2600 });
    expect(p!.code).toBe('OUT_OF_RANGE');
    expect(fieldMessage(p!, q('p1_plan_year'))).toBe('ต้องอยู่ระหว่าง 2,550 ถึง 2,570');
    expect(fieldMessage(p!, q('p1_plan_year'), 'en')).toBe('Must be between 2,550 and 2,570');
    const [n] = problemsOf({ p1_plan: true, p1_plan_year: 2560.5 });
    expect(fieldMessage(n!, q('p1_plan_year'))).toBe('กรุณากรอกเป็นจำนวนเต็ม (ไม่มีทศนิยม)');
    const [t] = problemsOf({ p1_share: 'สิบ' });
    expect(fieldMessage(t!, q('p1_share'))).toBe('กรุณากรอกเป็นตัวเลข เช่น 25 หรือ 12.5');
    const [pct] = problemsOf({ p1_share: 120 });
    expect(fieldMessage(pct!, q('p1_share'))).toBe('ต้องอยู่ระหว่าง 0 ถึง 100 ร้อยละ');
    const [u] = problemsOf({ g_site: 'www.example.go.th' });
    expect(fieldMessage(u!, q('g_site'))).toMatch(/^ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:\/\/ หรือ https:\/\//);
    const [l] = problemsOf({ g_name: 'ก'.repeat(21) });
    expect(fieldMessage(l!, q('g_name'))).toBe('ยาวเกิน 20 ตัวอักษร โปรดย่อให้สั้นลง');
  });

  it('names the row and column of a cell in a list, unless shown at the cell itself', () => {
    const [p] = problemsOf({ p1_services: [{ name: 'a' }, { name: 'b', url: 'ftp://x' }] });
    expect(p!.path).toBe('p1_services[1].url');
    expect(fieldMessage(p!, q('p1_services'))).toMatch(/^แถวที่ 2 ช่อง “ที่อยู่บริการ”: ต้องเป็นที่อยู่เว็บ/);
    expect(fieldMessage(p!, q('p1_services'), 'th', 'cell')).toMatch(/^ต้องเป็นที่อยู่เว็บ/);
  });

  it('falls back to the validator’s own Thai, without repeating the question', () => {
    const msg = fieldMessage(
      { questionId: 'g_name', path: 'g_name', code: 'SOMETHING_NEW', message: '"Coordinator" (g_name): odd', messageTh: 'ข้อ “ชื่อผู้ประสานงาน” (g_name): แปลก' },
      q('g_name'),
    );
    expect(msg).toBe('แปลก');
  });
});

describe('answers and rubrics in words', () => {
  it('describes answers for the merge dialog', () => {
    expect(describeAnswer(q('p1_plan'), true)).toBe('ใช่');
    expect(describeAnswer(q('p1_level'), 'high')).toBe('สูง');
    expect(describeAnswer(q('p1_channels'), ['web', 'app'], 'en')).toBe('Website, App');
    expect(describeAnswer(q('p1_share'), 40)).toBe('40 ร้อยละ');
    expect(describeAnswer(q('p1_services'), [{ name: 'จองคิว' }, { name: 'ชำระเงิน' }])).toBe('2 แถว: จองคิว, ชำระเงิน');
    expect(describeAnswer(q('g_name'), null)).toBe('(ไม่มีคำตอบ)');
  });

  it('says how a question is scored when it has a rubric', () => {
    expect(rubricHint(q('p1_plan'))).toBe('ตอบ “ใช่” ได้ 3 คะแนน · ตอบ “ไม่ใช่” ได้ 0 คะแนน');
    expect(rubricHint(q('p1_share'))).toBe('น้อยกว่า 50 ร้อยละ: 0 คะแนน · ตั้งแต่ 50 ร้อยละ: 2 คะแนน');
    expect(rubricHint(q('p1_level'))).toBe('คะแนนตามตัวเลือก: ต่ำ 1 คะแนน · สูง 3 คะแนน');
    expect(rubricHint(q('p1_services'), 'en')).toBe('1 point per row, at most 3 points');
    expect(rubricHint(q('g_name'))).toBeNull();
  });
});
