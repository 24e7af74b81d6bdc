import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Answers,
  classify,
  pruneHidden,
  sample2565,
  scoreResponse,
  type ScoringRules,
  validateAnswers,
  validateRules,
} from '@dg/survey-model';

/**
 * The synthetic sample answers that `npm start` loads (scripts/sample-answers.mjs, used by
 * scripts/load-sample.mjs) and the synthetic 2564 results it imports. No service is started: the
 * generator runs as a child process (it is an ES module) and its plans are checked here with the
 * survey model's own validator and scoring engine.
 */
const ROOT = join(__dirname, '../..');

type Stage = 'not_started' | 'in_progress' | 'awaiting_approval' | 'submitted' | 'verified';
interface Plan {
  code: string;
  kind: 'department' | 'regional_unit' | 'special_local';
  capability: number;
  stage: Stage;
  answers: Answers;
  evidence: { questionId: string; files: number }[];
  rejectedEvidence: string[];
}

function generate(): Plan[] {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts/sample-answers.mjs'), '--json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as Plan[];
}

/** The answers as the loader leaves them: evidence questions hold the ids of the uploaded files. */
function withEvidence(plan: Plan): { answers: Answers; evidenceIds: Set<string> } {
  const answers: Answers = { ...plan.answers };
  const evidenceIds = new Set<string>();
  let n = 0;
  for (const e of plan.evidence) {
    answers[e.questionId] = Array.from({ length: e.files }, () => {
      const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      evidenceIds.add(id);
      return id;
    });
  }
  return { answers, evidenceIds };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('sample answers for the 2565 sample cohort (scripts/sample-answers.mjs)', () => {
  const plans = generate();
  const cohort = readFileSync(join(ROOT, 'apps/registry/sample/agencies-2565.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]);
  const rules = (() => {
    const checked = validateRules(
      JSON.parse(readFileSync(join(ROOT, 'packages/survey-model/samples/scoring-rules-2565.json'), 'utf8')),
      sample2565,
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    return checked.rules;
  })();

  it('makes one plan per agency of the cohort, the same on every run', () => {
    expect(plans.map((p) => p.code)).toEqual(cohort);
    expect(plans).toHaveLength(1876);
    expect(generate()).toEqual(plans);
  });

  it('gives answers that validateAnswers accepts: complete ones for every submission, zero problems', () => {
    const problems: string[] = [];
    for (const plan of plans) {
      const { answers, evidenceIds } = withEvidence(plan);
      // in_progress is half-way (autosave rules); from awaiting_approval on, it passed submission.
      const mode = plan.stage === 'not_started' || plan.stage === 'in_progress' ? 'partial' : 'complete';
      for (const p of validateAnswers(sample2565, answers, { mode, evidenceIds })) {
        problems.push(`${plan.code} ${p.path} ${p.code} ${p.message}`);
      }
      // Only shown questions are answered: submission would drop nothing.
      expect(Object.keys(pruneHidden(sample2565, answers))).toEqual(Object.keys(answers));
    }
    expect(problems).toEqual([]);
    expect(
      plans.filter((p) => p.stage !== 'not_started' && p.stage !== 'in_progress').length,
    ).toBeGreaterThan(1700);
  });

  it('takes about 85% to verified and leaves a few dozen unsubmitted, BMA and Pattaya included', () => {
    const count = (s: Stage) => plans.filter((p) => p.stage === s).length;
    expect(count('verified') / plans.length).toBeGreaterThan(0.8);
    expect(count('verified') / plans.length).toBeLessThan(0.9);
    const unsubmitted = count('not_started') + count('in_progress') + count('awaiting_approval');
    expect(unsubmitted).toBeGreaterThanOrEqual(24);
    expect(unsubmitted).toBeLessThanOrEqual(100);
    for (const s of ['not_started', 'in_progress', 'awaiting_approval', 'submitted'] as const)
      expect(count(s)).toBeGreaterThan(0);
    expect(plans.filter((p) => p.kind === 'special_local').map((p) => p.stage)).toEqual([
      'verified',
      'verified',
    ]);
    // Some verified responses have rejected evidence, so rejections show in scorecards.
    const rejected = plans.filter((p) => p.rejectedEvidence.length);
    expect(rejected.length).toBeGreaterThan(10);
    for (const p of rejected) {
      expect(p.stage).toBe('verified');
      for (const id of p.rejectedEvidence) expect(p.evidence.map((e) => e.questionId)).toContain(id);
    }
    // Evidence stays cheap to upload: about two files per agency.
    const files = plans.reduce((n, p) => n + p.evidence.reduce((m, e) => m + e.files, 0), 0);
    expect(files).toBeLessThan(2 * plans.length);
  });

  it('scores like a real cycle: departments about 60, provinces about 45, BMA and Pattaya high, all five levels', () => {
    const byKind: Record<string, number[]> = {};
    const levels = new Set<number>();
    for (const plan of plans) {
      if (plan.stage !== 'submitted' && plan.stage !== 'verified') continue;
      const { answers } = withEvidence(plan);
      const rejected = new Set(plan.rejectedEvidence);
      const verdicts =
        plan.stage === 'verified'
          ? plan.evidence.map((e) => ({
              questionId: e.questionId,
              verdict: rejected.has(e.questionId) ? ('rejected' as const) : ('accepted' as const),
            }))
          : [];
      const card = scoreResponse({ questionnaire: sample2565, rules, answers, verdicts });
      (byKind[plan.kind] ??= []).push(card.overall);
      if (card.level) levels.add(card.level.level);
    }
    expect(mean(byKind.department)).toBeGreaterThan(55);
    expect(mean(byKind.department)).toBeLessThan(65);
    expect(mean(byKind.regional_unit)).toBeGreaterThan(40);
    expect(mean(byKind.regional_unit)).toBeLessThan(50);
    expect(Math.min(...byKind.special_local)).toBeGreaterThan(75);
    expect([...levels].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('ships synthetic 2564 results in the import format: ~1,800 codes, a little lower than 2565', () => {
    const text = readFileSync(join(ROOT, 'scripts/sample/results-2564.csv'), 'utf8');
    const [header, ...rows] = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header.split(',').slice(0, 9)).toEqual([
      'agency_code',
      'overall',
      'level',
      'pillar_1',
      'pillar_2',
      'pillar_3',
      'pillar_4',
      'pillar_5',
      'pillar_6',
    ]);
    expect(rows.length).toBeGreaterThan(1750);
    expect(rows.length).toBeLessThan(1876);
    const codes = new Set(cohort);
    const seen = new Set<string>();
    const overall: Record<string, number[]> = {};
    for (const row of rows) {
      const [code, score, level, ...pillars] = row.split(',');
      expect(codes.has(code)).toBe(true);
      expect(seen.has(code)).toBe(false);
      seen.add(code);
      for (const v of [score, ...pillars.slice(0, 6)]) {
        expect(v).toMatch(/^\d{1,3}(\.\d{1,2})?$/);
        expect(Number(v)).toBeLessThanOrEqual(100);
      }
      // The level is the sample rules' level of the overall score.
      expect(Number(level)).toBe(classify(Number(score), rules as ScoringRules).level?.level);
      (overall[code.slice(0, 3)] ??= []).push(Number(score));
    }
    expect(mean(overall.DEP)).toBeGreaterThan(48);
    expect(mean(overall.DEP)).toBeLessThan(58);
    expect(mean(overall.REG)).toBeGreaterThan(35);
    expect(mean(overall.REG)).toBeLessThan(45);
  });
});
