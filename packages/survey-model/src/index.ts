export * from './format';
export * from './definition';
export * from './answers';
export { QUESTIONNAIRE_JSON_SCHEMA, QUESTIONNAIRE_SCHEMA_ID } from './json-schema';
export { sample2565, sampleRules2565 } from './samples';
export * from './scoring';
export * from './personal-data';
export * from './completeness';
