import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Methodology } from '@dg/contracts';
import { type CallContext, requireRole } from '@dg/platform';
import { describeScoring, type Questionnaire, type ScoringRules, validateRules } from '@dg/survey-model';
import { lockCycle, publicationOf } from '../cycle-lock';
import { IntakeSource } from '../sources/intake.source';
import { type RuleSetRow, RulesRepository } from './rules.repository';

export interface RulesInForce {
  version: number;
  rules: ScoringRules;
}

/** Sets and reads the scoring rules of a cycle, always checked against the cycle's questionnaire. */
@Injectable()
export class RulesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: RulesRepository,
    private readonly intake: IntakeSource,
  ) {}

  async put(cycleId: string, input: unknown, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin');
    const questionnaire = await this.questionnaireOf(cycleId, ctx);
    const result = validateRules(input, questionnaire);
    if (!result.ok) {
      throw new DomainError(
        'SCORING_RULES_INVALID',
        undefined,
        result.problems.map((p) => ({
          path: p.path,
          code: p.code,
          message: p.message,
          messageTh: p.messageTh,
        })),
      );
    }
    const saved = await this.ds.transaction(async (m) => {
      await lockCycle(m, cycleId);
      if (await publicationOf(m, cycleId)) throw new DomainError('RESULTS_PUBLISHED');
      const current = await this.repo.current(cycleId, m);
      // Putting the same document again changes nothing (a retried request is not a new version).
      if (current && JSON.stringify(current.rules) === JSON.stringify(result.rules)) return current;
      return this.repo.append(m, cycleId, result.rules, ctx.actor.id);
    });
    return toRecord(saved);
  }

  async get(cycleId: string, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee');
    const current = await this.repo.current(cycleId);
    if (!current) throw new DomainError('SCORING_RULES_MISSING');
    return toRecord(current);
  }

  /**
   * No login: how the cycle's answers become scores, generated from its questionnaire and its
   * rules in force (`describeScoring`), as soon as both are there, so an agency reads it before
   * answering. Rules written for another version of the questionnaire than the one attached now
   * do not describe it: not ready either.
   */
  async methodology(cycleId: string, ctx: CallContext): Promise<Methodology> {
    const cycle = await this.intake.cycle(cycleId, ctx);
    const current = await this.repo.current(cycleId);
    if (!cycle.questionnaireId || !current) {
      const missing = !cycle.questionnaireId ? 'แบบสำรวจ (questionnaire)' : 'เกณฑ์การให้คะแนน (scoring rules)';
      throw new DomainError('METHODOLOGY_NOT_READY', `รอบ ${cycleId} ยังไม่มี${missing}`);
    }
    const questionnaire = await this.intake.questionnaire(cycle.questionnaireId, ctx);
    const checked = validateRules(current.rules, questionnaire);
    if (!checked.ok) {
      throw new DomainError(
        'METHODOLOGY_NOT_READY',
        `เกณฑ์การให้คะแนนของรอบ ${cycleId} ไม่ตรงกับแบบสำรวจที่ใช้อยู่ (the scoring rules are for another version of the questionnaire)`,
      );
    }
    return { cycleId, ...describeScoring(questionnaire, checked.rules) };
  }

  /** The rules a job scores with now; a cycle without rules cannot be scored (never a silent zero). */
  async inForce(cycleId: string): Promise<RulesInForce> {
    const current = await this.repo.current(cycleId);
    if (!current) {
      throw new DomainError(
        'SCORING_RULES_MISSING',
        `รอบ ${cycleId} ยังไม่มีเกณฑ์การให้คะแนน (cycle ${cycleId} has no scoring rules)`,
      );
    }
    return { version: current.version, rules: current.rules };
  }

  private async questionnaireOf(cycleId: string, ctx: CallContext): Promise<Questionnaire> {
    const cycle = await this.intake.cycle(cycleId, ctx);
    if (!cycle.questionnaireId) {
      throw new DomainError('SCORING_RULES_INVALID', undefined, [
        {
          path: 'questionnaireId',
          code: 'CYCLE_HAS_NO_QUESTIONNAIRE',
          message: 'attach a questionnaire to the cycle first',
          messageTh: 'รอบการสำรวจยังไม่มีแบบสำรวจ ให้แนบแบบสำรวจก่อน',
        },
      ]);
    }
    return this.intake.questionnaire(cycle.questionnaireId, ctx);
  }
}

export function toRecord(row: RuleSetRow) {
  return {
    cycleId: row.cycleId,
    version: row.version,
    rulesId: row.rulesId,
    questionnaireKey: row.questionnaireKey,
    questionnaireVersion: row.questionnaireVersion,
    method: row.method,
    sample: row.sample,
    rules: row.rules,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
