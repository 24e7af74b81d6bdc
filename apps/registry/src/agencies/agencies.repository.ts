import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AgencyKind, AgencyListQuery } from '@dg/contracts';
import { AgencyEntity, MinistryEntity, ProvinceEntity } from '../entities';
import type { AgencyFields } from './agency.mapper';
import type { ReferenceSets } from './agency.rules';

export interface AgencyWithParent {
  agency: AgencyEntity;
  parentCode: string | null;
}

/** The only code that touches the agencies tables. */
@Injectable()
export class AgenciesRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async findById(id: string, m: EntityManager = this.ds.manager, lock = false): Promise<AgencyEntity | null> {
    const qb = m.createQueryBuilder(AgencyEntity, 'a').where('a.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  async findWithParent(id: string, m: EntityManager = this.ds.manager): Promise<AgencyWithParent | null> {
    const agency = await this.findById(id, m);
    if (!agency) return null;
    return { agency, parentCode: await this.codeOf(agency.parentId, m) };
  }

  async codeOf(id: string | null, m: EntityManager = this.ds.manager): Promise<string | null> {
    if (!id) return null;
    const row = await m.findOne(AgencyEntity, { where: { id }, select: { code: true } });
    return row?.code ?? null;
  }

  async findByCode(code: string, m: EntityManager = this.ds.manager): Promise<AgencyEntity | null> {
    return m.findOne(AgencyEntity, { where: { code } });
  }

  async list(query: AgencyListQuery, onlyAgencyId: string | null): Promise<{ rows: AgencyWithParent[]; total: number }> {
    const qb = this.ds.manager
      .createQueryBuilder(AgencyEntity, 'a')
      .leftJoin(AgencyEntity, 'p', 'p.id = a.parent_id')
      .addSelect('p.code', 'parent_code');
    if (onlyAgencyId) qb.andWhere('a.id = :onlyAgencyId', { onlyAgencyId });
    if (query.kind) qb.andWhere('a.kind = :kind', { kind: query.kind });
    if (query.ministryId) qb.andWhere('a.ministry_id = :ministryId', { ministryId: query.ministryId });
    if (query.province) qb.andWhere('a.province_code = :province', { province: query.province });
    if (query.parentId) qb.andWhere('a.parent_id = :parentId', { parentId: query.parentId });
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(`(a.code || ' ' || a.name_th || ' ' || coalesce(a.name_en, '')) ILIKE :like`, { like });
    }
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .orderBy('a.code')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .getRawAndEntities<{ parent_code: string | null }>();
    return { rows: entities.map((agency, i) => ({ agency, parentCode: raw[i]?.parent_code ?? null })), total };
  }

  /** Pass the transaction's manager from inside one: never a second pool connection while holding one. */
  async referenceSets(m: EntityManager = this.ds.manager): Promise<ReferenceSets> {
    const ministries = await m.find(MinistryEntity, { select: { id: true } });
    const provinces = await m.find(ProvinceEntity, { select: { code: true } });
    return { ministries: new Set(ministries.map((m) => m.id)), provinces: new Set(provinces.map((p) => p.code)) };
  }

  /** Every agency's id, kind and content, keyed by code (10,000 rows is a few MB). */
  async allByCode(m: EntityManager = this.ds.manager, lock = false): Promise<Map<string, AgencyEntity>> {
    const rows = await m.find(AgencyEntity, lock ? { lock: { mode: 'pessimistic_write' } } : {});
    return new Map(rows.map((r) => [r.code, r]));
  }

  async kindOfCode(code: string, m: EntityManager = this.ds.manager): Promise<AgencyKind | undefined> {
    const row = await m.findOne(AgencyEntity, { where: { code }, select: { kind: true } });
    return row?.kind;
  }

  /** True when making `parentId` the parent of `id` would close a loop. */
  async wouldCycle(id: string, parentId: string, m: EntityManager): Promise<boolean> {
    const rows = (await m.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM agencies WHERE id = $1
         UNION SELECT a.id, a.parent_id FROM agencies a JOIN up ON a.id = up.parent_id)
       SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
      [parentId, id],
    )) as unknown[];
    return rows.length > 0;
  }

  async insert(m: EntityManager, rows: AgencyEntity[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) await m.insert(AgencyEntity, rows.slice(i, i + 1000));
  }

  /** Compare-and-set on the version: a concurrent edit makes this return null instead of losing data. */
  async updateIfVersion(
    m: EntityManager,
    id: string,
    version: number,
    fields: AgencyFields,
  ): Promise<AgencyEntity | null> {
    const result = await m
      .createQueryBuilder()
      .update(AgencyEntity)
      .set({ ...fields, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND version = :version', { id, version })
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    return raw ? m.create(AgencyEntity, fromRaw(raw)) : null;
  }


  /** Bulk update for imports (the rows are locked by the import's transaction). */
  async updateMany(m: EntityManager, rows: (AgencyFields & { id: string })[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const col = <K extends keyof (AgencyFields & { id: string })>(k: K) => chunk.map((r) => r[k] ?? null);
      await m.query(
        `UPDATE agencies a SET
           name_th = v.name_th, name_en = v.name_en, kind = v.kind, org_type = v.org_type,
           parent_id = v.parent_id, ministry_id = v.ministry_id, province_code = v.province_code,
           status = v.status, effective_from = v.effective_from, effective_to = v.effective_to,
           version = a.version + 1, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                     $8::text[], $9::text[], $10::date[], $11::date[])
           AS v(id, name_th, name_en, kind, org_type, parent_id, ministry_id, province_code, status,
                effective_from, effective_to)
         WHERE a.id = v.id`,
        [
          col('id'),
          col('nameTh'),
          col('nameEn'),
          col('kind'),
          col('orgType'),
          col('parentId'),
          col('ministryId'),
          col('provinceCode'),
          col('status'),
          col('effectiveFrom'),
          col('effectiveTo'),
        ],
      );
    }
  }

  async findManyByIds(m: EntityManager, ids: string[]): Promise<AgencyEntity[]> {
    if (ids.length === 0) return [];
    return m.createQueryBuilder(AgencyEntity, 'a').where('a.id = ANY(:ids)', { ids }).getMany();
  }

  /** All agencies in code order with their parent's code, for export. */
  async exportRows(): Promise<AgencyWithParent[]> {
    const { entities, raw } = await this.ds.manager
      .createQueryBuilder(AgencyEntity, 'a')
      .leftJoin(AgencyEntity, 'p', 'p.id = a.parent_id')
      .addSelect('p.code', 'parent_code')
      .orderBy('a.code')
      .getRawAndEntities<{ parent_code: string | null }>();
    return entities.map((agency, i) => ({ agency, parentCode: raw[i]?.parent_code ?? null }));
  }
}

function fromRaw(raw: Record<string, unknown>): Partial<AgencyEntity> {
  return {
    id: raw.id as string,
    code: raw.code as string,
    nameTh: raw.name_th as string,
    nameEn: raw.name_en as string | null,
    kind: raw.kind as AgencyEntity['kind'],
    orgType: raw.org_type as AgencyEntity['orgType'],
    parentId: raw.parent_id as string | null,
    ministryId: raw.ministry_id as string | null,
    provinceCode: raw.province_code as string | null,
    status: raw.status as AgencyEntity['status'],
    effectiveFrom: raw.effective_from as string | null,
    effectiveTo: raw.effective_to as string | null,
    version: raw.version as number,
    createdAt: raw.created_at as Date,
    updatedAt: raw.updated_at as Date,
  };
}
