import type { AgencyKind } from '@dg/contracts';

/** The columns of the import file, in the order the export writes them. */
export const AGENCY_COLUMNS = [
  'code',
  'name_th',
  'name_en',
  'kind',
  'org_type',
  'parent_code',
  'ministry_code',
  'province_code',
  'status',
  'effective_from',
  'effective_to',
] as const;
export type AgencyColumn = (typeof AGENCY_COLUMNS)[number];

/** JSON field of the API for each file column, so one rule reports to both. */
export const FIELD_OF_COLUMN: Record<AgencyColumn, string> = {
  code: 'code',
  name_th: 'nameTh',
  name_en: 'nameEn',
  kind: 'kind',
  org_type: 'orgType',
  parent_code: 'parentCode',
  ministry_code: 'ministryId',
  province_code: 'provinceCode',
  status: 'status',
  effective_from: 'effectiveFrom',
  effective_to: 'effectiveTo',
};

export interface Violation {
  column: AgencyColumn;
  code: string;
  message: string;
  messageTh: string;
  value?: string;
}

export interface ReferenceSets {
  ministries: ReadonlySet<string>;
  provinces: ReadonlySet<string>;
}

export interface ReferenceFields {
  code: string;
  kind: AgencyKind;
  parentCode?: string | null;
  ministryId?: string | null;
  provinceCode?: string | null;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
}

/**
 * Rules that need the registry's reference data: the same for the API and for file imports.
 * `kindOfCode` answers the kind of an existing (or same-file) agency, or undefined.
 */
export function checkReferences(
  a: ReferenceFields,
  refs: ReferenceSets,
  kindOfCode: (code: string) => AgencyKind | undefined,
): Violation[] {
  const v: Violation[] = [];
  if (a.ministryId && !refs.ministries.has(a.ministryId)) {
    v.push({
      column: 'ministry_code',
      code: 'UNKNOWN_MINISTRY',
      message: `unknown ministry code ${a.ministryId}`,
      messageTh: `ไม่พบรหัสกระทรวง ${a.ministryId}`,
      value: a.ministryId,
    });
  }
  if (a.provinceCode && !refs.provinces.has(a.provinceCode)) {
    v.push({
      column: 'province_code',
      code: 'UNKNOWN_PROVINCE',
      message: `unknown province code ${a.provinceCode} (ISO 3166-2:TH, e.g. TH-10)`,
      messageTh: `ไม่พบรหัสจังหวัด ${a.provinceCode} (ใช้รหัส ISO 3166-2:TH เช่น TH-10)`,
      value: a.provinceCode,
    });
  }
  if (a.parentCode) {
    if (a.parentCode === a.code) {
      v.push({
        column: 'parent_code',
        code: 'PARENT_IS_SELF',
        message: 'an agency cannot be its own parent',
        messageTh: 'หน่วยงานไม่สามารถเป็นหน่วยงานต้นสังกัดของตนเองได้',
        value: a.parentCode,
      });
    } else if (!kindOfCode(a.parentCode)) {
      v.push({
        column: 'parent_code',
        code: 'UNKNOWN_PARENT',
        message: `parent agency ${a.parentCode} does not exist`,
        messageTh: `ไม่พบหน่วยงานต้นสังกัดรหัส ${a.parentCode}`,
        value: a.parentCode,
      });
    }
  }
  if (a.kind === 'regional_unit') {
    if (!a.parentCode) {
      v.push({
        column: 'parent_code',
        code: 'PARENT_REQUIRED',
        message: 'a regional unit needs its parent department',
        messageTh: 'หน่วยงานส่วนภูมิภาคต้องระบุหน่วยงานต้นสังกัด',
      });
    }
    if (!a.provinceCode) {
      v.push({
        column: 'province_code',
        code: 'PROVINCE_REQUIRED',
        message: 'a regional unit needs its province',
        messageTh: 'หน่วยงานส่วนภูมิภาคต้องระบุจังหวัด',
      });
    }
  }
  if (a.effectiveFrom && a.effectiveTo && a.effectiveTo < a.effectiveFrom) {
    v.push({
      column: 'effective_to',
      code: 'DATE_ORDER',
      message: 'effective_to is before effective_from',
      messageTh: 'วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น',
      value: a.effectiveTo,
    });
  }
  return v;
}
