/**
 * NATS subject names: `<service>.<noun>.<verb>` for RPC, `<service>.<noun>.<past tense>` for events.
 *
 * WARNING: these strings are on the wire and in JetStream streams and durable consumers. Changing a
 * value needs a migration plan (new subject beside the old, consumers moved, then the old removed).
 */
export const Rpc = {
  MinistryList: 'registry.ministry.list',
  ProvinceList: 'registry.province.list',
  AgencyGet: 'registry.agency.get',
  AgencyList: 'registry.agency.list',
  AgencyCreate: 'registry.agency.create',
  AgencyUpdate: 'registry.agency.update',
  AgencyImport: 'registry.agency.import',
  AgencyExport: 'registry.agency.export',
  ContactList: 'registry.contact.list',
  ContactCreate: 'registry.contact.create',
  ContactErase: 'registry.contact.erase',
  CohortPut: 'registry.cohort.put',
  CohortGet: 'registry.cohort.get',
} as const;

export const Events = {
  AgencyCreated: 'registry.agency.created',
  AgencyUpdated: 'registry.agency.updated',
  CohortUpdated: 'registry.cohort.updated',
} as const;

/** One JetStream stream per owning service. */
export const Streams = {
  REGISTRY: 'REGISTRY',
} as const;

export type RpcSubject = (typeof Rpc)[keyof typeof Rpc];
export type EventSubject = (typeof Events)[keyof typeof Events];
export type StreamName = (typeof Streams)[keyof typeof Streams];

/** The NATS object store bucket that carries files between services (imports, exports). */
export const FILES_BUCKET = 'files';
