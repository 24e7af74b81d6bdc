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
  /** Which agency a contact belongs to, and whether it was erased (ids only, no personal data). */
  ContactOwner: 'registry.contact.owner',
  CohortPut: 'registry.cohort.put',
  CohortGet: 'registry.cohort.get',
  CycleCreate: 'intake.cycle.create',
  CycleList: 'intake.cycle.list',
  CycleGet: 'intake.cycle.get',
  CycleUpdate: 'intake.cycle.update',
  CycleOpen: 'intake.cycle.open',
  CycleClose: 'intake.cycle.close',
  CycleProgress: 'intake.cycle.progress',
  /** Whether results may be published: the cycle closed, every submitted response verified or set aside. */
  CycleReadiness: 'intake.cycle.readiness',
  QuestionnaireCreate: 'intake.questionnaire.create',
  QuestionnaireGet: 'intake.questionnaire.get',
  QuestionnaireAttach: 'intake.questionnaire.attach',
  ResponseList: 'intake.response.list',
  ResponseGet: 'intake.response.get',
  ResponseSave: 'intake.response.save',
  ResponseSubmit: 'intake.response.submit',
  ResponseApprove: 'intake.response.approve',
  ResponseReturn: 'intake.response.return',
  ResponseVerify: 'intake.response.verify',
  ResponseExtend: 'intake.response.extend',
  ResponseSetAside: 'intake.response.setaside',
  ResponseAudit: 'intake.response.audit',
  ResponseCompleteness: 'intake.response.completeness',
  ResponseExport: 'intake.response.export',
  EvidenceUpload: 'intake.evidence.upload',
  EvidenceGet: 'intake.evidence.get',
  EvidenceList: 'intake.evidence.list',
  EvidenceDelete: 'intake.evidence.delete',
  /** One submitted version of a response, as it was submitted (immutable): what scoring scores. */
  SubmissionGet: 'intake.submission.get',
  ScoringRulesPut: 'scoring.rules.put',
  ScoringRulesGet: 'scoring.rules.get',
  ScorecardGet: 'scoring.scorecard.get',
  ResultsGet: 'scoring.results.get',
  ResultsPublic: 'scoring.results.public',
  ResultsPublish: 'scoring.results.publish',
  ResultsImport: 'scoring.results.import',
  /** The cycles whose results are published (public, no login). */
  ResultsPublishedCycles: 'scoring.results.cycles',
  /** One agency's published scorecard by agency code (public, no login). */
  ScorecardPublic: 'scoring.scorecard.public',
  /** How a cycle's answers become scores, from its questionnaire and rules (public, no login). */
  MethodologyPublic: 'scoring.methodology.public',
  RescoreStart: 'scoring.rescore.start',
  RescoreGet: 'scoring.rescore.get',
  ScoringFailureList: 'scoring.failure.list',
  /** Active contacts of every agency of a cycle's cohort, paged (notifications' recipients). */
  CohortContacts: 'registry.cohort.contacts',
  AnnouncementSend: 'notifications.announcement.send',
  ReminderSend: 'notifications.reminder.send',
  DeliveryList: 'notifications.delivery.list',
  /** The agencies of a cycle that have not submitted, with their contacts and latest deliveries (CSV). */
  NonSubmittersExport: 'notifications.nonsubmitter.export',
  TemplateGet: 'notifications.template.get',
  TemplatePut: 'notifications.template.put',
  TemplatePreview: 'notifications.template.preview',
  OptOutSet: 'notifications.optout.set',
  AwardCategoryList: 'awards.category.list',
  AwardCategoryCreate: 'awards.category.create',
  AwardCategoryUpdate: 'awards.category.update',
  AwardCandidatesCompute: 'awards.candidates.compute',
  AwardsOverview: 'awards.overview.get',
  AwardDecisionAdd: 'awards.decision.add',
  AwardNominationAdd: 'awards.nomination.add',
  AwardsAnnounce: 'awards.results.announce',
  AwardsPublic: 'awards.winners.public',
  AwardCertificateGet: 'awards.certificate.get',
  /** Whether a certificate number is genuine (public, no login). */
  AwardCertificateCheck: 'awards.certificate.check',
  /** One category's candidates, paged; an agency's own people see their own row. */
  AwardCandidateList: 'awards.candidates.list',
  /**
   * The active user accounts of one agency with the given roles (the gateway owns users):
   * notifications' recipients among the people who work on a response (ids, names, e-mails).
   */
  AgencyUsers: 'gateway.user.agency',
  /**
   * Whether the service can serve (database, NATS and what it added: Redis, say), answered by the
   * platform in every service: the gateway's aggregate readiness view (`GET /health/services`).
   */
  RegistryHealth: 'registry.health.ready',
  IntakeHealth: 'intake.health.ready',
  ScoringHealth: 'scoring.health.ready',
  NotificationsHealth: 'notifications.health.ready',
  AwardsHealth: 'awards.health.ready',
} as const;

/** The readiness subject of each service behind the gateway (the platform answers it). */
export const HealthRpc = {
  registry: Rpc.RegistryHealth,
  intake: Rpc.IntakeHealth,
  scoring: Rpc.ScoringHealth,
  notifications: Rpc.NotificationsHealth,
  awards: Rpc.AwardsHealth,
} as const;

export const Events = {
  AgencyCreated: 'registry.agency.created',
  AgencyUpdated: 'registry.agency.updated',
  CohortUpdated: 'registry.cohort.updated',
  CycleOpened: 'intake.cycle.opened',
  /** A cycle's dates, title or status changed (`PATCH /cycles/:id`): one event per changed version. */
  CycleUpdated: 'intake.cycle.updated',
  CycleClosed: 'intake.cycle.closed',
  ResponseSubmitted: 'intake.response.submitted',
  /** A coordinator sent the response to the agency's approvers (status awaiting_approval). */
  ResponseApprovalRequested: 'intake.approval.requested',
  /** The agency's approver sent the response back to its coordinators, with a comment. */
  ResponseSentBack: 'intake.approval.declined',
  ResponseReturned: 'intake.response.returned',
  /** An operator gave one agency its own, later deadline (`POST .../extension`). */
  ResponseExtended: 'intake.response.extended',
  ResponseVerified: 'intake.response.verified',
  ScorecardComputed: 'scoring.scorecard.computed',
  ResultsPublished: 'scoring.results.published',
  ContactErased: 'registry.contact.erased',
  AwardsAnnounced: 'awards.results.announced',
} as const;

/** One JetStream stream per owning service. */
export const Streams = {
  REGISTRY: 'REGISTRY',
  INTAKE: 'INTAKE',
  SCORING: 'SCORING',
  AWARDS: 'AWARDS',
} as const;

export type RpcSubject = (typeof Rpc)[keyof typeof Rpc];
export type EventSubject = (typeof Events)[keyof typeof Events];
export type StreamName = (typeof Streams)[keyof typeof Streams];

/** The NATS object store bucket that carries files between services (imports, exports). */
export const FILES_BUCKET = 'files';
