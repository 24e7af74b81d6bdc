import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AgencyGroup, RankingRow } from '@dg/contracts';
import type { StandardisedScore } from '@dg/survey-model';

export interface PublishedRow extends RankingRow {
  scorecardId: string | null;
  standardised: StandardisedScore | null;
}

export interface ImportedRow {
  agencyCode: string;
  overall: number;
  level: number | null;
  pillars: Record<string, number>;
}

export interface Slice {
  group?: AgencyGroup;
  ministryId?: string;
  provinceCode?: string;
  /** Part of the agency code or name, any case. */
  q?: string;
}

/** `q` as an ILIKE pattern that matches it anywhere, its own %, _ and backslash taken literally; null for no search. */
export function containsPattern(q: string | undefined): string | null {
  const text = q?.trim();
  return text ? `%${text.replace(/[\\%_]/g, '\\$&')}%` : null;
}

const ROW = `rank, tied, agency_id AS "agencyId", agency_code AS "agencyCode", agency_name AS "agencyName", agency_group AS "group",
  ministry_id AS "ministryId", province_code AS "provinceCode", value::float8 AS value, overall::float8 AS overall, pillars,
  level, band, verified, previous::float8 AS previous, change::float8 AS change, scorecard_id::text AS "scorecardId", standardised`;

/** Published results (frozen by this platform, or imported from an earlier year's publication). */
@Injectable()
export class ResultsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Overall scores of a cycle's published results by agency code: the baseline for year-over-year change. */
  async overallByCode(cycleId: string): Promise<Map<string, number>> {
    const rows = (await this.ds.query(
      `SELECT agency_code AS code, overall::float8 AS overall FROM published_results WHERE cycle_id = $1`,
      [cycleId],
    )) as { code: string; overall: number }[];
    return new Map(rows.map((r) => [r.code, r.overall]));
  }

  async page(cycleId: string, slice: Slice, page: number, pageSize: number): Promise<{ items: PublishedRow[]; total: number }> {
    const where = `cycle_id = $1 AND source = 'platform' AND ($2::text IS NULL OR agency_group = $2)
      AND ($3::text IS NULL OR ministry_id = $3) AND ($4::text IS NULL OR province_code = $4)
      AND ($5::text IS NULL OR agency_code ILIKE $5 OR agency_name ILIKE $5)`;
    const params = [cycleId, slice.group ?? null, slice.ministryId ?? null, slice.provinceCode ?? null, containsPattern(slice.q)];
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM published_results WHERE ${where}`, params)) as {
      total: number;
    }[];
    const items = (await this.ds.query(
      `SELECT ${ROW} FROM published_results WHERE ${where}
        ORDER BY array_position(ARRAY['department', 'provincial', 'local'], agency_group), rank, agency_code
        LIMIT $6 OFFSET $7`,
      [...params, pageSize, (page - 1) * pageSize],
    )) as PublishedRow[];
    return { items, total };
  }

  /** An agency's published row by its code (this platform's publication only, never an import). */
  async oneByCode(cycleId: string, agencyCode: string): Promise<PublishedRow | null> {
    const rows = (await this.ds.query(
      `SELECT ${ROW} FROM published_results WHERE cycle_id = $1 AND agency_code = $2 AND source = 'platform'`,
      [cycleId, agencyCode],
    )) as PublishedRow[];
    return rows[0] ?? null;
  }

  /** The cycles published on this platform, latest publication first. */
  async publishedCycles(): Promise<{ cycleId: string; publishedAt: Date }[]> {
    return (await this.ds.query(
      `SELECT cycle_id AS "cycleId", published_at AS "publishedAt" FROM scoring_cycles
        WHERE published_at IS NOT NULL ORDER BY published_at DESC, cycle_id DESC`,
    )) as { cycleId: string; publishedAt: Date }[];
  }

  async one(cycleId: string, agencyId: string): Promise<PublishedRow | null> {
    const rows = (await this.ds.query(
      `SELECT ${ROW} FROM published_results WHERE cycle_id = $1 AND agency_id = $2 AND source = 'platform'`,
      [cycleId, agencyId],
    )) as PublishedRow[];
    return rows[0] ?? null;
  }

  async freeze(m: EntityManager, cycleId: string, rows: PublishedRow[]): Promise<void> {
    await m.query(`DELETE FROM published_results WHERE cycle_id = $1`, [cycleId]);
    const col = <K extends keyof PublishedRow>(k: K) => rows.map((r) => r[k]);
    await m.query(
      `INSERT INTO published_results (cycle_id, source, rank, tied, agency_id, agency_code, agency_name, agency_group, ministry_id,
         province_code, value, overall, pillars, level, band, verified, previous, change, scorecard_id, standardised)
       SELECT $1, 'platform', * FROM unnest($2::int[], $3::bool[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::numeric[], $11::numeric[], $12::jsonb[], $13::int[], $14::text[], $15::bool[], $16::numeric[],
         $17::numeric[], $18::bigint[], $19::jsonb[])`,
      [
        cycleId,
        col('rank'),
        col('tied'),
        col('agencyId'),
        col('agencyCode'),
        col('agencyName'),
        col('group'),
        col('ministryId'),
        col('provinceCode'),
        col('value'),
        col('overall'),
        rows.map((r) => JSON.stringify(r.pillars)),
        col('level'),
        col('band'),
        col('verified'),
        col('previous'),
        col('change'),
        col('scorecardId'),
        rows.map((r) => (r.standardised ? JSON.stringify(r.standardised) : null)),
      ],
    );
  }

  /** Replaces the imported results of a cycle; returns how many rows it replaced. */
  async replaceImported(m: EntityManager, cycleId: string, rows: ImportedRow[]): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected].
    const [, replaced] = (await m.query(`DELETE FROM published_results WHERE cycle_id = $1 AND source = 'import'`, [
      cycleId,
    ])) as [unknown[], number];
    await m.query(
      `INSERT INTO published_results (cycle_id, source, agency_code, overall, level, pillars)
       SELECT $1, 'import', * FROM unnest($2::text[], $3::numeric[], $4::int[], $5::jsonb[])`,
      [
        cycleId,
        rows.map((r) => r.agencyCode),
        rows.map((r) => r.overall),
        rows.map((r) => r.level),
        rows.map((r) => JSON.stringify(r.pillars)),
      ],
    );
    return replaced;
  }

  async hasPlatformResults(m: EntityManager, cycleId: string): Promise<boolean> {
    const rows = (await m.query(`SELECT 1 FROM published_results WHERE cycle_id = $1 AND source = 'platform' LIMIT 1`, [
      cycleId,
    ])) as unknown[];
    return rows.length > 0;
  }
}
