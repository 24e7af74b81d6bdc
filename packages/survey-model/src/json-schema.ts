import { z } from 'zod';
import { Questionnaire } from './format';

/** Where editors and tools can recognise the format; bump with `formatVersion`. */
export const QUESTIONNAIRE_SCHEMA_ID = 'urn:dg-readiness:survey-model:questionnaire:1';

/**
 * The questionnaire format as JSON Schema (draft 2020-12), so DGA can author next year's
 * questionnaire in an editor with completion and checks. Written to schema/questionnaire.schema.json
 * by `npm run schema`; a test fails when that file drifts from this.
 */
export const QUESTIONNAIRE_JSON_SCHEMA: Record<string, unknown> = (() => {
  const { $schema, title, description, ...rest } = z.toJSONSchema(Questionnaire, {
    io: 'input',
    target: 'draft-2020-12',
  });
  return { $schema, $id: QUESTIONNAIRE_SCHEMA_ID, title, description, ...rest };
})();
