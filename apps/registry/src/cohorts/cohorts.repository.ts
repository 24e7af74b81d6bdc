import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AgencyGroup, AgencyKind } from '@dg/contracts';
import { CohortEntity, ContactEntity } from '../entities';

/** An active contact of a cohort agency, with the agency's code, Thai name and group in that cycle. */
export interface CohortContactRow {
  agencyCode: string;
  agencyName: string;
  group: AgencyGroup;
  contact: ContactEntity;
}

export interface MemberRow {
  agencyId: string;
  agencyCode: string;
  nameTh: string;
  kind: AgencyKind;
  group: AgencyGroup;
  ministryId: string | null;
  provinceCode: string | null;
}

@Injectable()
export class CohortsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  findCohort(cycleId: string, m: EntityManager = this.ds.manager): Promise<CohortEntity | null> {
    return m.findOne(CohortEntity, { where: { cycleId } });
  }

  /** Creates or bumps the cohort row, returning its new version. */
  async upsertCohort(m: EntityManager, cycleId: string, announcedCount: number | null): Promise<number> {
    const [row] = (await m.query(
      `INSERT INTO cohorts (cycle_id, announced_count, version, updated_at) VALUES ($1, $2, 1, now())
       ON CONFLICT (cycle_id) DO UPDATE
         SET announced_count = EXCLUDED.announced_count, version = cohorts.version + 1, updated_at = now()
       RETURNING version`,
      [cycleId, announcedCount],
    )) as { version: number }[];
    return row.version;
  }

  async replaceMembers(m: EntityManager, cycleId: string, members: { agencyId: string; group: AgencyGroup }[]): Promise<void> {
    await m.query(`DELETE FROM cohort_members WHERE cycle_id = $1`, [cycleId]);
    await m.query(
      `INSERT INTO cohort_members (cycle_id, agency_id, agency_group)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[])`,
      [cycleId, members.map((x) => x.agencyId), members.map((x) => x.group)],
    );
  }

  async counts(cycleId: string, m: EntityManager = this.ds.manager) {
    const rows = (await m.query(
      `SELECT cm.agency_group AS "group", a.kind, count(*)::int AS n
         FROM cohort_members cm JOIN agencies a ON a.id = cm.agency_id
        WHERE cm.cycle_id = $1 GROUP BY 1, 2`,
      [cycleId],
    )) as { group: AgencyGroup; kind: AgencyKind; n: number }[];
    const byGroup: Partial<Record<AgencyGroup, number>> = {};
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const r of rows) {
      byGroup[r.group] = (byGroup[r.group] ?? 0) + r.n;
      byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
      total += r.n;
    }
    return { byGroup, byKind, total };
  }

  async members(cycleId: string, offset: number, limit: number): Promise<MemberRow[]> {
    return (await this.ds.query(
      `SELECT a.id AS "agencyId", a.code AS "agencyCode", a.name_th AS "nameTh", a.kind, cm.agency_group AS "group",
              a.ministry_id AS "ministryId", a.province_code AS "provinceCode"
         FROM cohort_members cm JOIN agencies a ON a.id = cm.agency_id
        WHERE cm.cycle_id = $1 ORDER BY a.code OFFSET $2 LIMIT $3`,
      [cycleId, offset, limit],
    )) as MemberRow[];
  }

  /**
   * Active (not erased) contacts of every agency in the cycle's cohort, by agency code then
   * contact creation, and their total.
   */
  async activeContacts(cycleId: string, offset: number, limit: number): Promise<{ rows: CohortContactRow[]; total: number }> {
    const [{ total }] = (await this.ds.query(
      `SELECT count(*)::int AS total
         FROM cohort_members cm JOIN contacts c ON c.agency_id = cm.agency_id
        WHERE cm.cycle_id = $1 AND c.erased_at IS NULL`,
      [cycleId],
    )) as { total: number }[];
    const rows = (await this.ds.query(
      `SELECT a.code AS "agencyCode", a.name_th AS "agencyName", cm.agency_group AS "group",
              c.id, c.agency_id AS "agencyId", c.full_name AS "fullName", c.position, c.email, c.phone,
              c.line_id AS "lineId", c.purpose, c.legal_basis AS "legalBasis", c.created_by AS "createdBy",
              c.created_at AS "createdAt", c.erased_at AS "erasedAt", c.erased_by AS "erasedBy"
         FROM cohort_members cm
         JOIN agencies a ON a.id = cm.agency_id
         JOIN contacts c ON c.agency_id = cm.agency_id
        WHERE cm.cycle_id = $1 AND c.erased_at IS NULL
        ORDER BY a.code, c.created_at, c.id
        OFFSET $2 LIMIT $3`,
      [cycleId, offset, limit],
    )) as (ContactEntity & { agencyCode: string; agencyName: string; group: AgencyGroup })[];
    return {
      total,
      rows: rows.map(({ agencyCode, agencyName, group, ...contact }) => ({ agencyCode, agencyName, group, contact })),
    };
  }
}
