// Scoring at census scale (10,000 responses to the sample 2565 questionnaire):
//  1. the engine alone, on one core: scorecards per second;
//  2. a full-cycle rescore through BullMQ (a flow of batch jobs) and PostgreSQL (scorecards,
//     current scores, outbox events), from the HTTP-less service in-process: seconds;
// each beside the same baseline measured in the same run: one SQL aggregate computing the same
// weighted indicator/pillar/overall sums from per-question points already in a table. The
// baseline's overall scores are checked against the engine's, so both compute the same thing.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Client } = require('pg');
const { NestFactory } = require('@nestjs/core');
const { getQueueToken } = require('@nestjs/bullmq');
const { createTestDatabase, deleteNatsPrefix, testPrefix, waitFor, TEST_ACTOR_ENV } = require('@dg/platform/testing');
const { allQuestions, sample2565, sampleRules2565, scoreResponse } = require('@dg/survey-model');
const { execFileSync } = require('node:child_process');
const { ScoringModule } = require('../apps/scoring/dist/app.module');
const { scoringConfig } = require('../apps/scoring/dist/config');
const { IntakeSource } = require('../apps/scoring/dist/sources/intake.source');
const { RulesRepository } = require('../apps/scoring/dist/rules/rules.repository');
const { RescoreService } = require('../apps/scoring/dist/rescore/rescore.service');
const { SCORING_QUEUE } = require('../apps/scoring/dist/jobs/jobs');

const N = Number(process.env.BENCH_RESPONSES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A seeded PRNG so every run scores the same answers. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plausible answers for every scored question (the engine decides what is visible). */
function syntheticAnswers(n) {
  const questions = allQuestions(sample2565).filter((q) => q.rubric);
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = prng(i + 1);
    const skill = r();
    const answers = {};
    for (const q of questions) {
      if (r() > 0.3 + skill * 0.7) continue; // weaker agencies leave more unanswered
      switch (q.type) {
        case 'yes_no': answers[q.id] = r() < 0.3 + skill * 0.6; break;
        case 'single_choice': answers[q.id] = q.options[Math.floor(r() * q.options.length)].value; break;
        case 'multiple_choice': answers[q.id] = q.options.filter(() => r() < skill).map((o) => o.value); break;
        case 'number':
        case 'percentage': {
          const min = q.min ?? 0;
          const max = q.max ?? (q.type === 'percentage' ? 100 : 50);
          answers[q.id] = Math.round(min + r() * skill * (max - min));
          break;
        }
        case 'evidence': answers[q.id] = [randomUUID()]; break;
        case 'repeating_group': answers[q.id] = Array.from({ length: Math.floor(r() * 8 * skill) }, () => ({})); break;
      }
    }
    out.push(answers);
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

/** The baseline: per-question points in a table, one aggregate to overall scores. */
async function sqlBaseline(url, cards) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_points (response int, pillar text, pillar_weight numeric, indicator text,
      indicator_weight numeric, weight numeric, points numeric, max_points numeric)`);
    const cols = [[], [], [], [], [], [], [], []];
    cards.forEach((card, response) => {
      for (const p of card.pillars) for (const ind of p.indicators) for (const q of ind.questions) {
        if (q.maxPoints === 0 || q.outcome === 'excluded' || q.outcome === 'not_applicable') continue;
        [response, p.id, p.weight, ind.id, ind.weight, q.weight, q.points, q.maxPoints].forEach((v, i) => cols[i].push(v));
      }
    });
    for (let i = 0; i < cols[0].length; i += 50_000) {
      const slice = cols.map((c) => c.slice(i, i + 50_000));
      await client.query(
        `INSERT INTO bench_points SELECT * FROM unnest($1::int[], $2::text[], $3::numeric[], $4::text[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[])`,
        slice,
      );
    }
    await client.query('ANALYZE bench_points');
    const times = [];
    let rows;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.hrtime.bigint();
      ({ rows } = await client.query(`
        WITH ind AS (
          SELECT response, pillar, pillar_weight, indicator_weight, 100 * sum(weight * points / max_points) / sum(weight) AS score
            FROM bench_points GROUP BY response, pillar, pillar_weight, indicator, indicator_weight),
        pil AS (
          SELECT response, pillar_weight, sum(indicator_weight * score) / sum(indicator_weight) AS score
            FROM ind GROUP BY response, pillar, pillar_weight)
        SELECT response, round(sum(pillar_weight * score) / sum(pillar_weight), 2)::float8 AS overall,
               (sum(pillar_weight * score) / sum(pillar_weight))::text AS unrounded
          FROM pil GROUP BY response ORDER BY response`));
      times.push(seconds(t0));
    }
    const differing = rows.filter((row) => row.overall !== cards[row.response].overall);
    // Where they differ, show why: SQL numeric division rounds each quotient (e.g. 1/3) to a fixed
    // number of digits, so a value that is exactly x.xx5 in fractions can land just below it.
    for (const row of differing.slice(0, 3)) {
      console.log(`    response ${row.response}: engine ${cards[row.response].overall}, SQL ${row.overall} (unrounded ${row.unrounded})`);
    }
    return { seconds: median(times), mismatches: differing.length };
  } finally {
    await client.end();
  }
}

async function rescore(answerSets) {
  const db = await createTestDatabase('benchscore');
  const prefix = testPrefix('benchscore');
  execFileSync('node', [require.resolve('../apps/scoring/dist/migrate.js')], { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' });
  const config = scoringConfig({ DATABASE_URL: db.url, NATS_PREFIX: prefix, ...TEST_ACTOR_ENV, BULL_PREFIX: `bench:${prefix}`, LOG_LEVEL: 'error' });
  const app = await NestFactory.createApplicationContext(ScoringModule.forRoot(config), { logger: ['error'] });
  try {
    const questionnaireId = randomUUID();
    // The questionnaire would come from intake over NATS; the bench hands it over directly.
    app.get(IntakeSource).questionnaires.set(questionnaireId, Promise.resolve(sample2565));
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const ids = answerSets.map(() => [randomUUID(), randomUUID()]);
    const groups = ['department', 'provincial', 'local'];
    for (let i = 0; i < answerSets.length; i += 2000) {
      const part = answerSets.slice(i, i + 2000);
      await client.query(
        `INSERT INTO score_inputs (response_id, response_version, cycle_id, agency_id, agency_code, agency_name, agency_group,
           ministry_id, province_code, submission, questionnaire_id, questionnaire_version, answers, verdicts, verified)
         SELECT r, 4, '2565', a, c, c, g, 'MDES', 'TH-10', 1, $5, 1, ans, '[]', true
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $6::jsonb[]) AS t(r, a, c, g, ans)`,
        [
          part.map((_, j) => ids[i + j][0]),
          part.map((_, j) => ids[i + j][1]),
          part.map((_, j) => `B-${i + j}`),
          part.map((_, j) => groups[(i + j) % 3]),
          questionnaireId,
          part.map((a) => JSON.stringify(a)),
        ],
      );
    }
    await client.end();
    await app.get(RulesRepository).append(app.get(require('typeorm').DataSource).manager, '2565', sampleRules2565, 'bench');
    const ctx = { correlationId: 'bench', actor: { id: 'bench', roles: ['dga_admin'] } };
    const t0 = process.hrtime.bigint();
    const started = await app.get(RescoreService).start('2565', ctx);
    const done = await waitFor(async () => {
      const s = await app.get(RescoreService).status('2565', ctx);
      return s.state === 'completed' || s.state === 'failed' ? s : undefined;
    }, 30 * 60_000, 100);
    const took = seconds(t0);
    if (done.state !== 'completed' || done.done !== answerSets.length) throw new Error(`rescore ended ${JSON.stringify(done)}`);
    await app.get(getQueueToken(SCORING_QUEUE)).obliterate({ force: true });
    return { seconds: took, jobs: Math.ceil(answerSets.length / config.RESCORE_BATCH) + 1, batch: config.RESCORE_BATCH, concurrency: config.SCORING_CONCURRENCY, started };
  } finally {
    await app.close();
    await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
  }
}

export async function run() {
  const answerSets = syntheticAnswers(N);
  const engineTimes = [];
  let cards;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    cards = answerSets.map((answers) => scoreResponse({ questionnaire: sample2565, rules: sampleRules2565, answers }));
    engineTimes.push(seconds(t0));
  }
  const engineS = median(engineTimes);
  const db = await createTestDatabase('benchsql');
  let baseline;
  try {
    baseline = await sqlBaseline(db.url, cards);
  } finally {
    await db.drop();
  }
  const rescored = await rescore(answerSets);
  const levels = {};
  for (const c of cards) levels[c.level.level] = (levels[c.level.level] ?? 0) + 1;
  const result = {
    responses: N,
    rounds: ROUNDS,
    engineSeconds: engineS,
    engineScorecardsPerSecond: Math.round(N / engineS),
    sqlAggregateSeconds: baseline.seconds,
    sqlAggregateMismatches: baseline.mismatches,
    engineVsSql: Number((engineS / baseline.seconds).toFixed(2)),
    rescoreSeconds: Number(rescored.seconds.toFixed(2)),
    rescoreJobs: rescored.jobs,
    rescoreBatch: rescored.batch,
    rescoreConcurrency: rescored.concurrency,
    rescoreVsSql: Number((rescored.seconds / baseline.seconds).toFixed(1)),
    levels,
  };
  console.log(`  engine, one core: ${N} scorecards in ${engineS.toFixed(2)} s = ${result.engineScorecardsPerSecond} scorecards/s (median of ${ROUNDS}); levels ${JSON.stringify(levels)}`);
  console.log(`  baseline: one SQL aggregate of the same weighted sums from stored points: ${baseline.seconds.toFixed(2)} s (overall differs from the engine for ${baseline.mismatches} of ${N})`);
  console.log(`  ratio: the engine (rubrics, conditions, exact fractions, explanations) takes ${result.engineVsSql}x the aggregate`);
  console.log(`  full-cycle rescore through BullMQ + PostgreSQL (${rescored.jobs} jobs, batches of ${rescored.batch}, concurrency ${rescored.concurrency}): ${result.rescoreSeconds} s = ${result.rescoreVsSql}x the aggregate`);
  return result;
}
