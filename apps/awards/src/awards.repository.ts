import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Candidate, Category, CategoryInput } from '@dg/contracts';

export interface CategoryRow {
  id: string;
  cycleId: string;
  key: string;
  spec: CategoryInput;
  status: Category['status'];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DecisionRow {
  id: string;
  type: 'conflict' | 'vote' | 'confirm' | 'override';
  by: string;
  at: Date;
  details: Record<string, unknown>;
}

export interface NominationRow {
  id: string;
  categoryId: string;
  agencyId: string;
  agencyCode: string | null;
  data: Record<string, unknown>;
  by: string;
  at: Date;
}

export interface WinnerRow {
  categoryId: string;
  agencyId: string;
  cycleId: string;
  categoryKey: string;
  agencyCode: string;
  agencyName: string;
  rank: number;
  shared: boolean;
}

/** A winner as the API shows it. */
export const toWinner = (w: WinnerRow) => ({
  agencyId: w.agencyId,
  agencyCode: w.agencyCode,
  agencyName: w.agencyName,
  rank: w.rank,
  shared: w.shared,
});

const CATEGORY = `id, cycle_id AS "cycleId", key, spec, status, version, created_at AS "createdAt", updated_at AS "updatedAt"`;
const WINNER = `category_id AS "categoryId", agency_id AS "agencyId", cycle_id AS "cycleId", category_key AS "categoryKey",
  agency_code AS "agencyCode", agency_name AS "agencyName", rank, shared`;

/** The only code that touches the awards tables. */
export interface CertificateCheckRow {
  no: string;
  issuedAt: Date;
  agencyCode: string;
  agencyName: string;
  rank: number;
  shared: boolean;
  cycleId: string;
  categoryKey: string;
  categoryName: { th: string; en: string };
  announcedAt: Date;
}

@Injectable()
export class AwardsRepository {
  constructor(private readonly ds: DataSource) {}

  get manager(): EntityManager {
    return this.ds.manager;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** Serialises changes to one cycle's awards (announcement against late decisions). */
  async lockCycle(m: EntityManager, cycleId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('awards-cycle:' || $1))`, [cycleId]);
  }

  async categories(cycleId: string, m: EntityManager = this.ds.manager): Promise<CategoryRow[]> {
    return (await m.query(`SELECT ${CATEGORY} FROM categories WHERE cycle_id = $1 ORDER BY created_at, key`, [
      cycleId,
    ])) as CategoryRow[];
  }

  async category(id: string, m: EntityManager = this.ds.manager, lock = false): Promise<CategoryRow | null> {
    const rows = (await m.query(
      `SELECT ${CATEGORY} FROM categories WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    )) as CategoryRow[];
    return rows[0] ?? null;
  }

  async insertCategory(m: EntityManager, id: string, cycleId: string, spec: CategoryInput): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO categories (id, cycle_id, key, spec, status) VALUES ($1, $2, $3, $4, 'draft') ON CONFLICT (cycle_id, key) DO NOTHING RETURNING id`,
      [id, cycleId, spec.key, JSON.stringify(spec)],
    )) as unknown[];
    return rows.length === 1;
  }

  async updateCategory(
    m: EntityManager,
    id: string,
    spec: CategoryInput,
    status: Category['status'],
  ): Promise<void> {
    await m.query(
      `UPDATE categories SET spec = $2, status = $3, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(spec), status],
    );
  }

  async setStatus(m: EntityManager, id: string, status: Category['status']): Promise<void> {
    await m.query(`UPDATE categories SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  }

  async replaceCandidates(m: EntityManager, categoryId: string, candidates: Candidate[]): Promise<void> {
    await m.query(`DELETE FROM candidates WHERE category_id = $1`, [categoryId]);
    if (!candidates.length) return;
    await m.query(
      `INSERT INTO candidates (category_id, agency_id, data) SELECT $1, * FROM unnest($2::uuid[], $3::jsonb[])`,
      [categoryId, candidates.map((c) => c.agencyId), candidates.map((c) => JSON.stringify(c))],
    );
  }

  /** One page of a category's candidates, ranked first (as computed), then by agency code. */
  async candidatesPage(
    categoryId: string,
    page: { page: number; pageSize: number; agencyId?: string },
  ): Promise<{ items: Candidate[]; total: number; eligibleCount: number }> {
    const where = `category_id = $1 ${page.agencyId ? 'AND agency_id = $2' : ''}`;
    const args: unknown[] = page.agencyId ? [categoryId, page.agencyId] : [categoryId];
    const [counts] = (await this.ds.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE (data->>'eligible')::boolean))::int AS eligible
         FROM candidates WHERE ${where}`,
      args,
    )) as { total: number; eligible: number }[];
    const rows = (await this.ds.query(
      `SELECT data FROM candidates WHERE ${where}
        ORDER BY (data->>'rank')::int NULLS LAST, data->>'agencyCode' COLLATE "C", agency_id
        LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, page.pageSize, (page.page - 1) * page.pageSize],
    )) as { data: Candidate }[];
    return { items: rows.map((r) => r.data), total: counts.total, eligibleCount: counts.eligible };
  }

  async candidates(categoryId: string, m: EntityManager = this.ds.manager): Promise<Candidate[]> {
    const rows = (await m.query(`SELECT data FROM candidates WHERE category_id = $1`, [categoryId])) as {
      data: Candidate;
    }[];
    return rows
      .map((r) => r.data)
      .sort(
        (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.agencyCode.localeCompare(b.agencyCode),
      );
  }

  async addDecision(
    m: EntityManager,
    categoryId: string,
    type: DecisionRow['type'],
    by: string,
    details: unknown,
  ): Promise<void> {
    await m.query(`INSERT INTO decisions (category_id, type, by, details) VALUES ($1, $2, $3, $4)`, [
      categoryId,
      type,
      by,
      JSON.stringify(details),
    ]);
  }

  async decisions(categoryId: string, m: EntityManager = this.ds.manager): Promise<DecisionRow[]> {
    return (await m.query(
      `SELECT id::text, type, by, at, details FROM decisions WHERE category_id = $1 ORDER BY id`,
      [categoryId],
    )) as DecisionRow[];
  }

  /** false when the agency is already nominated in this category. */
  async addNomination(
    categoryId: string,
    agencyId: string,
    agencyCode: string,
    data: unknown,
    by: string,
  ): Promise<boolean> {
    const rows = (await this.ds.query(
      `INSERT INTO nominations (category_id, agency_id, agency_code, data, by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (category_id, agency_id) DO NOTHING RETURNING id`,
      [categoryId, agencyId, agencyCode, JSON.stringify(data), by],
    )) as unknown[];
    return rows.length === 1;
  }

  async nominations(categoryId: string): Promise<NominationRow[]> {
    return (await this.ds.query(
      `SELECT id::text, category_id AS "categoryId", agency_id AS "agencyId", agency_code AS "agencyCode", data, by, at
         FROM nominations WHERE category_id = $1 ORDER BY id`,
      [categoryId],
    )) as NominationRow[];
  }

  async announcedAt(cycleId: string, m: EntityManager = this.ds.manager): Promise<Date | null> {
    const rows = (await m.query(`SELECT announced_at AS at FROM awards_cycles WHERE cycle_id = $1`, [
      cycleId,
    ])) as { at: Date }[];
    return rows[0]?.at ?? null;
  }

  async markAnnounced(m: EntityManager, cycleId: string, by: string, at: Date): Promise<void> {
    await m.query(`INSERT INTO awards_cycles (cycle_id, announced_at, announced_by) VALUES ($1, $2, $3)`, [
      cycleId,
      at,
      by,
    ]);
    await m.query(`UPDATE categories SET status = 'announced', updated_at = now() WHERE cycle_id = $1`, [
      cycleId,
    ]);
  }

  async insertWinners(m: EntityManager, winners: WinnerRow[]): Promise<void> {
    if (!winners.length) return;
    const col = <K extends keyof WinnerRow>(k: K) => winners.map((w) => w[k]);
    await m.query(
      `INSERT INTO winners (category_id, agency_id, cycle_id, category_key, agency_code, agency_name, rank, shared)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bool[])`,
      [
        col('categoryId'),
        col('agencyId'),
        col('cycleId'),
        col('categoryKey'),
        col('agencyCode'),
        col('agencyName'),
        col('rank'),
        col('shared'),
      ],
    );
  }

  async winners(cycleId: string, m: EntityManager = this.ds.manager): Promise<WinnerRow[]> {
    return (await m.query(
      `SELECT ${WINNER} FROM winners WHERE cycle_id = $1 ORDER BY category_key, rank, agency_code`,
      [cycleId],
    )) as WinnerRow[];
  }

  /** Agencies that won a category with this key in a cycle (the previous year, for eligibility). */
  async winnersOfKey(cycleId: string, key: string): Promise<Set<string>> {
    const rows = (await this.ds.query(
      `SELECT agency_id AS id FROM winners WHERE cycle_id = $1 AND category_key = $2`,
      [cycleId, key],
    )) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }

  async saveCertificate(categoryId: string, agencyId: string, no: string, pdf: Buffer): Promise<void> {
    await this.ds.query(
      `INSERT INTO certificates (category_id, agency_id, certificate_no, pdf) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [categoryId, agencyId, no, pdf],
    );
  }

  /** A made certificate by its number, with what it was given for (the public check). */
  async certificateByNumber(no: string): Promise<CertificateCheckRow | null> {
    const rows = (await this.ds.query(
      `SELECT c.certificate_no AS no, c.created_at AS "issuedAt", w.agency_code AS "agencyCode",
              w.agency_name AS "agencyName", w.rank, w.shared, w.cycle_id AS "cycleId",
              k.key AS "categoryKey", k.spec->'name' AS "categoryName", a.announced_at AS "announcedAt"
         FROM certificates c
         JOIN winners w ON w.category_id = c.category_id AND w.agency_id = c.agency_id
         JOIN categories k ON k.id = c.category_id
         JOIN awards_cycles a ON a.cycle_id = w.cycle_id
        WHERE c.certificate_no = $1`,
      [no],
    )) as CertificateCheckRow[];
    return rows[0] ?? null;
  }

  /** The numbers of a cycle's certificates made so far, by `categoryId|agencyId`. */
  async certificateNumbers(cycleId: string): Promise<Map<string, string>> {
    const rows = (await this.ds.query(
      `SELECT c.category_id AS "categoryId", c.agency_id AS "agencyId", c.certificate_no AS no
         FROM certificates c JOIN categories k ON k.id = c.category_id
        WHERE k.cycle_id = $1`,
      [cycleId],
    )) as { categoryId: string; agencyId: string; no: string }[];
    return new Map(rows.map((r) => [`${r.categoryId}|${r.agencyId}`, r.no]));
  }

  async certificate(categoryId: string, agencyId: string): Promise<{ no: string; pdf: Buffer } | null> {
    const rows = (await this.ds.query(
      `SELECT certificate_no AS no, pdf FROM certificates WHERE category_id = $1 AND agency_id = $2`,
      [categoryId, agencyId],
    )) as { no: string; pdf: Buffer }[];
    return rows[0] ?? null;
  }
}
