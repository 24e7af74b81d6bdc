import { z } from 'zod';
import { Page, Uuid } from './common';
import {
  Agency,
  AgencyCreateInput,
  AgencyExportRequest,
  AgencyGroup,
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
  ContactOwner,
  AgencyUserList,
  FileFormat,
  MinistryList,
  ProvinceList,
  StoredFile,
} from './registry';
import {
  AnswersPatch,
  Cycle,
  CycleCreateInput,
  CycleId,
  CyclePage,
  CyclePatch,
  Evidence,
  EvidenceList,
  Progress,
  PublicationReadiness,
  QuestionnaireRecord,
  QuestionnaireSummary,
  ResponseDetail,
  SaveResult,
  Completeness,
  ResponseKey,
  ResponseListQuery,
  DateTimeInput,
  ProgressQuery,
  ResponsePage,
  ResponsesExportFile,
  SetAsideInput,
  VerifyInput,
} from './intake';
import {
  Methodology,
  PreviousResultsImportReport,
  PreviousResultsImportRequest,
  PublicScorecardRequest,
  PublishedCycles,
  PublishSummary,
  RescoreStatus,
  Results,
  ResultsQuery,
  RuleSetRecord,
  ScorecardRecord,
  ScoringFailure,
} from './scoring';
import {
  BriefingRequest,
  CampaignSummary,
  CohortContactPage,
  DeliveryPage,
  DeliveryQuery,
  NonSubmittersExportRequest,
  OptOutInput,
  OptOutState,
  ReminderInput,
  Template,
  TemplateKey,
  TemplatePreview,
  TemplatePreviewRequest,
  TemplatePut,
} from './notifications';
import {
  AwardsOverview,
  Category,
  CategoryInput,
  CategoryPatch,
  CategoryState,
  CandidateListRequest,
  CandidatePage,
  CertificateCheck,
  CertificateNumber,
  CertificateRequest,
  DecisionInput,
  Nomination,
  NominationInput,
  PublicWinners,
} from './awards';
import { Rpc, RpcSubject } from './subjects';

/** An immutable submitted version of a response (intake's `response_versions`). */
export const Submission = z.object({
  responseId: Uuid,
  cycleId: z.string(),
  agencyId: Uuid,
  agencyCode: z.string(),
  agencyName: z.string(),
  group: AgencyGroup,
  submission: z.number().int(),
  responseVersion: z.number().int(),
  questionnaireId: Uuid,
  questionnaireVersion: z.number().int(),
  answers: z.record(z.string(), z.unknown()),
  submittedAt: z.string(),
});
export type Submission = z.infer<typeof Submission>;

/** One service's readiness: the names of the checks that failed (database, nats, redis…) when not ready. */
export const ServiceReadiness = z.object({
  service: z.string(),
  status: z.enum(['ready', 'not_ready']),
  failing: z.array(z.string()),
});
export type ServiceReadiness = z.infer<typeof ServiceReadiness>;

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
  [Rpc.ContactCreate]: {
    request: z.object({ agencyId: Uuid, contact: ContactCreateInput }),
    response: Contact,
  },
  [Rpc.ContactErase]: { request: z.object({ id: Uuid }), response: Contact },
  [Rpc.ContactOwner]: { request: z.object({ id: Uuid }), response: ContactOwner },
  [Rpc.AgencyUsers]: {
    request: z.object({ agencyId: Uuid, roles: z.array(z.enum(['coordinator', 'approver'])).min(1) }),
    response: AgencyUserList,
  },
  [Rpc.RegistryHealth]: { request: z.object({}), response: ServiceReadiness },
  [Rpc.IntakeHealth]: { request: z.object({}), response: ServiceReadiness },
  [Rpc.ScoringHealth]: { request: z.object({}), response: ServiceReadiness },
  [Rpc.NotificationsHealth]: { request: z.object({}), response: ServiceReadiness },
  [Rpc.AwardsHealth]: { request: z.object({}), response: ServiceReadiness },
  [Rpc.CohortPut]: {
    request: z.object({ cycleId: CycleId, cohort: CohortPutInput }),
    response: CohortSummary,
  },
  [Rpc.CohortGet]: { request: Page.extend({ cycleId: CycleId }), response: CohortPage },
  [Rpc.CycleCreate]: { request: CycleCreateInput, response: Cycle },
  [Rpc.CycleList]: { request: Page, response: CyclePage },
  [Rpc.CycleGet]: { request: z.object({ cycleId: CycleId }), response: Cycle },
  [Rpc.CycleUpdate]: { request: z.object({ cycleId: CycleId, patch: CyclePatch }), response: Cycle },
  [Rpc.CycleOpen]: { request: z.object({ cycleId: CycleId }), response: Cycle },
  [Rpc.CycleClose]: { request: z.object({ cycleId: CycleId }), response: Cycle },
  [Rpc.CycleProgress]: { request: ProgressQuery, response: Progress },
  [Rpc.CycleReadiness]: { request: z.object({ cycleId: CycleId }), response: PublicationReadiness },
  [Rpc.QuestionnaireCreate]: {
    request: z.object({ definition: z.unknown() }),
    response: QuestionnaireSummary,
  },
  [Rpc.QuestionnaireGet]: { request: z.object({ id: Uuid }), response: QuestionnaireRecord },
  [Rpc.QuestionnaireAttach]: {
    request: z.object({ cycleId: CycleId, questionnaireId: Uuid, version: z.number().int().min(1) }),
    response: Cycle.extend({ carriedOver: z.number().int(), droppedAnswers: z.number().int() }),
  },
  [Rpc.ResponseList]: { request: ResponseListQuery, response: ResponsePage },
  [Rpc.ResponseGet]: { request: ResponseKey, response: ResponseDetail },
  [Rpc.ResponseSave]: { request: ResponseKey.extend({ patch: AnswersPatch }), response: SaveResult },
  [Rpc.ResponseCompleteness]: { request: ResponseKey, response: Completeness },
  [Rpc.ResponseSubmit]: {
    request: ResponseKey.extend({ version: z.number().int().min(1) }),
    response: ResponseDetail,
  },
  [Rpc.ResponseApprove]: {
    request: ResponseKey.extend({
      version: z.number().int().min(1),
      decision: z.enum(['approve', 'reject']).default('approve'),
      comment: z.string().trim().max(2000).nullish(),
    }),
    response: ResponseDetail,
  },
  [Rpc.ResponseReturn]: {
    request: ResponseKey.extend({
      version: z.number().int().min(1),
      comment: z.string().trim().min(1).max(4000),
      /** A date-time with offset, or a plain date: the end of that day in Asia/Bangkok. */
      extendUntil: DateTimeInput.nullish(),
    }),
    response: ResponseDetail,
  },
  [Rpc.ResponseVerify]: {
    request: ResponseKey.extend({
      input: VerifyInput,
    }),
    response: ResponseDetail,
  },
  [Rpc.ResponseExtend]: {
    /** `until`: a date-time with offset, or a plain date (the end of that day in Asia/Bangkok). */
    request: ResponseKey.extend({ until: DateTimeInput, reason: z.string().trim().min(1).max(1000) }),
    response: ResponseDetail,
  },
  [Rpc.ResponseSetAside]: {
    request: ResponseKey.extend({ reason: SetAsideInput.shape.reason, version: SetAsideInput.shape.version }),
    response: ResponseDetail,
  },
  [Rpc.ResponseAudit]: {
    request: ResponseKey,
    response: z.object({
      items: z.array(
        z.object({
          at: z.string(),
          actorId: z.string(),
          /** The display name of the actor, added by the gateway (null: not a person's account it knows). */
          actorName: z.string().nullable().optional(),
          action: z.string(),
          fromStatus: z.string().nullable(),
          toStatus: z.string().nullable(),
          version: z.number().int().nullable(),
          changes: z.unknown(),
        }),
      ),
    }),
  },
  [Rpc.ResponseExport]: {
    request: z.object({ cycleId: CycleId, format: FileFormat }),
    response: ResponsesExportFile,
  },
  [Rpc.EvidenceUpload]: {
    request: ResponseKey.extend({ questionId: z.string().max(100), file: StoredFile }),
    response: Evidence,
  },
  [Rpc.EvidenceGet]: { request: z.object({ id: Uuid }), response: StoredFile.extend({ evidence: Evidence }) },
  [Rpc.EvidenceList]: { request: ResponseKey, response: EvidenceList },
  [Rpc.EvidenceDelete]: { request: z.object({ id: Uuid }), response: Evidence },
  [Rpc.SubmissionGet]: {
    request: z.object({ responseId: Uuid, submission: z.number().int().min(1) }),
    response: Submission,
  },
  [Rpc.ScoringRulesPut]: {
    request: z.object({ cycleId: CycleId, rules: z.unknown() }),
    response: RuleSetRecord,
  },
  [Rpc.ScoringRulesGet]: { request: z.object({ cycleId: CycleId }), response: RuleSetRecord },
  [Rpc.ScorecardGet]: { request: z.object({ cycleId: CycleId, agencyId: Uuid }), response: ScorecardRecord },
  [Rpc.ResultsGet]: { request: ResultsQuery, response: Results },
  [Rpc.ResultsPublic]: { request: ResultsQuery, response: Results },
  [Rpc.ResultsPublish]: { request: z.object({ cycleId: CycleId }), response: PublishSummary },
  [Rpc.ResultsImport]: { request: PreviousResultsImportRequest, response: PreviousResultsImportReport },
  [Rpc.ResultsPublishedCycles]: { request: z.object({}), response: PublishedCycles },
  [Rpc.ScorecardPublic]: { request: PublicScorecardRequest, response: ScorecardRecord },
  [Rpc.MethodologyPublic]: { request: z.object({ cycleId: CycleId }), response: Methodology },
  [Rpc.RescoreStart]: { request: z.object({ cycleId: CycleId }), response: RescoreStatus },
  [Rpc.RescoreGet]: { request: z.object({ cycleId: CycleId }), response: RescoreStatus },
  [Rpc.CohortContacts]: { request: Page.extend({ cycleId: CycleId }), response: CohortContactPage },
  [Rpc.AnnouncementSend]: {
    request: z.object({ cycleId: CycleId, briefing: BriefingRequest }),
    response: CampaignSummary,
  },
  [Rpc.ReminderSend]: {
    request: z.object({ cycleId: CycleId, input: ReminderInput }),
    response: CampaignSummary,
  },
  [Rpc.DeliveryList]: { request: DeliveryQuery, response: DeliveryPage },
  [Rpc.NonSubmittersExport]: { request: NonSubmittersExportRequest, response: StoredFile },
  [Rpc.TemplateGet]: { request: z.object({ key: TemplateKey }), response: Template },
  [Rpc.TemplatePut]: { request: z.object({ key: TemplateKey, template: TemplatePut }), response: Template },
  [Rpc.TemplatePreview]: { request: TemplatePreviewRequest, response: TemplatePreview },
  [Rpc.OptOutSet]: { request: OptOutInput, response: OptOutState },
  [Rpc.AwardCategoryList]: {
    request: z.object({ cycleId: CycleId }),
    response: z.object({ items: z.array(Category) }),
  },
  [Rpc.AwardCategoryCreate]: {
    request: z.object({ cycleId: CycleId, category: CategoryInput }),
    response: Category,
  },
  [Rpc.AwardCategoryUpdate]: { request: z.object({ id: Uuid, patch: CategoryPatch }), response: Category },
  [Rpc.AwardCandidatesCompute]: { request: z.object({ cycleId: CycleId }), response: AwardsOverview },
  [Rpc.AwardsOverview]: { request: z.object({ cycleId: CycleId }), response: AwardsOverview },
  [Rpc.AwardDecisionAdd]: {
    request: z.object({ categoryId: Uuid, decision: DecisionInput }),
    response: CategoryState,
  },
  [Rpc.AwardNominationAdd]: {
    request: z.object({ categoryId: Uuid, nomination: NominationInput }),
    response: Nomination,
  },
  [Rpc.AwardsAnnounce]: { request: z.object({ cycleId: CycleId }), response: PublicWinners },
  [Rpc.AwardsPublic]: { request: z.object({ cycleId: CycleId }), response: PublicWinners },
  [Rpc.AwardCertificateGet]: { request: CertificateRequest, response: StoredFile },
  [Rpc.AwardCertificateCheck]: { request: z.object({ number: CertificateNumber }), response: CertificateCheck },
  [Rpc.AwardCandidateList]: { request: CandidateListRequest, response: CandidatePage },
  [Rpc.ScoringFailureList]: {
    request: z.object({ cycleId: CycleId }),
    response: z.object({ items: z.array(ScoringFailure) }),
  },
} as const satisfies Record<RpcSubject, { request: z.ZodType; response: z.ZodType }>;

export type RpcRequest<S extends RpcSubject> = z.input<(typeof RpcSchemas)[S]['request']>;
export type RpcRequestParsed<S extends RpcSubject> = z.output<(typeof RpcSchemas)[S]['request']>;
export type RpcResponse<S extends RpcSubject> = z.output<(typeof RpcSchemas)[S]['response']>;
