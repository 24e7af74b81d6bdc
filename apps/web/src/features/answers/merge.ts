import type { Answers } from '@dg/survey-model';
import { answerOf, sameAnswer, type Answer } from './diff';

/**
 * An answer the person changed that the server may not hold yet. `was` is the server's answer the
 * edit started from: when the server's answer is no longer `was`, someone else changed the same
 * question in the meantime, and only the person can say which answer stays.
 */
export interface LocalEdit {
  value: Answer;
  was: Answer;
}
export type Edits = Readonly<Record<string, LocalEdit>>;

/** A question both this page and someone else changed to different answers. */
export interface Conflict {
  questionId: string;
  /** What this page holds (typed here, not yet saved). */
  mine: Answer;
  /** What the server holds now. */
  theirs: Answer;
}

export type Choice = 'mine' | 'theirs';

export interface MergeResult {
  /** The local edits still to save (conflicting ones included, until resolved). */
  edits: Record<string, LocalEdit>;
  conflicts: Conflict[];
  /**
   * Answers the page must now show because the server changed them and nothing local overlaps:
   * applied silently. Only when the old server answers are known (a 409 while editing); after a
   * reload the page is built from the server's answers anyway.
   */
  apply: Answers;
}

/**
 * Merges the server's current answers with the local edits, question by question:
 * - an edit the server already holds (same answer) is done;
 * - an edit of a question the server did not change since the edit began is kept, to be saved;
 * - an edit of a question the server changed to something else is a conflict;
 * - every other question the server changed is applied to the page as it is.
 */
export function mergeServer(edits: Edits, server: Readonly<Record<string, unknown>>, oldServer?: Answers): MergeResult {
  const next: Record<string, LocalEdit> = {};
  const conflicts: Conflict[] = [];
  for (const [id, edit] of Object.entries(edits)) {
    const theirs = answerOf(server, id);
    if (sameAnswer(edit.value, theirs)) continue;
    if (sameAnswer(theirs, edit.was)) {
      next[id] = { value: edit.value, was: theirs };
    } else {
      next[id] = edit;
      conflicts.push({ questionId: id, mine: edit.value, theirs });
    }
  }
  const apply: Answers = {};
  if (oldServer) {
    const ids = new Set([...Object.keys(server), ...Object.keys(oldServer)]);
    for (const id of ids) {
      if (Object.hasOwn(next, id) || Object.hasOwn(edits, id)) continue;
      const theirs = answerOf(server, id);
      if (!sameAnswer(theirs, answerOf(oldServer, id))) apply[id] = theirs;
    }
  }
  return { edits: next, conflicts, apply };
}

/**
 * The person's choice for each conflict: `mine` keeps the local answer (to be saved over the
 * server's, which becomes the answer it started from), `theirs` drops it and shows the server's.
 * A conflict without a choice stays a conflict.
 */
export function resolveConflicts(
  edits: Edits,
  conflicts: readonly Conflict[],
  choices: Readonly<Record<string, Choice>>,
): { edits: Record<string, LocalEdit>; conflicts: Conflict[]; apply: Answers } {
  const next: Record<string, LocalEdit> = { ...edits };
  const left: Conflict[] = [];
  const apply: Answers = {};
  for (const c of conflicts) {
    const choice = choices[c.questionId];
    if (choice === 'mine') {
      // The local answer as it is now (the person may have typed on since the conflict was found).
      next[c.questionId] = { value: edits[c.questionId]?.value ?? c.mine, was: c.theirs };
    } else if (choice === 'theirs') {
      delete next[c.questionId];
      apply[c.questionId] = c.theirs;
    } else {
      left.push(c);
    }
  }
  return { edits: next, conflicts: left, apply };
}
