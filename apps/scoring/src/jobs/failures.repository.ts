import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FailureRecord {
  jobId: string;
  cycleId: string;
  responseId: string;
  responseVersion: number;
  agencyCode: string | null;
  code: string;
  message: string;
  attempts: number;
  final: boolean;
}

/**
 * Responses that could not be scored, kept where operators see them (the API and a metric) until
 * a later attempt or a rescore scores them.
 */
@Injectable()
export class FailuresRepository {
  constructor(private readonly ds: DataSource) {}

  async record(f: FailureRecord): Promise<void> {
    await this.ds.query(
      `INSERT INTO scoring_failures (job_id, cycle_id, response_id, response_version, agency_code, code, message, attempts, final)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (job_id) DO UPDATE SET code = excluded.code, message = excluded.message, attempts = excluded.attempts,
         final = excluded.final, failed_at = now(), resolved_at = NULL`,
      [f.jobId, f.cycleId, f.responseId, f.responseVersion, f.agencyCode, f.code, f.message.slice(0, 2000), f.attempts, f.final],
    );
  }

  /** A response scored at last: its earlier failures (any job) are resolved. */
  async resolve(responseIds: string[]): Promise<void> {
    if (!responseIds.length) return;
    await this.ds.query(
      `UPDATE scoring_failures SET resolved_at = now() WHERE response_id = ANY($1::uuid[]) AND resolved_at IS NULL`,
      [responseIds],
    );
  }

  async open(cycleId: string) {
    const rows = (await this.ds.query(
      `SELECT job_id AS "jobId", cycle_id AS "cycleId", response_id AS "responseId", response_version AS "responseVersion",
              agency_code AS "agencyCode", code, message, attempts, failed_at AS "failedAt"
         FROM scoring_failures WHERE cycle_id = $1 AND resolved_at IS NULL ORDER BY failed_at`,
      [cycleId],
    )) as (Omit<FailureRecord, 'final'> & { failedAt: Date })[];
    return rows.map((r) => ({ ...r, failedAt: new Date(r.failedAt).toISOString() }));
  }

  async openFinalJobIds(cycleId: string): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT job_id AS "jobId" FROM scoring_failures WHERE cycle_id = $1 AND resolved_at IS NULL AND final AND job_id LIKE 'score\\_%'`,
      [cycleId],
    )) as { jobId: string }[];
    return rows.map((r) => r.jobId);
  }
}
