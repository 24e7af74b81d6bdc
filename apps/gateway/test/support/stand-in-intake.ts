import { Controller, INestApplicationContext } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import type { Cycle, ResponseDetail, RpcRequestParsed, RpcResponse, RpcSubject } from '@dg/contracts';
import { FileTransfer, PlatformModule, startService } from '@dg/platform';
import { TEST_ACTOR_KEYS } from '@dg/platform/testing';
import type { CallContext } from '@dg/platform';
import type { SeenCall } from './stand-in-registry';

export const RESPONSES_CSV = '\ufeffcycle,agency_code,question,answer\n2565,DEP-001,P1.Q1,ใช่\n';

type Evidence = RpcResponse<typeof Rpc.EvidenceUpload>;
type Questionnaire = RpcResponse<typeof Rpc.QuestionnaireGet>;

const keyOf = (cycleId: string, agencyId: string) => `${cycleId}/${agencyId}`;

/**
 * A stand-in for the intake service, answering every `intake.*` RPC subject over the real NATS
 * (same prefix as the gateway under test) with contract-valid data and DomainErrors. It records
 * what it was asked (payload, actor, correlation id), keeps versions so stale writes get a real
 * 409, reads evidence uploads back through FileTransfer and puts files in the transfer bucket for
 * downloads, as the intake service does. It is NOT the intake service: that one is tested in
 * apps/intake, and the two together in the end-to-end suite.
 */
@Controller()
export class StandInIntake {
  readonly calls: SeenCall[] = [];
  readonly cycles = new Map<string, Cycle>();
  readonly questionnaires = new Map<string, Questionnaire>();
  readonly responses = new Map<string, ResponseDetail>();
  /** Stored evidence bytes by evidence id, as read back from the transfer bucket at upload. */
  readonly evidence = new Map<string, { record: Evidence; bytes: Uint8Array }>();
  lastUpload?: { request: RpcRequestParsed<typeof Rpc.EvidenceUpload>; bytes: Uint8Array | null };
  lastEvidenceDownload?: RpcResponse<typeof Rpc.EvidenceGet>;
  lastExport?: RpcResponse<typeof Rpc.ResponseExport>;
  /** The content type the stand-in "recognises" for the next uploads (the real service sniffs the bytes). */
  detectedType = 'application/pdf';
  private readonly failures = new Map<RpcSubject, DomainError>();

  constructor(private readonly files: FileTransfer) {}

  seen(subject: RpcSubject): SeenCall[] {
    return this.calls.filter((c) => c.subject === subject);
  }

  lastCall(subject: RpcSubject): SeenCall | undefined {
    return this.seen(subject).at(-1);
  }

  /** The next call of `subject` answers with `error` (once). */
  failNext(subject: RpcSubject, error: DomainError): void {
    this.failures.set(subject, error);
  }

  addCycle(input: Partial<Cycle> & { id: string }): Cycle {
    const now = new Date().toISOString();
    const cycle: Cycle = {
      yearBE: 2565,
      title: { th: `การสำรวจ ${input.id}`, en: `Survey ${input.id}` },
      status: 'draft',
      opensAt: '2022-06-01T00:00:00+07:00',
      closesAt: '2022-08-31T23:59:59+07:00',
      questionnaireId: null,
      questionnaireVersion: null,
      agencyCount: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...input,
    };
    this.cycles.set(cycle.id, cycle);
    return cycle;
  }

  addResponse(cycleId: string, agencyId: string, input: Partial<ResponseDetail> = {}): ResponseDetail {
    const now = new Date().toISOString();
    const response: ResponseDetail = {
      id: randomUUID(),
      cycleId,
      agencyId,
      agencyCode: 'DEP-001',
      agencyName: 'กรมทดสอบ',
      group: 'department',
      status: 'not_started',
      version: 1,
      submissionCount: 0,
      deadline: '2022-08-31T23:59:59+07:00',
      updatedAt: now,
      submittedAt: null,
      setAside: null,
      questionnaireId: randomUUID(),
      questionnaireVersion: 1,
      answers: {},
      verdicts: [],
      returnComment: null,
      sentBack: null,
      ...input,
    };
    this.responses.set(keyOf(cycleId, agencyId), response);
    return response;
  }

  /** Records the call and throws a failure set with failNext. */
  private record(subject: RpcSubject, request: unknown, ctx: CallContext): void {
    this.calls.push({ subject, request, ctx });
    const failure = this.failures.get(subject);
    if (failure) {
      this.failures.delete(subject);
      throw failure;
    }
  }

  private requireRole(ctx: CallContext, ...roles: string[]): void {
    if (!ctx.actor.roles.some((r) => roles.includes(r))) throw new DomainError('FORBIDDEN');
  }

  private cycle(id: string): Cycle {
    const cycle = this.cycles.get(id);
    if (!cycle) throw new DomainError('CYCLE_NOT_FOUND');
    return cycle;
  }

  /** Like the intake service: coordinators and approvers see their own agency only, others get 404. */
  private response(cycleId: string, agencyId: string, ctx: CallContext): ResponseDetail {
    const response = this.responses.get(keyOf(cycleId, agencyId));
    const scoped = ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
    if (!response || (scoped && ctx.actor.agencyId !== agencyId)) throw new DomainError('RESPONSE_NOT_FOUND');
    return response;
  }

  private changeCycle(cycle: Cycle, version: number | undefined, changes: Partial<Cycle>): Cycle {
    if (version !== undefined && version !== cycle.version) {
      throw new DomainError('CYCLE_VERSION_CONFLICT', undefined, undefined, {
        currentVersion: cycle.version,
      });
    }
    const next = { ...cycle, ...changes, version: cycle.version + 1, updatedAt: new Date().toISOString() };
    this.cycles.set(cycle.id, next);
    return next;
  }

  /** Who made each response's current version (by response key), as intake reads its audit trail. */
  private readonly madeBy = new Map<string, string>();

  private changeResponse(
    response: ResponseDetail,
    version: number | undefined,
    changes: Partial<ResponseDetail>,
    by?: string,
  ): ResponseDetail {
    const key = keyOf(response.cycleId, response.agencyId);
    if (version !== undefined && version !== response.version) {
      // As intake: what a client needs to merge without reading again.
      throw new DomainError('RESPONSE_VERSION_CONFLICT', undefined, undefined, {
        currentVersion: response.version,
        responseStatus: response.status,
        answers: response.answers,
        updatedAt: response.updatedAt,
        updatedBy: this.madeBy.get(key) ?? null,
      });
    }
    if (by) this.madeBy.set(key, by);
    else this.madeBy.delete(key);
    const next = {
      ...response,
      ...changes,
      version: response.version + 1,
      updatedAt: new Date().toISOString(),
    };
    this.responses.set(keyOf(response.cycleId, response.agencyId), next);
    return next;
  }

  // ---- cycles ---------------------------------------------------------------------------------

  @MessagePattern(Rpc.CycleList)
  listCycles(
    @Payload() req: RpcRequestParsed<typeof Rpc.CycleList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.CycleList> {
    this.record(Rpc.CycleList, req, ctx);
    const items = [...this.cycles.values()];
    return {
      items: items.slice((req.page - 1) * req.pageSize, req.page * req.pageSize),
      total: items.length,
      page: req.page,
      pageSize: req.pageSize,
    };
  }

  @MessagePattern(Rpc.CycleCreate)
  createCycle(@Payload() req: RpcRequestParsed<typeof Rpc.CycleCreate>, @Ctx() ctx: CallContext): Cycle {
    this.record(Rpc.CycleCreate, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    const id = req.id ?? String(req.yearBE);
    if (this.cycles.has(id)) throw new DomainError('CYCLE_EXISTS', undefined, undefined, { cycleId: id });
    return this.addCycle({
      id,
      yearBE: req.yearBE,
      title: req.title,
      opensAt: req.opensAt,
      closesAt: req.closesAt,
    });
  }

  @MessagePattern(Rpc.CycleGet)
  getCycle(@Payload() req: RpcRequestParsed<typeof Rpc.CycleGet>, @Ctx() ctx: CallContext): Cycle {
    this.record(Rpc.CycleGet, req, ctx);
    return this.cycle(req.cycleId);
  }

  @MessagePattern(Rpc.CycleUpdate)
  updateCycle(@Payload() req: RpcRequestParsed<typeof Rpc.CycleUpdate>, @Ctx() ctx: CallContext): Cycle {
    this.record(Rpc.CycleUpdate, req, ctx);
    const { version, ...changes } = req.patch;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    return this.changeCycle(this.cycle(req.cycleId), version, defined as Partial<Cycle>);
  }

  @MessagePattern(Rpc.CycleOpen)
  openCycle(@Payload() req: RpcRequestParsed<typeof Rpc.CycleOpen>, @Ctx() ctx: CallContext): Cycle {
    this.record(Rpc.CycleOpen, req, ctx);
    const cycle = this.cycle(req.cycleId);
    if (cycle.status !== 'draft') throw new DomainError('CYCLE_ALREADY_OPEN');
    return this.changeCycle(cycle, undefined, { status: 'open' });
  }

  @MessagePattern(Rpc.CycleClose)
  closeCycle(@Payload() req: RpcRequestParsed<typeof Rpc.CycleClose>, @Ctx() ctx: CallContext): Cycle {
    this.record(Rpc.CycleClose, req, ctx);
    const cycle = this.cycle(req.cycleId);
    if (cycle.status !== 'open') throw new DomainError('CYCLE_NOT_OPEN');
    return this.changeCycle(cycle, undefined, { status: 'closed' });
  }

  @MessagePattern(Rpc.CycleProgress)
  progress(
    @Payload() req: RpcRequestParsed<typeof Rpc.CycleProgress>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.CycleProgress> {
    this.record(Rpc.CycleProgress, req, ctx);
    const cycle = this.cycle(req.cycleId);
    const responses = [...this.responses.values()].filter((r) => r.cycleId === req.cycleId);
    const submitted = responses.filter((r) => r.submissionCount > 0).length;
    const byStatus: Record<string, number> = {};
    for (const r of responses) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    return {
      cycleId: cycle.id,
      total: responses.length,
      byStatus,
      byGroup: {
        department: {
          total: responses.length,
          submitted,
          responseRate: responses.length ? submitted / responses.length : 0,
        },
      },
      submitted,
      responseRate: responses.length ? submitted / responses.length : 0,
      deadline: cycle.closesAt,
    };
  }

  // ---- questionnaires -------------------------------------------------------------------------

  @MessagePattern(Rpc.QuestionnaireCreate)
  createQuestionnaire(
    @Payload() req: RpcRequestParsed<typeof Rpc.QuestionnaireCreate>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.QuestionnaireCreate> {
    this.record(Rpc.QuestionnaireCreate, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    const def = req.definition as { id?: unknown; version?: unknown; title?: unknown; pillars?: unknown };
    const errors = [];
    if (typeof def.id !== 'string') errors.push({ path: 'id', code: 'REQUIRED', message: 'id is required' });
    if (!Array.isArray(def.pillars) || def.pillars.length === 0)
      errors.push({ path: 'pillars', code: 'TOO_SMALL', message: 'at least one pillar' });
    if (errors.length) throw new DomainError('QUESTIONNAIRE_INVALID', undefined, errors);
    const record: Questionnaire = {
      id: randomUUID(),
      key: def.id as string,
      version: typeof def.version === 'number' ? def.version : 1,
      title: (def.title as { th: string; en: string }) ?? { th: 'แบบสำรวจ', en: 'Questionnaire' },
      questionCount: (def.pillars as unknown[]).length,
      sample: false,
      createdAt: new Date().toISOString(),
      definition: req.definition,
    };
    this.questionnaires.set(record.id, record);
    const { definition: _d, ...summary } = record;
    return summary;
  }

  @MessagePattern(Rpc.QuestionnaireGet)
  getQuestionnaire(
    @Payload() req: RpcRequestParsed<typeof Rpc.QuestionnaireGet>,
    @Ctx() ctx: CallContext,
  ): Questionnaire {
    this.record(Rpc.QuestionnaireGet, req, ctx);
    const record = this.questionnaires.get(req.id);
    if (!record) throw new DomainError('QUESTIONNAIRE_NOT_FOUND');
    return record;
  }

  @MessagePattern(Rpc.QuestionnaireAttach)
  attachQuestionnaire(
    @Payload() req: RpcRequestParsed<typeof Rpc.QuestionnaireAttach>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.QuestionnaireAttach> {
    this.record(Rpc.QuestionnaireAttach, req, ctx);
    const cycle = this.cycle(req.cycleId);
    const questionnaire = this.questionnaires.get(req.questionnaireId);
    if (!questionnaire) throw new DomainError('QUESTIONNAIRE_NOT_FOUND');
    const next = this.changeCycle(cycle, req.version, {
      questionnaireId: questionnaire.id,
      questionnaireVersion: questionnaire.version,
    });
    return { ...next, carriedOver: 0, droppedAnswers: 0 };
  }

  // ---- responses ------------------------------------------------------------------------------

  @MessagePattern(Rpc.ResponseList)
  listResponses(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ResponseList> {
    this.record(Rpc.ResponseList, req, ctx);
    this.cycle(req.cycleId);
    const items = [...this.responses.values()]
      .filter((r) => r.cycleId === req.cycleId)
      .filter(
        (r) =>
          !req.status ||
          req.status.includes(r.status) ||
          (req.status.includes('not_submitted') && r.submissionCount === 0),
      )
      .filter((r) => !req.group || r.group === req.group)
      .filter((r) => !req.q || r.agencyCode.includes(req.q) || r.agencyName.includes(req.q))
      .map(
        ({
          questionnaireId: _q,
          questionnaireVersion: _v,
          answers: _a,
          verdicts: _vs,
          returnComment: _c,
          sentBack: _s,
          ...summary
        }) => summary,
      );
    return { items, total: items.length, page: req.page, pageSize: req.pageSize };
  }

  @MessagePattern(Rpc.ResponseGet)
  getResponse(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseGet>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseGet, req, ctx);
    return this.response(req.cycleId, req.agencyId, ctx);
  }

  @MessagePattern(Rpc.ResponseSave)
  save(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseSave>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ResponseSave> {
    this.record(Rpc.ResponseSave, req, ctx);
    this.requireRole(ctx, 'coordinator');
    const response = this.response(req.cycleId, req.agencyId, ctx);
    const answers = { ...response.answers };
    const rejected: RpcResponse<typeof Rpc.ResponseSave>['rejected'] = [];
    for (const [questionId, value] of Object.entries(req.patch.answers)) {
      // The stand-in's one rule: the answer 'INVALID' is refused, the others kept.
      if (value === 'INVALID') {
        rejected.push({
          questionId,
          questionText: { th: `คำถาม ${questionId}`, en: `Question ${questionId}` },
          path: questionId,
          code: 'NOT_AN_OPTION',
          message: '"INVALID" is not an option',
          messageTh: '"INVALID" ไม่ใช่ตัวเลือกของข้อนี้',
        });
      } else if (value === null) delete answers[questionId];
      else answers[questionId] = value;
    }
    const saved = this.changeResponse(response, req.patch.version, { answers, status: 'in_progress' }, ctx.actor.id);
    return { ...saved, rejected };
  }

  @MessagePattern(Rpc.ResponseCompleteness)
  completeness(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseCompleteness>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ResponseCompleteness> {
    this.record(Rpc.ResponseCompleteness, req, ctx);
    const response = this.response(req.cycleId, req.agencyId, ctx);
    const answered = 'P1.Q1' in response.answers;
    const missing = answered
      ? []
      : [
          {
            questionId: 'P1.Q1',
            questionText: { th: 'คำถาม P1.Q1', en: 'Question P1.Q1' },
            path: 'P1.Q1',
            code: 'REQUIRED',
            message: 'must be answered',
            messageTh: 'ต้องตอบข้อนี้',
            indicatorId: 'P1.I1',
          },
        ];
    return {
      cycleId: response.cycleId,
      agencyId: response.agencyId,
      status: response.status,
      version: response.version,
      complete: answered,
      required: 1,
      answered: answered ? 1 : 0,
      problemCount: missing.length,
      sections: [
        {
          pillarId: 'P1',
          number: 1,
          title: { th: 'มิติที่ 1', en: 'Pillar 1' },
          required: 1,
          answered: answered ? 1 : 0,
          missing,
        },
      ],
    };
  }

  @MessagePattern(Rpc.ResponseSubmit)
  submit(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseSubmit>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseSubmit, req, ctx);
    this.requireRole(ctx, 'coordinator');
    return this.changeResponse(this.response(req.cycleId, req.agencyId, ctx), req.version, {
      status: 'awaiting_approval',
    });
  }

  @MessagePattern(Rpc.ResponseApprove)
  approve(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseApprove>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseApprove, req, ctx);
    this.requireRole(ctx, 'approver');
    const response = this.response(req.cycleId, req.agencyId, ctx);
    if (req.decision === 'reject') {
      return this.changeResponse(response, req.version, {
        status: 'in_progress',
        sentBack: {
          by: 'approver',
          actorId: ctx.actor.id,
          comment: req.comment ?? '',
          at: new Date().toISOString(),
        },
      });
    }
    return this.changeResponse(response, req.version, {
      status: response.submissionCount > 0 ? 'resubmitted' : 'submitted',
      submissionCount: response.submissionCount + 1,
      submittedAt: new Date().toISOString(),
    });
  }

  @MessagePattern(Rpc.ResponseReturn)
  returnResponse(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseReturn>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseReturn, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator');
    const response = this.response(req.cycleId, req.agencyId, ctx);
    return this.changeResponse(response, req.version, {
      status: 'returned',
      returnComment: req.comment,
      sentBack: { by: 'verifier', actorId: ctx.actor.id, comment: req.comment, at: new Date().toISOString() },
      deadline: req.extendUntil ?? response.deadline,
    });
  }

  @MessagePattern(Rpc.ResponseVerify)
  verify(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseVerify>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseVerify, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator');
    const response = this.response(req.cycleId, req.agencyId, ctx);
    const at = new Date().toISOString();
    return this.changeResponse(response, req.input.version, {
      status: req.input.complete ? 'verified' : response.status,
      verdicts: req.input.verdicts.map((v) => ({
        questionId: v.questionId,
        verdict: v.verdict,
        comment: v.comment ?? null,
        by: ctx.actor.id,
        at,
      })),
    });
  }

  @MessagePattern(Rpc.ResponseExtend)
  extend(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseExtend>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseExtend, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator');
    const response = this.response(req.cycleId, req.agencyId, ctx);
    return this.changeResponse(response, undefined, { deadline: req.until });
  }

  @MessagePattern(Rpc.ResponseSetAside)
  setAside(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseSetAside>,
    @Ctx() ctx: CallContext,
  ): ResponseDetail {
    this.record(Rpc.ResponseSetAside, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator');
    const response = this.response(req.cycleId, req.agencyId, ctx);
    if (response.status === 'verified')
      throw new DomainError('RESPONSE_LOCKED', undefined, undefined, { status: 'verified' });
    return this.changeResponse(response, req.version, {
      setAside: { at: new Date().toISOString(), by: ctx.actor.id, reason: req.reason },
    });
  }

  /** Like intake: submitted or resubmitted responses not set aside hold publication back. */
  @MessagePattern(Rpc.CycleReadiness)
  readiness(
    @Payload() req: RpcRequestParsed<typeof Rpc.CycleReadiness>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.CycleReadiness> {
    this.record(Rpc.CycleReadiness, req, ctx);
    this.requireRole(ctx, 'system', 'dga_admin', 'operator');
    const cycle = this.cycle(req.cycleId);
    const responses = [...this.responses.values()].filter((r) => r.cycleId === req.cycleId);
    const items = responses
      .filter((r) => ['submitted', 'resubmitted'].includes(r.status) && !r.setAside)
      .map((r) => ({
        agencyId: r.agencyId,
        agencyCode: r.agencyCode,
        agencyName: r.agencyName,
        status: r.status,
        reason: 'AWAITING_VERIFICATION' as const,
        deadline: r.deadline,
      }));
    const closed = cycle.status === 'closed' || cycle.status === 'archived';
    return {
      cycleId: cycle.id,
      cycleStatus: cycle.status,
      closed,
      ready: closed && !items.length,
      blocking: {
        total: items.length,
        byReason: items.length ? { AWAITING_VERIFICATION: items.length } : {},
        items,
      },
      setAside: responses.filter((r) => r.setAside).length,
    };
  }

  @MessagePattern(Rpc.ResponseAudit)
  audit(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseAudit>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ResponseAudit> {
    this.record(Rpc.ResponseAudit, req, ctx);
    const response = this.response(req.cycleId, req.agencyId, ctx);
    return {
      items: [
        {
          at: response.updatedAt,
          actorId: ctx.actor.id, // the caller, so a test can check the name the gateway adds
          action: 'save',
          fromStatus: 'not_started',
          toStatus: response.status,
          version: response.version,
          changes: { answers: Object.keys(response.answers) },
        },
      ],
    };
  }

  @MessagePattern(Rpc.ResponseExport)
  async exportResponses(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResponseExport>,
    @Ctx() ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.ResponseExport>> {
    this.record(Rpc.ResponseExport, req, ctx);
    this.cycle(req.cycleId);
    const file = await this.files.put(
      {
        objectName: `export/${randomUUID()}.${req.format}`,
        fileName: `คำตอบ-${req.cycleId}.${req.format}`,
        contentType:
          req.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      Buffer.from(RESPONSES_CSV, 'utf8'),
    );
    // As intake does: personal data (PDPA) for a DGA admin only.
    const personalData = {
      included: ctx.actor.roles.includes('dga_admin'),
      questions: ['g_coordinator_email'],
    };
    this.lastExport = { ...file, personalData };
    return this.lastExport;
  }

  // ---- evidence -------------------------------------------------------------------------------

  @MessagePattern(Rpc.EvidenceUpload)
  async uploadEvidence(
    @Payload() req: RpcRequestParsed<typeof Rpc.EvidenceUpload>,
    @Ctx() ctx: CallContext,
  ): Promise<Evidence> {
    this.record(Rpc.EvidenceUpload, req, ctx);
    this.requireRole(ctx, 'coordinator');
    this.response(req.cycleId, req.agencyId, ctx);
    const bytes = await this.files.get(req.file.objectName);
    this.lastUpload = { request: req, bytes };
    if (!bytes)
      throw new DomainError('VALIDATION_FAILED', 'the uploaded file is gone from the transfer area');
    const record: Evidence = {
      id: randomUUID(),
      cycleId: req.cycleId,
      agencyId: req.agencyId,
      questionId: req.questionId,
      fileName: req.file.fileName,
      contentType: this.detectedType,
      size: bytes.byteLength,
      sha256: 'f'.repeat(64),
      uploadedBy: ctx.actor.id,
      uploadedAt: new Date().toISOString(),
    };
    this.evidence.set(record.id, { record, bytes });
    return record;
  }

  @MessagePattern(Rpc.EvidenceList)
  listEvidence(
    @Payload() req: RpcRequestParsed<typeof Rpc.EvidenceList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.EvidenceList> {
    this.record(Rpc.EvidenceList, req, ctx);
    this.response(req.cycleId, req.agencyId, ctx);
    const items = [...this.evidence.values()]
      .map((e) => e.record)
      .filter((e) => e.cycleId === req.cycleId && e.agencyId === req.agencyId);
    return {
      items,
      usedBytes: items.reduce((n, e) => n + e.size, 0),
      quotaBytes: 500 * 1048576,
      maxFileBytes: 20 * 1048576,
    };
  }

  @MessagePattern(Rpc.EvidenceDelete)
  deleteEvidence(
    @Payload() req: RpcRequestParsed<typeof Rpc.EvidenceDelete>,
    @Ctx() ctx: CallContext,
  ): Evidence {
    this.record(Rpc.EvidenceDelete, req, ctx);
    const stored = this.evidence.get(req.id);
    if (!stored || ctx.actor.agencyId !== stored.record.agencyId) throw new DomainError('EVIDENCE_NOT_FOUND');
    this.requireRole(ctx, 'coordinator');
    this.evidence.delete(req.id);
    return stored.record;
  }

  @MessagePattern(Rpc.EvidenceGet)
  async getEvidence(
    @Payload() req: RpcRequestParsed<typeof Rpc.EvidenceGet>,
    @Ctx() ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.EvidenceGet>> {
    this.record(Rpc.EvidenceGet, req, ctx);
    const stored = this.evidence.get(req.id);
    const scoped = ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
    if (!stored || (scoped && ctx.actor.agencyId !== stored.record.agencyId))
      throw new DomainError('EVIDENCE_NOT_FOUND');
    const file = await this.files.put(
      {
        objectName: `evidence/${randomUUID()}`,
        fileName: stored.record.fileName,
        contentType: stored.record.contentType,
      },
      stored.bytes,
    );
    this.lastEvidenceDownload = { ...file, evidence: stored.record };
    return this.lastEvidenceDownload;
  }
}

/** Starts the stand-in as its own Nest application with its own NATS connection (service "intake"). */
export async function startStandInIntake(
  natsUrl: string,
  prefix: string,
): Promise<{ app: INestApplicationContext; intake: StandInIntake }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'intake',
        logLevel: 'silent',
        nats: { url: natsUrl, prefix, actorKeys: { verifyKey: TEST_ACTOR_KEYS.verifyKey } },
        outbox: false,
      }),
    ],
    controllers: [StandInIntake],
  }).compile();
  const app = await startService(moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }));
  return { app, intake: app.get(StandInIntake) };
}
