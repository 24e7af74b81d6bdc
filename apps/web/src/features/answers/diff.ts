import type { Answers, AnswerValue } from '@dg/survey-model';

/** One answer as the portal holds it: a value, or null for "no answer" (a missing key reads as null). */
export type Answer = AnswerValue | null;

/**
 * Whether two answers are the same answer: `undefined` and `null` are both "no answer", lists and
 * list rows compare by content (key order of a row does not matter, and a row cell left null is the
 * same as a cell left out). Used to decide what changed, what the server acknowledged and what
 * conflicts, so it must never call two different answers equal.
 */
export function sameAnswer(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameAnswer(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) if (!sameAnswer(ra[k], rb[k])) return false;
    return true;
  }
  return false;
}

/** The answer to one question in a set of answers (own keys only: an id such as "constructor" is no answer). */
export function answerOf(answers: Readonly<Record<string, unknown>>, id: string): Answer {
  return Object.hasOwn(answers, id) ? ((answers[id] as Answer | undefined) ?? null) : null;
}

/**
 * The answers of `next` that differ from `base`: what a save has to send. A question answered in
 * `base` and missing from `next` is NOT a change (`next` may be a partial view); clearing is an
 * explicit `null` in `next`.
 */
export function changedAnswers(next: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>>): Answers {
  const out: Answers = {};
  for (const id of Object.keys(next)) {
    const value = answerOf(next, id);
    if (!sameAnswer(value, answerOf(base, id))) out[id] = value;
  }
  return out;
}
