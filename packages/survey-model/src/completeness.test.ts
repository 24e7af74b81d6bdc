import { completeness, prefillAnswers, splitPatch } from './completeness';
import { sample2565 } from './samples';

/** The registry's agency kinds (AgencyKind in @dg/contracts, which this package does not depend on). */
const AgencyKinds = ['department', 'regional_unit', 'special_local', 'province', 'local'];
import { validateDefinition } from './definition';
import type { Question, Questionnaire } from './format';

const T = (th: string) => ({ th, en: th });
const Q = (id: string, type: Question['type'], extra: Partial<Question> = {}): Question => ({
  id,
  type,
  text: T(`คำถาม ${id}`),
  ...extra,
});
const PLAN = { question: 'has_plan', equals: true };

function questionnaire(): Questionnaire {
  const result = validateDefinition({
    formatVersion: 1,
    id: 'test',
    version: 1,
    cycleYear: 2566,
    title: T('แบบสำรวจ'),
    general: { title: T('ข้อมูลทั่วไป'), questions: [Q('name', 'text', { required: true })] },
    pillars: [
      {
        id: 'p1',
        number: 1,
        title: T('มิติที่ 1'),
        indicators: [
          {
            id: 'i1',
            title: T('ตัวชี้วัด'),
            questions: [
              Q('has_plan', 'yes_no', { required: true }),
              Q('plan_url', 'url', { required: true, visibleIf: PLAN }),
              Q('kind', 'single_choice', {
                options: [
                  { value: 'a', label: T('ก') },
                  { value: 'b', label: T('ข') },
                ],
              }),
            ],
          },
        ],
      },
      {
        id: 'p2',
        number: 2,
        title: T('มิติที่ 2'),
        indicators: [
          { id: 'i2', title: T('ตัวชี้วัด 2'), questions: [Q('staff', 'number', { required: true })] },
        ],
      },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.questionnaire;
}
const q = questionnaire();

describe('completeness', () => {
  it('lists the missing required questions per pillar, with their text, honouring conditions', () => {
    const c = completeness(q, { name: 'กรม', has_plan: false });
    expect(c.complete).toBe(false);
    expect(
      c.sections.map((s) => [s.pillarId, s.required, s.answered, s.missing.map((m) => m.questionId)]),
    ).toEqual([
      [null, 1, 1, []],
      ['p1', 1, 1, []], // plan_url is hidden while has_plan is false
      ['p2', 1, 0, ['staff']],
    ]);
    expect(c.sections[2].missing[0]).toMatchObject({ code: 'REQUIRED', text: { th: 'คำถาม staff' } });

    const shown = completeness(q, { name: 'กรม', has_plan: true, staff: 3 });
    expect(shown.sections[1].missing.map((m) => m.questionId)).toEqual(['plan_url']);
    expect([shown.required, shown.answered, shown.problemCount]).toEqual([4, 3, 1]);
  });

  it('is complete exactly when submission would accept the answers (a stale hidden answer is ignored)', () => {
    const c = completeness(q, { name: 'กรม', has_plan: false, plan_url: 'https://x.go.th', staff: 1 });
    expect(c).toMatchObject({ complete: true, problemCount: 0, required: 3, answered: 3 });
  });
});

describe('answer problems name the question as a person reads it', () => {
  it('starts with the Thai text and the id, and lists the options a bad choice could have been', () => {
    const { rejected } = splitPatch(q, {}, { kind: 'z', staff: 'ten' });
    const kind = rejected.find((p) => p.questionId === 'kind')!;
    expect(kind.messageTh).toBe('ข้อ “คำถาม kind” (kind): "z" ไม่ใช่ตัวเลือกของข้อนี้ เลือกได้จาก: ก (a), ข (b)');
    expect(kind.message).toBe('"คำถาม kind" (kind): "z" is not an option; choose one of a, b');
    const staff = rejected.find((p) => p.questionId === 'staff')!;
    expect(staff.messageTh).toBe('ข้อ “คำถาม staff” (staff): ต้องตอบเป็นตัวเลข (ตัวเลข)');
    const [missing] = completeness(q, { name: 'ก', has_plan: false }).sections[2].missing;
    expect(missing.messageTh).toBe('ข้อ “คำถาม staff” (staff): ยังไม่ได้ตอบ (ต้องตอบข้อนี้)');
  });
});

describe('splitPatch (autosave)', () => {
  it('keeps the valid answers of a patch and names the invalid ones', () => {
    const { accepted, rejected } = splitPatch(q, {}, { name: 'กรม', kind: 'z', staff: 'ten' });
    expect(accepted).toEqual({ name: 'กรม' });
    expect(rejected.map((p) => `${p.questionId}:${p.code}`).sort()).toEqual([
      'kind:NOT_AN_OPTION',
      'staff:WRONG_TYPE',
    ]);
  });

  it('refuses an answer that a refused answer would have shown, and always keeps a clear', () => {
    const { accepted, rejected } = splitPatch(
      q,
      { kind: 'a' },
      { has_plan: 'yes', plan_url: 'https://x.go.th', kind: null },
    );
    expect(accepted).toEqual({ kind: null });
    expect(rejected.map((p) => `${p.questionId}:${p.code}`)).toEqual([
      'has_plan:WRONG_TYPE',
      'plan_url:HIDDEN_QUESTION',
    ]);
  });
});

describe('the 2565 profile: prefilled from the registry, in its codes', () => {
  /* eslint-disable @typescript-eslint/no-require-imports -- the registry's reference lists, read as data */
  const ministries = require('../../../apps/registry/src/reference/ministries.json') as { code: string }[];
  const provinces = require('../../../apps/registry/src/reference/provinces.json') as { code: string }[];
  /* eslint-enable @typescript-eslint/no-require-imports */
  const question = (id: string) => sample2565.general.questions.find((x) => x.id === id)!;
  const values = (id: string) => question(id).options!.map((o) => o.value);

  it("uses the registry's codes for kind, ministry and province (one code list)", () => {
    expect(values('g_kind').sort()).toEqual([...AgencyKinds].sort());
    expect(values('g_ministry')).toEqual([...ministries.map((m) => m.code), 'none']);
    expect(question('g_province').type).toBe('single_choice');
    expect(values('g_province')).toEqual(provinces.map((p) => p.code));
  });

  it("answers the profile from the agency's record, leaving out what its answers hide", () => {
    expect(
      prefillAnswers(sample2565, { kind: 'regional_unit', ministryId: 'MOI', provinceCode: 'TH-50' }),
    ).toEqual({
      g_kind: 'regional_unit',
      g_ministry: 'MOI',
      g_province: 'TH-50',
    });
    // A department has no province question; an agency without a ministry is "none"; unknown codes are left out.
    expect(
      prefillAnswers(sample2565, { kind: 'department', ministryId: null, provinceCode: 'TH-10' }),
    ).toEqual({
      g_kind: 'department',
      g_ministry: 'none',
    });
    expect(prefillAnswers(sample2565, { kind: 'department', ministryId: 'XYZ' })).toEqual({
      g_kind: 'department',
    });
  });
});
