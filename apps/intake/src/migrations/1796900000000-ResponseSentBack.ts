import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest send-back of a response, by the agency's head (approval rejected) or by DGA's
 * verifier (returned for correction), with its comment: the coordinator is shown whose comment it
 * is, not only the older `return_comment` of DGA.
 */
export class ResponseSentBack1796900000000 implements MigrationInterface {
  name = 'ResponseSentBack1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE responses ADD COLUMN sent_back jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE responses DROP COLUMN sent_back`);
  }
}
