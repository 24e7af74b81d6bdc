import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agencies' own deadlines reach notifications (`intake.response.extended`, and the correction
 * deadline of `intake.response.returned`):
 * - `agency_deadlines`: the deadline intake holds for one agency of a cycle, with the response
 *   version it came with (NULL from a return written before returns carried one) and when it was
 *   granted (the event's `occurredAt`). Applied only forward, so a late event changes nothing;
 *   reminders count from it when it is later than the cycle's.
 * - `agency_reminder_runs`: the scheduled reminders sent to one agency before its own deadline,
 *   labelled like the cycle's (`T-1-2022-08-03`), so none is sent twice for the same deadline.
 */
export class AgencyDeadlines1796310000000 implements MigrationInterface {
  name = 'AgencyDeadlines1796310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency_deadlines (
        cycle_id text NOT NULL,
        agency_id uuid NOT NULL,
        agency_code text NOT NULL,
        deadline timestamptz NOT NULL,
        granted_at timestamptz NOT NULL,
        response_version int,
        PRIMARY KEY (cycle_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE agency_reminder_runs (
        cycle_id text NOT NULL,
        agency_id uuid NOT NULL,
        label text NOT NULL,
        campaign_id text,
        ran_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cycle_id, agency_id, label)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agency_reminder_runs, agency_deadlines`);
  }
}
