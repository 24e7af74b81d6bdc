import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ScoreJob } from './jobs';

export type RequestOutcome = 'scored' | 'failed';

export interface PendingRequest {
  jobId: string;
  data: unknown;
  requestedAt: Date;
}

/**
 * The only code that touches score_requests: what the consumer asked to be scored, in Postgres,
 * so a job that Redis loses is still known and queued again by the sweep.
 */
@Injectable()
export class ScoreRequestsRepository {
  constructor(private readonly ds: DataSource) {}

  /** In the inbox transaction of intake's event: a redelivered event keeps the first row. */
  async record(m: EntityManager, jobId: string, data: ScoreJob): Promise<void> {
    await m.query(
      `INSERT INTO score_requests (job_id, cycle_id, response_id, response_version, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [jobId, data.cycleId, data.responseId, data.responseVersion, JSON.stringify(data)],
    );
  }

  /**
   * The job reached its outcome. An upsert: the job may finish before the consumer's transaction
   * commits (the insert then waits for that row), and a job queued before this table existed gets
   * its row too. A later outcome (a failed job retried by a rescore, then scored) replaces it.
   */
  async done(
    jobId: string,
    data: ScoreJob,
    outcome: RequestOutcome,
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    await m.query(
      `INSERT INTO score_requests (job_id, cycle_id, response_id, response_version, data, done_at, outcome)
       VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (job_id) DO UPDATE SET done_at = now(), outcome = excluded.outcome`,
      [jobId, data.cycleId, data.responseId, data.responseVersion, JSON.stringify(data), outcome],
    );
  }

  /**
   * Requests made before `before` and not done whose outcome is in the database all the same (the
   * scorecard of that version, or a final failure of that job) are marked done: their job's own
   * mark was lost (a crash between the two). Returns how many.
   */
  async settle(before: Date): Promise<number> {
    const rows = (await this.ds.query(
      `UPDATE score_requests r
          SET done_at = now(),
              outcome = CASE WHEN EXISTS (SELECT 1 FROM scorecards s
                                           WHERE s.response_id = r.response_id AND s.response_version = r.response_version)
                             THEN 'scored' ELSE 'failed' END
        WHERE r.done_at IS NULL AND r.requested_at < $1
          AND (EXISTS (SELECT 1 FROM scorecards s WHERE s.response_id = r.response_id AND s.response_version = r.response_version)
               OR EXISTS (SELECT 1 FROM scoring_failures f WHERE f.job_id = r.job_id AND f.final))
      RETURNING r.job_id`,
      [before],
    )) as [unknown[], number];
    return rows[1];
  }

  /** A page of requests not done, made before `before`, after `afterJobId` (keyset paging). */
  async pending(before: Date, afterJobId: string, limit: number): Promise<PendingRequest[]> {
    return (await this.ds.query(
      `SELECT job_id AS "jobId", data, requested_at AS "requestedAt" FROM score_requests
        WHERE done_at IS NULL AND requested_at < $1 AND job_id > $2 ORDER BY job_id LIMIT $3`,
      [before, afterJobId, limit],
    )) as PendingRequest[];
  }

  async requeued(jobIds: string[]): Promise<void> {
    if (!jobIds.length) return;
    await this.ds.query(
      `UPDATE score_requests SET requeued_at = now(), requeues = requeues + 1 WHERE job_id = ANY($1::text[])`,
      [jobIds],
    );
  }

  async countPending(): Promise<number> {
    const [{ n }] = (await this.ds.query(
      `SELECT count(*)::int AS n FROM score_requests WHERE done_at IS NULL`,
    )) as {
      n: number;
    }[];
    return n;
  }
}
