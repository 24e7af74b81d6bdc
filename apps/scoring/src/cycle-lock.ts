import type { EntityManager } from 'typeorm';

/**
 * Serialises the writes that change what a cycle's results are (rules, publication, rescore start)
 * inside the caller's transaction. Scoring jobs do not take it: they only append.
 */
export async function lockCycle(m: EntityManager, cycleId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('scoring-cycle:' || $1))`, [cycleId]);
}

export interface CyclePublication {
  publishedAt: Date | null;
  publishedBy: string | null;
  publishedRulesVersion: number | null;
  publishedStatistics: unknown;
}

export async function publicationOf(m: EntityManager, cycleId: string): Promise<CyclePublication | null> {
  const rows = (await m.query(
    `SELECT published_at AS "publishedAt", published_by AS "publishedBy", published_rules_version AS "publishedRulesVersion",
            published_statistics AS "publishedStatistics"
       FROM scoring_cycles WHERE cycle_id = $1 AND published_at IS NOT NULL`,
    [cycleId],
  )) as CyclePublication[];
  return rows[0] ?? null;
}
