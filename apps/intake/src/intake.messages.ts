import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed, type RpcSubject } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { CyclesService } from './cycles/cycles.service';
import { EvidenceService } from './evidence/evidence.service';
import { ResponsesExportService } from './export/responses-export.service';
import { QuestionnairesService } from './questionnaires/questionnaires.service';
import { ResponsesService } from './responses/responses.service';

type Req<S extends RpcSubject> = RpcRequestParsed<S>;

/** Only the two fields that name a response (requests carry more). */
const key = (r: { cycleId: string; agencyId: string }) => ({ cycleId: r.cycleId, agencyId: r.agencyId });

/** NATS entry points of intake; requests arrive validated against the contracts. */
@Controller()
export class IntakeMessages {
  constructor(
    private readonly cycles: CyclesService,
    private readonly questionnaires: QuestionnairesService,
    private readonly responses: ResponsesService,
    private readonly evidence: EvidenceService,
    private readonly exporter: ResponsesExportService,
  ) {}

  @MessagePattern(Rpc.CycleCreate)
  createCycle(@Payload() req: Req<typeof Rpc.CycleCreate>, @Ctx() ctx: CallContext) {
    return this.cycles.create(req, ctx);
  }

  @MessagePattern(Rpc.CycleList)
  listCycles(req: Req<typeof Rpc.CycleList>) {
    return this.cycles.list(req.page, req.pageSize);
  }

  @MessagePattern(Rpc.CycleGet)
  getCycle(req: Req<typeof Rpc.CycleGet>) {
    return this.cycles.get(req.cycleId);
  }

  @MessagePattern(Rpc.CycleUpdate)
  updateCycle(@Payload() req: Req<typeof Rpc.CycleUpdate>, @Ctx() ctx: CallContext) {
    return this.cycles.update(req.cycleId, req.patch, ctx);
  }

  @MessagePattern(Rpc.CycleOpen)
  openCycle(@Payload() req: Req<typeof Rpc.CycleOpen>, @Ctx() ctx: CallContext) {
    return this.cycles.open(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.CycleClose)
  closeCycle(@Payload() req: Req<typeof Rpc.CycleClose>, @Ctx() ctx: CallContext) {
    return this.cycles.close(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.CycleProgress)
  progress(@Payload() req: Req<typeof Rpc.CycleProgress>, @Ctx() ctx: CallContext) {
    return this.cycles.progress(req, ctx);
  }

  @MessagePattern(Rpc.CycleReadiness)
  readiness(@Payload() req: Req<typeof Rpc.CycleReadiness>, @Ctx() ctx: CallContext) {
    return this.cycles.readiness(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.QuestionnaireCreate)
  createQuestionnaire(@Payload() req: Req<typeof Rpc.QuestionnaireCreate>, @Ctx() ctx: CallContext) {
    return this.questionnaires.create(req.definition, ctx);
  }

  @MessagePattern(Rpc.QuestionnaireGet)
  getQuestionnaire(req: Req<typeof Rpc.QuestionnaireGet>) {
    return this.questionnaires.get(req.id);
  }

  @MessagePattern(Rpc.QuestionnaireAttach)
  attach(@Payload() req: Req<typeof Rpc.QuestionnaireAttach>, @Ctx() ctx: CallContext) {
    return this.cycles.attachQuestionnaire(req.cycleId, req.questionnaireId, req.version, ctx);
  }

  @MessagePattern(Rpc.ResponseList)
  listResponses(@Payload() req: Req<typeof Rpc.ResponseList>, @Ctx() ctx: CallContext) {
    return this.responses.list(req, ctx);
  }

  @MessagePattern(Rpc.ResponseGet)
  getResponse(@Payload() req: Req<typeof Rpc.ResponseGet>, @Ctx() ctx: CallContext) {
    return this.responses.get(key(req), ctx);
  }

  @MessagePattern(Rpc.ResponseSave)
  save(@Payload() req: Req<typeof Rpc.ResponseSave>, @Ctx() ctx: CallContext) {
    return this.responses.save(key(req), req.patch, ctx);
  }

  @MessagePattern(Rpc.ResponseSubmit)
  submit(@Payload() req: Req<typeof Rpc.ResponseSubmit>, @Ctx() ctx: CallContext) {
    return this.responses.submit(key(req), req.version, ctx);
  }

  @MessagePattern(Rpc.ResponseApprove)
  approve(@Payload() req: Req<typeof Rpc.ResponseApprove>, @Ctx() ctx: CallContext) {
    return this.responses.approve(key(req), req, ctx);
  }

  @MessagePattern(Rpc.ResponseReturn)
  returnResponse(@Payload() req: Req<typeof Rpc.ResponseReturn>, @Ctx() ctx: CallContext) {
    return this.responses.return(key(req), req, ctx);
  }

  @MessagePattern(Rpc.ResponseVerify)
  verify(@Payload() req: Req<typeof Rpc.ResponseVerify>, @Ctx() ctx: CallContext) {
    return this.responses.verify(key(req), req.input, ctx);
  }

  @MessagePattern(Rpc.ResponseExtend)
  extend(@Payload() req: Req<typeof Rpc.ResponseExtend>, @Ctx() ctx: CallContext) {
    return this.responses.extend(key(req), req.until, req.reason, ctx);
  }

  @MessagePattern(Rpc.ResponseSetAside)
  setAside(@Payload() req: Req<typeof Rpc.ResponseSetAside>, @Ctx() ctx: CallContext) {
    return this.responses.setAside(key(req), req, ctx);
  }

  @MessagePattern(Rpc.ResponseAudit)
  audit(@Payload() req: Req<typeof Rpc.ResponseAudit>, @Ctx() ctx: CallContext) {
    return this.responses.audit(key(req), ctx);
  }

  @MessagePattern(Rpc.ResponseCompleteness)
  completeness(@Payload() req: Req<typeof Rpc.ResponseCompleteness>, @Ctx() ctx: CallContext) {
    return this.responses.completeness(key(req), ctx);
  }

  @MessagePattern(Rpc.SubmissionGet)
  getSubmission(@Payload() req: Req<typeof Rpc.SubmissionGet>, @Ctx() ctx: CallContext) {
    return this.responses.submission(req.responseId, req.submission, ctx);
  }

  @MessagePattern(Rpc.ResponseExport)
  export(@Payload() req: Req<typeof Rpc.ResponseExport>, @Ctx() ctx: CallContext) {
    return this.exporter.export(req.cycleId, req.format, ctx);
  }

  @MessagePattern(Rpc.EvidenceUpload)
  upload(@Payload() req: Req<typeof Rpc.EvidenceUpload>, @Ctx() ctx: CallContext) {
    return this.evidence.upload(key(req), req.questionId, req.file, ctx);
  }

  @MessagePattern(Rpc.EvidenceList)
  listEvidence(@Payload() req: Req<typeof Rpc.EvidenceList>, @Ctx() ctx: CallContext) {
    return this.evidence.list(key(req), ctx);
  }

  @MessagePattern(Rpc.EvidenceDelete)
  deleteEvidence(@Payload() req: Req<typeof Rpc.EvidenceDelete>, @Ctx() ctx: CallContext) {
    return this.evidence.delete(req.id, ctx);
  }

  @MessagePattern(Rpc.EvidenceGet)
  getEvidence(@Payload() req: Req<typeof Rpc.EvidenceGet>, @Ctx() ctx: CallContext) {
    return this.evidence.get(req.id, ctx);
  }
}
