import type { ResponseDetail } from '@dg/contracts';
import { isVisible, type Answers, type Question, type Questionnaire } from '@dg/survey-model';
import { createContext, use, useSyncExternalStore } from 'react';
import type { AutosaveController, AutosaveSnapshot } from '../../features/answers/autosave';
import type { FieldProblem } from '../../features/answers/queue';

export type VerdictView = ResponseDetail['verdicts'][number];

/**
 * What every question of the page reads: the questionnaire, the autosave controller (the one
 * source of the current answers, problems and save state), whether the page takes edits, and the
 * verifier's last verdict per question. Stable for the page's life, so reading it never
 * re-renders a question; the hooks below subscribe each question to its own slice only.
 */
export interface ResponseContextValue {
  cycleId: string;
  agencyId: string;
  questionnaire: Questionnaire;
  controller: AutosaveController;
  readOnly: boolean;
  /** The last verdict per question (only those with one). */
  verdicts: ReadonlyMap<string, VerdictView>;
  /** Questions whose last verdict is `rejected` while the response is returned. */
  returned: ReadonlySet<string>;
  /** "3.2" for the second question of pillar 3; "5" for the general block's fifth. */
  numbers: ReadonlyMap<string, string>;
  /** Top-level questions by id. */
  questions: ReadonlyMap<string, Question>;
}

export const ResponseContext = createContext<ResponseContextValue | null>(null);

export function useResponse(): ResponseContextValue {
  const v = use(ResponseContext);
  if (!v) throw new Error('useResponse outside ResponseContext');
  return v;
}

// Visibility per answers object: every question asks for its own, computed once per change.
const visibleCache = new WeakMap<Answers, Map<string, boolean>>();
export function visibleIn(q: Questionnaire, answers: Answers, id: string): boolean {
  let m = visibleCache.get(answers);
  if (!m) visibleCache.set(answers, (m = new Map<string, boolean>()));
  let v = m.get(id);
  if (v === undefined) m.set(id, (v = isVisible(q, id, answers)));
  return v;
}

/** Whether a question is shown for the current answers; re-renders only when that flips. */
export function useVisible(id: string): boolean {
  const { controller, questionnaire } = useResponse();
  return useSyncExternalStore(controller.subscribe, () =>
    visibleIn(questionnaire, controller.getSnapshot().answers, id),
  );
}

const NONE: readonly FieldProblem[] = [];
/** What is wrong with a question's answer (kept back here or refused by intake). */
export function useProblems(id: string): readonly FieldProblem[] {
  const { controller } = useResponse();
  return useSyncExternalStore(controller.subscribe, () => controller.getSnapshot().problems[id] ?? NONE);
}

/** Any slice of the save state; the selector must return a stable value (a primitive or a kept object). */
export function useSaveState<T>(select: (s: AutosaveSnapshot) => T): T {
  const { controller } = useResponse();
  return useSyncExternalStore(controller.subscribe, () => select(controller.getSnapshot()));
}
