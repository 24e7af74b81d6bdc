import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A response DGA staff set aside: publication does not wait for it (its last approved submission
 * stays in the results, unverified). Who, when and why; a new submission clears it.
 */
export class ResponseSetAside1797000000000 implements MigrationInterface {
  name = 'ResponseSetAside1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE responses ADD COLUMN set_aside_at timestamptz, ADD COLUMN set_aside_by text, ADD COLUMN set_aside_reason text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE responses DROP COLUMN set_aside_at, DROP COLUMN set_aside_by, DROP COLUMN set_aside_reason`,
    );
  }
}
