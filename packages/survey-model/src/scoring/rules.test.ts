import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateDefinition } from '../definition';
import type { Questionnaire } from '../format';
import { sample2565, sampleRules2565 } from '../samples';
import { classify, validateRules, type ScoringRules } from './rules';

const t = (en: string, th = en) => ({ th, en });

function valid(json: unknown): Questionnaire {
  const r = validateDefinition(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.questionnaire;
}

const yes = (id: string) => ({ id, type: 'yes_no', text: t(id), rubric: { kind: 'yes_no', yes: 1, no: 0 } });

function questionnaire(weights: [number | undefined, number | undefined] = [40, 60]): Questionnaire {
  return valid({
    formatVersion: 1,
    id: 'rules-q',
    version: 2,
    cycleYear: 2566,
    title: t('Q'),
    general: { title: t('General'), questions: [{ id: 'g_name', type: 'text', text: t('Name') }] },
    pillars: [
      {
        id: 'pa',
        number: 1,
        title: t('A'),
        weight: weights[0],
        indicators: [
          {
            id: 'ia',
            title: t('IA'),
            questions: [yes('a1'), yes('a2'), { id: 'a_note', type: 'text', text: t('n') }],
          },
        ],
      },
      {
        id: 'pb',
        number: 2,
        title: t('B'),
        weight: weights[1],
        indicators: [{ id: 'ib', title: t('IB'), questions: [yes('b1')] }],
      },
    ],
  });
}
const q = questionnaire();

const levels = [0, 20, 40, 60, 80].map((min, i) => ({ level: i + 1, name: t(`L${i + 1}`), min }));
const bands = [0, 25, 50, 75].map((min, i) => ({ id: `b${i}`, name: t(`B${i}`), min }));
const base = {
  formatVersion: 1,
  id: 'rules-r',
  version: 1,
  questionnaireId: 'rules-q',
  questionnaireVersion: 2,
  title: t('R'),
  method: 'raw',
  pillarWeights: { pa: 30, pb: 70 },
  levels,
  bands,
};

function problems(over: Record<string, unknown>, against = q) {
  const r = validateRules({ ...base, ...over }, against);
  return r.ok ? [] : r.problems;
}
const codes = (over: Record<string, unknown>, against = q) => problems(over, against).map((p) => p.code);

describe('validateRules', () => {
  it('accepts good rules, and returns them as given', () => {
    const r = validateRules(base, q);
    expect(r).toEqual({ ok: true, rules: base });
  });

  it('validates the sample rules against the sample questionnaire', () => {
    const raw: unknown = JSON.parse(
      readFileSync(join(__dirname, '../../samples/scoring-rules-2565.json'), 'utf8'),
    );
    expect(validateRules(raw, sample2565)).toEqual({ ok: true, rules: sampleRules2565 });
    expect(sampleRules2565).toMatchObject({ sample: true, method: 'raw', questionnaireId: sample2565.id });
    expect(sampleRules2565.title.en).toContain('SAMPLE');
    expect(sampleRules2565.title.th).toContain('ตัวอย่าง');
    expect(sampleRules2565.levels.map((l) => [l.min, l.name.en])).toEqual([
      [0, 'E-Government'],
      [20, 'Open'],
      [40, 'Data-Centric'],
      [60, 'Fully Digital'],
      [80, 'Smart'],
    ]);
    expect(sampleRules2565.pillarWeights).toEqual({ p1: 15, p2: 15, p3: 25, p4: 20, p5: 15, p6: 10 });
  });

  it('reports shape errors as SCHEMA problems with a Thai message', () => {
    const found = problems({
      colour: 'red',
      version: 0,
      method: 'median',
      pillarWeights: { pa: 0, pb: 100 },
    });
    expect(found.map((p) => [p.path, p.code])).toEqual(
      expect.arrayContaining([
        ['colour', 'SCHEMA'],
        ['version', 'SCHEMA'],
        ['method', 'SCHEMA'],
        ['pillarWeights.pa', 'SCHEMA'],
      ]),
    );
    expect(found.find((p) => p.path === 'pillarWeights.pa')!.messageTh).toBe('ต้องมากกว่า 0');
    expect(found.find((p) => p.path === 'colour')!.messageTh).toContain('ไม่รู้จักคีย์');
    expect(validateRules('rules', q).ok).toBe(false);
  });

  it('RULES_QUESTIONNAIRE_MISMATCH: another questionnaire or another version', () => {
    expect(
      problems({ questionnaireId: 'other', questionnaireVersion: 1 }).map((p) => [p.path, p.code]),
    ).toEqual([
      ['questionnaireId', 'RULES_QUESTIONNAIRE_MISMATCH'],
      ['questionnaireVersion', 'RULES_QUESTIONNAIRE_MISMATCH'],
    ]);
  });

  it('UNKNOWN_PILLAR, PILLAR_WEIGHT_MISSING and WEIGHTS_SUM with the actual sum', () => {
    expect(problems({ pillarWeights: { pa: 30, pb: 70, pc: 1 } }).map((p) => [p.path, p.code])).toEqual([
      ['pillarWeights.pc', 'UNKNOWN_PILLAR'],
      ['pillarWeights', 'WEIGHTS_SUM'],
    ]);
    expect(codes({ pillarWeights: { pa: 100 } })).toEqual(['PILLAR_WEIGHT_MISSING']);
    const [sum] = problems({ pillarWeights: { pa: 29.5, pb: 70 } });
    expect(sum).toMatchObject({ code: 'WEIGHTS_SUM', message: 'pillar weights sum to 99.5, not 100' });
    expect(sum.messageTh).toContain('99.5');
    expect(codes({ pillarWeights: { pa: 0.1, pb: 99.9 } })).toEqual([]); // summed exactly
  });

  it("checks the questionnaire's own pillar weights when the rules give none", () => {
    const { pillarWeights: _, ...noWeights } = base;
    expect(validateRules(noWeights, q).ok).toBe(true); // 40 + 60
    const off = validateRules(noWeights, questionnaire([40, 50]));
    expect(off.ok ? [] : off.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'WEIGHTS_SUM',
        "the questionnaire's pillar weights sum to 90, not 100; give pillarWeights in the rules",
      ],
    ]);
    // No weights at all means equal weights.
    expect(validateRules(noWeights, questionnaire([undefined, undefined])).ok).toBe(true);
    // Giving them in the rules fixes a questionnaire whose own weights are off.
    expect(validateRules(base, questionnaire([40, 50])).ok).toBe(true);
  });

  it('UNKNOWN_QUESTION and NOT_SCORED in questionWeights and excludeQuestions', () => {
    expect(
      problems({
        questionWeights: { a1: 2, nope: 1, g_name: 1, a_note: 1 },
        excludeQuestions: ['gone', 'a_note'],
      }).map((p) => [p.path, p.code]),
    ).toEqual([
      ['questionWeights.nope', 'UNKNOWN_QUESTION'],
      ['questionWeights.g_name', 'NOT_SCORED'],
      ['questionWeights.a_note', 'NOT_SCORED'],
      ['excludeQuestions[0]', 'UNKNOWN_QUESTION'],
      ['excludeQuestions[1]', 'NOT_SCORED'],
    ]);
    expect(codes({ questionWeights: { a1: 0 } })).toEqual([]); // a weight of 0 is allowed
    expect(codes({ questionWeights: { a1: -1 } })).toEqual(['SCHEMA']);
  });

  it('INDICATOR_EMPTY when every scored question of an indicator is excluded', () => {
    expect(codes({ excludeQuestions: ['a1'] })).toEqual([]);
    expect(problems({ excludeQuestions: ['a1', 'a2'] })).toEqual([
      expect.objectContaining({ path: 'excludeQuestions', code: 'INDICATOR_EMPTY' }),
    ]);
  });

  it('CUTOFFS_START, CUTOFFS_ORDER and CUTOFFS_SCALE on levels and bands', () => {
    const lv = (mins: number[]) => mins.map((min, i) => ({ level: i + 1, name: t(`L${i}`), min }));
    expect(problems({ levels: lv([5, 20, 40, 60, 80]) }).map((p) => [p.path, p.code])).toEqual([
      ['levels[0].min', 'CUTOFFS_START'],
    ]);
    expect(problems({ levels: lv([0, 40, 40, 30, 80]) }).map((p) => [p.path, p.code])).toEqual([
      ['levels[2].min', 'CUTOFFS_ORDER'],
      ['levels[3].min', 'CUTOFFS_ORDER'],
    ]);
    expect(problems({ levels: lv([0, 20, 40, 60, 101]) }).map((p) => [p.path, p.code])).toEqual([
      ['levels[4].min', 'CUTOFFS_SCALE'],
    ]);
    expect(
      problems({ bands: [0, -1].map((min, i) => ({ id: `b${i}`, name: t('b'), min })) }).map((p) => [
        p.path,
        p.code,
      ]),
    ).toEqual([
      ['bands[1].min', 'CUTOFFS_SCALE'],
      ['bands[1].min', 'CUTOFFS_ORDER'],
    ]);
    // The standardised scale is 0..1: the raw cut-offs are out of it.
    expect(codes({ method: 'standardised' })).toEqual([
      ...Array<string>(4).fill('CUTOFFS_SCALE'),
      ...Array<string>(3).fill('CUTOFFS_SCALE'),
    ]);
    expect(
      codes({
        method: 'standardised',
        levels: lv([0, 0.2, 0.4, 0.6, 0.8]),
        bands: bands.map((b) => ({ ...b, min: b.min / 100 })),
      }),
    ).toEqual([]);
  });

  it('LEVELS: exactly five, 1 to 5 in order', () => {
    expect(codes({ levels: levels.slice(0, 4) })).toEqual(['LEVELS']);
    const swapped = [levels[0], levels[1], { ...levels[3], min: 40 }, { ...levels[2], min: 60 }, levels[4]];
    expect(problems({ levels: swapped })).toEqual([
      expect.objectContaining({ code: 'LEVELS', message: expect.stringContaining('found 1, 2, 4, 3, 5') }),
    ]);
    expect(codes({ levels: [...levels, { level: 6, name: t('L6'), min: 90 }] })).toEqual(['SCHEMA']);
  });

  it('DUPLICATE_ID for a band id used twice', () => {
    expect(
      problems({ bands: [...bands, { id: 'b1', name: t('again'), min: 90 }] }).map((p) => [p.path, p.code]),
    ).toEqual([['bands[4].id', 'DUPLICATE_ID']]);
  });

  it('reports every problem at once, each with a path and both languages', () => {
    const found = problems({
      questionnaireVersion: 9,
      pillarWeights: { pa: 30, pz: 10 },
      questionWeights: { nope: 1 },
      excludeQuestions: ['b1'],
      levels: levels.map((l, i) => (i === 0 ? { ...l, min: 1 } : l)),
      bands: [...bands, { id: 'b0', name: t('dup'), min: 80 }],
    });
    expect(found.map((p) => p.code)).toEqual([
      'RULES_QUESTIONNAIRE_MISMATCH',
      'UNKNOWN_PILLAR',
      'PILLAR_WEIGHT_MISSING',
      'WEIGHTS_SUM',
      'UNKNOWN_QUESTION',
      'INDICATOR_EMPTY',
      'CUTOFFS_START',
      'DUPLICATE_ID',
    ]);
    for (const p of found) {
      expect(p.path).not.toBe('');
      expect(p.message).not.toBe('');
      expect(p.messageTh).toMatch(/[\u0E00-\u0E7F]/); // Thai script
    }
  });
});

describe('classify', () => {
  const r = { levels, bands } as unknown as ScoringRules;
  it('takes the highest level and band whose min is at or below the value', () => {
    const at = (v: number) => {
      const c = classify(v, r);
      return [c.level?.level ?? null, c.band?.id ?? null];
    };
    expect(at(0)).toEqual([1, 'b0']);
    expect(at(19.99)).toEqual([1, 'b0']);
    expect(at(20)).toEqual([2, 'b0']);
    expect(at(25)).toEqual([2, 'b1']);
    expect(at(79.99)).toEqual([4, 'b3']);
    expect(at(80)).toEqual([5, 'b3']);
    expect(at(100)).toEqual([5, 'b3']);
    expect(at(-0.01)).toEqual([null, null]);
    expect(classify(50, r)).toEqual({
      level: { level: 3, name: t('L3') },
      band: { id: 'b2', name: t('B2') },
    });
  });
});
