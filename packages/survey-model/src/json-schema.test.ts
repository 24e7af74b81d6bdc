import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUESTIONNAIRE_JSON_SCHEMA, QUESTIONNAIRE_SCHEMA_ID } from './json-schema';

describe('the published JSON Schema', () => {
  it('matches schema/questionnaire.schema.json (run `npm run schema -w @dg/survey-model` after changing the format)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(join(__dirname, '../schema/questionnaire.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(QUESTIONNAIRE_JSON_SCHEMA);
  });

  it('has an id, a title and a description, and a recursive condition', () => {
    expect(QUESTIONNAIRE_JSON_SCHEMA).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: QUESTIONNAIRE_SCHEMA_ID,
      title: expect.any(String),
      description: expect.stringContaining('แบบสำรวจ'),
    });
    const defs = QUESTIONNAIRE_JSON_SCHEMA.$defs as Record<string, unknown>;
    expect(JSON.stringify(defs.Condition)).toContain('"$ref":"#/$defs/Condition"');
  });
});
