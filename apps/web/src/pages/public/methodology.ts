import type { Methodology } from '@dg/contracts';
import type { Condition, Rubric } from '@dg/survey-model';
import type { Lang } from '../../lib/dates';

/**
 * "How scores are made", written from the cycle's methodology data (`GET /public/cycles/:id/
 * methodology`, made by survey-model's `describeScoring` from the engine's own constants and the
 * cycle's rules). Every figure and every switch in these sentences comes from that data, so the
 * page cannot drift from what the engine does: change a rule and the sentence changes with it.
 * Pure functions of (data, language), unit-tested without a browser.
 */

export type MQuestion = Methodology['pillars'][number]['indicators'][number]['questions'][number];
export type Outcome = 'earned' | 'unanswered' | 'hidden' | 'not_applicable' | 'excluded' | 'rejected' | 'awaiting_acceptance';

/** Anchor ids on the methodology page: the scorecard page links each point to the rule that gave it. */
export const anchors = {
  question: (id: string) => `q-${id}`,
  outcome: (o: string) => `rule-outcome-${o}`,
  rubric: (kind: string) => `rule-rubric-${kind}`,
  level: (n: number) => `level-${n}`,
  pillar: (id: string) => `pillar-${id}`,
  indicator: (id: string) => `indicator-${id}`,
  aggregation: 'rule-aggregation',
  rubrics: 'rule-rubrics',
  weights: 'rule-weights',
  outcomes: 'rule-outcomes',
  answers: 'rule-answers',
  conditions: 'rule-conditions',
  rounding: 'rule-rounding',
  levels: 'rule-levels',
  ranking: 'rule-ranking',
  standardised: 'rule-standardised',
  questions: 'questions',
} as const;

type L<T = string> = Record<Lang, T>;
const say = (lang: Lang, text: L): string => text[lang];

/** A number as the rules wrote it (no grouping, up to 6 places: points like 0.25 stay exact). */
export function num(x: number, lang: Lang): string {
  return x.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { maximumFractionDigits: 6, useGrouping: false });
}

const points = (x: number, lang: Lang) => (lang === 'th' ? `${num(x, lang)} คะแนน` : `${num(x, lang)} ${x === 1 ? 'point' : 'points'}`);
const places = (n: number, lang: Lang) => (lang === 'th' ? `${n} ตำแหน่ง` : `${n} decimal ${n === 1 ? 'place' : 'places'}`);

/** An example of rounding half away from zero at `decimals` places, from strings (no float error): 1.005 → 1.01. */
export function roundingExample(decimals: number): { from: string; to: string } {
  if (decimals === 0) return { from: '2.5', to: '3' };
  return { from: `1.${'0'.repeat(decimals)}5`, to: `1.${'0'.repeat(decimals - 1)}1` };
}

// --- the opening paragraph ---

export function introSentences(m: Methodology, year: string, lang: Lang): string[] {
  const q = m.questionnaire;
  const r = m.rules;
  const t = m.totals;
  const out: string[] = [];
  out.push(
    lang === 'th'
      ? `คะแนนของหน่วยงานในปี ${year} คิดจากคำตอบในแบบสำรวจ “${q.title.th}” ฉบับที่ ${q.version} ตามเกณฑ์การให้คะแนน “${r.title.th}” ฉบับที่ ${r.version}`
      : `Scores for ${year} are made from the answers to the questionnaire “${q.title.en}” (version ${q.version}) by the scoring rules “${r.title.en}” (version ${r.version}).`,
  );
  if (q.sample || r.sample) {
    out.push(
      say(lang, {
        th: 'แบบสำรวจหรือเกณฑ์นี้เป็นตัวอย่างสำหรับทดลองใช้ระบบ ไม่ใช่เกณฑ์ทางการของ สพร.',
        en: 'The questionnaire or the rules are samples for trying the platform, not DGA’s official ones.',
      }),
    );
  }
  out.push(
    lang === 'th'
      ? `แบบสำรวจมี ${t.pillars} เสาหลัก ${t.indicators} ตัวชี้วัด รวม ${t.questions} ข้อ นำมาคิดคะแนน ${t.scoredQuestions} ข้อ${t.excludedQuestions ? ` (เกณฑ์ยกเว้นไม่นำมาคิด ${t.excludedQuestions} ข้อ)` : ''} ส่วน “${m.general.title.th}” (${m.general.questions} ข้อ) เป็นข้อมูลของหน่วยงาน ไม่นำมาคิดคะแนน`
      : `The questionnaire has ${t.pillars} pillars, ${t.indicators} indicators and ${t.questions} questions, of which ${t.scoredQuestions} are scored${t.excludedQuestions ? ` (${t.excludedQuestions} left out by the rules)` : ''}. “${m.general.title.en}” (${m.general.questions} questions) describes the agency and is not scored.`,
  );
  out.push(
    m.method === 'raw'
      ? say(lang, {
          th: 'คะแนนรวมเต็ม 100 ระดับความพร้อมและกลุ่มคะแนนดูจากคะแนนรวมที่ประกาศ (ปัดเศษแล้ว) จึงตรงกับตัวเลขที่เห็น',
          en: 'The overall score is out of 100; the maturity level and band follow from the published (rounded) overall score, so they match the figure people see.',
        })
      : say(lang, {
          th: 'รอบนี้ใช้วิธีมาตรฐาน: คะแนนรวมเต็ม 100 แต่ระดับความพร้อม กลุ่มคะแนน และอันดับ ดูจากดัชนีมาตรฐาน (0 ถึง 1) ที่เทียบกับหน่วยงานอื่น',
          en: 'This cycle uses the standardised method: the overall score is out of 100, but levels, bands and ranks follow the standardised index (0 to 1), which compares agencies with each other.',
        }),
  );
  return out;
}

// --- how a score is built ---

export function aggregationSentences(m: Methodology, lang: Lang): string[] {
  const out: string[] = [];
  const a = m.aggregation;
  if (a.indicator === 'weighted_mean_of_points_over_max') {
    out.push(
      say(lang, {
        th: 'คะแนนตัวชี้วัด = 100 × ผลรวมของ (น้ำหนักข้อ × คะแนนที่ได้ ÷ คะแนนสูงสุดของข้อ) ÷ ผลรวมน้ำหนักของข้อที่นับ ข้อที่คะแนนสูงสุดเป็น 0 ไม่นำมาหาร',
        en: 'Indicator score = 100 × Σ(question weight × points earned ÷ most points of the question) ÷ Σ weights of the questions that count. A question that can earn at most 0 is left out.',
      }),
    );
  }
  if (a.emptyIndicatorScoresZeroAndWeighs) {
    out.push(
      say(lang, {
        th: 'ตัวชี้วัดที่ไม่มีข้อใดนับเลย (เช่น ทุกข้อไม่เกี่ยวข้อง) ได้ 0 คะแนน และยังนับน้ำหนักในเสาหลักตามปกติ',
        en: 'An indicator with no question that counts (for example, every one not applicable) scores 0 and still weighs in its pillar.',
      }),
    );
  }
  if (a.pillar === 'weighted_mean_of_indicators') {
    out.push(
      say(lang, {
        th: 'คะแนนเสาหลัก = ค่าเฉลี่ยถ่วงน้ำหนักของคะแนนตัวชี้วัดในเสาหลักนั้น',
        en: 'Pillar score = the weighted mean of its indicators’ scores.',
      }),
    );
  }
  if (a.overall === 'weighted_mean_of_pillars') {
    out.push(
      say(lang, {
        th: 'คะแนนรวม = ค่าเฉลี่ยถ่วงน้ำหนักของคะแนนเสาหลัก ตามน้ำหนักในตารางด้านล่าง',
        en: 'Overall score = the weighted mean of the pillar scores, with the weights in the table below.',
      }),
    );
  }
  const d = m.defaultWeights;
  if (d.pillar === 1 && d.indicator === 1 && d.question === 1) {
    out.push(
      say(lang, {
        th: 'ข้อ ตัวชี้วัด หรือเสาหลักที่ไม่ได้กำหนดน้ำหนักไว้ มีน้ำหนักเท่ากับ 1',
        en: 'A question, indicator or pillar without a weight of its own weighs 1.',
      }),
    );
  }
  return out;
}

export function weightSourceText(source: 'rules' | 'questionnaire' | 'default', lang: Lang): string {
  return {
    rules: say(lang, { th: 'ตามเกณฑ์การให้คะแนน', en: 'from the scoring rules' }),
    questionnaire: say(lang, { th: 'ตามแบบสำรวจ', en: 'from the questionnaire' }),
    default: say(lang, { th: 'ค่าเริ่มต้น', en: 'default' }),
  }[source];
}

// --- rubrics per kind of question ---

export type RubricKey = 'yes_no' | 'single_choice' | 'multiple_choice' | 'range' | 'count' | 'evidence';

/** The rubric kinds this questionnaire uses (choice split into single and multiple), in a fixed order. */
export function rubricKinds(m: Methodology): RubricKey[] {
  const seen = new Set<RubricKey>();
  for (const p of m.pillars)
    for (const i of p.indicators)
      for (const q of i.questions) {
        if (!q.rubric) continue;
        const kind = q.rubric.kind;
        seen.add(kind === 'choice' ? (q.type === 'multiple_choice' ? 'multiple_choice' : 'single_choice') : kind);
      }
  return (['yes_no', 'single_choice', 'multiple_choice', 'range', 'count', 'evidence'] as const).filter((k) => seen.has(k));
}

export function rubricKindOf(q: MQuestion): RubricKey | null {
  if (!q.rubric) return null;
  return q.rubric.kind === 'choice' ? (q.type === 'multiple_choice' ? 'multiple_choice' : 'single_choice') : q.rubric.kind;
}

export function rubricTitle(kind: RubricKey, lang: Lang): string {
  return {
    yes_no: say(lang, { th: 'คำถามใช่หรือไม่ใช่', en: 'Yes or no questions' }),
    single_choice: say(lang, { th: 'คำถามเลือกตอบได้ข้อเดียว', en: 'Single choice questions' }),
    multiple_choice: say(lang, { th: 'คำถามเลือกตอบได้หลายข้อ', en: 'Multiple choice questions' }),
    range: say(lang, { th: 'คำถามตัวเลขและร้อยละ (ช่วงคะแนน)', en: 'Numbers and percentages (bands)' }),
    count: say(lang, { th: 'คำถามแบบรายการ (นับจำนวน)', en: 'Lists (counted)' }),
    evidence: say(lang, { th: 'หลักฐานประกอบ', en: 'Evidence' }),
  }[kind];
}

/** How a kind of question earns points, from the engine's switches in the data. */
export function rubricRule(kind: RubricKey, m: Methodology, lang: Lang): string[] {
  const a = m.aggregation;
  const dup = m.answers.duplicatesCountOnce;
  switch (kind) {
    case 'yes_no':
      return [
        say(lang, {
          th: 'ได้คะแนนตามที่เกณฑ์กำหนดไว้สำหรับคำตอบ ‘ใช่’ หรือ ‘ไม่ใช่’ ของข้อนั้น คะแนนสูงสุดคือค่าที่มากกว่าของทั้งสอง (ไม่ต่ำกว่า 0)',
          en: 'Earns the points the rules set for ‘yes’ or for ‘no’ on that question; its most is the larger of the two (never below 0).',
        }),
      ];
    case 'single_choice':
      return [
        say(lang, {
          th: 'ได้คะแนนของตัวเลือกที่เลือก ตัวเลือกที่เกณฑ์ไม่ได้ระบุคะแนนได้ 0 คะแนนสูงสุดคือคะแนนของตัวเลือกที่ดีที่สุด',
          en: 'Earns the points of the chosen option; an option the rules give no points earns 0. Its most is the best option’s points.',
        }),
      ];
    case 'multiple_choice':
      return [
        a.multipleChoice === 'sum_capped'
          ? say(lang, {
              th: 'ได้ผลรวมคะแนนของทุกตัวเลือกที่เลือก แต่ไม่เกินเพดานของข้อ (ถ้ากำหนดไว้) คะแนนสูงสุดคือผลรวมของตัวเลือกที่มีคะแนนบวก ไม่เกินเพดาน',
              en: 'Earns the sum of the chosen options’ points, at most the question’s cap when it has one. Its most is the sum of the positive options, capped.',
            })
          : '',
        ...(dup
          ? [say(lang, { th: 'ตัวเลือกที่ระบุซ้ำนับครั้งเดียว', en: 'An option listed twice counts once.' })]
          : []),
      ].filter(Boolean);
    case 'range':
      return a.range === 'first_band_min_inclusive_max_exclusive'
        ? [
            say(lang, {
              th: 'ใช้ช่วงแรกที่ค่าคำตอบอยู่ในช่วง โดยนับค่าต่ำสุดของช่วงด้วย แต่ไม่นับค่าสูงสุด (ต่ำสุด ≤ ค่า < สูงสุด) ช่วงที่ไม่ระบุปลายเป็นช่วงเปิด ค่าที่ไม่อยู่ในช่วงใดได้ 0',
              en: 'The first band the answer falls in counts, its lowest value included and its highest excluded (min ≤ value < max); a band without an end is open. A value in no band earns 0.',
            }),
          ]
        : [];
    case 'count':
      return a.count === 'per_item_capped'
        ? [
            say(lang, {
              th: 'ได้คะแนนต่อรายการ × จำนวนแถวที่กรอก (หรือจำนวนตัวเลือกที่เลือก) แต่ไม่เกินเพดานของข้อ',
              en: 'Earns the points per item × the rows entered (or the options chosen), at most the question’s cap.',
            }),
          ]
        : [];
    case 'evidence':
      return [
        say(lang, {
          th: 'ได้คะแนนเมื่อแนบไฟล์หลักฐานอย่างน้อย 1 ไฟล์ ข้อที่เกณฑ์กำหนดว่าต้องผ่านการตรวจ จะได้คะแนนเมื่อผู้ตรวจรับหลักฐานแล้วเท่านั้น',
          en: 'Earns its points once at least one file is attached; where the rules require acceptance, only once the operator has accepted the evidence.',
        }),
        ...(dup ? [say(lang, { th: 'ไฟล์ที่แนบซ้ำนับครั้งเดียว', en: 'A file attached twice counts once.' })] : []),
      ];
  }
}

/** The rubric of one question in words: what each answer earns. */
export function questionRubric(q: MQuestion, lang: Lang): string[] {
  const r = q.rubric as Rubric | null;
  if (!r) return [];
  switch (r.kind) {
    case 'yes_no':
      return [lang === 'th' ? `ใช่ ได้ ${points(r.yes, lang)} · ไม่ใช่ ได้ ${points(r.no, lang)}` : `Yes: ${points(r.yes, lang)} · No: ${points(r.no, lang)}`];
    case 'choice': {
      const lines = (q.options ?? []).map((o) => `${o.label[lang] || o.label.th}: ${points(o.points ?? 0, lang)}`);
      if (r.cap !== undefined) lines.push(lang === 'th' ? `รวมไม่เกิน ${points(r.cap, lang)}` : `At most ${points(r.cap, lang)} in all`);
      return lines;
    }
    case 'range':
      return r.bands.map((b) => `${bandRange(b.min, b.max, lang)}: ${points(b.points, lang)}`);
    case 'count':
      return [
        lang === 'th'
          ? `รายการละ ${points(r.perItem, lang)} ไม่เกิน ${points(r.cap, lang)}`
          : `${points(r.perItem, lang)} per item, at most ${points(r.cap, lang)}`,
      ];
    case 'evidence':
      return [
        lang === 'th'
          ? `แนบหลักฐานได้ ${points(r.points, lang)}${r.requireAccepted ? ' เมื่อผู้ตรวจรับหลักฐานแล้ว' : ''}`
          : `${points(r.points, lang)} with evidence attached${r.requireAccepted ? ', once the operator accepts it' : ''}`,
      ];
  }
}

function bandRange(min: number | undefined, max: number | undefined, lang: Lang): string {
  if (min !== undefined && max !== undefined)
    return lang === 'th' ? `${num(min, lang)} ถึงต่ำกว่า ${num(max, lang)}` : `${num(min, lang)} to under ${num(max, lang)}`;
  if (min !== undefined) return lang === 'th' ? `ตั้งแต่ ${num(min, lang)} ขึ้นไป` : `${num(min, lang)} or more`;
  if (max !== undefined) return lang === 'th' ? `ต่ำกว่า ${num(max, lang)}` : `under ${num(max, lang)}`;
  return lang === 'th' ? 'ทุกค่า' : 'any value';
}

// --- outcomes: answers that earn nothing ---

const OUTCOME_ORDER: Outcome[] = ['earned', 'unanswered', 'hidden', 'not_applicable', 'rejected', 'awaiting_acceptance', 'excluded'];

export function outcomeName(o: Outcome, lang: Lang): string {
  return {
    earned: say(lang, { th: 'ตอบแล้ว', en: 'answered' }),
    unanswered: say(lang, { th: 'ไม่ได้ตอบ', en: 'not answered' }),
    hidden: say(lang, { th: 'ไม่แสดงตามคำตอบข้ออื่น', en: 'hidden by another answer' }),
    not_applicable: say(lang, { th: 'ไม่เกี่ยวข้อง', en: 'not applicable' }),
    rejected: say(lang, { th: 'ผู้ตรวจไม่รับ', en: 'rejected by the operator' }),
    awaiting_acceptance: say(lang, { th: 'รอผู้ตรวจรับหลักฐาน', en: 'awaiting acceptance' }),
    excluded: say(lang, { th: 'เกณฑ์ไม่นำมาคิด', en: 'left out by the rules' }),
  }[o];
}

/** When an outcome happens (its meaning, fixed by the engine). */
function outcomeWhen(o: Outcome, m: Methodology, lang: Lang): string {
  return {
    earned: say(lang, { th: 'ข้อที่ตอบแล้วและไม่ถูกปฏิเสธ', en: 'the question was answered and not rejected' }),
    unanswered: say(lang, { th: 'ข้อที่แสดงแต่ไม่ได้ตอบ', en: 'the question was shown but not answered' }),
    hidden: say(lang, {
      th: 'ข้อที่ไม่แสดงเพราะเงื่อนไขจากคำตอบข้ออื่น',
      en: 'the question was not shown because of another answer',
    }),
    not_applicable: say(lang, {
      th: 'ข้อที่ไม่แสดงเพราะเงื่อนไขจากคำตอบข้ออื่น',
      en: 'the question was not shown because of another answer',
    }),
    rejected: say(lang, {
      th: `ผู้ตรวจไม่รับคำตอบหรือหลักฐานของข้อนั้น${m.answers.lastVerdictCounts ? ' (ถ้าผู้ตรวจตัดสินหลายครั้ง ใช้ครั้งล่าสุด)' : ''}`,
      en: `the operator rejected the answer or its evidence${m.answers.lastVerdictCounts ? ' (when there are several verdicts, the last one counts)' : ''}`,
    }),
    awaiting_acceptance: say(lang, {
      th: 'หลักฐานที่เกณฑ์กำหนดว่าต้องผ่านการตรวจ แต่ผู้ตรวจยังไม่ได้รับ',
      en: 'evidence the rules require to be accepted has not been accepted yet',
    }),
    excluded: say(lang, { th: 'ข้อที่เกณฑ์การให้คะแนนยกเว้นไว้', en: 'the scoring rules leave the question out' }),
  }[o];
}

/** The outcomes that can happen under these rules, each with when and how it counts (from the data). */
export function outcomeRules(m: Methodology, lang: Lang): { outcome: Outcome; name: string; when: string; counts: string }[] {
  const possible = (o: Outcome) =>
    o === 'hidden' ? m.hiddenQuestions === 'zero' : o === 'not_applicable' ? m.hiddenQuestions === 'exclude' : true;
  return OUTCOME_ORDER.filter((o) => o in m.outcomes && possible(o)).map((o) => {
    const rule = m.outcomes[o];
    const counts = !rule.counted
      ? say(lang, {
          th: 'ไม่นำมาคิดในตัวชี้วัด เหมือนไม่ได้ถามข้อนี้',
          en: 'left out of its indicator, as if it had not been asked',
        })
      : rule.points === 'rubric'
        ? say(lang, { th: 'ได้คะแนนตามเกณฑ์ของข้อ', en: 'earns what its rubric gives' })
        : say(lang, {
            th: 'ได้ 0 คะแนน และยังนับคะแนนสูงสุดของข้อในตัวชี้วัด (ดึงคะแนนตัวชี้วัดลง)',
            en: 'earns 0 and its most still counts in the indicator (lowering it)',
          });
    return { outcome: o, name: outcomeName(o, lang), when: outcomeWhen(o, m, lang), counts };
  });
}

/** What counts as an answer at all. */
export function answerRules(m: Methodology, lang: Lang): string[] {
  const out: string[] = [];
  if (m.answers.blankIsUnanswered)
    out.push(
      say(lang, {
        th: 'ข้อความที่มีแต่ช่องว่าง และรายการที่ว่าง ถือว่าไม่ได้ตอบ',
        en: 'Text of spaces only, and an empty list, count as not answered.',
      }),
    );
  if (m.answers.malformedIsUnanswered)
    out.push(
      say(lang, {
        th: 'คำตอบที่ไม่ตรงกับประเภทของข้อ (เช่น ข้อความในข้อตัวเลข) ไม่ได้คะแนน เหมือนไม่ได้ตอบ',
        en: 'An answer of the wrong kind (for example text in a number question) earns nothing, as if not answered.',
      }),
    );
  if (m.answers.duplicatesCountOnce)
    out.push(say(lang, { th: 'ตัวเลือกหรือไฟล์ที่ระบุซ้ำนับครั้งเดียว', en: 'An option or file listed twice counts once.' }));
  if (m.answers.lastVerdictCounts)
    out.push(
      say(lang, {
        th: 'ถ้าผู้ตรวจตัดสินข้อเดียวกันหลายครั้ง ใช้ผลการตัดสินครั้งล่าสุด',
        en: 'When the operator gave several verdicts on a question, the last one counts.',
      }),
    );
  return out;
}

/** How conditions (questions shown only for some answers) are read. */
export function conditionRules(m: Methodology, lang: Lang): string[] {
  const c = m.conditions;
  const out: string[] = [];
  if (c.strictComparison)
    out.push(
      say(lang, {
        th: 'เงื่อนไขเปรียบเทียบค่าแบบตรงตัว: ข้อความ “5” ไม่เท่ากับตัวเลข 5 และข้อความ “yes” ไม่เท่ากับคำตอบ ‘ใช่’',
        en: 'Conditions compare values strictly: the text “5” is not the number 5, and the text “yes” is not the answer ‘yes’.',
      }),
    );
  if (c.multipleChoiceContains)
    out.push(
      say(lang, {
        th: 'สำหรับคำถามเลือกได้หลายข้อ เงื่อนไข “ตอบ x” หมายถึง x อยู่ในตัวเลือกที่เลือก',
        en: 'On a multiple choice question, “answered x” means x is among the options chosen.',
      }),
    );
  if (c.hiddenQuestionHidesDependents)
    out.push(
      say(lang, {
        th: 'ข้อที่มีเงื่อนไขขึ้นกับข้อที่ไม่แสดง จะไม่แสดงด้วย แม้จะมีคำตอบเก่าค้างอยู่',
        en: 'A question whose condition names a hidden question is hidden too, whatever answer that question still holds.',
      }),
    );
  if (c.unansweredIsFalse)
    out.push(
      say(lang, {
        th: 'เงื่อนไขที่อ้างถึงข้อที่ยังไม่ได้ตอบ ถือว่าไม่เป็นจริง (ยกเว้นเงื่อนไข “ยังไม่ได้ตอบ”)',
        en: 'A condition on an unanswered question is false (except “not answered”).',
      }),
    );
  return out;
}

// --- rounding ---

export function roundingRules(m: Methodology, lang: Lang): string[] {
  const r = m.rounding;
  const out: string[] = [];
  if (r.mode === 'half_away_from_zero') {
    const ex = roundingExample(r.scores);
    out.push(
      lang === 'th'
        ? `การปัดเศษใช้วิธีปัดครึ่งออกจากศูนย์ เช่น ${ex.from} ปัดเป็น ${ex.to} และ −${ex.from} ปัดเป็น −${ex.to}`
        : `Rounding is half away from zero: ${ex.from} becomes ${ex.to} and −${ex.from} becomes −${ex.to}.`,
    );
  }
  if (r.fromExactValues)
    out.push(
      say(lang, {
        th: 'ทุกคะแนนคำนวณจากค่าที่แม่นยำ (เศษส่วน ไม่ใช่ทศนิยมที่ปัดแล้ว) แล้วปัดเพียงครั้งเดียวตอนแสดงผล คะแนนรวมจึงไม่ได้คำนวณจากคะแนนเสาหลักที่ปัดแล้ว',
        en: 'Every score is computed from exact values (fractions, not rounded decimals) and rounded once when reported, so the overall score is not computed from rounded pillar scores.',
      }),
    );
  out.push(
    lang === 'th'
      ? `คะแนนตัวชี้วัด เสาหลัก และคะแนนรวม ปัดเป็นทศนิยม ${places(r.scores, lang)} คะแนนรายข้อแสดงตามจริง ไม่เกิน ${places(r.points, lang)}`
      : `Indicator, pillar and overall scores are rounded to ${places(r.scores, lang)}; points per question are shown exactly, to at most ${places(r.points, lang)}.`,
  );
  if (r.statistics.from === 'reported_scores')
    out.push(
      lang === 'th'
        ? `สถิติของกลุ่ม (ค่าเฉลี่ย มัธยฐาน ควอร์ไทล์ ต่ำสุด สูงสุด) คำนวณจากคะแนนที่ประกาศของแต่ละหน่วยงาน (ปัดแล้ว) ใครก็คำนวณซ้ำจากตารางได้ แล้วปัดเป็นทศนิยม ${places(r.statistics.decimals, lang)}`
        : `Group statistics (mean, median, quartiles, lowest, highest) are computed from each agency’s published (rounded) score, so anyone can recompute them from the table, then rounded to ${places(r.statistics.decimals, lang)}.`,
    );
  if (r.change.from === 'reported_scores')
    out.push(
      lang === 'th'
        ? `การเปลี่ยนแปลงจากปีก่อน = คะแนนรวมที่ประกาศปีนี้ − คะแนนรวมที่ประกาศปีก่อน ปัดเป็นทศนิยม ${places(r.change.decimals, lang)} (คิดเฉพาะหน่วยงานที่มีคะแนนทั้งสองปี)`
        : `The change from last year = this year’s published overall score − last year’s published one, rounded to ${places(r.change.decimals, lang)} (only for agencies scored in both years).`,
    );
  if (r.standardised !== null)
    out.push(
      lang === 'th'
        ? `ค่า z ค่าที่ปรับสเกล และดัชนีมาตรฐาน ปัดเป็นทศนิยม ${places(r.standardised, lang)}`
        : `z-scores, scaled scores and the standardised index are rounded to ${places(r.standardised, lang)}.`,
    );
  return out;
}

// --- levels, bands, ranking, standardisation ---

export function cutoffRange(c: { min: number; below: number | null }, lang: Lang): string {
  return c.below === null
    ? lang === 'th'
      ? `ตั้งแต่ ${num(c.min, lang)} ขึ้นไป`
      : `${num(c.min, lang)} and above`
    : lang === 'th'
      ? `${num(c.min, lang)} ถึงต่ำกว่า ${num(c.below, lang)}`
      : `${num(c.min, lang)} to under ${num(c.below, lang)}`;
}

export function levelRules(m: Methodology, lang: Lang): string[] {
  const by =
    m.classifiedBy === 'reported_overall'
      ? say(lang, { th: 'คะแนนรวมที่ประกาศ (ปัดแล้ว)', en: 'the published (rounded) overall score' })
      : say(lang, { th: 'ดัชนีมาตรฐาน (0 ถึง 1)', en: 'the standardised index (0 to 1)' });
  const first = m.levels[0];
  return [
    lang === 'th'
      ? `ระดับความพร้อมและกลุ่มคะแนนดูจาก${by}: ได้ระดับสูงสุดที่คะแนนถึงเกณฑ์ขั้นต่ำของระดับนั้น`
      : `The maturity level and band follow ${by}: the highest one whose lowest score is reached.`,
    ...(first && first.min === 0
      ? [
          say(lang, {
            th: 'คะแนนที่ต่ำกว่า 0 (เกิดได้เมื่อเกณฑ์มีคะแนนติดลบ) ไม่มีระดับ',
            en: 'A score below 0 (possible only when the rules give negative points) has no level.',
          }),
        ]
      : []),
  ];
}

export function rankingRules(m: Methodology, lang: Lang): string[] {
  const r = m.ranking;
  const by =
    r.by === 'overall'
      ? say(lang, { th: 'คะแนนรวม', en: 'overall score' })
      : say(lang, { th: 'ดัชนีมาตรฐาน', en: 'standardised index' });
  const out = [
    lang === 'th'
      ? `จัดอันดับภายในแต่ละกลุ่มหน่วยงาน เรียงตาม${by}จากมากไปน้อย`
      : `Agencies are ranked within their group by ${by}, highest first.`,
  ];
  if (r.ties === 'shared_rank_skip_next')
    out.push(
      say(lang, {
        th: 'หน่วยงานที่ได้ค่าเท่ากันได้อันดับเดียวกัน และอันดับถัดไปข้ามไปตามจำนวนที่เท่ากัน (1, 2, 2, 4)',
        en: 'Equal values share a rank and the next rank skips the places they took (1, 2, 2, 4).',
      }),
    );
  if (r.tiesListedBy === 'agency_code')
    out.push(say(lang, { th: 'หน่วยงานที่อันดับร่วมกันเรียงตามรหัสหน่วยงาน', en: 'Tied agencies are listed by agency code.' }));
  return out;
}

export function standardisedRules(m: Methodology, lang: Lang): string[] {
  const s = m.standardised;
  if (!s)
    return [
      say(lang, {
        th: 'รอบนี้ไม่ใช้วิธีมาตรฐาน คะแนนและอันดับใช้คะแนนดิบ',
        en: 'This cycle does not use the standardised method: scores and ranks are raw scores.',
      }),
    ];
  const within =
    s.within === 'group'
      ? say(lang, { th: 'ภายในกลุ่มหน่วยงานเดียวกัน', en: 'within each agency group' })
      : say(lang, { th: 'ทุกหน่วยงานในรอบ', en: 'across the whole cycle' });
  return [
    lang === 'th'
      ? `เทียบคะแนนแต่ละเสาหลักของหน่วยงาน${within}: แปลงเป็นค่า z = (คะแนน − ค่าเฉลี่ย) ÷ ส่วนเบี่ยงเบนมาตรฐานของประชากร`
      : `Each pillar score is compared ${within}: z = (score − mean) ÷ the population standard deviation.`,
    say(lang, {
      th: 'ปรับค่า z ให้อยู่ระหว่าง 0 ถึง 1 ด้วยค่าต่ำสุดและสูงสุดของกลุ่ม: (z − z ต่ำสุด) ÷ (z สูงสุด − z ต่ำสุด)',
      en: 'z is rescaled to 0..1 by the lowest and highest of the group: (z − lowest z) ÷ (highest z − lowest z).',
    }),
    say(lang, {
      th: 'ดัชนีมาตรฐาน = ค่าเฉลี่ยถ่วงน้ำหนักของเสาหลักที่ปรับแล้ว ตามน้ำหนักเสาหลัก',
      en: 'The standardised index = the weighted mean of the rescaled pillars, with the pillar weights.',
    }),
    lang === 'th'
      ? `ถ้าทุกหน่วยงานในกลุ่มได้คะแนนเสาหลักเท่ากัน (รวมถึงกลุ่มที่มีหน่วยงานเดียว) ค่า z = ${s.sameScore.z} และค่าที่ปรับแล้วเป็น ${s.sameScore.scaledAbove0} ถ้าคะแนนมากกว่า 0 มิฉะนั้นเป็น ${s.sameScore.scaledOtherwise}`
      : `When every agency of the group has the same pillar score (also a group of one), z = ${s.sameScore.z} and the scaled score is ${s.sameScore.scaledAbove0} if that score is above 0, else ${s.sameScore.scaledOtherwise}.`,
  ];
}

// --- conditions of one question, in words ---

export interface QuestionRef {
  text: { th: string; en: string };
  options: { value: string; label: { th: string; en: string } }[] | null;
}

function valueText(v: string | number | boolean, ref: QuestionRef | undefined, lang: Lang): string {
  if (typeof v === 'boolean') return v ? say(lang, { th: '‘ใช่’', en: '‘yes’' }) : say(lang, { th: '‘ไม่ใช่’', en: '‘no’' });
  const option = ref?.options?.find((o) => o.value === v);
  return option ? `‘${option.label[lang] || option.label.th}’` : typeof v === 'number' ? num(v, lang) : `‘${v}’`;
}

/** "แสดงเมื่อข้อ “มีนโยบาย…” ตอบ ‘ใช่’": the condition as a person reads it, with the questions' texts. */
export function conditionText(c: Condition, refs: ReadonlyMap<string, QuestionRef>, lang: Lang): string {
  if ('all' in c) return c.all.map((x) => conditionText(x, refs, lang)).join(lang === 'th' ? ' และ ' : ' and ');
  if ('any' in c) return c.any.map((x) => conditionText(x, refs, lang)).join(lang === 'th' ? ' หรือ ' : ' or ');
  if ('not' in c) return lang === 'th' ? `ไม่ใช่กรณีที่ ${conditionText(c.not, refs, lang)}` : `not when ${conditionText(c.not, refs, lang)}`;
  const ref = refs.get(c.question);
  const q = ref ? `“${ref.text[lang] || ref.text.th}”` : c.question;
  const subject = lang === 'th' ? `ข้อ ${q}` : `${q}`;
  if ('answered' in c)
    return c.answered
      ? lang === 'th'
        ? `ตอบ${subject}แล้ว`
        : `${subject} is answered`
      : lang === 'th'
        ? `ยังไม่ได้ตอบ${subject}`
        : `${subject} is not answered`;
  if ('equals' in c) return lang === 'th' ? `${subject} ตอบ ${valueText(c.equals, ref, lang)}` : `${subject} is ${valueText(c.equals, ref, lang)}`;
  if ('in' in c) {
    const list = c.in.map((v) => valueText(v, ref, lang)).join(lang === 'th' ? ' หรือ ' : ' or ');
    return lang === 'th' ? `${subject} ตอบ ${list}` : `${subject} is ${list}`;
  }
  const parts: string[] = [];
  const add = (th: string, en: string, v: number | undefined) => {
    if (v !== undefined) parts.push(lang === 'th' ? `${th} ${num(v, lang)}` : `${en} ${num(v, lang)}`);
  };
  add('มากกว่า', 'above', c.gt);
  add('ตั้งแต่', 'at least', c.gte);
  add('น้อยกว่า', 'below', c.lt);
  add('ไม่เกิน', 'at most', c.lte);
  return `${subject} ${parts.join(lang === 'th' ? ' และ ' : ' and ')}`;
}

/** Every question of the methodology by id, for conditions that name another question. */
export function questionRefs(m: Methodology): Map<string, QuestionRef> {
  const map = new Map<string, QuestionRef>();
  for (const p of m.pillars)
    for (const i of p.indicators) for (const q of i.questions) map.set(q.id, { text: q.text, options: q.options });
  return map;
}
