import { MigrationInterface, QueryRunner } from 'typeorm';

/** Nominations for nominated categories (e.g. outstanding digital leader): one per agency and category, never changed. */
export class Nominations1764600000002 implements MigrationInterface {
  name = 'Nominations1764600000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE nominations (
        id bigserial PRIMARY KEY,
        category_id uuid NOT NULL REFERENCES categories (id),
        agency_id uuid NOT NULL,
        agency_code text,
        data jsonb NOT NULL,
        by text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (category_id, agency_id)
      )`);
    await q.query(
      `CREATE TRIGGER nominations_append_only BEFORE UPDATE OR DELETE ON nominations FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE nominations`);
  }
}
