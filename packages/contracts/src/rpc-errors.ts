import type { ErrorCode } from './errors';
import { Rpc, type RpcSubject } from './subjects';

/**
 * Codes every RPC may answer, whatever its subject: the RPC server's own refusals (a request that
 * is not valid JSON or breaks the subject's schema, a message without a valid actor or with an
 * actor it cannot verify: ADR 0017) and failures
 * (an unexpected error, a database or a service it calls that does not answer). FORBIDDEN is not
 * here: reference lists, cycle reads and the public results check no role.
 */
export const UNIVERSAL_RPC_ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'ACTOR_UNVERIFIED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const satisfies readonly ErrorCode[];

/**
 * The codes each RPC subject may answer besides the universal ones, read from its handler, the
 * services it calls and the RPCs those call in turn (a callee's code passes through unless the
 * caller catches it). The RPC server checks every error reply against `rpcErrorCodes(subject)`: an
 * undeclared code is logged, and answered as INTERNAL when RPC_STRICT_ERROR_CODES=1 (tests), so a
 * new refusal must be added here, where the gateway's OpenAPI document also reads it.
 *
 * A code that only a broken invariant could produce (a questionnaire row gone, a cycle deleted
 * under its scorecards) is left out on purpose: it is an internal error, and reported as one.
 */
export const RpcErrorCodes = {
  // registry
  [Rpc.MinistryList]: [],
  [Rpc.ProvinceList]: [],
  [Rpc.AgencyGet]: ['FORBIDDEN', 'AGENCY_NOT_FOUND'],
  [Rpc.AgencyList]: ['FORBIDDEN'],
  [Rpc.AgencyCreate]: ['FORBIDDEN', 'AGENCY_CODE_TAKEN'],
  [Rpc.AgencyUpdate]: ['FORBIDDEN', 'AGENCY_NOT_FOUND', 'AGENCY_VERSION_CONFLICT'],
  [Rpc.AgencyImport]: ['FORBIDDEN', 'IMPORT_INVALID'],
  [Rpc.AgencyExport]: ['FORBIDDEN'],
  [Rpc.ContactList]: ['FORBIDDEN', 'AGENCY_NOT_FOUND'],
  [Rpc.ContactCreate]: ['FORBIDDEN', 'AGENCY_NOT_FOUND'],
  [Rpc.ContactErase]: ['FORBIDDEN', 'CONTACT_NOT_FOUND'],
  [Rpc.ContactOwner]: ['FORBIDDEN', 'CONTACT_NOT_FOUND'],
  /** gateway: only services (the system actor) ask. */
  [Rpc.AgencyUsers]: ['FORBIDDEN'],
  /** Readiness (every service, answered by the platform): FORBIDDEN for a role other than dga_admin/operator. */
  [Rpc.RegistryHealth]: ['FORBIDDEN'],
  [Rpc.IntakeHealth]: ['FORBIDDEN'],
  [Rpc.ScoringHealth]: ['FORBIDDEN'],
  [Rpc.NotificationsHealth]: ['FORBIDDEN'],
  [Rpc.AwardsHealth]: ['FORBIDDEN'],
  [Rpc.CohortPut]: ['FORBIDDEN'],
  /** NOT_FOUND: the cycle has no cohort in the registry. */
  [Rpc.CohortGet]: ['FORBIDDEN', 'NOT_FOUND'],
  [Rpc.CohortContacts]: ['FORBIDDEN', 'NOT_FOUND'],

  // intake
  [Rpc.CycleCreate]: ['FORBIDDEN', 'CYCLE_EXISTS'],
  [Rpc.CycleList]: [],
  [Rpc.CycleGet]: ['CYCLE_NOT_FOUND'],
  [Rpc.CycleUpdate]: [
    'FORBIDDEN',
    'CYCLE_NOT_FOUND',
    'CYCLE_VERSION_CONFLICT',
    'CYCLE_ALREADY_OPEN',
    'CYCLE_NOT_CLOSED',
  ],
  [Rpc.CycleOpen]: [
    'FORBIDDEN',
    'CYCLE_NOT_FOUND',
    'CYCLE_ALREADY_OPEN',
    'CYCLE_QUESTIONNAIRE_MISSING',
    'CYCLE_COHORT_MISSING',
  ],
  [Rpc.CycleClose]: ['FORBIDDEN', 'CYCLE_NOT_FOUND', 'CYCLE_NOT_OPEN'],
  [Rpc.CycleProgress]: ['FORBIDDEN', 'CYCLE_NOT_FOUND'],
  [Rpc.CycleReadiness]: ['FORBIDDEN', 'CYCLE_NOT_FOUND'],
  [Rpc.QuestionnaireCreate]: ['FORBIDDEN', 'QUESTIONNAIRE_INVALID'],
  [Rpc.QuestionnaireGet]: ['QUESTIONNAIRE_NOT_FOUND'],
  [Rpc.QuestionnaireAttach]: [
    'FORBIDDEN',
    'QUESTIONNAIRE_NOT_FOUND',
    'CYCLE_NOT_FOUND',
    'CYCLE_VERSION_CONFLICT',
    'CYCLE_CLOSED',
    'QUESTIONNAIRE_NOT_A_REVISION',
  ],
  [Rpc.ResponseList]: ['FORBIDDEN', 'CYCLE_NOT_FOUND'],
  [Rpc.ResponseGet]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND'],
  [Rpc.ResponseSave]: [
    'FORBIDDEN',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
    'CYCLE_NOT_STARTED',
    'DEADLINE_PASSED',
    'ANSWERS_INVALID',
  ],
  [Rpc.ResponseSubmit]: [
    'FORBIDDEN',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
    'CYCLE_NOT_STARTED',
    'DEADLINE_PASSED',
    'ANSWERS_INVALID',
  ],
  [Rpc.ResponseApprove]: [
    'FORBIDDEN',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
    'CYCLE_NOT_STARTED',
    'DEADLINE_PASSED',
    'SELF_APPROVAL_FORBIDDEN',
  ],
  [Rpc.ResponseReturn]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND', 'RESPONSE_VERSION_CONFLICT', 'RESPONSE_LOCKED'],
  [Rpc.ResponseVerify]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND', 'RESPONSE_VERSION_CONFLICT', 'RESPONSE_LOCKED'],
  [Rpc.ResponseExtend]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND', 'RESPONSE_LOCKED'],
  [Rpc.ResponseSetAside]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND', 'RESPONSE_VERSION_CONFLICT', 'RESPONSE_LOCKED'],
  [Rpc.ResponseAudit]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND'],
  [Rpc.ResponseCompleteness]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND'],
  [Rpc.ResponseExport]: ['FORBIDDEN', 'CYCLE_NOT_FOUND'],
  [Rpc.EvidenceUpload]: [
    'FORBIDDEN',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_LOCKED',
    'EVIDENCE_TOO_LARGE',
    'EVIDENCE_TYPE_NOT_ALLOWED',
  ],
  [Rpc.EvidenceGet]: ['FORBIDDEN', 'EVIDENCE_NOT_FOUND'],
  [Rpc.EvidenceList]: ['FORBIDDEN', 'RESPONSE_NOT_FOUND'],
  [Rpc.EvidenceDelete]: ['FORBIDDEN', 'EVIDENCE_NOT_FOUND', 'RESPONSE_LOCKED'],
  [Rpc.SubmissionGet]: ['FORBIDDEN', 'SUBMISSION_NOT_FOUND'],

  // scoring
  /** CYCLE_NOT_FOUND and QUESTIONNAIRE_NOT_FOUND come from intake (the rules are checked against the questionnaire). */
  [Rpc.ScoringRulesPut]: [
    'FORBIDDEN',
    'CYCLE_NOT_FOUND',
    'QUESTIONNAIRE_NOT_FOUND',
    'SCORING_RULES_INVALID',
    'RESULTS_PUBLISHED',
  ],
  [Rpc.ScoringRulesGet]: ['FORBIDDEN', 'SCORING_RULES_MISSING'],
  [Rpc.ScorecardGet]: ['FORBIDDEN', 'SCORECARD_NOT_FOUND'],
  [Rpc.ResultsGet]: ['FORBIDDEN'],
  [Rpc.ResultsPublic]: ['RESULTS_NOT_PUBLISHED'],
  [Rpc.ResultsPublish]: [
    'FORBIDDEN',
    'RESULTS_PUBLISHED',
    'RESCORE_RUNNING',
    'SCORING_RULES_MISSING',
    'NOTHING_SCORED',
    'CYCLE_NOT_FOUND',
    'CYCLE_NOT_CLOSED',
    'RESPONSES_NOT_VERIFIED',
  ],
  [Rpc.ResultsImport]: ['FORBIDDEN', 'IMPORT_INVALID', 'RESULTS_PUBLISHED'],
  [Rpc.ResultsPublishedCycles]: [],
  [Rpc.ScorecardPublic]: ['RESULTS_NOT_PUBLISHED', 'SCORECARD_NOT_FOUND'],
  /** CYCLE_NOT_FOUND from intake. */
  [Rpc.MethodologyPublic]: ['CYCLE_NOT_FOUND', 'METHODOLOGY_NOT_READY'],
  [Rpc.RescoreStart]: ['FORBIDDEN', 'RESULTS_PUBLISHED', 'RESCORE_RUNNING', 'SCORING_RULES_MISSING'],
  /** NOT_FOUND: no rescore of the cycle yet. */
  [Rpc.RescoreGet]: ['FORBIDDEN', 'NOT_FOUND'],
  [Rpc.ScoringFailureList]: ['FORBIDDEN'],

  // notifications
  /** CYCLE_NOT_FOUND from intake, NOT_FOUND (no cohort) from the registry. */
  [Rpc.AnnouncementSend]: ['FORBIDDEN', 'ATTACHMENTS_TOO_LARGE', 'CYCLE_NOT_FOUND', 'NOT_FOUND'],
  [Rpc.ReminderSend]: ['FORBIDDEN', 'CYCLE_NOT_FOUND', 'CYCLE_NOT_OPEN', 'NOT_FOUND', 'AGENCY_NOT_IN_COHORT'],
  [Rpc.DeliveryList]: ['FORBIDDEN'],
  [Rpc.NonSubmittersExport]: ['FORBIDDEN', 'CYCLE_NOT_FOUND'],
  [Rpc.TemplateGet]: ['FORBIDDEN'],
  [Rpc.TemplatePut]: ['FORBIDDEN', 'TEMPLATE_INVALID', 'TEMPLATE_VERSION_CONFLICT'],
  [Rpc.TemplatePreview]: ['FORBIDDEN', 'TEMPLATE_INVALID'],
  [Rpc.OptOutSet]: ['FORBIDDEN', 'CONTACT_NOT_FOUND'],

  // awards
  [Rpc.AwardCategoryList]: ['FORBIDDEN'],
  /** CYCLE_NOT_FOUND from intake (the rules are checked against the cycle's questionnaire). */
  [Rpc.AwardCategoryCreate]: ['FORBIDDEN', 'CYCLE_NOT_FOUND', 'AWARD_CATEGORY_INVALID', 'AWARDS_ANNOUNCED'],
  [Rpc.AwardCategoryUpdate]: [
    'FORBIDDEN',
    'AWARD_CATEGORY_NOT_FOUND',
    'AWARD_CATEGORY_INVALID',
    'AWARD_CATEGORY_VERSION_CONFLICT',
    'AWARD_CATEGORY_DECIDED',
    'AWARDS_ANNOUNCED',
  ],
  [Rpc.AwardCandidatesCompute]: ['FORBIDDEN', 'AWARDS_ANNOUNCED', 'AWARD_RESULTS_NOT_PUBLISHED'],
  [Rpc.AwardsOverview]: ['FORBIDDEN'],
  [Rpc.AwardDecisionAdd]: [
    'FORBIDDEN',
    'AWARD_CATEGORY_NOT_FOUND',
    'AWARD_NOT_A_MEMBER',
    'AWARD_COMMITTEE_ROLE_REQUIRED',
    'AWARD_CANDIDATES_NOT_COMPUTED',
    'AWARD_NOT_A_CANDIDATE',
    'AWARD_CONFLICT_OF_INTEREST',
    'AWARD_NOT_ELIGIBLE',
    'AWARDS_ANNOUNCED',
    'AWARD_CATEGORY_DECIDED',
    'AWARD_DECISION_STALE',
    'AWARD_QUORUM_NOT_REACHED',
    'AWARD_NO_ELIGIBLE_CANDIDATE',
  ],
  /** AGENCY_NOT_FOUND from the registry (the nominated agency). */
  [Rpc.AwardNominationAdd]: [
    'FORBIDDEN',
    'AWARD_CATEGORY_NOT_FOUND',
    'AWARD_NOMINATIONS_NOT_ACCEPTED',
    'AWARDS_ANNOUNCED',
    'AWARD_CATEGORY_DECIDED',
    'AGENCY_NOT_FOUND',
    'AWARD_ALREADY_NOMINATED',
  ],
  [Rpc.AwardsAnnounce]: [
    'FORBIDDEN',
    'AWARDS_ANNOUNCED',
    'AWARD_NO_CATEGORIES',
    'AWARD_CATEGORIES_UNDECIDED',
    'CYCLE_NOT_FOUND',
    'CYCLE_NOT_CLOSED',
    'RESPONSES_NOT_VERIFIED',
  ],
  [Rpc.AwardsPublic]: ['AWARDS_NOT_ANNOUNCED'],
  /** NOT_FOUND: the agency did not win this category (or is another agency's, for agency roles). */
  [Rpc.AwardCertificateGet]: ['FORBIDDEN', 'NOT_FOUND', 'AWARDS_NOT_ANNOUNCED', 'CERTIFICATE_NOT_READY'],
  /** Unknown numbers and numbers of certificates not made yet alike. */
  [Rpc.AwardCertificateCheck]: ['CERTIFICATE_NOT_FOUND'],
  /** AWARD_CATEGORY_NOT_FOUND also for an agency's people when the category is not of their group. */
  [Rpc.AwardCandidateList]: ['FORBIDDEN', 'AWARD_CATEGORY_NOT_FOUND'],
} as const satisfies { readonly [S in RpcSubject]: readonly ErrorCode[] };

const bySubject = new Map<string, readonly ErrorCode[]>(
  Object.entries(RpcErrorCodes).map(([subject, codes]) => [
    subject,
    Object.freeze([...UNIVERSAL_RPC_ERROR_CODES, ...codes]),
  ]),
);

/**
 * Every code the subject may answer: its own list and the universal codes. The RPC server
 * answers INTERNAL instead of a code outside it when RPC_STRICT_ERROR_CODES=1.
 */
export function rpcErrorCodes(subject: RpcSubject): readonly ErrorCode[] {
  const codes = bySubject.get(subject);
  if (!codes) throw new Error(`unknown RPC subject ${subject}`);
  return codes;
}
