import { allQuestions } from './answers';
import type { Answers, Questionnaire, RowValue } from './format';

/** Per question: the whole answer is personal data (true), or these fields of its rows are. */
type PersonalParts = ReadonlyMap<string, true | ReadonlySet<string>>;

// Definitions never change once stored, so the map is built once per questionnaire object.
const cache = new WeakMap<Questionnaire, PersonalParts>();

/**
 * Whether the questionnaire says anything about personal data: a question or a field carries
 * `personalData`, true or false. One that says nothing was written before the flag existed (or
 * by an author who never looked), so nobody has decided which of its answers are personal.
 */
export function marksPersonalData(q: Questionnaire): boolean {
  return allQuestions(q).some(
    (question) =>
      question.personalData !== undefined || (question.fields ?? []).some((f) => f.personalData !== undefined),
  );
}

/**
 * A question is personal when flagged. In a questionnaire that marks nothing, every free-text
 * answer (a `text` question, a `text` field of a list) is taken as personal: names, e-mails and
 * phone numbers are asked for as text, and leaving out too much is the mistake that can be undone.
 */
function personalParts(q: Questionnaire): PersonalParts {
  let parts = cache.get(q);
  if (!parts) {
    const unmarked = !marksPersonalData(q);
    const personal = (question: { type: string; personalData?: boolean }) =>
      question.personalData === true || (unmarked && question.type === 'text');
    const m = new Map<string, true | ReadonlySet<string>>();
    for (const question of allQuestions(q)) {
      if (personal(question)) m.set(question.id, true);
      else {
        const fields = (question.fields ?? []).filter(personal).map((f) => f.id);
        if (fields.length) m.set(question.id, new Set(fields));
      }
    }
    cache.set(q, (parts = m));
  }
  return parts;
}

/**
 * Where a questionnaire asks for personal data (PDPA): question ids, and `group.field` for the
 * fields of a repeating group, in document order. What an export says it leaves out or carries.
 */
export function personalDataPaths(q: Questionnaire): string[] {
  return [...personalParts(q)].flatMap(([id, part]) =>
    part === true ? [id] : [...part].map((f) => `${id}.${f}`),
  );
}

/** Whether the whole answer to this question is personal data (a list with personal fields is not: its other fields stay). */
export function isPersonalQuestion(q: Questionnaire, questionId: string): boolean {
  return personalParts(q).get(questionId) === true;
}

/** Whether the answer to this question carries personal data (a personal question, or a group with personal fields). */
export function carriesPersonalData(q: Questionnaire, questionId: string): boolean {
  return personalParts(q).has(questionId);
}

/**
 * The answers less every piece of personal data: personal questions are dropped, and personal
 * fields are dropped from the rows of a repeating group (the rest of each row stays).
 */
export function withoutPersonalData(q: Questionnaire, answers: Answers): Answers {
  const parts = personalParts(q);
  if (parts.size === 0) return answers;
  const out: Answers = {};
  for (const [id, value] of Object.entries(answers)) {
    const part = parts.get(id);
    if (part === true) continue;
    out[id] =
      part && Array.isArray(value) ? (value as unknown[]).map((row) => withoutFields(row, part)) : value;
  }
  return out;
}

/** A repeating-group row less the given fields (anything that is not a row is left as it is). */
function withoutFields(row: unknown, fields: ReadonlySet<string>): RowValue {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row as RowValue;
  return Object.fromEntries(Object.entries(row).filter(([field]) => !fields.has(field))) as RowValue;
}
