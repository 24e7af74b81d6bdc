import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agency's ministry code and ISO 3166-2:TH province, copied from the registry's cohort when a
 * cycle opens, so survey progress can be shown by ministry and province. Responses of cycles opened
 * before this stay NULL (shown as "unknown"): the registry may have changed since, so they are not
 * back-filled from today's data.
 */
export class ResponseAgencyPlace1796281000000 implements MigrationInterface {
  name = 'ResponseAgencyPlace1796281000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE responses ADD COLUMN agency_ministry text, ADD COLUMN agency_province text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE responses DROP COLUMN agency_ministry, DROP COLUMN agency_province`);
  }
}
