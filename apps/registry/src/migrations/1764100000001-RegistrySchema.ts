import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistrySchema1764100000001 implements MigrationInterface {
  name = 'RegistrySchema1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE ministries (
        id text PRIMARY KEY,
        name_th text NOT NULL,
        name_en text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE provinces (
        code text PRIMARY KEY,
        name_th text NOT NULL,
        name_en text NOT NULL,
        region text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name_th text NOT NULL,
        name_en text,
        kind text NOT NULL CHECK (kind IN ('department','regional_unit','special_local','province','local')),
        org_type text NOT NULL,
        parent_id uuid REFERENCES agencies(id),
        ministry_id text REFERENCES ministries(id),
        province_code text REFERENCES provinces(code),
        status text NOT NULL DEFAULT 'active',
        effective_from date,
        effective_to date,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from),
        CHECK (parent_id IS NULL OR parent_id <> id)
      )`);
    await q.query(`CREATE INDEX agencies_kind ON agencies (kind)`);
    await q.query(`CREATE INDEX agencies_parent ON agencies (parent_id)`);
    await q.query(`CREATE INDEX agencies_ministry ON agencies (ministry_id)`);
    await q.query(`CREATE INDEX agencies_province ON agencies (province_code)`);
    await q.query(
      `CREATE INDEX agencies_search ON agencies USING gin ((code || ' ' || name_th || ' ' || coalesce(name_en, '')) gin_trgm_ops)`,
    );
    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        full_name text,
        position text,
        email text,
        phone text,
        line_id text,
        purpose text NOT NULL,
        legal_basis text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        erased_by text
      )`);
    await q.query(`CREATE INDEX contacts_agency ON contacts (agency_id) WHERE erased_at IS NULL`);
    await q.query(`
      CREATE TABLE cohorts (
        cycle_id text PRIMARY KEY,
        announced_count int,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE cohort_members (
        cycle_id text NOT NULL REFERENCES cohorts(cycle_id) ON DELETE CASCADE,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        agency_group text NOT NULL,
        PRIMARY KEY (cycle_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL,
        correlation_id text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_entity ON audit_log (entity, entity_id)`);
    // Append-only: the application role may insert and read, never rewrite history.
    await q.query(`
      CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log, cohort_members, cohorts, contacts, agencies, provinces, ministries`);
    await q.query(`DROP FUNCTION audit_log_immutable`);
  }
}
