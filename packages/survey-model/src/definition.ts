import { forEachLeaf, referencedIds, type Leaf } from './conditions';
import { Questionnaire, type Question, type QuestionType, type Rubric } from './format';
import {
  CHOICE_TYPES,
  NUMERIC_TYPES,
  pathOf,
  show,
  TYPE_TH,
} from './labels';
import { schemaProblems } from './schema-problems';

/** One thing wrong with a questionnaire definition; `path` points into the definition. */
export interface DefinitionProblem {
  path: string;
  code: string;
  message: string;
  messageTh: string;
}

export type DefinitionResult =
  { ok: true; questionnaire: Questionnaire } | { ok: false; problems: DefinitionProblem[] };

/**
 * Checks a questionnaire definition and names every problem, so an author fixes a file in one pass.
 * The shape is checked first (SCHEMA); the deeper checks need a well-formed questionnaire, so they
 * run once the shape is right.
 */
export function validateDefinition(input: unknown): DefinitionResult {
  const parsed = Questionnaire.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(schemaProblems) };
  const problems = new DefinitionChecker(parsed.data).run();
  return problems.length ? { ok: false, problems } : { ok: true, questionnaire: parsed.data };
}

/** Which rubric kind scores which question type; null: the type is never scored. */
const RUBRIC_FOR: Record<QuestionType, Rubric['kind'] | null> = {
  yes_no: 'yes_no',
  single_choice: 'choice',
  multiple_choice: 'choice',
  number: 'range',
  percentage: 'range',
  text: null,
  url: null,
  evidence: 'evidence',
  repeating_group: 'count',
};

/** Type-specific keys and the types they belong to: a key elsewhere is an authoring mistake. */
const APPLIES_TO: [keyof Question, readonly QuestionType[]][] = [
  ['options', CHOICE_TYPES],
  ['unit', NUMERIC_TYPES],
  ['min', NUMERIC_TYPES],
  ['max', NUMERIC_TYPES],
  ['integer', ['number']],
  ['maxLength', ['text']],
  ['minItems', ['repeating_group']],
  ['maxItems', ['repeating_group']],
  ['fields', ['repeating_group']],
  ['evidence', ['evidence']],
  ['prefill', ['single_choice']],
];

type Scope = 'general' | 'pillar' | 'field';

class DefinitionChecker {
  private readonly problems: DefinitionProblem[] = [];
  /** Every pillar, indicator and question id -> where it was first used. */
  private readonly ids = new Map<string, string>();
  /** Top-level questions (the ones conditions may name) and their paths, in document order. */
  private readonly questions = new Map<string, { question: Question; path: string }>();

  constructor(private readonly q: Questionnaire) {}

  run(): DefinitionProblem[] {
    this.q.general.questions.forEach((x, i) => this.question(x, `general.questions[${i}]`, 'general'));
    this.q.pillars.forEach((p, pi) => {
      const pp = `pillars[${pi}]`;
      this.id(p.id, pp);
      this.weight(p.weight, pp);
      if (p.number !== pi + 1) {
        this.add(
          `${pp}.number`,
          'PILLAR_NUMBERS',
          `pillar ${p.id} is numbered ${p.number}; pillars are numbered 1..n in order, so this one is ${pi + 1}`,
          `เสาหลัก ${p.id} มีหมายเลข ${p.number} แต่ต้องเรียงหมายเลข 1..n ตามลำดับโดยไม่เว้น ข้อนี้ควรเป็น ${pi + 1}`,
        );
      }
      p.indicators.forEach((ind, ii) => {
        const ip = `${pp}.indicators[${ii}]`;
        this.id(ind.id, ip);
        this.weight(ind.weight, ip);
        ind.questions.forEach((x, qi) => this.question(x, `${ip}.questions[${qi}]`, 'pillar'));
      });
    });
    // Conditions last: they may name questions that come later in the document.
    for (const { question, path } of this.questions.values()) this.condition(question, path);
    this.cycles();
    return this.problems;
  }

  private add(path: string, code: string, message: string, messageTh: string) {
    this.problems.push({ path, code, message, messageTh });
  }

  private id(id: string, path: string, seen = this.ids) {
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, path);
      return;
    }
    this.add(
      `${path}.id`,
      'DUPLICATE_ID',
      `id "${id}" is already used at ${first}`,
      `รหัส "${id}" ซ้ำกับที่ใช้แล้วที่ ${first}`,
    );
  }

  private weight(w: number | undefined, path: string) {
    if (w !== undefined && w < 0) {
      this.add(`${path}.weight`, 'WEIGHT_INVALID', `weight ${w} is negative`, `น้ำหนัก ${w} ต้องไม่ติดลบ`);
    }
  }

  private question(x: Question, path: string, scope: Scope, groupIds?: Map<string, string>) {
    this.id(x.id, path, groupIds);
    if (scope !== 'field' && !this.questions.has(x.id)) this.questions.set(x.id, { question: x, path });
    const th = TYPE_TH[x.type];

    for (const [key, types] of APPLIES_TO) {
      if (x[key] !== undefined && !types.includes(x.type)) {
        this.add(
          `${path}.${key}`,
          'PROPERTY_NOT_APPLICABLE',
          `"${key}" does not apply to a ${x.type} question`,
          `"${key}" ใช้กับคำถามประเภท${th}ไม่ได้`,
        );
      }
    }
    if (x.weight !== undefined && scope !== 'pillar') {
      this.add(
        `${path}.weight`,
        'PROPERTY_NOT_APPLICABLE',
        'weight has no effect: this question is not scored',
        'น้ำหนักไม่มีผล เพราะข้อนี้ไม่นำไปคิดคะแนน',
      );
    } else this.weight(x.weight, path);

    if (CHOICE_TYPES.includes(x.type)) this.options(x, path);
    this.ranges(x, path);
    if (x.rubric) this.rubric(x, x.rubric, path, scope);

    if (scope === 'field') {
      // A row holds plain values: no nested lists, no files, no per-cell conditions.
      if (x.type === 'repeating_group' || x.type === 'evidence') {
        this.add(
          `${path}.type`,
          'FIELD_INVALID',
          `a repeating-group field cannot be ${x.type}`,
          `ช่องในรายการหลายแถวเป็นประเภท${th}ไม่ได้`,
        );
      }
      if (x.visibleIf) {
        this.add(
          `${path}.visibleIf`,
          'FIELD_INVALID',
          'a repeating-group field cannot have a condition; put it on the group',
          'ช่องในรายการหลายแถวมีเงื่อนไขการแสดงไม่ได้ ให้กำหนดที่ตัวรายการ',
        );
      }
    } else if (x.type === 'repeating_group') {
      if (!x.fields?.length) {
        this.add(
          `${path}.fields`,
          'FIELDS_REQUIRED',
          'a repeating group needs at least one field',
          'รายการหลายแถวต้องมีอย่างน้อยหนึ่งช่อง',
        );
      } else {
        const fieldIds = new Map<string, string>();
        x.fields.forEach((f, i) => this.question(f, `${path}.fields[${i}]`, 'field', fieldIds));
      }
    }
  }

  private options(x: Question, path: string) {
    const options = x.options ?? [];
    if (options.length < 2) {
      this.add(
        `${path}.options`,
        'OPTIONS_REQUIRED',
        'a choice question needs at least two options',
        'คำถามแบบเลือกตอบต้องมีตัวเลือกอย่างน้อยสองตัว',
      );
    }
    const seen = new Set<string>();
    options.forEach((o, i) => {
      if (seen.has(o.value)) {
        this.add(
          `${path}.options[${i}].value`,
          'OPTIONS_DUPLICATE',
          `option value "${o.value}" appears twice`,
          `ค่าตัวเลือก "${o.value}" ซ้ำ`,
        );
      }
      seen.add(o.value);
    });
  }

  private ranges(x: Question, path: string) {
    const invalid = (where: string, en: string, th: string) =>
      this.add(`${path}${where}`, 'RANGE_INVALID', en, th);
    if (x.min !== undefined && x.max !== undefined && x.min > x.max) {
      invalid('.min', `min ${x.min} is greater than max ${x.max}`, `ค่าต่ำสุด ${x.min} มากกว่าค่าสูงสุด ${x.max}`);
    }
    if (x.type === 'percentage') {
      for (const key of ['min', 'max'] as const) {
        const v = x[key];
        if (v !== undefined && (v < 0 || v > 100)) {
          invalid(`.${key}`, `${key} ${v} is outside 0..100`, `ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 (${v})`);
        }
      }
    }
    if (x.minItems !== undefined && x.maxItems !== undefined && x.minItems > x.maxItems) {
      invalid(
        '.minItems',
        `minItems ${x.minItems} is greater than maxItems ${x.maxItems}`,
        `จำนวนแถวขั้นต่ำ ${x.minItems} มากกว่าจำนวนแถวสูงสุด ${x.maxItems}`,
      );
    }
  }

  private rubric(x: Question, r: Rubric, path: string, scope: Scope) {
    const rp = `${path}.rubric`;
    const expected = RUBRIC_FOR[x.type];
    if (scope !== 'pillar' || expected === null) {
      const [en, th] =
        scope === 'general'
          ? ['questions in the general block are not scored', 'คำถามในส่วนข้อมูลทั่วไปไม่นำไปคิดคะแนน']
          : scope === 'field'
            ? [
                'fields of a repeating group are not scored; score the group with a count rubric',
                'ช่องในรายการหลายแถวไม่คิดคะแนนแยก ให้ใช้เกณฑ์แบบนับจำนวนที่ตัวรายการ',
              ]
            : [`${x.type} answers are not scored`, `คำตอบประเภท${TYPE_TH[x.type]}ไม่นำไปคิดคะแนน`];
      this.add(rp, 'RUBRIC_NOT_SCORABLE', en, th);
      return;
    }
    if (r.kind !== expected) {
      this.add(
        `${rp}.kind`,
        'RUBRIC_MISMATCH',
        `a ${x.type} question is scored with a "${expected}" rubric, not "${r.kind}"`,
        `คำถามประเภท${TYPE_TH[x.type]}ต้องใช้เกณฑ์แบบ "${expected}" ไม่ใช่ "${r.kind}"`,
      );
      return;
    }
    if (r.kind === 'choice') {
      const values = new Set((x.options ?? []).map((o) => o.value));
      for (const key of Object.keys(r.points)) {
        if (!values.has(key)) {
          this.add(
            `${rp}.${pathOf(['points', key])}`,
            'RUBRIC_MISMATCH',
            `points name "${key}", which is not an option of ${x.id}`,
            `เกณฑ์ให้คะแนนตัวเลือก "${key}" ซึ่งไม่มีในคำถาม ${x.id}`,
          );
        }
      }
    }
    if (r.kind === 'range') {
      r.bands.forEach((b, i) => {
        if (b.min !== undefined && b.max !== undefined && b.min >= b.max) {
          this.add(
            `${rp}.bands[${i}]`,
            'RANGE_INVALID',
            `band min ${b.min} must be below max ${b.max} (max is exclusive)`,
            `ช่วงคะแนนมีค่าต่ำสุด ${b.min} ไม่น้อยกว่าค่าสูงสุด ${b.max}`,
          );
        }
      });
    }
  }

  private condition(x: Question, path: string) {
    if (!x.visibleIf) return;
    forEachLeaf(x.visibleIf, (leaf, sub) => {
      const at = `${path}.visibleIf${sub}`;
      if (leaf.question === x.id) {
        this.add(
          at,
          'SELF_REFERENCE',
          `the condition of ${x.id} names ${x.id} itself`,
          `เงื่อนไขของข้อ ${x.id} อ้างถึงข้อตัวเอง`,
        );
        return;
      }
      const target = this.questions.get(leaf.question)?.question;
      if (!target) {
        this.add(
          at,
          'UNKNOWN_REFERENCE',
          `the condition names question "${leaf.question}", which does not exist (or is a group field)`,
          `เงื่อนไขอ้างถึงข้อ "${leaf.question}" ซึ่งไม่มีอยู่ (หรือเป็นช่องในรายการ)`,
        );
        return;
      }
      const wrong = leafTypeProblem(leaf, target);
      if (wrong) this.add(at, 'CONDITION_TYPE', wrong[0], wrong[1]);
    });
  }

  /** Visibility that depends on itself through other questions can never be decided. */
  private cycles() {
    const edges = new Map<string, string[]>();
    for (const [id, { question }] of this.questions) {
      const refs = question.visibleIf ? referencedIds(question.visibleIf) : [];
      edges.set(
        id,
        refs.filter((r) => r !== id && this.questions.has(r)),
      );
    }
    for (const component of stronglyConnected([...this.questions.keys()], edges)) {
      if (component.length < 2) continue; // a lone question refers to itself: SELF_REFERENCE already
      const first = this.questions.get(component[0])!;
      const list = component.join(', ');
      this.add(
        `${first.path}.visibleIf`,
        'CONDITION_CYCLE',
        `questions ${list} decide each other's visibility in a loop`,
        `ข้อ ${list} มีเงื่อนไขการแสดงที่อ้างถึงกันเป็นวง`,
      );
    }
  }
}

/** Why a leaf cannot test its question, or null when it can. Returns [English, Thai]. */
function leafTypeProblem(leaf: Leaf, target: Question): [string, string] | null {
  const t = target.type;
  const th = TYPE_TH[t];
  if ('answered' in leaf) return null;
  if (!('equals' in leaf) && !('in' in leaf)) {
    return NUMERIC_TYPES.includes(t)
      ? null
      : [
          `gt/gte/lt/lte compare numbers; ${target.id} is ${t}`,
          `การเปรียบเทียบมากกว่า/น้อยกว่าใช้กับตัวเลขเท่านั้น แต่ข้อ ${target.id} เป็นประเภท${th}`,
        ];
  }
  const op = 'equals' in leaf ? 'equals' : 'in';
  const values: unknown[] = 'equals' in leaf ? [leaf.equals] : leaf.in;
  if (CHOICE_TYPES.includes(t)) {
    const options = new Set((target.options ?? []).map((o) => o.value));
    const bad = values.filter((v) => typeof v !== 'string' || !options.has(v));
    return bad.length
      ? [
          `${bad.map(show).join(', ')} is not an option of ${target.id}`,
          `${bad.map(show).join(', ')} ไม่ใช่ตัวเลือกของข้อ ${target.id}`,
        ]
      : null;
  }
  const expected =
    t === 'yes_no'
      ? 'boolean'
      : NUMERIC_TYPES.includes(t)
        ? 'number'
        : t === 'text' || t === 'url'
          ? 'string'
          : null;
  if (expected === null || (op === 'in' && expected === 'boolean')) {
    return [
      `"${op}" cannot test a ${t} question (${target.id}); use "answered"`,
      `ใช้ "${op}" กับข้อ ${target.id} ประเภท${th}ไม่ได้ ให้ใช้ "answered"`,
    ];
  }
  const bad = values.filter((v) => typeof v !== expected);
  return bad.length
    ? [
        `${target.id} is ${t}: compare it with a ${expected}, not ${bad.map(show).join(', ')}`,
        `ข้อ ${target.id} เป็นประเภท${th} ค่าที่ใช้เปรียบเทียบ ${bad.map(show).join(', ')} ไม่ถูกชนิด`,
      ]
    : null;
}

/** Tarjan's strongly connected components, each in document order, components in document order. */
function stronglyConnected(nodes: string[], edges: Map<string, string[]>): string[][] {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort((a, b) => order.get(a)! - order.get(b)!));
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out.sort((a, b) => order.get(a[0])! - order.get(b[0])!);
}

