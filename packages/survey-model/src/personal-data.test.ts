import { validateDefinition } from './definition';
import type { Questionnaire } from './format';
import {
  carriesPersonalData,
  isPersonalQuestion,
  marksPersonalData,
  personalDataPaths,
  withoutPersonalData,
} from './personal-data';
import { allQuestions } from './answers';
import { sample2565 } from './samples';

const text = (en: string) => ({ th: en, en });

/** A general block with a personal question and a list whose rows name people. */
const questionnaire = {
  ...structuredClone(sample2565),
  general: {
    title: text('General'),
    questions: [
      { id: 'name', type: 'text', text: text('Name'), personalData: true },
      { id: 'address', type: 'text', text: text('Address') },
      {
        id: 'team',
        type: 'repeating_group',
        text: text('Team'),
        fields: [
          { id: 'role', type: 'text', text: text('Role') },
          { id: 'person', type: 'text', text: text('Person'), personalData: true },
        ],
      },
    ],
  },
} as Questionnaire;

describe('personal data in a questionnaire (PDPA)', () => {
  it('is a valid key of any question, and the 2565 sample marks its coordinator and CIO questions', () => {
    expect(validateDefinition(questionnaire)).toMatchObject({ ok: true });
    expect(personalDataPaths(questionnaire)).toEqual(['name', 'team.person']);
    expect(personalDataPaths(sample2565)).toEqual([
      'g_coordinator_name',
      'g_coordinator_position',
      'g_coordinator_email',
      'g_coordinator_phone',
      'g_cio_name',
    ]);
    expect(['name', 'team', 'address'].map((id) => carriesPersonalData(questionnaire, id))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('takes out personal answers and the personal fields of list rows, and nothing else', () => {
    const answers = {
      name: 'สมชาย ใจดี',
      address: '1 ถนนแจ้งวัฒนะ',
      team: [
        { role: 'CIO', person: 'สมหญิง' },
        { role: 'DPO', person: null },
      ],
    };
    expect(withoutPersonalData(questionnaire, answers)).toEqual({
      address: '1 ถนนแจ้งวัฒนะ',
      team: [{ role: 'CIO' }, { role: 'DPO' }],
    });
    expect(answers.name).toBe('สมชาย ใจดี'); // the stored answers are not changed
  });

  it('takes every free-text answer as personal in a questionnaire stored before the flags existed', () => {
    const unmarked = structuredClone(questionnaire);
    for (const question of unmarked.general!.questions) {
      delete question.personalData;
      for (const field of question.fields ?? []) delete field.personalData;
    }
    expect(marksPersonalData(unmarked)).toBe(false);
    expect(personalDataPaths(unmarked)).toEqual(expect.arrayContaining(['name', 'address', 'team.role', 'team.person']));
    expect(isPersonalQuestion(unmarked, 'address')).toBe(true);
    expect(isPersonalQuestion(unmarked, 'team')).toBe(false);
    expect(
      withoutPersonalData(unmarked, { name: 'สมชาย', address: 'x', team: [{ role: 'CIO', person: 'สมหญิง' }] }),
    ).toEqual({ team: [{}] });
    // Choices and numbers are not free text: they stay.
    const choice = allQuestions(unmarked).find((q) => q.type === 'single_choice')!;
    expect(carriesPersonalData(unmarked, choice.id)).toBe(false);
  });

  it('one explicit flag, even false, says the author decided: free text is then not personal by default', () => {
    const decided = structuredClone(questionnaire);
    for (const question of decided.general!.questions) delete question.personalData;
    for (const field of decided.general!.questions[2].fields ?? []) delete field.personalData;
    decided.general!.questions[1].personalData = false;
    expect(marksPersonalData(decided)).toBe(true);
    expect(personalDataPaths(decided)).toEqual([]);
  });
});
