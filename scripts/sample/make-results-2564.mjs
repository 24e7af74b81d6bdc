#!/usr/bin/env node
// Writes scripts/sample/results-2564.csv: SYNTHETIC published results of a B.E. 2564 cycle for the
// sample cohort, which scripts/load-sample.mjs imports (POST /cycles/2564/results/import) so that
// the sample 2565 results show year-over-year change. Not DGA's figures: the real 2564 results
// per agency are not public in this form.
//
// Deterministic, from the same generator as the 2565 sample answers (scripts/sample-answers.mjs):
// each agency's 2564 answers come from its own seed at a slightly lower capability, scored by the
// real engine (@dg/survey-model) with the sample rules, so most agencies improve a little in 2565.
// About 1,800 of the 1,876 codes are in the file: the rest (by their seed) were not in the 2564
// cohort or did not answer, as happens between two real cycles.
//
// Format (what the import reads): UTF-8 with a BOM (Excel opens the Thai names right), CRLF,
// header agency_code,overall,level,pillar_1..pillar_6 and then agency_name, which the import
// ignores; scores 0..100 with two decimals, level 1..5.
//
//   npm run build -w @dg/survey-model && node scripts/sample/make-results-2564.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  hashSeed,
  loadEngine,
  mulberry32,
  previousYearPlan,
  readAgencies,
  readQuestionnaire,
  scoringInput,
} from '../sample-answers.mjs';

export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'results-2564.csv');
/** Share of the sample cohort that has no 2564 result. */
const ABSENT_IN_2564 = 0.04;

const csvField = (v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** The CSV text; `engine` is loadEngine()'s (the built @dg/survey-model and the sample rules). */
export function makeResults(engine = loadEngine()) {
  const { model, rules } = engine;
  const questionnaire = readQuestionnaire();
  const lines = [
    [
      'agency_code',
      'overall',
      'level',
      'pillar_1',
      'pillar_2',
      'pillar_3',
      'pillar_4',
      'pillar_5',
      'pillar_6',
      'agency_name',
    ],
  ];
  for (const agency of readAgencies()) {
    const absent = mulberry32(hashSeed(`dg-sample-2564-absent:${agency.code}`))() < ABSENT_IN_2564;
    if (absent && agency.kind !== 'special_local') continue;
    const { answers, verdicts } = scoringInput(previousYearPlan(questionnaire, agency));
    const card = model.scoreResponse({ questionnaire: model.sample2565, rules, answers, verdicts });
    const pillar = (n) => card.pillars.find((p) => p.number === n).score.toFixed(2);
    lines.push([
      agency.code,
      card.overall.toFixed(2),
      card.level?.level ?? '',
      ...[1, 2, 3, 4, 5, 6].map(pillar),
      agency.nameTh,
    ]);
  }
  return {
    csv: `\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`,
    rows: lines.length - 1,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { csv, rows } = makeResults();
  writeFileSync(OUT, csv);
  console.log(`wrote ${rows} rows to ${OUT}`);
}
