import { Rpc, type RpcSubject } from './subjects';

/**
 * The RPC subjects each service calls on its own behalf, as the `system` actor (ADR 0017). The
 * gateway calls every subject with a person's actor that it signs; no other service may call a
 * subject that is not listed here for it. Two things read this table: production's NATS
 * permissions (scripts/nats-permissions.mjs: a service may publish only these RPC subjects), and
 * every RPC server (a `system` actor without the gateway's signature is accepted only on a subject
 * some service calls). deploy/test compares it with the `.call(Rpc.X, …)` sites in apps/<service>/src.
 */
export const ServiceRpcCalls = {
  awards: [
    Rpc.ResultsGet,
    Rpc.CycleGet,
    Rpc.QuestionnaireGet,
    Rpc.AgencyGet,
    Rpc.ResponseAudit,
    Rpc.CycleReadiness,
  ],
  intake: [Rpc.CohortGet],
  notifications: [
    Rpc.CycleGet,
    Rpc.CohortContacts,
    Rpc.ContactOwner,
    Rpc.AgencyGet,
    Rpc.ContactList,
    Rpc.ResponseList,
    Rpc.AgencyUsers,
  ],
  scoring: [
    Rpc.SubmissionGet,
    Rpc.CycleGet,
    Rpc.CycleReadiness,
    Rpc.QuestionnaireGet,
    Rpc.AgencyGet,
    Rpc.MinistryList,
    Rpc.ProvinceList,
  ],
} as const satisfies Record<string, readonly RpcSubject[]>;

const calledByServices = new Set<string>(Object.values(ServiceRpcCalls).flat());

/** Whether some service (not only the gateway) calls `subject` as the `system` actor. */
export function isServiceCallable(subject: string): boolean {
  return calledByServices.has(subject);
}
