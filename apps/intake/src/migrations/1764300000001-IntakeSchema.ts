import { MigrationInterface, QueryRunner } from 'typeorm';

export class IntakeSchema1764300000001 implements MigrationInterface {
  name = 'IntakeSchema1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE questionnaires (
        id uuid PRIMARY KEY,
        key text NOT NULL,
        version int NOT NULL,
        definition jsonb NOT NULL,
        question_count int NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (key, version)
      )`);
    await q.query(`
      CREATE TABLE cycles (
        id text PRIMARY KEY,
        year_be int NOT NULL,
        title_th text NOT NULL,
        title_en text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft','open','closed','archived')),
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL CHECK (closes_at > opens_at),
        questionnaire_id uuid REFERENCES questionnaires(id),
        agency_count int NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE responses (
        id uuid PRIMARY KEY,
        cycle_id text NOT NULL REFERENCES cycles(id),
        agency_id uuid NOT NULL,
        agency_code text NOT NULL,
        agency_name text NOT NULL,
        agency_group text NOT NULL,
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id),
        status text NOT NULL,
        answers jsonb NOT NULL DEFAULT '{}',
        verdicts jsonb NOT NULL DEFAULT '[]',
        return_comment text,
        version int NOT NULL DEFAULT 1,
        submission_count int NOT NULL DEFAULT 0,
        extended_until timestamptz,
        submitted_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, agency_id)
      )`);
    await q.query(`CREATE INDEX responses_cycle_status ON responses (cycle_id, status)`);
    await q.query(`CREATE INDEX responses_cycle_code ON responses (cycle_id, agency_code)`);
    await q.query(`
      CREATE TABLE response_versions (
        response_id uuid NOT NULL REFERENCES responses(id),
        submission int NOT NULL,
        response_version int NOT NULL,
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id),
        answers jsonb NOT NULL,
        submitted_by text NOT NULL,
        approved_by text NOT NULL,
        submitted_at timestamptz NOT NULL,
        PRIMARY KEY (response_id, submission)
      )`);
    await q.query(`
      CREATE TABLE response_audit (
        id bigserial PRIMARY KEY,
        response_id uuid NOT NULL REFERENCES responses(id),
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL,
        correlation_id text NOT NULL,
        action text NOT NULL,
        from_status text,
        to_status text,
        version int,
        changes jsonb
      )`);
    await q.query(`CREATE INDEX response_audit_response ON response_audit (response_id, id)`);
    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY,
        cycle_id text NOT NULL REFERENCES cycles(id),
        agency_id uuid NOT NULL,
        question_id text NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX evidence_agency ON evidence (cycle_id, agency_id)`);
    // History is never rewritten: submitted versions, the audit trail and questionnaires.
    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    for (const table of ['response_versions', 'response_audit', 'questionnaires']) {
      await q.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence, response_audit, response_versions, responses, cycles, questionnaires`);
    await q.query(`DROP FUNCTION refuse_change`);
  }
}
