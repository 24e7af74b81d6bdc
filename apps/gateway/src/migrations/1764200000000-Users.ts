import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's only table. The CHECK constraints repeat the rules the service enforces (roles
 * from the assignable set; agency-scoped roles and only those carry an agency), so no code path
 * or manual SQL can store a user the access guard would misread.
 */
export class Users1764200000000 implements MigrationInterface {
  name = 'Users1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        password_hash text NOT NULL,
        display_name text NOT NULL,
        roles text[] NOT NULL
          CHECK (cardinality(roles) >= 1
            AND roles <@ ARRAY['dga_admin','operator','coordinator','approver','committee']::text[]),
        agency_id uuid,
        active boolean NOT NULL DEFAULT true,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        CONSTRAINT users_agency_scope CHECK (
          (agency_id IS NOT NULL) = (roles && ARRAY['coordinator','approver']::text[])
          AND (NOT (roles && ARRAY['coordinator','approver']::text[])
               OR roles <@ ARRAY['coordinator','approver']::text[])
        )
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_unique ON users (lower(email))`);
    await q.query(`CREATE INDEX users_agency ON users (agency_id) WHERE agency_id IS NOT NULL`);
    await q.query(`CREATE INDEX users_roles ON users USING gin (roles)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE users`);
  }
}
