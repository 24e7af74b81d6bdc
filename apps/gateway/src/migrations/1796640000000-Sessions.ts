import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions and their refresh tokens (ADR 0016). A session is one login; each refresh replaces its
 * refresh token, and the replaced ones stay (marked) so that presenting one again is recognised
 * as reuse. Only SHA-256 hashes of refresh tokens are stored.
 *
 * The trigger ends every session of a user whose password, roles or agency change or who is
 * deactivated, whatever code path or manual SQL made the change: their access tokens stop at
 * once (the access guard reads the session) and their refresh tokens are refused.
 */
export class Sessions1796640000000 implements MigrationInterface {
  name = 'Sessions1796640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_refreshed_at timestamptz,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN
          ('logout', 'refresh_reuse', 'account_changed')),
        client_address text,
        CONSTRAINT sessions_end CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX sessions_user_open ON sessions (user_id) WHERE ended_at IS NULL`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        replaced_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)`);
    await q.query(`
      CREATE FUNCTION end_sessions_on_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE sessions SET ended_at = now(), end_reason = 'account_changed'
         WHERE user_id = NEW.id AND ended_at IS NULL;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_end_sessions AFTER UPDATE ON users FOR EACH ROW
        WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash
           OR OLD.roles IS DISTINCT FROM NEW.roles
           OR OLD.agency_id IS DISTINCT FROM NEW.agency_id
           OR (OLD.active AND NOT NEW.active))
        EXECUTE FUNCTION end_sessions_on_account_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_end_sessions ON users`);
    await q.query(`DROP FUNCTION end_sessions_on_account_change()`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE sessions`);
  }
}
