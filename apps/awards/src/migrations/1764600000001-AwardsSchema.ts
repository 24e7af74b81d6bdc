import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The awards database. Decisions are append-only (every vote, conflict, confirmation and override
 * is kept with who and when); winners and certificates are written once, at announcement.
 */
export class AwardsSchema1764600000001 implements MigrationInterface {
  name = 'AwardsSchema1764600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE categories (
        id uuid PRIMARY KEY,
        cycle_id text NOT NULL,
        key text NOT NULL,
        spec jsonb NOT NULL,
        status text NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, key)
      )`);
    await q.query(`
      CREATE TABLE candidates (
        category_id uuid NOT NULL REFERENCES categories (id),
        agency_id uuid NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (category_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE decisions (
        id bigserial PRIMARY KEY,
        category_id uuid NOT NULL REFERENCES categories (id),
        type text NOT NULL,
        by text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        details jsonb NOT NULL
      )`);
    await q.query(
      `CREATE TABLE awards_cycles (cycle_id text PRIMARY KEY, announced_at timestamptz NOT NULL, announced_by text NOT NULL)`,
    );
    await q.query(`
      CREATE TABLE winners (
        category_id uuid NOT NULL REFERENCES categories (id),
        agency_id uuid NOT NULL,
        cycle_id text NOT NULL,
        category_key text NOT NULL,
        agency_code text NOT NULL,
        agency_name text NOT NULL,
        rank int NOT NULL,
        shared boolean NOT NULL,
        PRIMARY KEY (category_id, agency_id)
      )`);
    await q.query(`CREATE INDEX winners_cycle ON winners (cycle_id, category_key)`);
    await q.query(`
      CREATE TABLE certificates (
        category_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        certificate_no text NOT NULL UNIQUE,
        pdf bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (category_id, agency_id),
        FOREIGN KEY (category_id, agency_id) REFERENCES winners (category_id, agency_id)
      )`);
    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`);
    for (const table of ['decisions', 'winners', 'certificates']) {
      await q.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE certificates, winners, awards_cycles, decisions, candidates, categories`);
    await q.query(`DROP FUNCTION refuse_change`);
  }
}
