import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  AnswersPatch,
  Cycle,
  CycleCreateInput,
  CyclePage,
  CyclePatch,
  Evidence,
  EvidenceList,
  FileFormat,
  Page,
  Progress,
  ProgressQuery,
  PublicationReadiness,
  QuestionnaireRecord,
  QuestionnaireSummary,
  ResponseDetail,
  SaveResult,
  Completeness,
  ResponseListQuery,
  ResponsePage,
  Rpc,
  RpcSchemas,
  Uuid,
  VerifyInput,
} from '@dg/contracts';

/**
 * HTTP shapes of the cycle, questionnaire and response routes: the contract's schemas (so HTTP and
 * NATS check the same thing), less what the path carries (cycle id, agency id), with `version`
 * optional wherever it may come as `If-Match` instead.
 */

const Version = z.number().int().min(1);
const OptionalVersion = Version.optional().describe(
  'The version last read; may instead be sent as `If-Match`',
);

/** What the path carries, left out of the RPC requests to make the HTTP bodies. */
const KEY = { cycleId: true, agencyId: true } as const;

// ---- cycles -------------------------------------------------------------------------------------

export const CyclePatchBody = CyclePatch.extend({ version: OptionalVersion });

// ---- questionnaires -----------------------------------------------------------------------------

/**
 * The questionnaire definition itself (the `@dg/survey-model` format: `formatVersion`, `id`,
 * `version`, `cycleYear`, `title`, `general`, `pillars`...). The gateway only checks that it is a
 * JSON object; the intake service validates it and answers 422 QUESTIONNAIRE_INVALID with `errors[]`.
 */
export const QuestionnaireDefinitionBody = z
  .record(z.string(), z.unknown())
  .describe(
    'A questionnaire definition in the survey-model format (formatVersion, id, version, cycleYear, title, general, pillars)',
  );

export const QuestionnaireAttachBody = z
  .object({
    questionnaireId: Uuid,
    /** The CYCLE's version (the attachment changes the cycle). */
    version: Version.optional().describe("The cycle's version last read; may instead be sent as `If-Match`"),
  })
  .strict();

export const QuestionnaireAttachResult = RpcSchemas[Rpc.QuestionnaireAttach].response;

// ---- responses ----------------------------------------------------------------------------------

export const ResponseListHttpQuery = ResponseListQuery.omit({ cycleId: true });
export const ProgressHttpQuery = ProgressQuery.omit({ cycleId: true });

/** Autosave: part of the answers (`null` clears one) with the version last read. */
export const AnswersPatchBody = AnswersPatch.extend({ version: OptionalVersion });

/**
 * Submit takes only the version; with `If-Match` the body may be left out altogether (no body and
 * no content-type), which reads as `{}`.
 */
export const SubmitBody = z.object({ version: OptionalVersion }).strict().prefault({});

/** Approval by the agency head; `decision` defaults to `approve`, so `If-Match` alone approves. */
export const ApproveBody = RpcSchemas[Rpc.ResponseApprove].request
  .omit(KEY)
  .extend({ version: OptionalVersion })
  .strict()
  .prefault({});

export const ReturnBody = RpcSchemas[Rpc.ResponseReturn].request
  .omit(KEY)
  .extend({ version: OptionalVersion })
  .strict();

export const VerifyBody = VerifyInput.extend({ version: OptionalVersion });

export const ExtendBody = RpcSchemas[Rpc.ResponseExtend].request.omit(KEY).strict();

export const SetAsideBody = RpcSchemas[Rpc.ResponseSetAside].request
  .omit(KEY)
  .extend({
    reason: RpcSchemas[Rpc.ResponseSetAside].request.shape.reason.describe(
      'Why DGA does not wait for this response (10 to 2,000 characters), kept in the audit trail',
    ),
    version: OptionalVersion,
  })
  .strict();

export const ResponseAudit = RpcSchemas[Rpc.ResponseAudit].response;

export const ResponseExportQuery = z.object({ format: FileFormat.default('csv') });

// ---- evidence -----------------------------------------------------------------------------------

export const EvidenceUploadQuery = z.object({
  questionId: RpcSchemas[Rpc.EvidenceUpload].request.shape.questionId
    .trim()
    .min(1)
    .describe('The evidence question the file answers, e.g. `P1.Q3`'),
});

// ---- DTOs ---------------------------------------------------------------------------------------

export class CycleListQueryDto extends createZodDto(Page) {}
export class CycleCreateDto extends createZodDto(CycleCreateInput) {}
export class CyclePatchDto extends createZodDto(CyclePatchBody) {}
export class QuestionnaireDefinitionDto extends createZodDto(QuestionnaireDefinitionBody) {}
export class QuestionnaireAttachDto extends createZodDto(QuestionnaireAttachBody) {}
export class ResponseListQueryDto extends createZodDto(ResponseListHttpQuery) {}
export class ProgressQueryDto extends createZodDto(ProgressHttpQuery) {}
export class AnswersPatchDto extends createZodDto(AnswersPatchBody) {}
export class SubmitDto extends createZodDto(SubmitBody) {}
export class ApproveDto extends createZodDto(ApproveBody) {}
export class ReturnDto extends createZodDto(ReturnBody) {}
export class VerifyDto extends createZodDto(VerifyBody) {}
export class ExtendDto extends createZodDto(ExtendBody) {}
export class SetAsideDto extends createZodDto(SetAsideBody) {}
export class PublicationReadinessDto extends createZodDto(PublicationReadiness) {}
export class ResponseExportQueryDto extends createZodDto(ResponseExportQuery) {}
export class EvidenceUploadQueryDto extends createZodDto(EvidenceUploadQuery) {}

export class CycleDto extends createZodDto(Cycle) {}
export class CyclePageDto extends createZodDto(CyclePage) {}
export class ProgressDto extends createZodDto(Progress) {}
export class QuestionnaireSummaryDto extends createZodDto(QuestionnaireSummary) {}
export class QuestionnaireRecordDto extends createZodDto(QuestionnaireRecord) {}
export class QuestionnaireAttachResultDto extends createZodDto(QuestionnaireAttachResult) {}
export class ResponsePageDto extends createZodDto(ResponsePage) {}
export class ResponseDetailDto extends createZodDto(ResponseDetail) {}
export class ResponseAuditDto extends createZodDto(ResponseAudit) {}
export class SaveResultDto extends createZodDto(SaveResult) {}
export class CompletenessDto extends createZodDto(Completeness) {}
export class EvidenceDto extends createZodDto(Evidence) {}
export class EvidenceListDto extends createZodDto(EvidenceList) {}
