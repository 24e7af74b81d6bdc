import type { Completeness } from '@dg/contracts';
import type { Questionnaire } from '@dg/survey-model';
import type { Lang } from '../../../lib/dates';

/** The general block's section id in the questionnaire's address (`?pillar=general`). */
export const GENERAL_SECTION = 'general';

/**
 * "3.2" for the second question of pillar 3, "5." for the general block's fifth: the numbers the
 * questionnaire pages show, so a problem in the summary names the question as the page does.
 */
export function questionNumbers(q: Questionnaire): Map<string, string> {
  const numbers = new Map<string, string>();
  q.general.questions.forEach((x, i) => numbers.set(x.id, `${i + 1}.`));
  for (const p of q.pillars) {
    let n = 0;
    for (const ind of p.indicators) for (const x of ind.questions) numbers.set(x.id, `${p.number}.${++n}`);
  }
  return numbers;
}

/** One question that stops the submission, with every reason and where to fix it. */
export interface SummaryItem {
  questionId: string;
  /** `ข้อ 3.2 มีแผนดิจิทัล…` */
  label: string;
  messages: string[];
  /** The questionnaire page of the question (`?pillar=`) and its anchor (`#q-<id>`). */
  section: string;
  anchor: string;
}

export interface SummarySection {
  section: string;
  number: number | null;
  title: string;
  required: number;
  answered: number;
  items: SummaryItem[];
}

export interface Summary {
  complete: boolean;
  /** Questions to fix (one per question, however many reasons it has). */
  count: number;
  required: number;
  answered: number;
  sections: SummarySection[];
}

/**
 * The completeness check of intake (`GET …/completeness`, survey-model's `completeness`: the
 * checks submission runs) as an error summary: per section, each question once with all its
 * reasons in the reader's language, linked to the question on its page.
 */
export function summaryOf(
  c: Completeness,
  numbers: ReadonlyMap<string, string>,
  lang: Lang,
  questionWord: (n: string) => string,
): Summary {
  const sections: SummarySection[] = c.sections.map((s) => {
    const section = s.pillarId ?? GENERAL_SECTION;
    const byQuestion = new Map<string, SummaryItem>();
    for (const m of s.missing) {
      const message = lang === 'th' ? m.messageTh : m.message;
      const known = byQuestion.get(m.questionId);
      if (known) {
        if (!known.messages.includes(message)) known.messages.push(message);
        continue;
      }
      const number = numbers.get(m.questionId);
      const text = m.questionText[lang] || m.questionText.th;
      byQuestion.set(m.questionId, {
        questionId: m.questionId,
        label: number ? `${questionWord(number)} ${text}` : text,
        messages: [message],
        section,
        anchor: `q-${m.questionId}`,
      });
    }
    return {
      section,
      number: s.number,
      title: s.title[lang] || s.title.th,
      required: s.required,
      answered: s.answered,
      items: [...byQuestion.values()],
    };
  });
  return {
    complete: c.complete,
    count: sections.reduce((n, s) => n + s.items.length, 0),
    required: c.required,
    answered: c.answered,
    sections,
  };
}
