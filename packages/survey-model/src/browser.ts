/**
 * Everything the package offers that runs in a browser: the format, the definition and answer
 * validators, conditions, completeness and the scoring engine. The web portal bundles this entry
 * from source (the same rules intake runs); the sample questionnaire is left out because it is
 * loaded from JSON with `require` and validated at import, which a browser neither can nor needs.
 */
export * from './format';
export * from './definition';
export * from './answers';
export { QUESTIONNAIRE_JSON_SCHEMA, QUESTIONNAIRE_SCHEMA_ID } from './json-schema';
export * from './scoring';
export * from './personal-data';
export * from './completeness';
export * from './evidence';
