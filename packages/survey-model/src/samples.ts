import { validateDefinition } from './definition';
import type { Questionnaire } from './format';

/**
 * The sample 2565 questionnaire. The JSON stays outside src/ where an administrator reads and
 * copies it, so it is loaded with require (a relative path that works from src/ and dist/ alike).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- JSON outside rootDir, see above
const raw: unknown = require('../samples/questionnaire-2565.json');

function load(input: unknown): Questionnaire {
  const result = validateDefinition(input);
  if (!result.ok) {
    const list = result.problems.map((p) => `${p.path}: ${p.code} ${p.message}`).join('\n');
    throw new Error(`the sample questionnaire is invalid:\n${list}`);
  }
  return result.questionnaire;
}

/** Validated at import: a broken sample fails loudly at start-up, not when an agency answers. */
export const sample2565: Questionnaire = load(raw);
