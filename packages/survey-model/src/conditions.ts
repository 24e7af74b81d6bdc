import type { AnswerValue, Condition } from './format';

/** A condition that names one question (everything except all / any / not). */
export type Leaf = Exclude<Condition, { all: Condition[] } | { any: Condition[] } | { not: Condition }>;

/** Calls `visit` for every leaf with its path below the condition (e.g. `.all[1].not`). */
export function forEachLeaf(c: Condition, visit: (leaf: Leaf, path: string) => void, path = ''): void {
  if ('all' in c) c.all.forEach((x, i) => forEachLeaf(x, visit, `${path}.all[${i}]`));
  else if ('any' in c) c.any.forEach((x, i) => forEachLeaf(x, visit, `${path}.any[${i}]`));
  else if ('not' in c) forEachLeaf(c.not, visit, `${path}.not`);
  else visit(c, path);
}

/** The question ids a condition reads. */
export function referencedIds(c: Condition): string[] {
  const ids: string[] = [];
  forEachLeaf(c, (leaf) => ids.push(leaf.question));
  return ids;
}

/** Empty strings (also only spaces) and empty lists are no answer. */
export function isAnswered(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * Whether a condition holds for the given answers. Values of the wrong shape make a leaf false
 * rather than throw: answers come from users and may be anything.
 */
export function holds(c: Condition, answerOf: (id: string) => AnswerValue | null | undefined): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, answerOf));
  if ('any' in c) return c.any.some((x) => holds(x, answerOf));
  if ('not' in c) return !holds(c.not, answerOf);
  const v = answerOf(c.question);
  if ('answered' in c) return isAnswered(v) === c.answered;
  if (v === null || v === undefined) return false;
  // A multiple_choice answer is a list: `equals` / `in` ask whether it contains the value(s).
  const values: unknown[] = Array.isArray(v) ? v : [v];
  if ('equals' in c) return values.includes(c.equals);
  if ('in' in c) return values.some((x) => (c.in as unknown[]).includes(x));
  if (typeof v !== 'number') return false;
  return (
    (c.gt === undefined || v > c.gt) &&
    (c.gte === undefined || v >= c.gte) &&
    (c.lt === undefined || v < c.lt) &&
    (c.lte === undefined || v <= c.lte)
  );
}
