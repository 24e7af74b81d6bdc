import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** One agency's own deadline for a cycle, as intake last told it. */
export interface AgencyDeadline {
  cycleId: string;
  agencyId: string;
  deadline: Date;
  /** When intake gave it (the event's `occurredAt`): reminders are due only after this. */
  grantedAt: Date;
}

/** A pending deadline with the labels of the scheduled reminders already run before it. */
export interface PendingDeadline extends AgencyDeadline {
  labels: Set<string>;
}

/**
 * The projection of each agency's own deadline per cycle (`agency_deadlines`), fed by
 * `intake.response.extended` and the correction deadline of `intake.response.returned`, and the
 * scheduled reminders already sent before it (`agency_reminder_runs`).
 */
@Injectable()
export class AgencyDeadlinesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Applies a deadline only forward: newer in intake's response version (extensions and returns
   * share it), or, when either side has no version (a return written before returns carried one),
   * granted later. A duplicate or a late event changes nothing. Returns whether it was applied.
   */
  async apply(
    m: EntityManager,
    d: {
      cycleId: string;
      agencyId: string;
      agencyCode: string;
      deadline: string;
      responseVersion: number | null;
      grantedAt: string;
    },
  ): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO agency_deadlines (cycle_id, agency_id, agency_code, deadline, granted_at, response_version)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (cycle_id, agency_id) DO UPDATE SET agency_code = excluded.agency_code,
         deadline = excluded.deadline, granted_at = excluded.granted_at, response_version = excluded.response_version
       WHERE CASE WHEN agency_deadlines.response_version IS NOT NULL AND excluded.response_version IS NOT NULL
                  THEN agency_deadlines.response_version < excluded.response_version
                  ELSE agency_deadlines.granted_at < excluded.granted_at END
       RETURNING 1`,
      [d.cycleId, d.agencyId, d.agencyCode, d.deadline, d.grantedAt, d.responseVersion],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The agencies of a cycle whose own deadline is later than the cycle's `closesAt`, by agency id. */
  async laterThan(cycleId: string, closesAt: string | Date): Promise<Map<string, Date>> {
    const rows = (await this.ds.query(
      `SELECT agency_id AS "agencyId", deadline FROM agency_deadlines WHERE cycle_id = $1 AND deadline > $2`,
      [cycleId, new Date(closesAt)],
    )) as { agencyId: string; deadline: Date }[];
    return new Map(rows.map((r) => [r.agencyId, new Date(r.deadline)]));
  }

  /**
   * Own deadlines that are later than their cycle's and still ahead at `now`, in cycles that are
   * open or closed (not archived), of agencies not known to have submitted: the ones the sweep
   * may remind, each with the labels of the reminders already run (one query for them all).
   */
  async pending(now: Date): Promise<PendingDeadline[]> {
    const rows = (await this.ds.query(
      `SELECT d.cycle_id AS "cycleId", d.agency_id AS "agencyId", d.deadline, d.granted_at AS "grantedAt",
              coalesce((SELECT array_agg(r.label) FROM agency_reminder_runs r
                         WHERE r.cycle_id = d.cycle_id AND r.agency_id = d.agency_id), '{}') AS labels
         FROM agency_deadlines d JOIN cycles c ON c.cycle_id = d.cycle_id
        WHERE c.status IN ('open', 'closed') AND d.deadline > c.closes_at AND d.deadline > $1
          AND NOT EXISTS (SELECT 1 FROM submitted_agencies s
                           WHERE s.cycle_id = d.cycle_id AND s.agency_id = d.agency_id)
        ORDER BY d.deadline, d.cycle_id, d.agency_id`,
      [now],
    )) as (AgencyDeadline & { labels: string[] })[];
    return rows.map((r) => ({
      ...r,
      deadline: new Date(r.deadline),
      grantedAt: new Date(r.grantedAt),
      labels: new Set(r.labels),
    }));
  }

  /** Records a run; `campaignId` null for an offset that passed unsent. */
  async recordRun(
    m: EntityManager,
    run: { cycleId: string; agencyId: string; label: string; campaignId: string | null },
  ): Promise<void> {
    await m.query(
      `INSERT INTO agency_reminder_runs (cycle_id, agency_id, label, campaign_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [run.cycleId, run.agencyId, run.label, run.campaignId],
    );
  }
}
