import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A durable record of every score job asked for (written with the inbox row of intake's event), so
 * a job that Redis loses after the event was acknowledged is found and queued again by the sweep.
 * `done_at` is set when the job stored its scorecard or failed for good (`outcome`).
 */
export class ScoreRequests1764400000002 implements MigrationInterface {
  name = 'ScoreRequests1764400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE score_requests (
        job_id text PRIMARY KEY,
        cycle_id text NOT NULL,
        response_id uuid NOT NULL,
        response_version int NOT NULL,
        data jsonb NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        requeued_at timestamptz,
        requeues int NOT NULL DEFAULT 0,
        done_at timestamptz,
        outcome text CHECK (outcome IN ('scored', 'failed'))
      )`);
    await q.query(
      `CREATE INDEX score_requests_pending ON score_requests (requested_at) WHERE done_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE score_requests`);
  }
}
