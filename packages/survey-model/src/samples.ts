import { validateDefinition } from './definition';
import type { Questionnaire } from './format';
import { validateRules, type ScoringRules } from './scoring/rules';

/**
 * The sample 2565 questionnaire and its sample scoring rules. The JSON stays outside src/ where an
 * administrator reads and copies it, so it is loaded with require (a relative path that works from
 * src/ and dist/ alike).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- JSON outside rootDir, see above */
const raw: unknown = require('../samples/questionnaire-2565.json');
const rawRules: unknown = require('../samples/scoring-rules-2565.json');
/* eslint-enable @typescript-eslint/no-require-imports */

function fail(what: string, problems: { path: string; code: string; message: string }[]): never {
  const list = problems.map((p) => `${p.path}: ${p.code} ${p.message}`).join('\n');
  throw new Error(`the ${what} is invalid:\n${list}`);
}

function load(input: unknown): Questionnaire {
  const result = validateDefinition(input);
  return result.ok ? result.questionnaire : fail('sample questionnaire', result.problems);
}

function loadRules(input: unknown, q: Questionnaire): ScoringRules {
  const result = validateRules(input, q);
  return result.ok ? result.rules : fail('sample scoring rules', result.problems);
}

/** Validated at import: a broken sample fails loudly at start-up, not when an agency answers. */
export const sample2565: Questionnaire = load(raw);

/** SAMPLE rules for sample2565 (Gartner's five levels, UN-style bands); validated at import too. */
export const sampleRules2565: ScoringRules = loadRules(rawRules, sample2565);
