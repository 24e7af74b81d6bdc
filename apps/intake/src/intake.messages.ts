import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { CyclesService } from './cycles/cycles.service';
import { EvidenceService } from './evidence/evidence.service';
import { ResponsesExportService } from './export/responses-export.service';
import { QuestionnairesService } from './questionnaires/questionnaires.service';
import { ResponsesService } from './responses/responses.service';

type Req<S extends Parameters<typeof RpcHandler>[0]> = RpcRequestParsed<S>;

/** Only the two fields that name a response (requests carry more). */
const key = (r: { cycleId: string; agencyId: string }) => ({ cycleId: r.cycleId, agencyId: r.agencyId });

/** NATS entry points of intake; requests arrive validated against the contracts. */
@Injectable()
export class IntakeMessages {
  constructor(
    private readonly cycles: CyclesService,
    private readonly questionnaires: QuestionnairesService,
    private readonly responses: ResponsesService,
    private readonly evidence: EvidenceService,
    private readonly exporter: ResponsesExportService,
  ) {}

  @RpcHandler(Rpc.CycleCreate)
  createCycle(req: Req<typeof Rpc.CycleCreate>, ctx: CallContext) {
    return this.cycles.create(req, ctx);
  }

  @RpcHandler(Rpc.CycleList)
  listCycles(req: Req<typeof Rpc.CycleList>) {
    return this.cycles.list(req.page, req.pageSize);
  }

  @RpcHandler(Rpc.CycleGet)
  getCycle(req: Req<typeof Rpc.CycleGet>) {
    return this.cycles.get(req.cycleId);
  }

  @RpcHandler(Rpc.CycleUpdate)
  updateCycle(req: Req<typeof Rpc.CycleUpdate>, ctx: CallContext) {
    return this.cycles.update(req.cycleId, req.patch, ctx);
  }

  @RpcHandler(Rpc.CycleOpen)
  openCycle(req: Req<typeof Rpc.CycleOpen>, ctx: CallContext) {
    return this.cycles.open(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.CycleClose)
  closeCycle(req: Req<typeof Rpc.CycleClose>, ctx: CallContext) {
    return this.cycles.close(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.CycleProgress)
  progress(req: Req<typeof Rpc.CycleProgress>, ctx: CallContext) {
    return this.cycles.progress(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.QuestionnaireCreate)
  createQuestionnaire(req: Req<typeof Rpc.QuestionnaireCreate>, ctx: CallContext) {
    return this.questionnaires.create(req.definition, ctx);
  }

  @RpcHandler(Rpc.QuestionnaireGet)
  getQuestionnaire(req: Req<typeof Rpc.QuestionnaireGet>) {
    return this.questionnaires.get(req.id);
  }

  @RpcHandler(Rpc.QuestionnaireAttach)
  attach(req: Req<typeof Rpc.QuestionnaireAttach>, ctx: CallContext) {
    return this.cycles.attachQuestionnaire(req.cycleId, req.questionnaireId, req.version, ctx);
  }

  @RpcHandler(Rpc.ResponseList)
  listResponses(req: Req<typeof Rpc.ResponseList>, ctx: CallContext) {
    return this.responses.list(req, ctx);
  }

  @RpcHandler(Rpc.ResponseGet)
  getResponse(req: Req<typeof Rpc.ResponseGet>, ctx: CallContext) {
    return this.responses.get(key(req), ctx);
  }

  @RpcHandler(Rpc.ResponseSave)
  save(req: Req<typeof Rpc.ResponseSave>, ctx: CallContext) {
    return this.responses.save(key(req), req.patch, ctx);
  }

  @RpcHandler(Rpc.ResponseSubmit)
  submit(req: Req<typeof Rpc.ResponseSubmit>, ctx: CallContext) {
    return this.responses.submit(key(req), req.version, ctx);
  }

  @RpcHandler(Rpc.ResponseApprove)
  approve(req: Req<typeof Rpc.ResponseApprove>, ctx: CallContext) {
    return this.responses.approve(key(req), req, ctx);
  }

  @RpcHandler(Rpc.ResponseReturn)
  returnResponse(req: Req<typeof Rpc.ResponseReturn>, ctx: CallContext) {
    return this.responses.return(key(req), req, ctx);
  }

  @RpcHandler(Rpc.ResponseVerify)
  verify(req: Req<typeof Rpc.ResponseVerify>, ctx: CallContext) {
    return this.responses.verify(key(req), req.input, ctx);
  }

  @RpcHandler(Rpc.ResponseExtend)
  extend(req: Req<typeof Rpc.ResponseExtend>, ctx: CallContext) {
    return this.responses.extend(key(req), req.until, req.reason, ctx);
  }

  @RpcHandler(Rpc.ResponseAudit)
  audit(req: Req<typeof Rpc.ResponseAudit>, ctx: CallContext) {
    return this.responses.audit(key(req), ctx);
  }

  @RpcHandler(Rpc.SubmissionGet)
  getSubmission(req: Req<typeof Rpc.SubmissionGet>, ctx: CallContext) {
    return this.responses.submission(req.responseId, req.submission, ctx);
  }

  @RpcHandler(Rpc.ResponseExport)
  export(req: Req<typeof Rpc.ResponseExport>, ctx: CallContext) {
    return this.exporter.export(req.cycleId, req.format, ctx);
  }

  @RpcHandler(Rpc.EvidenceUpload)
  upload(req: Req<typeof Rpc.EvidenceUpload>, ctx: CallContext) {
    return this.evidence.upload(key(req), req.questionId, req.file, ctx);
  }

  @RpcHandler(Rpc.EvidenceGet)
  getEvidence(req: Req<typeof Rpc.EvidenceGet>, ctx: CallContext) {
    return this.evidence.get(req.id, ctx);
  }
}
