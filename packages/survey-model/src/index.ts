export * from './browser';
export { sample2565, sampleRules2565 } from './samples';
