import { z } from 'zod';
import { Page, Uuid } from './common';
import {
  Agency,
  AgencyCreateInput,
  AgencyExportRequest,
  AgencyImportReport,
  AgencyImportRequest,
  AgencyListQuery,
  AgencyPage,
  AgencyPatch,
  CohortPage,
  CohortPutInput,
  CohortSummary,
  Contact,
  ContactCreateInput,
  ContactList,
  MinistryList,
  ProvinceList,
  StoredFile,
} from './registry';
import { Rpc, RpcSubject } from './subjects';

const CycleId = z.string().trim().min(1).max(64);

/** Request and response schema of every RPC subject: the one source of runtime checks and types. */
export const RpcSchemas = {
  [Rpc.MinistryList]: { request: z.object({}), response: MinistryList },
  [Rpc.ProvinceList]: { request: z.object({}), response: ProvinceList },
  [Rpc.AgencyGet]: { request: z.object({ id: Uuid }), response: Agency },
  [Rpc.AgencyList]: { request: AgencyListQuery, response: AgencyPage },
  [Rpc.AgencyCreate]: { request: AgencyCreateInput, response: Agency },
  [Rpc.AgencyUpdate]: { request: z.object({ id: Uuid, patch: AgencyPatch }), response: Agency },
  [Rpc.AgencyImport]: { request: AgencyImportRequest, response: AgencyImportReport },
  [Rpc.AgencyExport]: { request: AgencyExportRequest, response: StoredFile },
  [Rpc.ContactList]: { request: z.object({ agencyId: Uuid }), response: ContactList },
  [Rpc.ContactCreate]: { request: z.object({ agencyId: Uuid, contact: ContactCreateInput }), response: Contact },
  [Rpc.ContactErase]: { request: z.object({ id: Uuid }), response: Contact },
  [Rpc.CohortPut]: { request: z.object({ cycleId: CycleId, cohort: CohortPutInput }), response: CohortSummary },
  [Rpc.CohortGet]: { request: Page.extend({ cycleId: CycleId }), response: CohortPage },
} as const satisfies Record<RpcSubject, { request: z.ZodType; response: z.ZodType }>;

export type RpcRequest<S extends RpcSubject> = z.input<(typeof RpcSchemas)[S]['request']>;
export type RpcRequestParsed<S extends RpcSubject> = z.output<(typeof RpcSchemas)[S]['request']>;
export type RpcResponse<S extends RpcSubject> = z.output<(typeof RpcSchemas)[S]['response']>;
