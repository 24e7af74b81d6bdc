import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ScoringRules } from '@dg/survey-model';

export interface RuleSetRow {
  cycleId: string;
  version: number;
  rulesId: string;
  questionnaireKey: string;
  questionnaireVersion: number;
  method: 'raw' | 'standardised';
  sample: boolean;
  rules: ScoringRules;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `cycle_id AS "cycleId", version, rules_id AS "rulesId", questionnaire_key AS "questionnaireKey",
  questionnaire_version AS "questionnaireVersion", method, sample, rules, created_by AS "createdBy", created_at AS "createdAt"`;

/** The scoring rules of each cycle, one row per version (append-only); the highest version counts. */
@Injectable()
export class RulesRepository {
  constructor(private readonly ds: DataSource) {}

  async current(cycleId: string, m: EntityManager = this.ds.manager): Promise<RuleSetRow | null> {
    const rows = (await m.query(`SELECT ${COLUMNS} FROM rule_sets WHERE cycle_id = $1 ORDER BY version DESC LIMIT 1`, [
      cycleId,
    ])) as RuleSetRow[];
    return rows[0] ?? null;
  }

  async version(cycleId: string, version: number, m: EntityManager = this.ds.manager): Promise<RuleSetRow | null> {
    const rows = (await m.query(`SELECT ${COLUMNS} FROM rule_sets WHERE cycle_id = $1 AND version = $2`, [
      cycleId,
      version,
    ])) as RuleSetRow[];
    return rows[0] ?? null;
  }

  /** Appends the next version; the caller holds the cycle's lock so two puts cannot take one number. */
  async append(m: EntityManager, cycleId: string, rules: ScoringRules, by: string): Promise<RuleSetRow> {
    const rows = (await m.query(
      `INSERT INTO rule_sets (cycle_id, version, rules_id, questionnaire_key, questionnaire_version, method, sample, rules, created_by)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM rule_sets WHERE cycle_id = $1
       RETURNING ${COLUMNS}`,
      [
        cycleId,
        rules.id,
        rules.questionnaireId,
        rules.questionnaireVersion,
        rules.method,
        rules.sample ?? false,
        JSON.stringify(rules),
        by,
      ],
    )) as RuleSetRow[];
    return rows[0];
  }
}
