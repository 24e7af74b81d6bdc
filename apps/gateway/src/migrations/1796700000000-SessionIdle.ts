import { MigrationInterface, QueryRunner } from 'typeorm';

/** A session also ends when it is left idle (SESSION_IDLE without a refresh): end reason `idle`. */
export class SessionIdle1796700000000 implements MigrationInterface {
  name = 'SessionIdle1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check`);
    await q.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
      CHECK (end_reason IN ('logout', 'refresh_reuse', 'account_changed', 'idle'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE sessions SET end_reason = 'logout' WHERE end_reason = 'idle'`);
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check`);
    await q.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
      CHECK (end_reason IN ('logout', 'refresh_reuse', 'account_changed'))`);
  }
}
