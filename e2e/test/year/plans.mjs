#!/usr/bin/env node
// The sample answers (scripts/sample-answers.mjs) of the agencies named on standard input, as
// complete submissions: `node plans.mjs < codes.json` prints `{ [code]: plan }`. An ES module like
// the generator, so the end-to-end test runs it as a child process.
import { readFileSync } from 'node:fs';
import { readAgencies, readQuestionnaire, samplePlan } from '../../../scripts/sample-answers.mjs';

const codes = new Set(JSON.parse(readFileSync(0, 'utf8')));
const questionnaire = readQuestionnaire();
const out = {};
for (const agency of readAgencies()) {
  // Stage "submitted": every answer of a complete response (the test decides what happens next).
  if (codes.has(agency.code)) out[agency.code] = samplePlan(questionnaire, agency, { stage: 'submitted' });
}
process.stdout.write(JSON.stringify(out));
