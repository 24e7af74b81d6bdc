import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AgencyGroup } from '@dg/contracts';
import type { Answers, Scorecard } from '@dg/survey-model';

/** What was scored: one submitted version of a response with the verdicts known at that version. */
export interface ScoreInput {
  responseId: string;
  responseVersion: number;
  cycleId: string;
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  group: AgencyGroup;
  ministryId: string | null;
  provinceCode: string | null;
  submission: number;
  questionnaireId: string;
  questionnaireVersion: number;
  answers: Answers;
  verdicts: { questionId: string; verdict: 'accepted' | 'rejected' }[];
  verified: boolean;
}

export interface NewScorecard {
  input: ScoreInput;
  rulesVersion: number;
  card: Scorecard;
  /** Pillar scores keyed by pillar number ("1".."6"), comparable across years. */
  pillars: Record<string, number>;
}

export interface StoredScorecard {
  id: string;
  cycleId: string;
  agencyId: string;
  responseId: string;
  responseVersion: number;
  rulesVersion: number;
  engineVersion: string;
  computedAt: Date;
  card: Scorecard;
}

const INPUT_COLUMNS = `response_id AS "responseId", response_version AS "responseVersion", cycle_id AS "cycleId",
  agency_id AS "agencyId", agency_code AS "agencyCode", agency_name AS "agencyName", agency_group AS "group",
  ministry_id AS "ministryId", province_code AS "provinceCode", submission, questionnaire_id AS "questionnaireId",
  questionnaire_version AS "questionnaireVersion", answers, verdicts, verified`;

/** The only code that touches score_inputs, scorecards and current_scores. */
@Injectable()
export class ScoresRepository {
  constructor(private readonly ds: DataSource) {}

  async input(responseId: string, responseVersion: number, m: EntityManager = this.ds.manager): Promise<ScoreInput | null> {
    const rows = (await m.query(
      `SELECT ${INPUT_COLUMNS} FROM score_inputs WHERE response_id = $1 AND response_version = $2`,
      [responseId, responseVersion],
    )) as ScoreInput[];
    return rows[0] ?? null;
  }

  /** Inputs are immutable: a second save of the same version (a retried job) keeps the first. */
  async saveInput(i: ScoreInput, m: EntityManager = this.ds.manager): Promise<void> {
    await m.query(
      `INSERT INTO score_inputs (response_id, response_version, cycle_id, agency_id, agency_code, agency_name, agency_group,
         ministry_id, province_code, submission, questionnaire_id, questionnaire_version, answers, verdicts, verified)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT DO NOTHING`,
      [
        i.responseId,
        i.responseVersion,
        i.cycleId,
        i.agencyId,
        i.agencyCode,
        i.agencyName,
        i.group,
        i.ministryId,
        i.provinceCode,
        i.submission,
        i.questionnaireId,
        i.questionnaireVersion,
        JSON.stringify(i.answers),
        JSON.stringify(i.verdicts),
        i.verified,
      ],
    );
  }

  /** The latest input of every agency of a cycle (what a rescore scores again). */
  async latestInputs(cycleId: string, m: EntityManager = this.ds.manager): Promise<{ responseId: string; responseVersion: number }[]> {
    return (await m.query(
      `SELECT DISTINCT ON (agency_id) response_id AS "responseId", response_version AS "responseVersion"
         FROM score_inputs WHERE cycle_id = $1 ORDER BY agency_id, response_version DESC`,
      [cycleId],
    )) as { responseId: string; responseVersion: number }[];
  }

  async inputs(keys: { responseId: string; responseVersion: number }[], m: EntityManager): Promise<ScoreInput[]> {
    if (!keys.length) return [];
    return (await m.query(
      `SELECT ${INPUT_COLUMNS} FROM score_inputs
        WHERE (response_id, response_version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
      [keys.map((k) => k.responseId), keys.map((k) => k.responseVersion)],
    )) as ScoreInput[];
  }

  /**
   * Stores scorecards; a scorecard that already exists for the same response version, rules and
   * engine is skipped (same inputs, same card), so a retried or redelivered job adds nothing.
   * Returns the ones actually inserted, and moves `current_scores` forward for them.
   */
  async insertScorecards(m: EntityManager, cards: NewScorecard[]): Promise<{ id: string; card: NewScorecard }[]> {
    if (!cards.length) return [];
    const rows = (await m.query(
      `INSERT INTO scorecards (cycle_id, agency_id, response_id, response_version, rules_version, engine_version,
                               overall, level, band, pillars, card)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::text[],
                            $7::numeric[], $8::int[], $9::text[], $10::jsonb[], $11::jsonb[])
       ON CONFLICT (response_id, response_version, rules_version, engine_version) DO NOTHING
       RETURNING id::text, response_id AS "responseId", response_version AS "responseVersion"`,
      [
        cards.map((c) => c.input.cycleId),
        cards.map((c) => c.input.agencyId),
        cards.map((c) => c.input.responseId),
        cards.map((c) => c.input.responseVersion),
        cards.map((c) => c.rulesVersion),
        cards.map((c) => c.card.engineVersion),
        cards.map((c) => c.card.overall),
        cards.map((c) => c.card.level?.level ?? null),
        cards.map((c) => c.card.band?.id ?? null),
        cards.map((c) => JSON.stringify(c.pillars)),
        cards.map((c) => JSON.stringify(c.card)),
      ],
    )) as { id: string; responseId: string; responseVersion: number }[];
    const byKey = new Map(cards.map((c) => [`${c.input.responseId}/${c.input.responseVersion}`, c]));
    const inserted = rows.map((r) => ({ id: r.id, card: byKey.get(`${r.responseId}/${r.responseVersion}`)! }));
    if (inserted.length) {
      // The card that counts: the latest response version, then the latest rules. A late job for
      // an older version never replaces a newer one.
      await m.query(
        `INSERT INTO current_scores (cycle_id, agency_id, scorecard_id, response_version, rules_version)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::int[], $5::int[])
         ON CONFLICT (cycle_id, agency_id) DO UPDATE
           SET scorecard_id = excluded.scorecard_id, response_version = excluded.response_version, rules_version = excluded.rules_version
         WHERE (excluded.response_version, excluded.rules_version) >= (current_scores.response_version, current_scores.rules_version)`,
        [
          inserted.map((i) => i.card.input.cycleId),
          inserted.map((i) => i.card.input.agencyId),
          inserted.map((i) => i.id),
          inserted.map((i) => i.card.input.responseVersion),
          inserted.map((i) => i.card.rulesVersion),
        ],
      );
    }
    return inserted;
  }

  async scorecard(id: string, m: EntityManager = this.ds.manager): Promise<(StoredScorecard & { input: ScoreInput }) | null> {
    const rows = (await m.query(
      `SELECT s.id::text, s.cycle_id AS "cycleId", s.agency_id AS "agencyId", s.response_id AS "responseId",
              s.response_version AS "responseVersion", s.rules_version AS "rulesVersion", s.engine_version AS "engineVersion",
              s.computed_at AS "computedAt", s.card, row_to_json(i) AS input
         FROM scorecards s
         JOIN LATERAL (SELECT ${INPUT_COLUMNS} FROM score_inputs
                        WHERE response_id = s.response_id AND response_version = s.response_version) i ON true
        WHERE s.id = $1`,
      [id],
    )) as (StoredScorecard & { input: ScoreInput })[];
    return rows[0] ?? null;
  }

  async currentScorecardId(cycleId: string, agencyId: string): Promise<string | null> {
    const rows = (await this.ds.query(
      `SELECT scorecard_id::text AS id FROM current_scores WHERE cycle_id = $1 AND agency_id = $2`,
      [cycleId, agencyId],
    )) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** One row per scored agency of the cycle: what results, rankings and statistics are made of. */
  async cohort(cycleId: string): Promise<CohortRow[]> {
    return (await this.ds.query(
      `SELECT c.agency_id AS "agencyId", i.agency_code AS "agencyCode", i.agency_name AS "agencyName",
              i.agency_group AS "group", i.ministry_id AS "ministryId", i.province_code AS "provinceCode",
              s.id::text AS "scorecardId", s.overall::float8 AS overall, s.pillars, s.level, s.band, i.verified,
              c.rules_version AS "rulesVersion"
         FROM current_scores c
         JOIN scorecards s ON s.id = c.scorecard_id
         JOIN score_inputs i ON i.response_id = s.response_id AND i.response_version = s.response_version
        WHERE c.cycle_id = $1`,
      [cycleId],
    )) as CohortRow[];
  }
}

export interface CohortRow {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  group: AgencyGroup;
  ministryId: string | null;
  provinceCode: string | null;
  scorecardId: string;
  overall: number;
  pillars: Record<string, number>;
  level: number | null;
  band: string | null;
  verified: boolean;
  rulesVersion: number;
}
