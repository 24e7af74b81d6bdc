import type { Answers, AnswerValue, Question, Questionnaire, RowValue } from '@dg/survey-model';
import type { Answer } from './diff';

/**
 * Answers (survey-model's values) to and from what the form's inputs hold. Inputs hold strings
 * (text, numbers as typed, the chosen option, `yes`/`no`), lists of strings (multiple choice,
 * evidence ids) and lists of rows (repeating groups); an empty input is "no answer" (null).
 *
 * Form field names: `q_<id>` for a question and `f_<id>` for a cell of a row, with `.` (allowed in
 * ids) written `~` (never in an id), because react-hook-form reads dots as nesting and a name that
 * starts with a digit as an array index.
 */
export type FormValue = string | string[] | FormRow[];
export type FormRow = Record<string, string | string[]>;
export type FormValues = Record<string, FormValue>;

export function fieldName(questionId: string): string {
  return `q_${questionId.replaceAll('.', '~')}`;
}
export function cellName(fieldId: string): string {
  return `f_${fieldId.replaceAll('.', '~')}`;
}
/** The question id of a form field name (`q_x`, `q_x.2.f_y`), or null for another name. */
export function questionIdOf(name: string): string | null {
  const head = name.split('.')[0]!;
  return head.startsWith('q_') ? head.slice(2).replaceAll('~', '.') : null;
}

/** What an input shows for an answer. */
export function toFormValue(x: Question, value: unknown): FormValue {
  switch (x.type) {
    case 'yes_no':
      return value === true ? 'yes' : value === false ? 'no' : '';
    case 'single_choice':
    case 'text':
    case 'url':
      return typeof value === 'string' ? value : '';
    case 'number':
    case 'percentage':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : '';
    case 'multiple_choice':
    case 'evidence':
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    case 'repeating_group': {
      if (!Array.isArray(value)) return [];
      const fields = x.fields ?? [];
      return value.map((row) => {
        const r = (row && typeof row === 'object' ? row : {}) as Record<string, unknown>;
        const out: FormRow = {};
        for (const f of fields) out[cellName(f.id)] = toFormValue(f, r[f.id]) as string | string[];
        return out;
      });
    }
  }
}

const THAI_DIGITS = /[๐-๙]/g;

/**
 * A number as a person types it: Thai digits (๑๒๓) read as 1 2 3, thousands separators and spaces
 * dropped. Something else stays the text it is, so survey-model's validator names it ("ต้องตอบเป็น
 * ตัวเลข") instead of the page guessing.
 */
export function parseNumber(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  const normal = t
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/[,\s]/g, '')
    .replace(/^\+/, '');
  if (/^-?(\d+\.?\d*|\.\d+)$/.test(normal)) {
    const n = Number(normal);
    if (Number.isFinite(n)) return n;
  }
  return t;
}

/** The answer an input's value gives (null: no answer, which clears it on the server). */
export function toAnswer(x: Question, input: unknown): Answer {
  switch (x.type) {
    case 'yes_no':
      return input === 'yes' ? true : input === 'no' ? false : null;
    case 'single_choice':
    case 'text':
    case 'url':
      return typeof input === 'string' && input !== '' ? input : null;
    case 'number':
    case 'percentage':
      // A string that is not a number is passed on as it is: the validator reports WRONG_TYPE.
      return typeof input === 'string' ? (parseNumber(input) as Answer) : null;
    case 'multiple_choice':
    case 'evidence': {
      const list = Array.isArray(input) ? input.filter((v): v is string => typeof v === 'string') : [];
      return list.length ? list : null;
    }
    case 'repeating_group': {
      if (!Array.isArray(input) || input.length === 0) return null;
      const fields = x.fields ?? [];
      return input.map((row) => {
        const r = (row && typeof row === 'object' ? row : {}) as Record<string, unknown>;
        const out: RowValue = {};
        for (const f of fields) {
          const v = toAnswer(f, r[cellName(f.id)]);
          if (v !== null) out[f.id] = v as RowValue[string];
        }
        return out;
      });
    }
  }
}

/** The form's starting values for every question of the questionnaire. */
export function formValuesOf(q: Questionnaire, answers: Readonly<Record<string, unknown>>): FormValues {
  const out: FormValues = {};
  const put = (x: Question) => {
    out[fieldName(x.id)] = toFormValue(x, Object.hasOwn(answers, x.id) ? answers[x.id] : null);
  };
  q.general.questions.forEach(put);
  for (const p of q.pillars) for (const i of p.indicators) i.questions.forEach(put);
  return out;
}

/** The answers of a set of questions as the form holds them. */
export function answersOf(questions: readonly Question[], values: Readonly<Record<string, unknown>>): Answers {
  const out: Answers = {};
  for (const x of questions) out[x.id] = toAnswer(x, values[fieldName(x.id)]) as AnswerValue | null;
  return out;
}
