import { isAnswered } from './conditions';
import type { Answers, Text } from './format';
import type { Questionnaire } from './format';
import { type AnswerProblem, isVisible, pruneHidden, questionIndex, validateAnswers } from './answers';

/** One thing that keeps a response from being submitted, named as the coordinator reads it. */
export interface MissingAnswer extends AnswerProblem {
  /** The question's text (Thai and English), so a person is never shown a bare id. */
  text: Text;
  indicatorId: string | null;
}

/** The general block (`pillarId` null) or one pillar. */
export interface SectionCompleteness {
  pillarId: string | null;
  number: number | null;
  title: Text;
  /** Required questions shown for the current answers. */
  required: number;
  /** Of those, how many are answered. */
  answered: number;
  missing: MissingAnswer[];
}

export interface Completeness {
  /** True exactly when submitting these answers would be accepted (same checks as submission). */
  complete: boolean;
  required: number;
  answered: number;
  problemCount: number;
  sections: SectionCompleteness[];
}

/**
 * What still stops a response from being submitted, per section: the same checks as submission
 * (`validateAnswers` in complete mode on the answers with hidden ones dropped), so a required
 * question hidden by another answer is never listed, and a list with too few rows or an evidence
 * file no longer uploaded is listed as well as a missing answer.
 */
export function completeness(
  q: Questionnaire,
  answers: Answers,
  opts: { evidenceIds?: ReadonlySet<string> } = {},
): Completeness {
  const kept = pruneHidden(q, answers);
  const problems = validateAnswers(q, kept, { mode: 'complete', evidenceIds: opts.evidenceIds });
  const index = questionIndex(q);
  const sections: SectionCompleteness[] = [
    { pillarId: null, number: null, title: q.general.title, required: 0, answered: 0, missing: [] },
    ...q.pillars.map((p) => ({
      pillarId: p.id,
      number: p.number,
      title: p.title,
      required: 0,
      answered: 0,
      missing: [],
    })),
  ];
  const sectionOf = (pillarId: string | null) => sections.find((s) => s.pillarId === pillarId)!;
  for (const [id, entry] of index) {
    if (!entry.question.required || !isVisible(q, id, kept)) continue;
    const s = sectionOf(entry.pillarId);
    s.required++;
    if (isAnswered(kept[id])) s.answered++;
  }
  for (const p of problems) {
    const entry = index.get(p.questionId);
    const s = sectionOf(entry?.pillarId ?? null);
    s.missing.push({
      ...p,
      text: entry?.question.text ?? { th: p.questionId, en: p.questionId },
      indicatorId: entry?.indicatorId ?? null,
    });
  }
  return {
    complete: problems.length === 0,
    required: sections.reduce((n, s) => n + s.required, 0),
    answered: sections.reduce((n, s) => n + s.answered, 0),
    problemCount: problems.length,
    sections,
  };
}

/**
 * Autosave: splits a patch into the answers that can be kept and the problems of the others, so
 * one bad option does not lose the rest of what a coordinator typed. Repeated until stable: an
 * answer refused may hide a question the patch also answers, which is then refused as hidden.
 * `null` (clear) is always kept. Problems are those of `validateAnswers` in partial mode.
 */
export function splitPatch(
  q: Questionnaire,
  current: Answers,
  patch: Record<string, unknown>,
  opts: { evidenceIds?: ReadonlySet<string> } = {},
): { accepted: Record<string, unknown>; rejected: AnswerProblem[] } {
  const accepted: Record<string, unknown> = { ...patch };
  const rejected: AnswerProblem[] = [];
  for (;;) {
    const merged: Answers = { ...current };
    for (const [id, value] of Object.entries(accepted)) {
      // Cleared answers stay in view as null so "clear a hidden answer" is never refused.
      merged[id] = value === undefined ? null : (value as Answers[string]);
    }
    const problems = validateAnswers(q, merged, { mode: 'partial', evidenceIds: opts.evidenceIds }).filter(
      (p) => Object.hasOwn(accepted, p.questionId),
    );
    if (!problems.length) return { accepted, rejected };
    for (const p of problems) {
      rejected.push(p);
      delete accepted[p.questionId];
    }
  }
}

/** What the registry knows of an agency, for the questions marked `prefill`. */
export interface AgencyProfile {
  kind?: string | null;
  ministryId?: string | null;
  provinceCode?: string | null;
}

/**
 * The answers a response starts with: each `prefill` question answered from the agency's registry
 * record when that code is one of its options (an agency without a ministry takes `none` when the
 * question has it). Anything else is left for the coordinator.
 */
export function prefillAnswers(q: Questionnaire, agency: AgencyProfile): Answers {
  const answers: Answers = {};
  for (const x of q.general.questions) {
    if (!x.prefill || x.type !== 'single_choice') continue;
    const value =
      x.prefill === 'agency.kind'
        ? agency.kind
        : x.prefill === 'agency.ministry'
          ? (agency.ministryId ?? 'none')
          : agency.provinceCode;
    if (value && (x.options ?? []).some((o) => o.value === value)) answers[x.id] = value;
  }
  // A prefilled answer the others hide (a province for a department) is not kept.
  return pruneHidden(q, answers);
}
