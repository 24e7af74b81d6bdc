import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, Events } from '@dg/contracts';
import { addManyToOutbox, type CallContext, OutboxRelay } from '@dg/platform';
import { type Questionnaire, scoreResponse } from '@dg/survey-model';
import type { ScoreJob } from '../jobs/jobs';
import { type RulesInForce, RulesService } from '../rules/rules.service';
import { RulesRepository } from '../rules/rules.repository';
import { IntakeSource } from '../sources/intake.source';
import { RegistrySource } from '../sources/registry.source';
import { type NewScorecard, type ScoreInput, ScoresRepository } from './scores.repository';

/** One item of a batch that could not be scored, with the reason (reported, never a silent zero). */
export interface ItemFailure {
  input: ScoreInput;
  error: DomainError;
}

/** Turns inputs into stored scorecards with the engine; every path ends in the same `store`. */
@Injectable()
export class ScorerService {
  constructor(
    private readonly ds: DataSource,
    private readonly scores: ScoresRepository,
    private readonly rules: RulesService,
    private readonly rulesRepo: RulesRepository,
    private readonly intake: IntakeSource,
    private readonly registry: RegistrySource,
    private readonly outbox: OutboxRelay,
  ) {}

  /**
   * A submitted or verified response: keep its input once, score it with the rules in force.
   * `inTransaction` runs in the transaction that stores the card (even when the card existed).
   */
  async scoreEvent(
    job: ScoreJob,
    ctx: CallContext,
    inTransaction?: (m: EntityManager) => Promise<void>,
  ): Promise<{ inserted: boolean; input: ScoreInput }> {
    const input = (await this.scores.input(job.responseId, job.responseVersion)) ?? (await this.fetchInput(job, ctx));
    const rules = await this.rules.inForce(input.cycleId);
    const questionnaire = await this.intake.questionnaire(input.questionnaireId, ctx);
    const card = compute(input, rules, questionnaire);
    const inserted = await this.ds.transaction(async (m) => {
      const n = await this.store(m, [card], ctx);
      await inTransaction?.(m);
      return n;
    });
    return { inserted: inserted > 0, input };
  }

  /** A slice of a rescore: the given inputs with one rules version, in one transaction. */
  async scoreBatch(
    keys: { responseId: string; responseVersion: number }[],
    cycleId: string,
    rulesVersion: number,
    ctx: CallContext,
    inTransaction?: (m: EntityManager) => Promise<void>,
  ): Promise<{ inserted: number; failures: ItemFailure[] }> {
    const row = await this.rulesRepo.version(cycleId, rulesVersion);
    if (!row) throw new DomainError('SCORING_RULES_MISSING');
    const rules = { version: row.version, rules: row.rules };
    const inputs = await this.scores.inputs(keys, this.ds.manager);
    const cards: NewScorecard[] = [];
    const failures: ItemFailure[] = [];
    for (const input of inputs) {
      try {
        cards.push(compute(input, rules, await this.intake.questionnaire(input.questionnaireId, ctx)));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failures.push({ input, error: e });
      }
    }
    const inserted = await this.ds.transaction(async (m) => {
      const n = await this.store(m, cards, ctx);
      await inTransaction?.(m);
      return n;
    });
    return { inserted, failures };
  }

  private async store(m: EntityManager, cards: NewScorecard[], ctx: CallContext): Promise<number> {
    const inserted = await this.scores.insertScorecards(m, cards);
    await addManyToOutbox(
      m,
      Events.ScorecardComputed,
      inserted.map(({ card: c }) => ({
        cycleId: c.input.cycleId,
        agencyId: c.input.agencyId,
        agencyCode: c.input.agencyCode,
        group: c.input.group,
        responseId: c.input.responseId,
        responseVersion: c.input.responseVersion,
        rulesVersion: c.rulesVersion,
        engineVersion: c.card.engineVersion,
        verified: c.input.verified,
        overall: c.card.overall,
        level: c.card.level?.level ?? null,
        band: c.card.band?.id ?? null,
        pillars: c.pillars,
      })),
      ctx,
    );
    if (inserted.length) setImmediate(() => this.outbox.kick());
    return inserted.length;
  }

  private async fetchInput(job: ScoreJob, ctx: CallContext): Promise<ScoreInput> {
    const submission = await this.intake.submission(job.responseId, job.submission, ctx);
    const agency = await this.registry.agency(submission.agencyId, ctx);
    const input: ScoreInput = {
      responseId: submission.responseId,
      responseVersion: job.responseVersion,
      cycleId: submission.cycleId,
      agencyId: submission.agencyId,
      agencyCode: submission.agencyCode,
      agencyName: submission.agencyName,
      group: submission.group,
      ministryId: agency.ministryId,
      provinceCode: agency.provinceCode,
      submission: submission.submission,
      questionnaireId: submission.questionnaireId,
      questionnaireVersion: submission.questionnaireVersion,
      answers: submission.answers as ScoreInput['answers'],
      verdicts: job.verdicts ?? [],
      verified: job.verdicts !== null,
    };
    await this.scores.saveInput(input);
    // Another attempt may have saved it first: what is stored is what gets scored.
    return (await this.scores.input(job.responseId, job.responseVersion))!;
  }
}

/** The engine, plus the one check it cannot make: that these rules were written for this questionnaire. */
export function compute(input: ScoreInput, rules: RulesInForce, questionnaire: Questionnaire): NewScorecard {
  if (questionnaire.id !== rules.rules.questionnaireId || questionnaire.version !== rules.rules.questionnaireVersion) {
    throw new DomainError(
      'SCORING_QUESTIONNAIRE_MISMATCH',
      `คำตอบใช้แบบสำรวจ ${questionnaire.id} ฉบับที่ ${questionnaire.version} แต่เกณฑ์ฉบับที่ ${rules.version} ใช้กับ ` +
        `${rules.rules.questionnaireId} ฉบับที่ ${rules.rules.questionnaireVersion} (response on ${questionnaire.id} v${questionnaire.version}, ` +
        `rules v${rules.version} are for ${rules.rules.questionnaireId} v${rules.rules.questionnaireVersion})`,
    );
  }
  const card = scoreResponse({ questionnaire, rules: rules.rules, answers: input.answers, verdicts: input.verdicts });
  return {
    input,
    rulesVersion: rules.version,
    card,
    pillars: Object.fromEntries(card.pillars.map((p) => [String(p.number), p.score])),
  };
}
