import type { Answers } from '@dg/survey-model';
import { answerOf, sameAnswer, type Answer } from './diff';
import { mergeServer, resolveConflicts, type Choice, type Conflict, type Edits, type LocalEdit } from './merge';

/** One thing wrong with an answer, from survey-model's validators (here or in intake). */
export interface FieldProblem {
  questionId: string;
  /** Starts at the question id: `p3_eservices[2].url` for a cell of a list. */
  path: string;
  code: string;
  message: string;
  messageTh: string;
}

/**
 * The autosave queue as data: what the server holds (`base`, `version`), what the person changed
 * (`edits`), what is on its way (`inFlight`, one request at a time), what the server refused
 * (kept in the form and not sent again until changed) and the conflicts waiting for a choice.
 * Every function here is pure; `AutosaveController` runs them with timers, the API and IndexedDB.
 */
export interface QueueState {
  version: number;
  base: Answers;
  edits: Edits;
  inFlight: Answers | null;
  refused: Readonly<Record<string, { value: Answer; problems: readonly FieldProblem[] }>>;
  conflicts: readonly Conflict[];
}

export interface ServerResponse {
  version: number;
  answers: Readonly<Record<string, unknown>>;
}

/** The state after a load: the server's response with the edits kept in the browser merged in. */
export function initialQueue(server: ServerResponse, stored: Edits): QueueState {
  const merged = mergeServer(stored, server.answers);
  return {
    version: server.version,
    base: { ...(server.answers as Answers) },
    edits: merged.edits,
    inFlight: null,
    refused: {},
    conflicts: merged.conflicts,
  };
}

/** What the person sees: the server's answers with the local edits over them. */
export function currentAnswers(s: QueueState): Answers {
  const out: Answers = { ...s.base };
  for (const [id, e] of Object.entries(s.edits)) out[id] = e.value;
  return out;
}

/** Questions whose local answer differs from the server's. */
export function unsentIds(s: QueueState): string[] {
  return Object.keys(s.edits).filter((id) => !sameAnswer(s.edits[id]!.value, answerOf(s.base, id)));
}

/**
 * A change in the form. An answer put back to what the server holds is no edit any more, unless a
 * save of that question is on its way (its acknowledgement will move the server's answer, and the
 * answer put back must then be saved too).
 */
export function editAnswer(s: QueueState, id: string, value: Answer): QueueState {
  const edits: Record<string, LocalEdit> = { ...s.edits };
  const inFlight = s.inFlight !== null && Object.hasOwn(s.inFlight, id);
  if (sameAnswer(value, answerOf(s.base, id)) && !inFlight && !s.conflicts.some((c) => c.questionId === id)) {
    delete edits[id];
  } else {
    edits[id] = { value, was: Object.hasOwn(s.edits, id) ? s.edits[id]!.was : answerOf(s.base, id) };
  }
  let refused = s.refused;
  if (Object.hasOwn(refused, id) && !sameAnswer(refused[id]!.value, value)) {
    const { [id]: _changed, ...rest } = refused;
    refused = rest;
  }
  return { ...s, edits, refused };
}

/** Splits a patch like intake does (`splitPatch` of survey-model), given the server's answers. */
export type SplitPatch = (
  base: Answers,
  patch: Answers,
) => { accepted: Record<string, unknown>; rejected: readonly FieldProblem[] };

export interface SavePlan {
  /** The answers to send now (valid by the same rules intake applies). */
  patch: Answers;
  /** Answers kept back, with what is wrong with each (shown at the field, not sent). */
  held: Record<string, FieldProblem[]>;
}

/**
 * What the next save sends: every unsent answer that is not waiting for a conflict choice and not
 * an answer the server already refused as it is; checked by survey-model's own validators first,
 * so an invalid answer stays in the form with its message and the valid ones are still saved.
 */
export function planSave(s: QueueState, split: SplitPatch): SavePlan {
  const candidates: Answers = {};
  for (const id of unsentIds(s)) {
    if (s.conflicts.some((c) => c.questionId === id)) continue;
    const value = s.edits[id]!.value;
    if (Object.hasOwn(s.refused, id) && sameAnswer(s.refused[id]!.value, value)) continue;
    candidates[id] = value;
  }
  if (Object.keys(candidates).length === 0) return { patch: {}, held: {} };
  const { accepted, rejected } = split(s.base, candidates);
  const held: Record<string, FieldProblem[]> = {};
  for (const p of rejected) (held[p.questionId] ??= []).push(p);
  return { patch: accepted as Answers, held };
}

export function startSave(s: QueueState, patch: Answers): QueueState {
  return { ...s, inFlight: patch };
}

/** A save that did not reach the server (or failed there): everything stays an edit. */
export function abortSave(s: QueueState): QueueState {
  return { ...s, inFlight: null };
}

export interface Ack extends ServerResponse {
  /** Answers of the patch the server did not save, from `rejected[]` (or a 422's `errors[]`). */
  rejected: readonly FieldProblem[];
}

/**
 * The server saved the patch: its answers are the new base; the edits it now holds are done
 * (`done`, to drop from the browser's store), the others now start from the new base; refused
 * answers are remembered with the value that was refused. A conflict waiting for the person's
 * choice is left as it is (it was not sent).
 */
export function acknowledge(s: QueueState, ack: Ack): { state: QueueState; done: string[]; apply: Answers } {
  const sent = s.inFlight ?? {};
  const base = { ...(ack.answers as Answers) };
  const refused: Record<string, { value: Answer; problems: FieldProblem[] }> = {};
  for (const [id, r] of Object.entries(s.refused)) refused[id] = { value: r.value, problems: [...r.problems] };
  const refusedNow = new Set<string>();
  for (const p of ack.rejected) {
    if (!Object.hasOwn(sent, p.questionId)) continue;
    if (!refusedNow.has(p.questionId)) {
      refused[p.questionId] = { value: answerOf(sent, p.questionId), problems: [] };
      refusedNow.add(p.questionId);
    }
    refused[p.questionId]!.problems.push(p);
  }
  // An answer sent and saved is no longer refused.
  for (const id of Object.keys(sent)) if (!refusedNow.has(id)) delete refused[id];
  const edits: Record<string, LocalEdit> = {};
  const done: string[] = [];
  const apply: Answers = {};
  for (const [id, e] of Object.entries(s.edits)) {
    const theirs = answerOf(base, id);
    if (s.conflicts.some((c) => c.questionId === id)) {
      edits[id] = e;
    } else if (sameAnswer(e.value, theirs)) {
      done.push(id);
    } else if (Object.hasOwn(sent, id) && !refusedNow.has(id) && sameAnswer(e.value, answerOf(sent, id))) {
      // Saved, yet the server keeps another form of it: the server's answer is the answer (and
      // sending it again would loop).
      done.push(id);
      apply[id] = theirs;
    } else {
      edits[id] = { value: e.value, was: theirs };
    }
  }
  return { state: { ...s, version: ack.version, base, edits, inFlight: null, refused }, done, apply };
}

/**
 * 409: someone saved in between. Their answers become the base; local edits that do not overlap
 * theirs stay to be saved with the new version, answers they changed that nothing local touches
 * are applied (`apply`), and questions both changed differently wait for the person's choice.
 */
export function conflictWith(
  s: QueueState,
  server: ServerResponse,
): { state: QueueState; apply: Answers; done: string[] } {
  const merged = mergeServer(s.edits, server.answers, s.base);
  const done = Object.keys(s.edits).filter((id) => !Object.hasOwn(merged.edits, id));
  // Conflicts already waiting keep their place; new ones are added.
  const known = new Map(s.conflicts.map((c) => [c.questionId, c]));
  for (const c of merged.conflicts) known.set(c.questionId, c);
  const conflicts = [...known.values()].filter((c) => Object.hasOwn(merged.edits, c.questionId));
  return {
    state: {
      ...s,
      version: server.version,
      base: { ...(server.answers as Answers) },
      edits: merged.edits,
      inFlight: null,
      conflicts,
    },
    apply: merged.apply,
    done,
  };
}

/** The person's choices in the merge dialog; see `resolveConflicts`. */
export function chooseInConflicts(
  s: QueueState,
  choices: Readonly<Record<string, Choice>>,
): { state: QueueState; apply: Answers; done: string[] } {
  const r = resolveConflicts(s.edits, s.conflicts, choices);
  const done = Object.keys(s.edits).filter((id) => !Object.hasOwn(r.edits, id));
  return { state: { ...s, edits: r.edits, conflicts: r.conflicts }, apply: r.apply, done };
}
