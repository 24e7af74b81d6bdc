import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateDefinition } from './definition';
import { sample2565 } from './samples';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../test/fixtures', name), 'utf8'));
const clone = <T>(v: T): T => structuredClone(v);

function problemsOf(input: unknown) {
  const result = validateDefinition(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('validateDefinition', () => {
  it('accepts the sample and returns the parsed questionnaire', () => {
    const result = validateDefinition(clone(sample2565));
    expect(result).toEqual({ ok: true, questionnaire: sample2565 });
  });

  it('names every problem of a broken definition, with its path', () => {
    const p1 = 'pillars[0]';
    const i1 = `${p1}.indicators[0].questions`;
    const i1b = `${p1}.indicators[1].questions`;
    const i3 = 'pillars[1].indicators[0].questions';
    expect(problemsOf(fixture('broken-questionnaire.json')).map((p) => [p.code, p.path])).toEqual([
      ['RUBRIC_NOT_SCORABLE', 'general.questions[1].rubric'], // rubric in the general block
      ['WEIGHT_INVALID', `${p1}.weight`],
      ['RUBRIC_NOT_SCORABLE', `${i1}[0].rubric`], // rubric on text
      ['RUBRIC_MISMATCH', `${i1}[1].rubric.points.z`], // choice points name an unknown option
      ['RANGE_INVALID', `${i1}[2].min`],
      ['DUPLICATE_ID', `${i1}[5].id`], // question id
      ['DUPLICATE_ID', `${p1}.indicators[1].id`], // indicator id
      ['PILLAR_NUMBERS', 'pillars[1].number'], // numbered 1, 3
      ['OPTIONS_DUPLICATE', `${i3}[3].options[1].value`],
      ['RUBRIC_MISMATCH', `${i3}[3].rubric.kind`], // range rubric on multiple choice
      ['DUPLICATE_ID', `${i3}[4].fields[1].id`], // field id within its group
      ['FIELD_INVALID', `${i3}[4].fields[2].type`], // evidence inside a group
      ['CONDITION_TYPE', `${i1}[3].visibleIf`], // gt on a text question
      ['UNKNOWN_REFERENCE', `${i1}[4].visibleIf.all[1]`],
      ['SELF_REFERENCE', `${i1b}[2].visibleIf`],
      ['CONDITION_TYPE', `${i1b}[3].visibleIf`], // "c" is not an option
      ['CONDITION_CYCLE', `${i1b}[0].visibleIf`], // c2a <-> c2b
      ['CONDITION_CYCLE', `${i3}[0].visibleIf`], // c3a -> c3c -> c3b -> c3a
    ]);
  });

  it('writes every problem in Thai and English', () => {
    for (const p of problemsOf(fixture('broken-questionnaire.json'))) {
      expect(p.messageTh).toMatch(/[\u0E00-\u0E7F]/);
      expect(p.message).toMatch(/[a-z]/);
    }
  });

  it('names the questions of a cycle and the first use of a duplicate id', () => {
    const problems = problemsOf(fixture('broken-questionnaire.json'));
    expect(problems.filter((p) => p.code === 'CONDITION_CYCLE').map((p) => p.message)).toEqual([
      expect.stringContaining('c2a, c2b'),
      expect.stringContaining('c3a, c3b, c3c'),
    ]);
    expect(problems.find((p) => p.code === 'DUPLICATE_ID')?.message).toContain(
      'pillars[0].indicators[0].questions[1]',
    );
  });

  it('checks which keys fit which question type, and the options of choices', () => {
    const q = clone(sample2565);
    const first = q.pillars[0].indicators[0].questions[0]; // yes_no
    first.options = [{ value: 'a', label: { th: 'ก', en: 'A' } }];
    const choice = q.pillars[0].indicators[0].questions.find((x) => x.type === 'single_choice')!;
    choice.options = choice.options!.slice(0, 1);
    choice.rubric = undefined;
    const group = q.pillars[2].indicators[0].questions.find((x) => x.type === 'repeating_group')!;
    group.fields = [];
    const codes = problemsOf(q).map((p) => [p.code, p.path]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['PROPERTY_NOT_APPLICABLE', 'pillars[0].indicators[0].questions[0].options'],
        [
          'OPTIONS_REQUIRED',
          expect.stringMatching(/^pillars\[0\]\.indicators\[0\]\.questions\[\d+\]\.options$/),
        ],
        [
          'FIELDS_REQUIRED',
          expect.stringMatching(/^pillars\[2\]\.indicators\[0\]\.questions\[\d+\]\.fields$/),
        ],
      ]),
    );
  });

  it('reports schema problems with zod paths, one per unknown key, in Thai too', () => {
    const q = clone(sample2565);
    const loose = (o: object) => o as Record<string, unknown>; // to write what the types forbid
    loose(q.pillars[0].indicators[0].questions[0]).requred = true; // misspelt
    delete loose(q.pillars[1]).title;
    loose(q.pillars[2].indicators[0].questions[0]).type = 'date';
    loose(q.pillars[3].indicators[0].questions[1]).visibleIf = { question: 'p4_e_saraban', equal: true };
    loose(q.pillars[4]).weight = 'heavy';
    const problems = problemsOf(q);
    expect(problems.every((p) => p.code === 'SCHEMA' && /[\u0E00-\u0E7F]/.test(p.messageTh))).toBe(true);
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'pillars[0].indicators[0].questions[0].requred',
        'pillars[1].title',
        'pillars[2].indicators[0].questions[0].type',
        'pillars[3].indicators[0].questions[1].visibleIf', // no operator
        'pillars[3].indicators[0].questions[1].visibleIf.equal', // misspelt operator
        'pillars[4].weight',
      ].sort(),
    );
    expect(problems.find((p) => p.path === 'pillars[1].title')?.messageTh).toContain('ต้องระบุ');
  });

  it('catches the smaller mistakes too', () => {
    const T = { th: 'ข้อความ', en: 'text' };
    const problems = problemsOf({
      formatVersion: 1,
      id: 'small',
      version: 1,
      cycleYear: 2566,
      title: T,
      general: { title: T, questions: [{ id: 'g', type: 'yes_no', text: T, weight: 1 }] },
      pillars: [
        {
          id: 'p1',
          number: 1,
          title: T,
          indicators: [
            {
              id: 'i1',
              title: T,
              questions: [
                { id: 'pct', type: 'percentage', text: T, max: 120 },
                {
                  id: 'n',
                  type: 'number',
                  text: T,
                  rubric: { kind: 'range', bands: [{ min: 5, max: 5, points: 1 }] },
                },
                {
                  id: 'list',
                  type: 'repeating_group',
                  text: T,
                  minItems: 5,
                  maxItems: 2,
                  fields: [
                    {
                      id: 'f',
                      type: 'yes_no',
                      text: T,
                      visibleIf: { question: 'g', equals: true },
                      rubric: { kind: 'yes_no', yes: 1, no: 0 },
                    },
                  ],
                },
                { id: 'e', type: 'evidence', text: T, visibleIf: { question: 'list', equals: 'x' } },
                { id: 'b', type: 'yes_no', text: T, visibleIf: { question: 'g', in: ['true'] } },
                { id: 'c', type: 'yes_no', text: T, visibleIf: { question: 'n', equals: '5' } },
              ],
            },
          ],
        },
      ],
    });
    const qs = 'pillars[0].indicators[0].questions';
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PROPERTY_NOT_APPLICABLE', 'general.questions[0].weight'],
      ['RANGE_INVALID', `${qs}[0].max`],
      ['RANGE_INVALID', `${qs}[1].rubric.bands[0]`],
      ['RANGE_INVALID', `${qs}[2].minItems`],
      ['RUBRIC_NOT_SCORABLE', `${qs}[2].fields[0].rubric`],
      ['FIELD_INVALID', `${qs}[2].fields[0].visibleIf`],
      ['CONDITION_TYPE', `${qs}[3].visibleIf`], // equals on a group
      ['CONDITION_TYPE', `${qs}[4].visibleIf`], // in on yes/no
      ['CONDITION_TYPE', `${qs}[5].visibleIf`], // a string for a number
    ]);
  });

  it('explains shape errors in Thai: missing operator, unknown rubric kind, sizes', () => {
    const q = clone(sample2565);
    const loose = (o: object) => o as Record<string, unknown>;
    loose(q.pillars[0].indicators[0].questions[0]).visibleIf = { question: 'g_kind' };
    loose(q.pillars[0].indicators[0].questions[0]).rubric = { kind: 'bonus' };
    q.pillars[1].indicators = [];
    q.title.th = '';
    q.pillars[2].id = 'บริการ';
    const th = Object.fromEntries(problemsOf(q).map((p) => [p.path, p.messageTh]));
    expect(th).toEqual({
      'pillars[0].indicators[0].questions[0].visibleIf': expect.stringContaining('ตัวดำเนินการ'),
      'pillars[0].indicators[0].questions[0].rubric.kind': expect.stringContaining('ชนิดของเกณฑ์'),
      'pillars[1].indicators': 'ต้องมีอย่างน้อย 1 รายการ',
      'title.th': 'ต้องมีอย่างน้อย 1 ตัวอักษร',
      'pillars[2].id': expect.stringContaining('รหัสใช้ได้เฉพาะ'),
    });
  });

  it('refuses what is not a questionnaire at all', () => {
    expect(problemsOf(null)[0]).toMatchObject({ code: 'SCHEMA', path: '' });
    expect(problemsOf({ formatVersion: 2 }).map((p) => p.path)).toContain('formatVersion');
  });

  it('allows a condition on a question that comes later, and nested all/any/not', () => {
    const q = clone(sample2565);
    q.general.questions[0].visibleIf = {
      all: [
        {
          any: [
            { question: 'p1_dt_plan', equals: true },
            { not: { question: 'p6_maturity', in: ['smart'] } },
          ],
        },
      ],
    };
    expect(validateDefinition(q).ok).toBe(true);
  });
});
