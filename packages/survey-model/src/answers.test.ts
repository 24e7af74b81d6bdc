import { allQuestions, carryOver, isVisible, pruneHidden, questionIndex, validateAnswers } from './answers';
import { validateDefinition } from './definition';
import type { Answers, Question, Questionnaire } from './format';

const T = { th: 'ข้อความ', en: 'text' };
const opts = (...values: string[]) => values.map((value) => ({ value, label: T }));
const Q = (id: string, type: Question['type'], extra: Partial<Question> = {}): Question => ({
  id,
  type,
  text: T,
  ...extra,
});

function questionnaire(general: Question[], questions: Question[]): Questionnaire {
  const result = validateDefinition({
    formatVersion: 1,
    id: 'test',
    version: 1,
    cycleYear: 2566,
    title: T,
    general: { title: T, questions: general },
    pillars: [{ id: 'p1', number: 1, title: T, indicators: [{ id: 'i1', title: T, questions }] }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.questionnaire;
}

const PLAN = { question: 'has_plan', equals: true };
const q = questionnaire(
  [Q('name', 'text', { required: true, maxLength: 20 })],
  [
    Q('has_plan', 'yes_no', { required: true }),
    Q('plan_file', 'evidence', {
      required: true,
      visibleIf: PLAN,
      evidence: { accept: ['application/pdf'], maxFiles: 2 },
    }),
    Q('plan_url', 'url', { visibleIf: PLAN }),
    Q('kind', 'single_choice', { options: opts('a', 'b', 'c') }),
    Q('tools', 'multiple_choice', { options: opts('x', 'y', 'z') }),
    Q('staff', 'number', { integer: true, min: 0, max: 1000 }),
    Q('share', 'percentage', { min: 10 }),
    Q('note', 'text', { maxLength: 20 }),
    Q('services', 'repeating_group', {
      required: true,
      minItems: 2,
      maxItems: 3,
      fields: [
        Q('svc_name', 'text', { required: true }),
        Q('channel', 'multiple_choice', { options: opts('web', 'line') }),
        Q('url', 'url'),
        Q('users', 'number', { integer: true, min: 0 }),
      ],
    }),
  ],
);

const E1 = '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11';
const E2 = '6f1d3c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const E3 = 'a3c1e2f4-0000-4000-8000-000000000003';

const codes = (answers: Answers, mode: 'partial' | 'complete' = 'partial', evidenceIds?: Set<string>) =>
  validateAnswers(q, answers, { mode, evidenceIds }).map((p) => [p.code, p.path]);

describe('validateAnswers, partial (autosave)', () => {
  it('accepts good answers of every type', () => {
    expect(
      codes(
        {
          name: 'กรมตัวอย่าง',
          has_plan: true,
          plan_file: [E1, E2],
          plan_url: 'https://www.example.go.th/plan',
          kind: 'a',
          tools: ['x', 'z'],
          staff: 120,
          share: 100,
          note: 'ภาษาไทยยี่สิบตัวอักษรพอดีนะ'.slice(0, 20),
          services: [
            { svc_name: 'ขอใบอนุญาต', channel: ['web'], url: 'http://e.example', users: 10 },
            { svc_name: 'x', users: null },
          ],
        },
        'partial',
        new Set([E1, E2]),
      ),
    ).toEqual([]);
  });

  it('always allows null, which clears an answer, even for unknown or hidden questions', () => {
    expect(codes({ has_plan: false, plan_url: null, nope: null, services: null })).toEqual([]);
  });

  it('does not ask for what is missing', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ services: [{ users: 1 }] })).toEqual([]); // a row without its required name, and too few rows
  });

  // Junk values are the point here, so the table is typed loosely.
  it.each<[string, Record<string, unknown>, [string, string][]]>([
    ['UNKNOWN_QUESTION', { nope: 1 }, [['UNKNOWN_QUESTION', 'nope']]],
    [
      'HIDDEN_QUESTION',
      { has_plan: false, plan_url: 'https://x.example' },
      [['HIDDEN_QUESTION', 'plan_url']],
    ],
    [
      'HIDDEN_QUESTION when the condition is unanswered',
      { plan_file: [E1] },
      [['HIDDEN_QUESTION', 'plan_file']],
    ],
    ['WRONG_TYPE yes_no', { has_plan: 'yes' }, [['WRONG_TYPE', 'has_plan']]],
    ['WRONG_TYPE number', { staff: '12' }, [['WRONG_TYPE', 'staff']]],
    ['WRONG_TYPE choice', { kind: ['a'] }, [['WRONG_TYPE', 'kind']]],
    ['WRONG_TYPE multiple choice item', { tools: ['x', 3] }, [['WRONG_TYPE', 'tools[1]']]],
    ['WRONG_TYPE group', { services: { svc_name: 'x' } }, [['WRONG_TYPE', 'services']]],
    ['WRONG_TYPE row', { services: ['x'] }, [['WRONG_TYPE', 'services[0]']]],
    ['WRONG_TYPE evidence id', { has_plan: true, plan_file: ['file.pdf'] }, [['WRONG_TYPE', 'plan_file[0]']]],
    ['NOT_AN_OPTION single', { kind: 'd' }, [['NOT_AN_OPTION', 'kind']]],
    ['NOT_AN_OPTION multiple', { tools: ['x', 'q'] }, [['NOT_AN_OPTION', 'tools[1]']]],
    ['DUPLICATE_VALUE', { tools: ['x', 'x'] }, [['DUPLICATE_VALUE', 'tools[1]']]],
    ['OUT_OF_RANGE above max', { staff: 1001 }, [['OUT_OF_RANGE', 'staff']]],
    ['OUT_OF_RANGE below min', { staff: -1 }, [['OUT_OF_RANGE', 'staff']]],
    ['OUT_OF_RANGE percentage above 100', { share: 100.5 }, [['OUT_OF_RANGE', 'share']]],
    ['OUT_OF_RANGE percentage below its min', { share: 9 }, [['OUT_OF_RANGE', 'share']]],
    ['NOT_INTEGER', { staff: 1.5 }, [['NOT_INTEGER', 'staff']]],
    ['TOO_LONG', { note: 'ก'.repeat(21) }, [['TOO_LONG', 'note']]],
    ['TOO_LONG general', { name: 'x'.repeat(21) }, [['TOO_LONG', 'name']]],
    [
      'INVALID_URL ftp',
      { has_plan: true, plan_url: 'ftp://files.example/plan.pdf' },
      [['INVALID_URL', 'plan_url']],
    ],
    [
      'INVALID_URL script',
      { has_plan: true, plan_url: 'javascript:alert(1)' },
      [['INVALID_URL', 'plan_url']],
    ],
    ['INVALID_URL text', { has_plan: true, plan_url: 'see our website' }, [['INVALID_URL', 'plan_url']]],
    [
      'INVALID_URL data',
      { has_plan: true, plan_url: 'data:text/html,<script>alert(1)</script>' },
      [['INVALID_URL', 'plan_url']],
    ],
    [
      'INVALID_URL user name hiding the host',
      { has_plan: true, plan_url: 'https://www.dga.or.th@evil.example/' },
      [['INVALID_URL', 'plan_url']],
    ],
    ['TOO_MANY_ITEMS', { services: [{}, {}, {}, {}] }, [['TOO_MANY_ITEMS', 'services']]],
    [
      'UNKNOWN_FIELD',
      { services: [{ svc_name: 'a' }, { svc_name: 'b', colour: 'red' }] },
      [['UNKNOWN_FIELD', 'services[1].colour']],
    ],
    [
      'row cell errors',
      { services: [{ svc_name: 1, channel: ['fax'], url: 'x', users: 2.5 }] },
      [
        ['WRONG_TYPE', 'services[0].svc_name'],
        ['NOT_AN_OPTION', 'services[0].channel[0]'],
        ['INVALID_URL', 'services[0].url'],
        ['NOT_INTEGER', 'services[0].users'],
      ],
    ],
    ['TOO_MANY_FILES', { has_plan: true, plan_file: [E1, E2, E3] }, [['TOO_MANY_FILES', 'plan_file']]],
  ])('%s', (_name, answers, expected) => {
    expect(codes(answers as Answers)).toEqual(expected);
  });

  it('refuses evidence ids that were not uploaded to this response, when it knows them', () => {
    const answers = { has_plan: true, plan_file: [E1, E3] };
    expect(codes(answers, 'partial', new Set([E1]))).toEqual([['UNKNOWN_EVIDENCE', 'plan_file[1]']]);
    expect(codes(answers)).toEqual([]); // without the set, only the shape is checked
  });

  it('names the question and explains in Thai and English', () => {
    const [p] = validateAnswers(q, { services: [{ svc_name: 'a', colour: 'red' }] }, { mode: 'partial' });
    expect(p).toEqual({
      questionId: 'services',
      path: 'services[0].colour',
      code: 'UNKNOWN_FIELD',
      message: expect.stringContaining('colour'),
      messageTh: expect.stringMatching(/[\u0E00-\u0E7F]/),
    });
  });
});

describe('validateAnswers, complete (submission)', () => {
  const full: Answers = {
    name: 'กรมตัวอย่าง',
    has_plan: true,
    plan_file: [E1],
    services: [{ svc_name: 'a' }, { svc_name: 'b' }],
  };

  it('accepts a complete response', () => {
    expect(codes(full, 'complete', new Set([E1]))).toEqual([]);
  });

  it('requires every required question that is shown', () => {
    expect(codes({}, 'complete')).toEqual([
      ['REQUIRED', 'name'],
      ['REQUIRED', 'has_plan'],
      ['REQUIRED', 'services'],
    ]); // plan_file is required but hidden until has_plan is yes
    expect(codes({ ...full, plan_file: null }, 'complete')).toEqual([['REQUIRED', 'plan_file']]);
  });

  it('counts empty text and empty lists as unanswered', () => {
    expect(codes({ ...full, name: '  ', plan_file: [], services: [] }, 'complete')).toEqual([
      ['REQUIRED', 'name'],
      ['REQUIRED', 'plan_file'],
      ['REQUIRED', 'services'],
    ]);
  });

  it('requires the required fields of every row, and enough rows', () => {
    expect(
      codes({ ...full, services: [{ svc_name: 'a' }, { svc_name: '', users: 3 }, { users: 1 }] }, 'complete'),
    ).toEqual([
      ['REQUIRED', 'services[1].svc_name'],
      ['REQUIRED', 'services[2].svc_name'],
    ]);
    expect(codes({ ...full, services: [{ svc_name: 'a' }] }, 'complete')).toEqual([
      ['TOO_FEW_ITEMS', 'services'],
    ]);
  });

  it('still checks the values and refuses answers to hidden questions', () => {
    expect(codes({ ...full, has_plan: false, staff: -3 }, 'complete')).toEqual([
      ['HIDDEN_QUESTION', 'plan_file'],
      ['OUT_OF_RANGE', 'staff'],
    ]);
    expect(codes(pruneHidden(q, { ...full, has_plan: false }), 'complete')).toEqual([]);
  });
});

describe('isVisible', () => {
  const v = questionnaire(
    [Q('kind', 'single_choice', { options: opts('department', 'province', 'local') })],
    [
      Q('a', 'yes_no'),
      Q('b', 'text', { visibleIf: { question: 'a', equals: true } }),
      Q('c', 'text', { visibleIf: { question: 'b', answered: true } }), // chained: needs b shown too
      Q('n', 'number'),
      Q('tools', 'multiple_choice', { options: opts('ai', 'iot', 'gis') }),
      Q('mix', 'yes_no', {
        visibleIf: {
          all: [
            {
              any: [
                { question: 'kind', in: ['province', 'local'] },
                { question: 'n', gte: 100, lt: 1000 },
              ],
            },
            { not: { question: 'tools', equals: 'gis' } },
          ],
        },
      }),
      Q('uses_ai', 'text', { visibleIf: { question: 'tools', equals: 'ai' } }),
      Q('no_n', 'text', { visibleIf: { question: 'n', answered: false } }),
    ],
  );

  it('shows a question without a condition', () => {
    expect(isVisible(v, 'a', {})).toBe(true);
    expect(isVisible(v, 'unknown', {})).toBe(false);
  });

  it('follows a chain: a hidden question hides the ones that depend on it, even with a stale answer', () => {
    expect(isVisible(v, 'c', { a: true, b: 'x' })).toBe(true);
    expect(isVisible(v, 'c', { a: true, b: '' })).toBe(false);
    expect(isVisible(v, 'c', { a: false, b: 'x' })).toBe(false);
    expect(isVisible(v, 'b', { a: 'true' as never })).toBe(false); // equals is strict
  });

  it('evaluates nested all / any / not with in, gte and lt', () => {
    expect(isVisible(v, 'mix', { kind: 'province' })).toBe(true);
    expect(isVisible(v, 'mix', { kind: 'department' })).toBe(false);
    expect(isVisible(v, 'mix', { kind: 'department', n: 100 })).toBe(true);
    expect(isVisible(v, 'mix', { kind: 'department', n: 1000 })).toBe(false);
    expect(isVisible(v, 'mix', { kind: 'local', tools: ['ai', 'gis'] })).toBe(false);
    expect(isVisible(v, 'mix', { kind: 'local', tools: ['ai'] })).toBe(true);
  });

  it('reads equals on a multiple choice as "is among the chosen"', () => {
    expect(isVisible(v, 'uses_ai', { tools: ['iot', 'ai'] })).toBe(true);
    expect(isVisible(v, 'uses_ai', { tools: ['iot'] })).toBe(false);
    expect(isVisible(v, 'uses_ai', {})).toBe(false);
  });

  it('treats answered: false as "not answered yet"', () => {
    expect(isVisible(v, 'no_n', {})).toBe(true);
    expect(isVisible(v, 'no_n', { n: null })).toBe(true);
    expect(isVisible(v, 'no_n', { n: 0 })).toBe(false);
  });
});

describe('pruneHidden', () => {
  it('drops answers to hidden questions and keeps the rest', () => {
    const answers: Answers = {
      has_plan: false,
      plan_url: 'https://x.example',
      plan_file: [E1],
      staff: 3,
      nope: 1,
    };
    expect(pruneHidden(q, answers)).toEqual({ has_plan: false, staff: 3, nope: 1 });
    expect(pruneHidden(q, { has_plan: true, plan_url: 'https://x.example' })).toEqual({
      has_plan: true,
      plan_url: 'https://x.example',
    });
  });
});

describe('carryOver', () => {
  const next = questionnaire(
    [Q('name', 'text', { required: true, maxLength: 5 })],
    [
      Q('has_plan', 'yes_no', { required: true }),
      Q('kind', 'single_choice', { options: opts('a', 'b') }), // option c removed
      Q('tools', 'multiple_choice', { options: opts('x', 'y', 'z') }),
      Q('staff', 'text'), // was a number
      Q('share', 'percentage', { min: 10 }),
      Q('services', 'repeating_group', { fields: [Q('svc_name', 'text')] }), // fields changed
    ],
  );

  it('keeps answers that fit the new questionnaire and names the ones it drops', () => {
    const answers: Answers = {
      name: 'กรมยาวเกินห้าตัว',
      has_plan: true,
      kind: 'c',
      tools: ['x', 'y'],
      staff: 12,
      share: 50,
      note: 'gone',
      plan_url: null,
      services: [{ svc_name: 'a', users: 3 }],
    };
    expect(carryOver(q, next, answers)).toEqual({
      kept: { has_plan: true, tools: ['x', 'y'], share: 50 },
      dropped: ['name', 'kind', 'staff', 'note', 'services'],
    });
    expect(carryOver(q, next, { kind: 'b', name: 'สั้น', services: [{ svc_name: 'a' }] }).kept).toEqual({
      kind: 'b',
      name: 'สั้น',
      services: [{ svc_name: 'a' }],
    });
  });
});

describe('questionIndex and allQuestions', () => {
  it('lists general questions first, then the pillars, without group fields', () => {
    expect(allQuestions(q).map((x) => x.id)).toEqual([
      'name',
      'has_plan',
      'plan_file',
      'plan_url',
      'kind',
      'tools',
      'staff',
      'share',
      'note',
      'services',
    ]);
  });

  it('says where each question sits', () => {
    const index = questionIndex(q);
    expect(index.get('name')).toMatchObject({ pillarId: null, indicatorId: null });
    expect(index.get('staff')).toMatchObject({
      pillarId: 'p1',
      indicatorId: 'i1',
      question: { type: 'number' },
    });
    expect(index.has('svc_name')).toBe(false);
    index.delete('name'); // a copy: changing it does not change later lookups
    expect(questionIndex(q).has('name')).toBe(true);
  });

  it('does not find Object.prototype for a question id like "constructor"', () => {
    const odd = questionnaire(
      [],
      [
        Q('constructor', 'yes_no', { required: true }),
        Q('toString', 'text', { visibleIf: { question: 'constructor', answered: true } }),
      ],
    );
    expect(isVisible(odd, 'toString', {})).toBe(false);
    expect(validateAnswers(odd, {}, { mode: 'complete' }).map((p) => p.code)).toEqual(['REQUIRED']);
  });
});
