import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scoring database. Inputs and scorecards are append-only (what was scored, and what came out,
 * can always be shown again); `current_scores` is the one mutable projection: the scorecard that
 * counts for each agency (latest response version, then latest rules).
 */
export class ScoringSchema1764400000001 implements MigrationInterface {
  name = 'ScoringSchema1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_sets (
        cycle_id text NOT NULL,
        version int NOT NULL,
        rules_id text NOT NULL,
        questionnaire_key text NOT NULL,
        questionnaire_version int NOT NULL,
        method text NOT NULL,
        sample boolean NOT NULL,
        rules jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cycle_id, version)
      )`);
    await q.query(`
      CREATE TABLE score_inputs (
        response_id uuid NOT NULL,
        response_version int NOT NULL,
        cycle_id text NOT NULL,
        agency_id uuid NOT NULL,
        agency_code text NOT NULL,
        agency_name text NOT NULL,
        agency_group text NOT NULL,
        ministry_id text,
        province_code text,
        submission int NOT NULL,
        questionnaire_id uuid NOT NULL,
        questionnaire_version int NOT NULL,
        answers jsonb NOT NULL,
        verdicts jsonb NOT NULL,
        verified boolean NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (response_id, response_version)
      )`);
    await q.query(`CREATE INDEX score_inputs_cycle ON score_inputs (cycle_id, agency_id, response_version DESC)`);
    await q.query(`
      CREATE TABLE scorecards (
        id bigserial PRIMARY KEY,
        cycle_id text NOT NULL,
        agency_id uuid NOT NULL,
        response_id uuid NOT NULL,
        response_version int NOT NULL,
        rules_version int NOT NULL,
        engine_version text NOT NULL,
        overall numeric(9, 4) NOT NULL,
        level int,
        band text,
        pillars jsonb NOT NULL,
        card jsonb NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (response_id, response_version, rules_version, engine_version),
        FOREIGN KEY (response_id, response_version) REFERENCES score_inputs (response_id, response_version)
      )`);
    await q.query(`CREATE INDEX scorecards_cycle ON scorecards (cycle_id, rules_version)`);
    await q.query(`
      CREATE TABLE current_scores (
        cycle_id text NOT NULL,
        agency_id uuid NOT NULL,
        scorecard_id bigint NOT NULL REFERENCES scorecards (id),
        response_version int NOT NULL,
        rules_version int NOT NULL,
        PRIMARY KEY (cycle_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE scoring_cycles (
        cycle_id text PRIMARY KEY,
        published_at timestamptz,
        published_by text,
        published_rules_version int,
        published_statistics jsonb,
        method text
      )`);
    // Published results of a cycle: frozen by this platform at publication, or imported from a CSV
    // of an earlier year's published results (the baseline for year-over-year change).
    await q.query(`
      CREATE TABLE published_results (
        cycle_id text NOT NULL,
        agency_code text NOT NULL,
        source text NOT NULL CHECK (source IN ('platform', 'import')),
        agency_id uuid,
        agency_name text,
        agency_group text,
        ministry_id text,
        province_code text,
        scorecard_id bigint REFERENCES scorecards (id),
        overall numeric(9, 4) NOT NULL,
        value numeric(9, 4),
        pillars jsonb NOT NULL,
        level int,
        band text,
        rank int,
        tied boolean,
        verified boolean,
        previous numeric(9, 4),
        change numeric(9, 4),
        standardised jsonb,
        PRIMARY KEY (cycle_id, agency_code)
      )`);
    await q.query(`
      CREATE TABLE scoring_failures (
        job_id text PRIMARY KEY,
        cycle_id text NOT NULL,
        response_id uuid NOT NULL,
        response_version int NOT NULL,
        agency_code text,
        code text NOT NULL,
        message text NOT NULL,
        attempts int NOT NULL,
        final boolean NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE rescores (
        id bigserial PRIMARY KEY,
        cycle_id text NOT NULL,
        job_id text NOT NULL UNIQUE,
        rules_version int NOT NULL,
        total int NOT NULL,
        state text NOT NULL,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE rescore_batches (
        rescore_id bigint NOT NULL REFERENCES rescores (id),
        batch int NOT NULL,
        size int NOT NULL,
        done_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (rescore_id, batch)
      )`);
    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`);
    for (const table of ['rule_sets', 'score_inputs', 'scorecards']) {
      await q.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE rescore_batches, rescores, scoring_failures, published_results, scoring_cycles, current_scores, scorecards, score_inputs, rule_sets`,
    );
    await q.query(`DROP FUNCTION refuse_change`);
  }
}
