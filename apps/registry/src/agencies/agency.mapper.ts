import type { Agency } from '@dg/contracts';
import type { AgencyEntity } from '../entities';

/** Fields that make up an agency's content (what import and PATCH compare and change). */
export const AGENCY_FIELDS = [
  'nameTh',
  'nameEn',
  'kind',
  'orgType',
  'parentId',
  'ministryId',
  'provinceCode',
  'status',
  'effectiveFrom',
  'effectiveTo',
] as const;
export type AgencyFields = Pick<AgencyEntity, (typeof AGENCY_FIELDS)[number]>;

export function toAgency(e: AgencyEntity, parentCode: string | null): Agency {
  return {
    id: e.id,
    code: e.code,
    nameTh: e.nameTh,
    nameEn: e.nameEn,
    kind: e.kind,
    orgType: e.orgType,
    parentId: e.parentId,
    parentCode,
    ministryId: e.ministryId,
    provinceCode: e.provinceCode,
    status: e.status,
    effectiveFrom: e.effectiveFrom,
    effectiveTo: e.effectiveTo,
    version: e.version,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}

/** Names of the fields whose value differs. */
export function changedFields(before: AgencyFields, after: AgencyFields): string[] {
  return AGENCY_FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
}
