import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  Agency,
  AgencyCreateInput,
  AgencyListQuery,
  AgencyPatch,
  DomainError,
  Events,
  FieldError,
} from '@dg/contracts';
import { addToOutbox, agencyScope, CallContext, OutboxRelay, requireRole } from '@dg/platform';
import { requireAgencyVisible } from '../access';
import { audit } from '../audit/audit';
import { AgencyEntity } from '../entities';
import { AgenciesRepository } from './agencies.repository';
import { AgencyFields, changedFields, toAgency } from './agency.mapper';
import { checkReferences, FIELD_OF_COLUMN, Violation } from './agency.rules';

const PG_UNIQUE_VIOLATION = '23505';

function toFieldErrors(violations: Violation[]): FieldError[] {
  return violations.map((v) => ({
    path: FIELD_OF_COLUMN[v.column],
    code: v.code,
    message: v.message,
    messageTh: v.messageTh,
    value: v.value,
  }));
}

@Injectable()
export class AgenciesService {
  constructor(
    private readonly repo: AgenciesRepository,
    private readonly relay: OutboxRelay,
  ) {}

  async get(id: string, ctx: CallContext): Promise<Agency> {
    requireAgencyVisible(ctx.actor, id);
    const found = await this.repo.findWithParent(id);
    if (!found) throw new DomainError('AGENCY_NOT_FOUND');
    return toAgency(found.agency, found.parentCode);
  }

  async list(query: AgencyListQuery, ctx: CallContext) {
    const { rows, total } = await this.repo.list(query, agencyScope(ctx.actor));
    return {
      items: rows.map((r) => toAgency(r.agency, r.parentCode)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async create(input: AgencyCreateInput, ctx: CallContext): Promise<Agency> {
    requireRole(ctx.actor, 'dga_admin');
    const refs = await this.repo.referenceSets();
    const parent = input.parentCode ? await this.repo.findByCode(input.parentCode) : null;
    const violations = checkReferences(input, refs, () => parent?.kind);
    if (violations.length) throw new DomainError('VALIDATION_FAILED', undefined, toFieldErrors(violations));
    if (await this.repo.findByCode(input.code)) throw new DomainError('AGENCY_CODE_TAKEN', undefined, undefined, { agencyCode: input.code });

    const now = new Date();
    const entity: AgencyEntity = {
      id: randomUUID(),
      code: input.code,
      nameTh: input.nameTh,
      nameEn: input.nameEn ?? null,
      kind: input.kind,
      orgType: input.orgType,
      parentId: parent?.id ?? null,
      ministryId: input.ministryId ?? null,
      provinceCode: input.provinceCode ?? null,
      status: input.status,
      effectiveFrom: input.effectiveFrom ?? null,
      effectiveTo: input.effectiveTo ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const agency = toAgency(entity, parent?.code ?? null);
    try {
      await this.repo.transaction(async (m) => {
        await this.repo.insert(m, [entity]);
        await audit(m, ctx, [{ entity: 'agency', entityId: entity.id, action: 'create', after: agency }]);
        await addToOutbox(m, Events.AgencyCreated, { agency }, ctx);
      });
    } catch (e) {
      if ((e as { code?: string }).code === PG_UNIQUE_VIOLATION) {
        throw new DomainError('AGENCY_CODE_TAKEN', undefined, undefined, { agencyCode: input.code });
      }
      throw e;
    }
    this.relay.kick();
    return agency;
  }

  async update(id: string, patch: AgencyPatch, ctx: CallContext): Promise<Agency> {
    requireAgencyVisible(ctx.actor, id);
    requireRole(ctx.actor, 'dga_admin');
    const result = await this.repo.transaction(async (m) => {
      const current = await this.repo.findById(id, m, true);
      if (!current) throw new DomainError('AGENCY_NOT_FOUND');
      if (current.version !== patch.version) throw conflict(current.version);
      const before = toAgency(current, await this.repo.codeOf(current.parentId, m));
      const next = await this.applyPatch(current, before.parentCode, patch, m);
      const changed = changedFields(current, next);
      if (changed.length === 0) return { agency: before, changed };
      const saved = await this.repo.updateIfVersion(m, id, patch.version, next);
      if (!saved) throw conflict((await this.repo.findById(id, m))?.version ?? patch.version);
      const after = toAgency(saved, patch.parentCode !== undefined ? (patch.parentCode ?? null) : before.parentCode);
      await audit(m, ctx, [{ entity: 'agency', entityId: id, action: 'update', before, after }]);
      await addToOutbox(m, Events.AgencyUpdated, { agency: after, changed }, ctx);
      return { agency: after, changed };
    });
    if (result.changed.length) this.relay.kick();
    return result.agency;
  }

  private async applyPatch(
    current: AgencyEntity,
    currentParentCode: string | null,
    patch: AgencyPatch,
    m: EntityManager,
  ): Promise<AgencyFields> {
    const pick = <K extends keyof AgencyPatch>(k: K, fallback: unknown) => (patch[k] === undefined ? fallback : patch[k]);
    const parentCode = pick('parentCode', currentParentCode) as string | null;
    const parent = parentCode ? await this.repo.findByCode(parentCode, m) : null;
    const next: AgencyFields = {
      nameTh: pick('nameTh', current.nameTh) as string,
      nameEn: pick('nameEn', current.nameEn) as string | null,
      kind: pick('kind', current.kind) as AgencyFields['kind'],
      orgType: pick('orgType', current.orgType) as AgencyFields['orgType'],
      parentId: parent?.id ?? null,
      ministryId: pick('ministryId', current.ministryId) as string | null,
      provinceCode: pick('provinceCode', current.provinceCode) as string | null,
      status: pick('status', current.status) as AgencyFields['status'],
      effectiveFrom: pick('effectiveFrom', current.effectiveFrom) as string | null,
      effectiveTo: pick('effectiveTo', current.effectiveTo) as string | null,
    };
    const refs = await this.repo.referenceSets(m);
    const violations = checkReferences({ ...next, code: current.code, parentCode }, refs, () =>
      parent ? parent.kind : undefined,
    );
    if (parent && (await this.repo.wouldCycle(current.id, parent.id, m))) {
      violations.push({
        column: 'parent_code',
        code: 'PARENT_CYCLE',
        message: 'the parent chain would loop back to this agency',
        messageTh: 'การกำหนดต้นสังกัดนี้ทำให้เกิดวงวน',
        value: parentCode ?? undefined,
      });
    }
    if (violations.length) throw new DomainError('VALIDATION_FAILED', undefined, toFieldErrors(violations));
    return next;
  }
}

function conflict(currentVersion: number): DomainError {
  return new DomainError('AGENCY_VERSION_CONFLICT', undefined, undefined, { currentVersion });
}
