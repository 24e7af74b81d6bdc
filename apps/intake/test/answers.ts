import { Answers, isVisible, Question, Questionnaire, allQuestions } from '@dg/survey-model';

/** A plausible valid value for a question (evidence takes the ids given). */
export function valueFor(question: Question, evidenceIds: string[] = []): Answers[string] {
  switch (question.type) {
    case 'yes_no':
      return true;
    case 'single_choice':
      return question.options![0].value;
    case 'multiple_choice':
      return [question.options![0].value];
    case 'number':
      return question.min ?? 1;
    case 'percentage':
      return 50;
    case 'text':
      return 'คำตอบทดสอบ (test answer)';
    case 'url':
      return 'https://www.example.go.th/';
    case 'evidence':
      return evidenceIds.slice(0, 1);
    case 'repeating_group': {
      const row: Record<string, string | number | boolean | string[] | null> = {};
      for (const f of question.fields ?? []) row[f.id] = valueFor(f) as string | number | boolean | string[];
      return Array.from({ length: Math.max(1, question.minItems ?? 1) }, () => ({ ...row }));
    }
  }
}

/**
 * Answers every question that is visible once the earlier answers are given (yes/no answered
 * "yes" opens the follow-ups), so the set passes a complete validation. Evidence questions get
 * the id `evidenceFor(questionId)` returns.
 */
export function completeAnswers(
  q: Questionnaire,
  evidenceFor: (questionId: string) => string | undefined,
): Answers {
  const answers: Answers = {};
  for (let pass = 0; pass < 3; pass++) {
    for (const question of allQuestions(q)) {
      if (question.id in answers || !isVisible(q, question.id, answers)) continue;
      if (question.type === 'evidence') {
        const id = evidenceFor(question.id);
        if (id) answers[question.id] = [id];
        continue;
      }
      answers[question.id] = valueFor(question);
    }
  }
  return answers;
}
