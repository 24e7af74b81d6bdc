import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  Agency,
  AgencyCreateInput,
  AgencyImportReport,
  AgencyListQuery,
  AgencyPage,
  AgencyPatch,
  CohortPage,
  CohortPutInput,
  CohortSummary,
  Contact,
  ContactCreateInput,
  ContactList,
  FileFormat,
  MinistryList,
  Page,
  ProvinceList,
} from '@dg/contracts';

/** HTTP shapes of the registry routes: the contract's schemas, so HTTP and NATS check the same thing. */

/** PATCH body: the contract's AgencyPatch, whose `version` may instead come as `If-Match`. */
export const AgencyPatchBody = AgencyPatch.extend({ version: AgencyPatch.shape.version.optional() });

export const ImportQuery = z.object({
  /** `true`: check every row and report, save nothing. */
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export const ExportQuery = z.object({ format: FileFormat.default('csv') });


export class AgencyListQueryDto extends createZodDto(AgencyListQuery) {}
export class AgencyCreateDto extends createZodDto(AgencyCreateInput) {}
export class AgencyPatchDto extends createZodDto(AgencyPatchBody) {}
export class ImportQueryDto extends createZodDto(ImportQuery) {}
export class ExportQueryDto extends createZodDto(ExportQuery) {}
export class ContactCreateDto extends createZodDto(ContactCreateInput) {}
export class CohortPutDto extends createZodDto(CohortPutInput) {}
export class PageQueryDto extends createZodDto(Page) {}

export class AgencyDto extends createZodDto(Agency) {}
export class AgencyPageDto extends createZodDto(AgencyPage) {}
export class AgencyImportReportDto extends createZodDto(AgencyImportReport) {}
export class ContactDto extends createZodDto(Contact) {}
export class ContactListDto extends createZodDto(ContactList) {}
export class CohortSummaryDto extends createZodDto(CohortSummary) {}
export class CohortPageDto extends createZodDto(CohortPage) {}
export class MinistryListDto extends createZodDto(MinistryList) {}
export class ProvinceListDto extends createZodDto(ProvinceList) {}
