import { z } from 'zod';
import { IsoDate, Page, paged, Uuid } from './common';

export const AgencyKind = z.enum(['department', 'regional_unit', 'special_local', 'province', 'local']);
export type AgencyKind = z.infer<typeof AgencyKind>;

export const OrgType = z.enum(['government_agency', 'state_enterprise', 'public_organization', 'independent_body']);
export type OrgType = z.infer<typeof OrgType>;

export const AgencyStatus = z.enum(['active', 'inactive', 'dissolved']);
export type AgencyStatus = z.infer<typeof AgencyStatus>;

/** The group an agency is reported in (DGA publishes results per group). */
export const AgencyGroup = z.enum(['department', 'provincial', 'local']);
export type AgencyGroup = z.infer<typeof AgencyGroup>;

/** Default group of a kind; a cohort may still place an agency elsewhere. */
export function defaultGroupOf(kind: AgencyKind): AgencyGroup {
  switch (kind) {
    case 'department':
      return 'department';
    case 'regional_unit':
    case 'province':
      return 'provincial';
    case 'special_local':
    case 'local':
      return 'local';
  }
}

export const AgencyCode = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'upper-case letters, digits and dashes, 2-40 characters');
export const ProvinceCode = z.string().regex(/^TH-[0-9A-Z]{1,2}$/, 'ISO 3166-2:TH code such as TH-10');

export const Ministry = z.object({ id: z.string(), nameTh: z.string(), nameEn: z.string() });
export type Ministry = z.infer<typeof Ministry>;

export const Province = z.object({ code: ProvinceCode, nameTh: z.string(), nameEn: z.string(), region: z.string() });
export type Province = z.infer<typeof Province>;

export const MinistryList = z.object({ items: z.array(Ministry) });
export const ProvinceList = z.object({ items: z.array(Province) });

export const Agency = z.object({
  id: Uuid,
  code: z.string(),
  nameTh: z.string(),
  nameEn: z.string().nullable(),
  kind: AgencyKind,
  orgType: OrgType,
  parentId: Uuid.nullable(),
  parentCode: z.string().nullable(),
  ministryId: z.string().nullable(),
  provinceCode: z.string().nullable(),
  status: AgencyStatus,
  effectiveFrom: IsoDate.nullable(),
  effectiveTo: IsoDate.nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agency = z.infer<typeof Agency>;

const agencyFields = {
  nameTh: z.string().trim().min(1).max(300),
  nameEn: z.string().trim().max(300).nullish(),
  kind: AgencyKind,
  orgType: OrgType.default('government_agency'),
  parentCode: AgencyCode.nullish(),
  ministryId: z.string().trim().max(20).nullish(),
  provinceCode: ProvinceCode.nullish(),
  status: AgencyStatus.default('active'),
  effectiveFrom: IsoDate.nullish(),
  effectiveTo: IsoDate.nullish(),
};

export const AgencyCreateInput = z.object({ code: AgencyCode, ...agencyFields }).strict();
export type AgencyCreateInput = z.infer<typeof AgencyCreateInput>;

export const AgencyPatch = z
  .object({
    nameTh: agencyFields.nameTh.optional(),
    nameEn: agencyFields.nameEn,
    kind: AgencyKind.optional(),
    orgType: OrgType.optional(),
    parentCode: agencyFields.parentCode,
    ministryId: agencyFields.ministryId,
    provinceCode: agencyFields.provinceCode,
    status: AgencyStatus.optional(),
    effectiveFrom: agencyFields.effectiveFrom,
    effectiveTo: agencyFields.effectiveTo,
    /** The version the client last read; a stale one is a 409 with the current version. */
    version: z.number().int().min(1),
  })
  .strict();
export type AgencyPatch = z.infer<typeof AgencyPatch>;

export const AgencyListQuery = Page.extend({
  kind: AgencyKind.optional(),
  ministryId: z.string().max(20).optional(),
  province: z.string().max(8).optional(),
  parentId: Uuid.optional(),
  status: AgencyStatus.optional(),
  q: z.string().trim().max(200).optional(),
});
export type AgencyListQuery = z.infer<typeof AgencyListQuery>;

export const FileFormat = z.enum(['csv', 'xlsx']);
export type FileFormat = z.infer<typeof FileFormat>;

/** A file handed between services through the NATS object store (files exceed NATS's message limit). */
export const StoredFile = z.object({
  objectName: z.string().min(1),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
export type StoredFile = z.infer<typeof StoredFile>;

export const ImportRowError = z.object({
  row: z.number().int(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
  messageTh: z.string(),
  value: z.string().optional(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const AgencyImportRequest = z.object({ file: StoredFile, dryRun: z.boolean().default(false) });
export const AgencyImportReport = z.object({
  dryRun: z.boolean(),
  format: FileFormat,
  encoding: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type AgencyImportReport = z.infer<typeof AgencyImportReport>;

export const AgencyExportRequest = z.object({ format: FileFormat });

export const LegalBasis = z.enum([
  'consent',
  'contract',
  'legal_obligation',
  'vital_interest',
  'public_task',
  'legitimate_interest',
]);

export const Contact = z.object({
  id: Uuid,
  agencyId: Uuid,
  fullName: z.string().nullable(),
  position: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  lineId: z.string().nullable(),
  purpose: z.string(),
  legalBasis: LegalBasis,
  erasedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactCreateInput = z
  .object({
    fullName: z.string().trim().min(1).max(200),
    position: z.string().trim().max(200).nullish(),
    email: z.string().trim().email().max(254).nullish(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 -]{6,20}$/, 'digits, spaces, dashes, optional leading +')
      .nullish(),
    lineId: z.string().trim().max(100).nullish(),
    purpose: z.string().trim().min(1).max(500),
    legalBasis: LegalBasis,
  })
  .strict()
  .refine((c) => c.email || c.phone || c.lineId, { message: 'at least one of email, phone, lineId', path: ['email'] });
export type ContactCreateInput = z.infer<typeof ContactCreateInput>;

export const CohortMemberInput = z.object({ agencyCode: AgencyCode, group: AgencyGroup.optional() });
export const CohortPutInput = z
  .object({
    // Stored as a PostgreSQL int: a larger count is a 400, not the database's 500.
    announcedCount: z.number().int().min(0).max(2_147_483_647).nullish(),
    members: z.array(CohortMemberInput).max(20000),
  })
  .strict();
export type CohortPutInput = z.infer<typeof CohortPutInput>;

export const CohortSummary = z.object({
  cycleId: z.string(),
  announcedCount: z.number().int().nullable(),
  finalCount: z.number().int(),
  byGroup: z.partialRecord(AgencyGroup, z.number().int()),
  byKind: z.record(z.string(), z.number().int()),
  version: z.number().int(),
});
export type CohortSummary = z.infer<typeof CohortSummary>;

export const CohortMember = z.object({
  agencyId: Uuid,
  agencyCode: z.string(),
  nameTh: z.string(),
  kind: AgencyKind,
  group: AgencyGroup,
  /** Ministry code and ISO 3166-2:TH province of the agency (intake's progress by ministry and province). */
  ministryId: z.string().nullish(),
  provinceCode: z.string().nullish(),
});

export const AgencyPage = paged(Agency);
export const ContactList = z.object({ items: z.array(Contact) });
/** A contact's agency and whether it was erased: what another service needs to judge a request about it. */
export const ContactOwner = z.object({ id: Uuid, agencyId: Uuid, erased: z.boolean() });
export type ContactOwner = z.infer<typeof ContactOwner>;

/** An agency's active user account as notifications sees it (the gateway's `gateway.user.agency`). */
export const AgencyUser = z.object({
  id: Uuid,
  displayName: z.string(),
  email: z.string(),
  roles: z.array(z.enum(['coordinator', 'approver'])),
});
export type AgencyUser = z.infer<typeof AgencyUser>;
export const AgencyUserList = z.object({ items: z.array(AgencyUser) });
export type AgencyUserList = z.infer<typeof AgencyUserList>;
export const CohortPage = paged(CohortMember).extend({ summary: CohortSummary });
