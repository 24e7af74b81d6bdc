import type { Answers } from '@dg/survey-model';
import { createContext, createElement, use, useEffect, useMemo, useState, type ReactNode } from 'react';
import { progressOf, type Progress } from '../../features/answers/progress';
import { useResponse } from './context';

/**
 * The answers as of the last pause (at most every `ms`): the index and counts follow the typing
 * without recomputing the whole questionnaire's completeness on every keystroke.
 */
export function useSettledAnswers(ms = 300): Answers {
  const { controller } = useResponse();
  const [answers, setAnswers] = useState(() => controller.getSnapshot().answers);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = controller.subscribe(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setAnswers(controller.getSnapshot().answers);
      }, ms);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [controller, ms]);
  return answers;
}

/** Answered / required per section and indicator, missing and returned questions. */
export function useProgress(): Progress {
  const { questionnaire, returned } = useResponse();
  const answers = useSettledAnswers();
  return useMemo(() => progressOf(questionnaire, answers, returned), [questionnaire, answers, returned]);
}

const ProgressContext = createContext<Progress | null>(null);

/**
 * Computes the progress once for the page; only the components that read it (`useProgressOf`)
 * re-render when it changes, not the questions between them.
 */
export function ProgressProvider({ children }: { children: ReactNode }) {
  const progress = useProgress();
  return createElement(ProgressContext, { value: progress }, children);
}

export function useProgressOf(): Progress {
  const p = use(ProgressContext);
  if (!p) throw new Error('useProgressOf outside ProgressProvider');
  return p;
}
