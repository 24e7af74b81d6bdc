import { validateDefinition } from '../definition';
import type { Answers, Questionnaire } from '../format';
import { scoreResponse, type QuestionScore, type Scorecard, type ScoreInput } from './engine';
import { validateRules, type ScoringRules } from './rules';

const t = (en: string, th = en) => ({ th, en });
const opt = (value: string, en: string, th: string) => ({ value, label: t(en, th) });
const F1 = '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11';
const F2 = '1b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a12';
const F3 = '2b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a13';

function valid(json: unknown): Questionnaire {
  const r = validateDefinition(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.questionnaire;
}

/** Two pillars (40 / 60), four indicators, every rubric kind. */
const questionnaire = valid({
  formatVersion: 1,
  id: 'test-q',
  version: 3,
  cycleYear: 2566,
  title: t('Test'),
  general: { title: t('General'), questions: [{ id: 'g_name', type: 'text', text: t('Name') }] },
  pillars: [
    {
      id: 'pa',
      number: 1,
      title: t('Pillar A', 'เสา ก'),
      weight: 40,
      indicators: [
        {
          id: 'ia1',
          title: t('A1'),
          weight: 2,
          questions: [
            { id: 'a_yes', type: 'yes_no', text: t('Yes?'), rubric: { kind: 'yes_no', yes: 4, no: 1 } },
            {
              id: 'a_freq',
              type: 'single_choice',
              text: t('How often?'),
              options: [
                opt('weekly', 'weekly', 'รายสัปดาห์'),
                opt('monthly', 'monthly', 'รายเดือน'),
                opt('never', 'never', 'ไม่เคย'),
              ],
              rubric: { kind: 'choice', points: { weekly: 4, monthly: 3 } },
            },
            {
              id: 'a_multi',
              type: 'multiple_choice',
              text: t('Which?'),
              weight: 2,
              options: [opt('x', 'X', 'เอ็กซ์'), opt('y', 'Y', 'วาย'), opt('z', 'Z', 'แซด')],
              rubric: { kind: 'choice', points: { x: 0.1, y: 0.2, z: 3 }, cap: 3 },
            },
          ],
        },
        {
          id: 'ia2',
          title: t('A2'),
          questions: [
            {
              id: 'a_num',
              type: 'number',
              text: t('How many?'),
              rubric: {
                kind: 'range',
                bands: [
                  { max: 10, points: 0 },
                  { min: 10, max: 20, points: 2 },
                  { min: 20, points: 5 },
                ],
              },
            },
            {
              id: 'a_pct',
              type: 'percentage',
              text: t('Share?'),
              rubric: {
                kind: 'range',
                bands: [
                  { min: 0, max: 50, points: 1 },
                  { min: 50, max: 80, points: 3 },
                ],
              },
            },
            {
              id: 'a_rows',
              type: 'repeating_group',
              text: t('List'),
              fields: [{ id: 'name', type: 'text', text: t('Name') }],
              rubric: { kind: 'count', perItem: 2, cap: 5 },
            },
          ],
        },
      ],
    },
    {
      id: 'pb',
      number: 2,
      title: t('Pillar B', 'เสา ข'),
      weight: 60,
      indicators: [
        {
          id: 'ib1',
          title: t('B1'),
          questions: [
            {
              id: 'b_file',
              type: 'evidence',
              text: t('Plan file'),
              rubric: { kind: 'evidence', points: 2, requireAccepted: true },
            },
            {
              id: 'b_file2',
              type: 'evidence',
              text: t('Other file'),
              rubric: { kind: 'evidence', points: 1 },
            },
            { id: 'b_policy', type: 'yes_no', text: t('Policy?'), rubric: { kind: 'yes_no', yes: 3, no: 0 } },
            {
              id: 'b_level',
              type: 'single_choice',
              text: t('Level?'),
              visibleIf: { question: 'b_policy', equals: true },
              options: [opt('basic', 'basic', 'พื้นฐาน'), opt('full', 'full', 'เต็ม')],
              rubric: { kind: 'choice', points: { basic: 1, full: 2 } },
            },
            { id: 'b_web', type: 'yes_no', text: t('Web?'), rubric: { kind: 'yes_no', yes: 2, no: 0 } },
          ],
        },
        {
          id: 'ib2',
          title: t('B2'),
          weight: 3,
          questions: [
            { id: 'b_skip', type: 'yes_no', text: t('Skip?'), rubric: { kind: 'yes_no', yes: 5, no: 0 } },
            { id: 'b_one', type: 'yes_no', text: t('One?'), rubric: { kind: 'yes_no', yes: 1, no: 0 } },
            { id: 'b_two', type: 'yes_no', text: t('Two?'), rubric: { kind: 'yes_no', yes: 1, no: 0 } },
            { id: 'b_three', type: 'yes_no', text: t('Three?'), rubric: { kind: 'yes_no', yes: 1, no: 0 } },
            { id: 'b_note', type: 'text', text: t('Note') },
          ],
        },
      ],
    },
  ],
});

const LEVELS = [
  { level: 1 as const, name: t('E-Government', 'ภาครัฐอิเล็กทรอนิกส์'), min: 0 },
  { level: 2 as const, name: t('Open', 'ภาครัฐเปิด'), min: 20 },
  { level: 3 as const, name: t('Data-Centric', 'ภาครัฐที่ใช้ข้อมูลเป็นศูนย์กลาง'), min: 40 },
  { level: 4 as const, name: t('Fully Digital', 'ภาครัฐดิจิทัลเต็มรูปแบบ'), min: 60 },
  { level: 5 as const, name: t('Smart', 'ภาครัฐอัจฉริยะ'), min: 80 },
];
const BANDS = [
  { id: 'low', name: t('Low', 'ต่ำ'), min: 0 },
  { id: 'middle', name: t('Middle', 'ปานกลาง'), min: 25 },
  { id: 'high', name: t('High', 'สูง'), min: 50 },
  { id: 'very_high', name: t('Very high', 'สูงมาก'), min: 75 },
];

function rules(over: Partial<ScoringRules> = {}): ScoringRules {
  const r = validateRules(
    {
      formatVersion: 1,
      id: 'test-rules',
      version: 2,
      questionnaireId: 'test-q',
      questionnaireVersion: 3,
      title: t('Test rules'),
      method: 'raw',
      pillarWeights: { pa: 25, pb: 75 },
      questionWeights: { a_yes: 3 },
      excludeQuestions: ['b_skip'],
      levels: LEVELS,
      bands: BANDS,
      ...over,
    },
    questionnaire,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.rules;
}

const answers: Answers = {
  g_name: 'Agency',
  a_yes: true,
  a_freq: 'monthly',
  a_multi: ['x', 'y'],
  a_num: 10,
  a_pct: 80,
  a_rows: [{ name: 'one' }, { name: 'two' }, { name: 'three' }],
  b_file: [F1],
  b_file2: [F2, F3],
  b_policy: false,
  b_level: 'full', // a stale answer: b_level is hidden while b_policy is false
  b_web: true,
  b_skip: true,
  b_one: true,
  b_two: false,
  b_note: 'text is never scored',
};
const rejected: ScoreInput['verdicts'] = [{ questionId: 'b_file2', verdict: 'rejected' }];

function score(over: Partial<ScoreInput> = {}): Scorecard {
  return scoreResponse({ questionnaire, rules: rules(), answers, verdicts: rejected, ...over });
}

function question(card: Scorecard, id: string): QuestionScore {
  const found = card.pillars
    .flatMap((p) => p.indicators.flatMap((i) => i.questions))
    .find((x) => x.questionId === id);
  if (!found) throw new Error(`no ${id} on the scorecard`);
  return found;
}

const indicator = (card: Scorecard, id: string) =>
  card.pillars.flatMap((p) => p.indicators).find((i) => i.id === id)!.score;

describe('scoreResponse, by hand', () => {
  it('scores every rubric kind, with overrides, caps, a hidden, an excluded and a rejected question', () => {
    /*
     * ia1 (weight 2): a_yes 4/4 (weight 3 from the rules), a_freq 3/4, a_multi 0.1 + 0.2 = 0.3 of
     *   min(3.3, cap 3) = 3 (weight 2):
     *   100 × (3×4/4 + 1×3/4 + 2×0.3/3) / (3 + 1 + 2) = 100 × 3.95 / 6 = 395/6 = 65.8333 -> 65.83
     * ia2 (weight 1): a_num 10 is in [10, 20) -> 2/5 (min inclusive); a_pct 80 is not in [50, 80)
     *   -> 0/3 (max exclusive); a_rows 3 rows × 2 = 6, capped at 5 -> 5/5:
     *   100 × (2/5 + 0/3 + 5/5) / 3 = 140/3 = 46.6667 -> 46.67
     * pa = (2 × 395/6 + 1 × 140/3) / 3 = 535/9 = 59.4444 -> 59.44
     * ib1 (weight 1): b_file awaiting acceptance 0/2, b_file2 rejected 0/1, b_policy 'no' 0/3,
     *   b_level hidden (policy 'zero': counts 0/2), b_web 2/2:
     *   100 × (0 + 0 + 0 + 0 + 1) / 5 = 20
     * ib2 (weight 3): b_skip excluded by the rules; b_one 1/1, b_two 0/1, b_three unanswered 0/1:
     *   100 × 1 / 3 = 33.3333 -> 33.33
     * pb = (1 × 20 + 3 × 100/3) / 4 = 30
     * overall (pillar weights 25 / 75 from the rules) = (25 × 535/9 + 75 × 30) / 100
     *   = 33625/900 = 37.3611 -> 37.36: level 2 (>= 20), band Middle (>= 25)
     */
    const card = score();
    const q = (
      questionId: string,
      kind: string,
      weight: number,
      points: number,
      maxPoints: number,
      outcome: QuestionScore['outcome'],
      answer: unknown,
      en: string,
      th: string,
      extra: Partial<QuestionScore> = {},
    ): QuestionScore => ({
      questionId,
      kind,
      weight,
      points,
      maxPoints,
      outcome,
      capped: false,
      verdict: null,
      answer,
      reason: { th, en },
      ...extra,
    });
    expect(card).toEqual({
      engineVersion: '1.0.0',
      questionnaire: { id: 'test-q', version: 3 },
      rules: { id: 'test-rules', version: 2 },
      method: 'raw',
      decimals: 2,
      overall: 37.36,
      level: { level: 2, name: t('Open', 'ภาครัฐเปิด') },
      band: { id: 'middle', name: t('Middle', 'ปานกลาง') },
      pillars: [
        {
          id: 'pa',
          number: 1,
          title: t('Pillar A', 'เสา ก'),
          weight: 25,
          score: 59.44,
          indicators: [
            {
              id: 'ia1',
              title: t('A1'),
              weight: 2,
              score: 65.83,
              questions: [
                q(
                  'a_yes',
                  'yes_no',
                  3,
                  4,
                  4,
                  'earned',
                  true,
                  "answered 'yes' = 4 of 4 points",
                  "ตอบ 'ใช่' ได้ 4 จาก 4 คะแนน",
                ),
                q(
                  'a_freq',
                  'choice',
                  1,
                  3,
                  4,
                  'earned',
                  'monthly',
                  "chose 'monthly' = 3 of 4 points",
                  "เลือก 'รายเดือน' ได้ 3 จาก 4 คะแนน",
                ),
                q(
                  'a_multi',
                  'choice',
                  2,
                  0.3,
                  3,
                  'earned',
                  ['x', 'y'],
                  "chose 'X', 'Y' = 0.3 of 3 points",
                  "เลือก 'เอ็กซ์', 'วาย' ได้ 0.3 จาก 3 คะแนน",
                ),
              ],
            },
            {
              id: 'ia2',
              title: t('A2'),
              weight: 1,
              score: 46.67,
              questions: [
                q(
                  'a_num',
                  'range',
                  1,
                  2,
                  5,
                  'earned',
                  10,
                  '10 falls in "10 to under 20" = 2 of 5 points',
                  '10 อยู่ในช่วงตั้งแต่ 10 แต่น้อยกว่า 20 ได้ 2 จาก 5 คะแนน',
                ),
                q(
                  'a_pct',
                  'range',
                  1,
                  0,
                  3,
                  'earned',
                  80,
                  '80 is in no band = 0 of 3 points',
                  '80 ไม่อยู่ในช่วงใด ได้ 0 จาก 3 คะแนน',
                ),
                q(
                  'a_rows',
                  'count',
                  1,
                  5,
                  5,
                  'earned',
                  { rows: 3 },
                  '3 rows × 2 = 6, capped at 5 of 5 points',
                  '3 แถว × 2 รวม 6 คะแนน จำกัดไว้ที่ 5 ได้ 5 จาก 5 คะแนน',
                  { capped: true },
                ),
              ],
            },
          ],
        },
        {
          id: 'pb',
          number: 2,
          title: t('Pillar B', 'เสา ข'),
          weight: 75,
          score: 30,
          indicators: [
            {
              id: 'ib1',
              title: t('B1'),
              weight: 1,
              score: 20,
              questions: [
                q(
                  'b_file',
                  'evidence',
                  1,
                  0,
                  2,
                  'awaiting_acceptance',
                  { files: 1 },
                  "1 file attached, awaiting the operator's acceptance: 0 of 2 points",
                  'แนบไฟล์ 1 ไฟล์ รอผู้ตรวจรับหลักฐาน ได้ 0 จาก 2 คะแนน',
                ),
                q(
                  'b_file2',
                  'evidence',
                  1,
                  0,
                  1,
                  'rejected',
                  { files: 2 },
                  'evidence rejected by the operator: 0 of 1 point',
                  'ผู้ตรวจไม่รับหลักฐาน ได้ 0 จาก 1 คะแนน',
                  { verdict: 'rejected' },
                ),
                q(
                  'b_policy',
                  'yes_no',
                  1,
                  0,
                  3,
                  'earned',
                  false,
                  "answered 'no' = 0 of 3 points",
                  "ตอบ 'ไม่ใช่' ได้ 0 จาก 3 คะแนน",
                ),
                q(
                  'b_level',
                  'choice',
                  1,
                  0,
                  2,
                  'hidden',
                  null,
                  'not shown for the other answers: 0 of 2 points',
                  'ไม่แสดงตามคำตอบข้ออื่น ได้ 0 จาก 2 คะแนน',
                ),
                q(
                  'b_web',
                  'yes_no',
                  1,
                  2,
                  2,
                  'earned',
                  true,
                  "answered 'yes' = 2 of 2 points",
                  "ตอบ 'ใช่' ได้ 2 จาก 2 คะแนน",
                ),
              ],
            },
            {
              id: 'ib2',
              title: t('B2'),
              weight: 3,
              score: 33.33,
              questions: [
                q(
                  'b_skip',
                  'yes_no',
                  1,
                  0,
                  5,
                  'excluded',
                  true,
                  'left out by the scoring rules',
                  'เกณฑ์การให้คะแนนไม่นำข้อนี้มาคิด',
                ),
                q(
                  'b_one',
                  'yes_no',
                  1,
                  1,
                  1,
                  'earned',
                  true,
                  "answered 'yes' = 1 of 1 point",
                  "ตอบ 'ใช่' ได้ 1 จาก 1 คะแนน",
                ),
                q(
                  'b_two',
                  'yes_no',
                  1,
                  0,
                  1,
                  'earned',
                  false,
                  "answered 'no' = 0 of 1 point",
                  "ตอบ 'ไม่ใช่' ได้ 0 จาก 1 คะแนน",
                ),
                q(
                  'b_three',
                  'yes_no',
                  1,
                  0,
                  1,
                  'unanswered',
                  null,
                  'not answered: 0 of 1 point',
                  'ไม่ได้ตอบ ได้ 0 จาก 1 คะแนน',
                ),
              ],
            },
          ],
        },
      ],
      // 14 scored (b_skip excluded); 12 answered (all but b_level hidden and b_three);
      // 7 earning (a_yes a_freq a_multi a_num a_rows b_web b_one); 1 rejected.
      totals: { scoredQuestions: 14, answered: 12, earning: 7, rejected: 1 },
    });
  });

  it("with hiddenQuestions 'exclude' leaves a hidden question out of its indicator", () => {
    // ib1 = 100 × (0 + 0 + 0 + 1) / 4 = 25 (b_level left out); pb = (25 + 100) / 4 = 31.25;
    // overall = (25 × 535/9 + 75 × 31.25) / 100 = 34468.75/900 = 38.2986 -> 38.3
    const card = score({ rules: rules({ hiddenQuestions: 'exclude' }) });
    expect(question(card, 'b_level')).toMatchObject({
      outcome: 'not_applicable',
      points: 0,
      answer: null,
      reason: { en: 'not shown for the other answers: left out', th: 'ไม่แสดงตามคำตอบข้ออื่น จึงไม่นำมาคิดคะแนน' },
    });
    expect(indicator(card, 'ib1')).toBe(25);
    expect(card.pillars[1].score).toBe(31.25);
    expect(card.overall).toBe(38.3);
  });

  it('counts a question once its condition shows it', () => {
    // b_policy yes 3/3, b_level 'full' 2/2: ib1 = 100 × (0 + 0 + 1 + 1 + 1) / 5 = 60
    const card = score({ answers: { ...answers, b_policy: true } });
    expect(question(card, 'b_level')).toMatchObject({ outcome: 'earned', points: 2, answer: 'full' });
    expect(indicator(card, 'ib1')).toBe(60);
  });

  it('gives evidence that needs acceptance its points once the operator accepts it', () => {
    // b_file 2/2: ib1 = 100 × (1 + 0 + 0 + 0 + 1) / 5 = 40; pb = (40 + 100) / 4 = 35;
    // overall = (25 × 535/9 + 75 × 35) / 100 = 37000/900 = 41.1111 -> 41.11, level 3
    const card = score({
      verdicts: [
        { questionId: 'b_file', verdict: 'accepted' },
        { questionId: 'b_file2', verdict: 'rejected' },
      ],
    });
    expect(question(card, 'b_file')).toEqual({
      questionId: 'b_file',
      kind: 'evidence',
      weight: 1,
      points: 2,
      maxPoints: 2,
      outcome: 'earned',
      capped: false,
      verdict: 'accepted',
      answer: { files: 1 },
      reason: {
        en: '1 file accepted by the operator = 2 of 2 points',
        th: 'ผู้ตรวจรับหลักฐาน 1 ไฟล์แล้ว ได้ 2 จาก 2 คะแนน',
      },
    });
    expect(indicator(card, 'ib1')).toBe(40);
    expect(card.pillars[1].score).toBe(35);
    expect(card.overall).toBe(41.11);
    expect(card.level).toEqual({ level: 3, name: t('Data-Centric', 'ภาครัฐที่ใช้ข้อมูลเป็นศูนย์กลาง') });
  });

  it('a rejected verdict is what removes the points', () => {
    // without it b_file2 earns 1/1: ib1 = 100 × (0 + 1 + 0 + 0 + 1) / 5 = 40
    const card = score({ verdicts: [] });
    expect(question(card, 'b_file2')).toMatchObject({
      outcome: 'earned',
      points: 1,
      reason: { en: '2 files attached = 1 of 1 point', th: 'แนบไฟล์ 2 ไฟล์ ได้ 1 จาก 1 คะแนน' },
    });
    expect(indicator(card, 'ib1')).toBe(40);
    expect(score().totals.rejected).toBe(1);
    // A rejected answer (not evidence) earns nothing either: a_yes 0/4 -> ia1 = 100 × 0.95 / 6 = 15.83
    const a = score({ verdicts: [{ questionId: 'a_yes', verdict: 'rejected' }] });
    expect(question(a, 'a_yes')).toMatchObject({
      outcome: 'rejected',
      points: 0,
      answer: true,
      reason: { en: 'answer rejected by the operator: 0 of 4 points', th: 'ผู้ตรวจไม่รับคำตอบ ได้ 0 จาก 4 คะแนน' },
    });
    expect(indicator(a, 'ia1')).toBe(15.83);
  });

  it('caps a multiple choice sum and says so', () => {
    // 0.1 + 0.2 + 3 = 3.3, capped at 3: ia1 = 100 × (3 + 0.75 + 2) / 6 = 575/6 = 95.8333 -> 95.83
    const card = score({ answers: { ...answers, a_multi: ['x', 'y', 'z'] } });
    expect(question(card, 'a_multi')).toMatchObject({
      points: 3,
      capped: true,
      reason: {
        en: "chose 'X', 'Y', 'Z' = 3.3, capped at 3 of 3 points",
        th: "เลือก 'เอ็กซ์', 'วาย', 'แซด' รวม 3.3 คะแนน จำกัดไว้ที่ 3 ได้ 3 จาก 3 คะแนน",
      },
    });
    expect(indicator(card, 'ia1')).toBe(95.83);
  });

  it('takes the first band with min <= value < max', () => {
    const points = (a_num: number, a_pct: number) => {
      const card = score({ answers: { ...answers, a_num, a_pct } });
      return [question(card, 'a_num').points, question(card, 'a_pct').points];
    };
    expect(points(9.999, 0)).toEqual([0, 1]);
    expect(points(10, 49.99)).toEqual([2, 1]);
    expect(points(19.999, 50)).toEqual([2, 3]);
    expect(points(20, 79.99)).toEqual([5, 3]);
    expect(points(-5, 100)).toEqual([0, 0]);
  });

  it("uses the questionnaire's weights when the rules do not override them", () => {
    // a_yes weight 1: ia1 = 100 × (1 + 0.75 + 0.2) / 4 = 48.75; pa = (2 × 48.75 + 140/3) / 3 = 865/18 = 48.0556
    // overall (questionnaire's 40 / 60) = (40 × 865/18 + 60 × 30) / 100 = 335/9 = 37.2222 -> 37.22
    const r = rules();
    delete r.pillarWeights;
    delete r.questionWeights;
    const card = score({ rules: r });
    expect(question(card, 'a_yes').weight).toBe(1);
    expect(card.pillars.map((p) => [p.weight, p.score])).toEqual([
      [40, 48.06],
      [60, 30],
    ]);
    expect(indicator(card, 'ia1')).toBe(48.75);
    expect(card.overall).toBe(37.22);
  });

  it('rounds only at the end, to the rules’ decimals', () => {
    // overall is exactly 33625/900 = 37.36111...
    expect(score({ rules: rules({ decimals: 3 }) }).overall).toBe(37.361);
    expect(score({ rules: rules({ decimals: 0 }) }).overall).toBe(37);
    // Each figure from its exact value, not from rounded children: at 0 places ia1 = 65.83 -> 66 and
    // ia2 = 46.67 -> 47, and (2 × 66 + 47) / 3 = 59.67 would give 60; the exact pa 535/9 = 59.44 gives 59.
    const card = score({ rules: rules({ decimals: 0 }) });
    expect(card.pillars[0].indicators.map((i) => i.score)).toEqual([66, 47]);
    expect(card.pillars[0].score).toBe(59);
  });

  it('keeps authored decimals exact: 0.1 + 0.2 is 0.3, and 100/3 is 33.33', () => {
    expect(0.1 + 0.2).not.toBe(0.3); // what floating point would have given
    expect(question(score(), 'a_multi').points).toBe(0.3);
    expect((1 / 3) * 100).toBe(33.33333333333333);
    expect(indicator(score(), 'ib2')).toBe(33.33);
  });

  it('gives a malformed answer nothing instead of throwing', () => {
    const card = score({
      answers: {
        a_yes: 'yes',
        a_freq: ['monthly'],
        a_multi: 'x',
        a_num: Number.NaN,
        a_rows: ['x'],
        b_file: [],
      } as unknown as Answers,
    });
    for (const id of ['a_yes', 'a_freq', 'a_multi', 'a_num', 'a_rows', 'b_file']) {
      expect(question(card, id)).toMatchObject({ outcome: 'unanswered', points: 0, answer: null });
    }
  });

  it('refuses rules written for another questionnaire', () => {
    expect(() => score({ rules: { ...rules(), questionnaireVersion: 2 } })).toThrow(
      /test-q v2, not test-q v3/,
    );
  });

  it('gives no level or band when the method is standardised (the cohort decides)', () => {
    const r = rules({
      method: 'standardised',
      levels: LEVELS.map((l) => ({ ...l, min: l.min / 100 })),
      bands: BANDS.map((b) => ({ ...b, min: b.min / 100 })),
    });
    const card = score({ rules: r });
    expect(card).toMatchObject({ method: 'standardised', overall: 37.36, level: null, band: null });
  });
});

describe('rounding half away from zero', () => {
  // One question worth 100; an option worth 1.005 scores exactly 100 × 1.005 / 100 = 1.005.
  const q = valid({
    formatVersion: 1,
    id: 'round-q',
    version: 1,
    cycleYear: 2566,
    title: t('Rounding'),
    general: { title: t('General'), questions: [] },
    pillars: [
      {
        id: 'p',
        number: 1,
        title: t('P'),
        indicators: [
          {
            id: 'i',
            title: t('I'),
            questions: [
              {
                id: 'c',
                type: 'single_choice',
                text: t('C'),
                options: [opt('hi', 'hi', 'สูง'), opt('lo', 'lo', 'ต่ำ'), opt('neg', 'neg', 'ลบ')],
                rubric: { kind: 'choice', points: { hi: 100, lo: 1.005, neg: -1.005 } },
              },
            ],
          },
        ],
      },
    ],
  });
  const r = validateRules(
    {
      formatVersion: 1,
      id: 'round-rules',
      version: 1,
      questionnaireId: 'round-q',
      questionnaireVersion: 1,
      title: t('Rounding'),
      method: 'raw',
      levels: LEVELS,
      bands: BANDS,
    },
    q,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));

  it('rounds an exact x.xx5 up, where floating point would round it down', () => {
    expect(Math.round(1.005 * 100) / 100).toBe(1); // the float answer
    const card = scoreResponse({ questionnaire: q, rules: r.rules, answers: { c: 'lo' } });
    expect([card.overall, card.pillars[0].score, card.pillars[0].indicators[0].score]).toEqual([
      1.01, 1.01, 1.01,
    ]);
    expect(card.pillars[0].indicators[0].questions[0].points).toBe(1.005);
  });

  it('rounds a negative x.xx5 away from zero too', () => {
    const card = scoreResponse({ questionnaire: q, rules: r.rules, answers: { c: 'neg' } });
    expect(card.overall).toBe(-1.01);
    expect(card.level).toBeNull(); // below every cut-off
  });
});
