import {
  completeness,
  isAnswered,
  isVisible,
  type Answers,
  type Question,
  type Questionnaire,
  type Text,
} from '@dg/survey-model';

/** The general block's section id in addresses (`?pillar=general`); pillars use their own ids. */
export const GENERAL = 'general';

export type Filter = 'all' | 'unanswered' | 'returned';
export const FILTERS: readonly Filter[] = ['all', 'unanswered', 'returned'];

export interface IndicatorProgress {
  id: string;
  title: Text;
  /** Required questions shown for the current answers. */
  required: number;
  answered: number;
  /** Questions that would stop the submission (unanswered required, too few rows, a bad value). */
  missing: number;
  /** Questions the verifier sent back for correction. */
  returned: number;
}

export interface SectionProgress {
  /** `general` or the pillar's id. */
  id: string;
  number: number | null;
  title: Text;
  required: number;
  answered: number;
  missing: number;
  returned: number;
  indicators: IndicatorProgress[];
}

export interface Progress {
  sections: SectionProgress[];
  required: number;
  answered: number;
  /** Question ids that would stop the submission, with the survey-model codes found. */
  missing: ReadonlyMap<string, readonly string[]>;
  returned: ReadonlySet<string>;
  /** True when submitting now would pass the answer checks. */
  complete: boolean;
}

export interface Section {
  id: string;
  number: number | null;
  title: Text;
  indicators: { id: string | null; title: Text | null; questions: Question[] }[];
}

/** The questionnaire as pages: the general block, then each pillar with its indicators. */
export function sectionsOf(q: Questionnaire): Section[] {
  return [
    { id: GENERAL, number: null, title: q.general.title, indicators: [{ id: null, title: null, questions: q.general.questions }] },
    ...q.pillars.map((p) => ({
      id: p.id,
      number: p.number,
      title: p.title,
      indicators: p.indicators.map((i) => ({ id: i.id, title: i.title, questions: i.questions })),
    })),
  ];
}

/**
 * Answered / required per section and indicator, and which questions are missing or returned,
 * from survey-model's own `completeness` (the checks submission runs) and visibility rules: the
 * index and the check before sending can never disagree.
 */
export function progressOf(q: Questionnaire, answers: Answers, returned: ReadonlySet<string> = new Set()): Progress {
  const c = completeness(q, answers);
  const missing = new Map<string, string[]>();
  for (const s of c.sections) for (const m of s.missing) (missing.get(m.questionId) ?? missing.set(m.questionId, []).get(m.questionId)!).push(m.code);
  const sections: SectionProgress[] = sectionsOf(q).map((section, i) => {
    const counted = c.sections[i]!;
    const indicators = section.indicators
      .filter((ind): ind is { id: string; title: Text; questions: Question[] } => ind.id !== null && ind.title !== null)
      .map((ind) => {
        let required = 0;
        let answered = 0;
        let miss = 0;
        let ret = 0;
        for (const x of ind.questions) {
          if (missing.has(x.id)) miss++;
          if (returned.has(x.id)) ret++;
          if (!x.required || !isVisible(q, x.id, answers)) continue;
          required++;
          if (isAnswered(answers[x.id])) answered++;
        }
        return { id: ind.id, title: ind.title, required, answered, missing: miss, returned: ret };
      });
    const ids = section.indicators.flatMap((ind) => ind.questions.map((x) => x.id));
    return {
      id: section.id,
      number: section.number,
      title: section.title,
      required: counted.required,
      answered: counted.answered,
      missing: ids.filter((id) => missing.has(id)).length,
      returned: ids.filter((id) => returned.has(id)).length,
      indicators,
    };
  });
  return { sections, required: c.required, answered: c.answered, missing, returned, complete: c.complete };
}

/**
 * The questions a filter shows on a section's page, among those shown for the current answers:
 * all, the unanswered ones, or those the verifier returned.
 */
export function filterQuestions(
  q: Questionnaire,
  questions: readonly Question[],
  filter: Filter,
  answers: Answers,
  returned: ReadonlySet<string>,
): Question[] {
  return questions.filter((x) => {
    if (!isVisible(q, x.id, answers)) return false;
    if (filter === 'returned') return returned.has(x.id);
    return filter === 'all' || !isAnswered(answers[x.id]);
  });
}

/** Question ids whose last verdict is `rejected` (the last one counts, as in scoring). */
export function returnedIds(verdicts: readonly { questionId: string; verdict: string; at: string }[]): Set<string> {
  const last = new Map<string, { verdict: string; at: string }>();
  for (const v of verdicts) {
    const prev = last.get(v.questionId);
    if (!prev || prev.at <= v.at) last.set(v.questionId, v);
  }
  return new Set([...last].filter(([, v]) => v.verdict === 'rejected').map(([id]) => id));
}
