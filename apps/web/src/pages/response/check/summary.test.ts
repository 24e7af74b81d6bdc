import type { Completeness } from '@dg/contracts';
import { validateDefinition, type Questionnaire } from '@dg/survey-model';
import { describe, expect, it } from 'vitest';
import { questionNumbers, summaryOf } from './summary';

const T = (th: string, en = th) => ({ th, en });

function questionnaire(): Questionnaire {
  const r = validateDefinition({
    formatVersion: 1,
    id: 'test',
    version: 1,
    cycleYear: 2566,
    title: T('แบบทดสอบ', 'Test'),
    general: {
      title: T('ข้อมูลทั่วไป', 'General'),
      questions: [{ id: 'g_name', type: 'text', text: T('ชื่อ'), required: true }],
    },
    pillars: [
      {
        id: 'p1',
        number: 1,
        title: T('นโยบาย', 'Policy'),
        indicators: [
          {
            id: 'p1_i1',
            title: T('แผน'),
            questions: [{ id: 'p1_plan', type: 'yes_no', text: T('มีแผน', 'Has a plan'), required: true }],
          },
          {
            id: 'p1_i2',
            title: T('บริการ'),
            questions: [
              {
                id: 'p1_services',
                type: 'repeating_group',
                text: T('บริการ', 'Services'),
                required: true,
                minItems: 2,
                fields: [{ id: 'name', type: 'text', text: T('ชื่อบริการ'), required: true }],
              },
            ],
          },
        ],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.questionnaire;
}

const issue = (
  questionId: string,
  code: string,
  th: string,
  en: string,
  text: ReturnType<typeof T>,
  path = questionId,
) => ({
  questionId,
  questionText: text,
  path,
  code,
  message: en,
  messageTh: th,
  indicatorId: null,
});

const completeness: Completeness = {
  cycleId: '2566',
  agencyId: '00000000-0000-4000-8000-0000000000aa',
  status: 'in_progress',
  version: 7,
  complete: false,
  required: 3,
  answered: 1,
  problemCount: 3,
  sections: [
    { pillarId: null, number: null, title: T('ข้อมูลทั่วไป', 'General'), required: 1, answered: 1, missing: [] },
    {
      pillarId: 'p1',
      number: 1,
      title: T('นโยบาย', 'Policy'),
      required: 2,
      answered: 0,
      missing: [
        issue('p1_plan', 'REQUIRED', 'ต้องตอบข้อนี้', 'required', T('มีแผน', 'Has a plan')),
        issue('p1_services', 'TOO_FEW_ITEMS', 'ต้องมีอย่างน้อย 2 แถว', 'at least 2 rows', T('บริการ', 'Services')),
        issue(
          'p1_services',
          'REQUIRED',
          'ต้องกรอกชื่อบริการ',
          'name required',
          T('บริการ', 'Services'),
          'p1_services[0].name',
        ),
        issue(
          'p1_services',
          'REQUIRED',
          'ต้องกรอกชื่อบริการ',
          'name required',
          T('บริการ', 'Services'),
          'p1_services[1].name',
        ),
      ],
    },
  ],
};

describe('the check before sending: completeness → error summary', () => {
  it('numbers questions as the questionnaire pages do', () => {
    expect([...questionNumbers(questionnaire())]).toEqual([
      ['g_name', '1.'],
      ['p1_plan', '1.1'],
      ['p1_services', '1.2'],
    ]);
  });

  it('lists each question once with all its reasons, linked to its section page and anchor', () => {
    const s = summaryOf(completeness, questionNumbers(questionnaire()), 'th', (n) => `ข้อ ${n}`);
    expect(s).toMatchObject({ complete: false, count: 2, required: 3, answered: 1 });
    expect(s.sections.map((x) => [x.section, x.items.length])).toEqual([
      ['general', 0],
      ['p1', 2],
    ]);
    expect(s.sections[1]!.items).toEqual([
      {
        questionId: 'p1_plan',
        label: 'ข้อ 1.1 มีแผน',
        messages: ['ต้องตอบข้อนี้'],
        section: 'p1',
        anchor: 'q-p1_plan',
      },
      {
        questionId: 'p1_services',
        label: 'ข้อ 1.2 บริการ',
        // the same reason for two rows is said once
        messages: ['ต้องมีอย่างน้อย 2 แถว', 'ต้องกรอกชื่อบริการ'],
        section: 'p1',
        anchor: 'q-p1_services',
      },
    ]);
  });

  it('speaks English when asked, and names a question it cannot number by its text', () => {
    const s = summaryOf(completeness, new Map(), 'en', (n) => `Question ${n}`);
    expect(s.sections[1]!.title).toBe('Policy');
    expect(s.sections[1]!.items[0]).toMatchObject({ label: 'Has a plan', messages: ['required'] });
  });

  it('is empty and complete when nothing is missing; the general block links to ?pillar=general', () => {
    const done = summaryOf(
      {
        ...completeness,
        complete: true,
        problemCount: 0,
        sections: completeness.sections.map((x) => ({ ...x, missing: [] })),
      },
      new Map(),
      'th',
      (n) => n,
    );
    expect(done).toMatchObject({ complete: true, count: 0 });
    const general = summaryOf(
      {
        ...completeness,
        sections: [
          {
            ...completeness.sections[0]!,
            missing: [issue('g_name', 'REQUIRED', 'ต้องตอบ', 'required', T('ชื่อ'))],
          },
        ],
      },
      questionNumbers(questionnaire()),
      'th',
      (n) => `ข้อ ${n}`,
    );
    expect(general.sections[0]!.items[0]).toMatchObject({
      section: 'general',
      anchor: 'q-g_name',
      label: 'ข้อ 1. ชื่อ',
    });
  });
});
