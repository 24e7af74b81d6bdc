import { z } from 'zod';
import { questionIndex } from '../answers';
import type { DefinitionProblem } from '../definition';
import { Text, type Pillar, type Questionnaire } from '../format';
import { ID_FORMAT, pathOf } from '../labels';
import { schemaProblems } from '../schema-problems';
import { Rational } from './exact';

/** Bump when the same inputs could give a different scorecard (semantics, rounding, reasons). */
export const ENGINE_VERSION = '1.0.0';

// The questionnaire's id format (format.ts keeps its schema private): rule ids travel the same ways.
const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, ID_FORMAT);

const Cutoff = { name: Text, min: z.number() };

/**
 * How one cycle's answers become scores. Data that DGA authors per cycle next to the questionnaire,
 * so it is strict like the format: a misspelt key is an error, not a silently ignored setting.
 */
export const ScoringRules = z
  .strictObject({
    formatVersion: z.literal(1),
    id: Id,
    version: z.int().min(1).meta({ description: "The author's version of these rules" }),
    questionnaireId: Id.meta({ description: 'The `id` of the questionnaire these rules score' }),
    questionnaireVersion: z.int().min(1),
    title: Text,
    sample: z.boolean().optional().meta({ description: 'Sample rules, not official ones' }),
    method: z.enum(['raw', 'standardised']),
    standardiseWithin: z.enum(['group', 'cycle']).optional().meta({
      description: "standardised: the cohort is each agency group or the whole cycle (default 'group')",
    }),
    hiddenQuestions: z.enum(['zero', 'exclude']).optional().meta({
      description:
        "A question hidden by a condition counts 0 of its points ('zero', default) or is left out ('exclude')",
    }),
    pillarWeights: z.record(z.string(), z.number().positive()).optional().meta({
      description: "Pillar id -> weight; replaces the questionnaire's; every pillar, summing to 100",
    }),
    questionWeights: z
      .record(z.string(), z.number().nonnegative())
      .optional()
      .meta({ description: "Question id -> weight within its indicator; replaces the question's" }),
    excludeQuestions: z.array(z.string()).optional().meta({ description: 'Scored questions left out' }),
    levels: z.array(z.strictObject({ level: z.literal([1, 2, 3, 4, 5]), ...Cutoff })).meta({
      description: 'The five maturity levels, 1..5, by lowest score (0..100 raw, 0..1 standardised)',
    }),
    bands: z
      .array(z.strictObject({ id: Id, ...Cutoff }))
      .min(1)
      .meta({ description: 'Bands by lowest score, the first at 0 (same scale as levels)' }),
    decimals: z
      .int()
      .min(0)
      .max(4)
      .optional()
      .meta({ description: 'Places scores are rounded to (default 2)' }),
  })
  .meta({ title: 'Scoring rules', description: 'เกณฑ์การให้คะแนน: how one questionnaire is scored' });
export type ScoringRules = z.infer<typeof ScoringRules>;

export type RulesResult = { ok: true; rules: ScoringRules } | { ok: false; problems: DefinitionProblem[] };

export const DEFAULT_DECIMALS = 2;

/** Own keys only: an id such as "constructor" must not find Object.prototype. */
export function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The weight a pillar is scored with: the rules', else the questionnaire's, else 1. */
export function pillarWeight(rules: ScoringRules, p: Pillar): number {
  return ownValue(rules.pillarWeights, p.id) ?? p.weight ?? 1;
}

/**
 * Checks rules against the questionnaire they score and names every problem (Thai and English),
 * in the same shape as validateDefinition. The shape is checked first; the checks against the
 * questionnaire need well-formed rules, so they run once the shape is right.
 */
export function validateRules(input: unknown, questionnaire: Questionnaire): RulesResult {
  const parsed = ScoringRules.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(schemaProblems) };
  const problems = checkRules(parsed.data, questionnaire);
  return problems.length ? { ok: false, problems } : { ok: true, rules: parsed.data };
}

function checkRules(r: ScoringRules, q: Questionnaire): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, code: string, message: string, messageTh: string) =>
    problems.push({ path, code, message, messageTh });

  if (r.questionnaireId !== q.id) {
    add(
      'questionnaireId',
      'RULES_QUESTIONNAIRE_MISMATCH',
      `these rules are for questionnaire "${r.questionnaireId}", not "${q.id}"`,
      `เกณฑ์นี้ใช้กับแบบสำรวจ "${r.questionnaireId}" ไม่ใช่ "${q.id}"`,
    );
  }
  if (r.questionnaireVersion !== q.version) {
    add(
      'questionnaireVersion',
      'RULES_QUESTIONNAIRE_MISMATCH',
      `these rules are for version ${r.questionnaireVersion} of the questionnaire, not version ${q.version}`,
      `เกณฑ์นี้ใช้กับแบบสำรวจฉบับที่ ${r.questionnaireVersion} ไม่ใช่ฉบับที่ ${q.version}`,
    );
  }

  pillarWeights(r, q, add);
  questions(r, q, add);

  const scale = r.method === 'raw' ? 100 : 1;
  cutoffs('levels', r.levels, scale, add);
  cutoffs('bands', r.bands, scale, add);
  if (r.levels.length !== 5 || r.levels.some((l, i) => l.level !== i + 1)) {
    add(
      'levels',
      'LEVELS',
      `there must be exactly five levels, 1 to 5 in order; found ${r.levels.map((l) => l.level).join(', ') || 'none'}`,
      `ต้องมีระดับ 1 ถึง 5 ครบห้าระดับตามลำดับ แต่พบ ${r.levels.map((l) => l.level).join(', ') || 'ไม่มี'}`,
    );
  }
  const seen = new Set<string>();
  r.bands.forEach((b, i) => {
    if (seen.has(b.id)) {
      add(`bands[${i}].id`, 'DUPLICATE_ID', `band id "${b.id}" is used twice`, `รหัสกลุ่ม "${b.id}" ซ้ำ`);
    }
    seen.add(b.id);
  });
  return problems;
}

type Add = (path: string, code: string, message: string, messageTh: string) => void;

function pillarWeights(r: ScoringRules, q: Questionnaire, add: Add) {
  const hundred = Rational.of(100n);
  if (r.pillarWeights) {
    const ids = new Set(q.pillars.map((p) => p.id));
    for (const key of Object.keys(r.pillarWeights)) {
      if (!ids.has(key)) {
        add(
          pathOf(['pillarWeights', key]),
          'UNKNOWN_PILLAR',
          `the questionnaire has no pillar "${key}"`,
          `แบบสำรวจไม่มีเสาหลัก "${key}"`,
        );
      }
    }
    for (const p of q.pillars) {
      if (ownValue(r.pillarWeights, p.id) === undefined) {
        add(
          'pillarWeights',
          'PILLAR_WEIGHT_MISSING',
          `pillar ${p.id} has no weight; name every pillar`,
          `ไม่ได้กำหนดน้ำหนักของเสาหลัก ${p.id} ต้องกำหนดให้ครบทุกเสาหลัก`,
        );
      }
    }
    // Exact: 33.3 + 33.3 + 33.4 is 100, whatever floating point says.
    const sum = Rational.sum(Object.values(r.pillarWeights).map(Rational.from));
    if (sum.cmp(hundred) !== 0) {
      const s = sum.toFixed(6).replace(/\.?0+$/, '');
      add(
        'pillarWeights',
        'WEIGHTS_SUM',
        `pillar weights sum to ${s}, not 100`,
        `น้ำหนักของเสาหลักรวมกันได้ ${s} ต้องรวมเป็น 100`,
      );
    }
  } else if (q.pillars.some((p) => p.weight !== undefined)) {
    // No weights anywhere means equal weights; once the questionnaire gives some, they must add up.
    const sum = Rational.sum(q.pillars.map((p) => Rational.from(p.weight ?? 1)));
    if (sum.cmp(hundred) !== 0) {
      const s = sum.toFixed(6).replace(/\.?0+$/, '');
      add(
        'pillarWeights',
        'WEIGHTS_SUM',
        `the questionnaire's pillar weights sum to ${s}, not 100; give pillarWeights in the rules`,
        `น้ำหนักของเสาหลักในแบบสำรวจรวมกันได้ ${s} ไม่ใช่ 100 ให้กำหนด pillarWeights ในเกณฑ์`,
      );
    }
  }
}

function questions(r: ScoringRules, q: Questionnaire, add: Add) {
  const index = questionIndex(q);
  const known = (id: string, path: string): boolean => {
    const entry = index.get(id);
    if (!entry) {
      add(path, 'UNKNOWN_QUESTION', `the questionnaire has no question "${id}"`, `แบบสำรวจไม่มีข้อ "${id}"`);
      return false;
    }
    if (!entry.question.rubric || entry.pillarId === null) {
      add(
        path,
        'NOT_SCORED',
        `question ${id} has no rubric, so it is not scored`,
        `ข้อ ${id} ไม่มีเกณฑ์ให้คะแนน จึงไม่ได้นำมาคิดคะแนน`,
      );
      return false;
    }
    return true;
  };
  for (const id of Object.keys(r.questionWeights ?? {})) known(id, pathOf(['questionWeights', id]));
  const excluded = new Set<string>();
  (r.excludeQuestions ?? []).forEach((id, i) => {
    if (known(id, `excludeQuestions[${i}]`)) excluded.add(id);
  });
  for (const p of q.pillars) {
    for (const ind of p.indicators) {
      const scored = ind.questions.filter((x) => x.rubric);
      if (scored.length && scored.every((x) => excluded.has(x.id))) {
        add(
          'excludeQuestions',
          'INDICATOR_EMPTY',
          `every scored question of indicator ${ind.id} is excluded, so it cannot be scored`,
          `ตัวชี้วัด ${ind.id} ไม่เหลือข้อที่คิดคะแนนได้ เพราะถูกยกเว้นทุกข้อ`,
        );
      }
    }
  }
}

/** Cut-offs start at 0, rise strictly and stay on the method's scale (0..100 raw, 0..1 standardised). */
function cutoffs(key: 'levels' | 'bands', list: { min: number }[], scale: number, add: Add) {
  const what = key === 'levels' ? ['level', 'ระดับ'] : ['band', 'กลุ่ม'];
  if (list.length && list[0].min !== 0) {
    add(
      `${key}[0].min`,
      'CUTOFFS_START',
      `the first ${what[0]} must start at 0, not ${list[0].min}`,
      `${what[1]}แรกต้องเริ่มที่ 0 ไม่ใช่ ${list[0].min}`,
    );
  }
  list.forEach((c, i) => {
    if (c.min < 0 || c.min > scale) {
      add(
        `${key}[${i}].min`,
        'CUTOFFS_SCALE',
        `${c.min} is outside the scale 0..${scale} of this method`,
        `${c.min} อยู่นอกช่วงคะแนน 0..${scale} ของวิธีนี้`,
      );
    }
    if (i > 0 && c.min <= list[i - 1].min) {
      add(
        `${key}[${i}].min`,
        'CUTOFFS_ORDER',
        `${c.min} must be above the previous ${what[0]}'s ${list[i - 1].min}`,
        `${c.min} ต้องมากกว่าค่าของ${what[1]}ก่อนหน้า (${list[i - 1].min})`,
      );
    }
  });
}


export interface Classification {
  level: { level: number; name: { th: string; en: string } } | null;
  band: { id: string; name: { th: string; en: string } } | null;
}

/**
 * The highest level and band whose `min` is at or below the value (null below the first, which only
 * a negative value is). Pass the reported (rounded) figure, so the level matches the score people see.
 */
export function classify(value: number, rules: ScoringRules): Classification {
  const best = <T extends { min: number }>(list: T[]): T | undefined =>
    list.reduce<T | undefined>(
      (top, c) => (c.min <= value && (!top || c.min > top.min) ? c : top),
      undefined,
    );
  const l = best(rules.levels);
  const b = best(rules.bands);
  return {
    level: l ? { level: l.level, name: l.name } : null,
    band: b ? { id: b.id, name: b.name } : null,
  };
}
