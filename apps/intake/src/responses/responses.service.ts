import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type AgencyGroup, DomainError, Events, FieldError, ResponseDetail, ResponseStatus, Rpc, RpcRequestParsed, type Submission } from '@dg/contracts';
import { addToOutbox, CallContext, OutboxRelay, requireRole } from '@dg/platform';
import { AnswerProblem, Answers, pruneHidden, questionIndex, validateAnswers } from '@dg/survey-model';
import { requireAgency, requireAgencyRole } from '../access';
import { auditResponses } from '../audit';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { CycleEntity, EvidenceEntity, ResponseAuditEntity, ResponseEntity, ResponseVersionEntity, VerdictRecord } from '../entities';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { thaiDateTime } from '../thai-date';

const EDITABLE: ResponseStatus[] = ['not_started', 'in_progress', 'returned'];
const SUBMITTED: ResponseStatus[] = ['submitted', 'resubmitted'];
type Key = { cycleId: string; agencyId: string };

interface SubmissionRow {
  response_id: string;
  submission: number;
  response_version: number;
  questionnaire_id: string;
  answers: Answers;
  submitted_at: Date;
  cycle_id: string;
  agency_id: string;
  agency_code: string;
  agency_name: string;
  agency_group: AgencyGroup;
  questionnaire_version: number;
}

function answerErrors(problems: AnswerProblem[]): FieldError[] {
  return problems.map((p) => ({ path: p.path, code: p.code, message: p.message, messageTh: p.messageTh }));
}

export function toDetail(r: ResponseEntity, cycle: CycleEntity, questionnaireVersion: number): ResponseDetail {
  return {
    id: r.id,
    cycleId: r.cycleId,
    agencyId: r.agencyId,
    agencyCode: r.agencyCode,
    agencyName: r.agencyName,
    group: r.group,
    status: r.status,
    version: r.version,
    submissionCount: r.submissionCount,
    deadline: deadlineOf(r, cycle).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    submittedAt: r.submittedAt ? new Date(r.submittedAt).toISOString() : null,
    questionnaireId: r.questionnaireId,
    questionnaireVersion,
    answers: r.answers,
    verdicts: r.verdicts,
    returnComment: r.returnComment,
  };
}

/**
 * An agency's deadline: the cycle's closing time, or its own extension when that is later. An
 * extension never shortens it, also when the cycle's deadline is moved past it afterwards (the
 * reminders in notifications count from the same later date).
 */
export function deadlineOf(r: ResponseEntity, cycle: CycleEntity): Date {
  const closes = new Date(cycle.closesAt);
  return r.extendedUntil && new Date(r.extendedUntil) > closes ? new Date(r.extendedUntil) : closes;
}

interface Change {
  set: Partial<ResponseEntity>;
  action: string;
  changes?: unknown;
  after?: (m: EntityManager, saved: ResponseEntity) => Promise<void>;
}

/**
 * One agency's response to a cycle, through its states: not started -> in progress -> awaiting
 * approval -> submitted -> returned -> (awaiting approval) -> resubmitted -> verified. Every change
 * takes the version the client read (a stale one is a 409 with the current version), is checked
 * against the deadline on the server, and is written to the audit trail in the same transaction.
 */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly ds: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly relay: OutboxRelay,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async list(query: RpcRequestParsed<typeof Rpc.ResponseList>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const qb = this.ds.manager.createQueryBuilder(ResponseEntity, 'r').where('r.cycle_id = :cycleId', { cycleId: query.cycleId });
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.group) qb.andWhere('r.agency_group = :group', { group: query.group });
    if (query.q) qb.andWhere(`(r.agency_code || ' ' || r.agency_name) ILIKE :q`, { q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    const cycle = await this.cycle(query.cycleId);
    const [rows, total] = await qb
      .select(['r.id', 'r.cycleId', 'r.agencyId', 'r.agencyCode', 'r.agencyName', 'r.group', 'r.status', 'r.version', 'r.submissionCount', 'r.extendedUntil', 'r.updatedAt', 'r.submittedAt'])
      .orderBy('r.agency_code')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    const items = rows.map((r) => {
      const { questionnaireId: _q, questionnaireVersion: _v, answers: _a, verdicts: _d, returnComment: _c, ...summary } = toDetail(
        { ...r, answers: {}, verdicts: [] } as ResponseEntity,
        cycle,
        0,
      );
      return summary;
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async get(key: Key, ctx: CallContext): Promise<ResponseDetail> {
    requireAgency(ctx.actor, key.agencyId);
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const r = await this.ds.manager.findOne(ResponseEntity, { where: key });
    if (!r) throw new DomainError('RESPONSE_NOT_FOUND');
    return this.detail(r);
  }

  /** Autosave: merges part of the answers; `null` clears one. Answers are checked against the questionnaire. */
  async save(key: Key, patch: { version: number; answers: Record<string, unknown> }, ctx: CallContext) {
    requireAgencyRole(ctx.actor, key.agencyId, 'coordinator');
    return this.change(key, patch.version, ctx, async (r, cycle, m) => {
      this.requireStatus(r, EDITABLE);
      this.requireBeforeDeadline(r, cycle);
      const merged: Answers = { ...r.answers };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const [id, value] of Object.entries(patch.answers)) {
        const before = r.answers[id] ?? null;
        if (JSON.stringify(before) === JSON.stringify(value ?? null)) continue;
        changes[id] = { before, after: value ?? null };
        if (value === null || value === undefined) delete merged[id];
        else merged[id] = value as Answers[string];
      }
      const q = await this.questionnaires.definition(r.questionnaireId, m);
      // The agency's evidence ids are read only when the patch attaches files (most saves do not).
      const index = questionIndex(q);
      const attaches = Object.keys(patch.answers).some((id) => index.get(id)?.question.type === 'evidence');
      const problems = validateAnswers(q, { ...merged, ...nulls(patch.answers) }, {
        mode: 'partial',
        evidenceIds: attaches ? await this.evidenceIds(m, key) : undefined,
      }).filter((p) => p.questionId in patch.answers);
      if (problems.length) throw new DomainError('ANSWERS_INVALID', undefined, answerErrors(problems));
      return {
        set: { answers: merged, status: r.status === 'not_started' ? 'in_progress' : r.status },
        action: 'answers.save',
        changes,
      };
    });
  }

  /** The coordinator sends the complete response to the agency's approver. */
  async submit(key: Key, version: number, ctx: CallContext) {
    requireAgencyRole(ctx.actor, key.agencyId, 'coordinator');
    return this.change(key, version, ctx, async (r, cycle, m) => {
      this.requireStatus(r, EDITABLE);
      this.requireBeforeDeadline(r, cycle);
      const q = await this.questionnaires.definition(r.questionnaireId, m);
      const answers = pruneHidden(q, r.answers);
      const problems = validateAnswers(q, answers, { mode: 'complete', evidenceIds: await this.evidenceIds(m, key) });
      if (problems.length) throw new DomainError('ANSWERS_INVALID', undefined, answerErrors(problems), { problemCount: problems.length });
      return { set: { answers, status: 'awaiting_approval' }, action: 'submit.for-approval' };
    });
  }

  private async verdictsStillValid(m: EntityManager, r: ResponseEntity): Promise<VerdictRecord[]> {
    const previous = await m.findOne(ResponseVersionEntity, { where: { responseId: r.id, submission: r.submissionCount } });
    const before = (previous?.answers ?? {}) as Record<string, unknown>;
    return r.verdicts.filter((v) => JSON.stringify(before[v.questionId] ?? null) === JSON.stringify(r.answers[v.questionId] ?? null));
  }

  /** The agency's approver (head or CIO) approves: the response is submitted and frozen as a version. */
  async approve(key: Key, req: { version: number; decision: 'approve' | 'reject'; comment?: string | null }, ctx: CallContext) {
    requireAgencyRole(ctx.actor, key.agencyId, 'approver');
    return this.change(key, req.version, ctx, async (r, cycle, m) => {
      this.requireStatus(r, ['awaiting_approval']);
      this.requireBeforeDeadline(r, cycle);
      if (req.decision === 'reject') {
        return {
          set: { status: r.submissionCount > 0 ? 'returned' : 'in_progress' },
          action: 'approval.rejected',
          changes: { comment: req.comment ?? null },
        };
      }
      const submission = r.submissionCount + 1;
      const submittedAt = new Date();
      // A verdict judged an answer; once the agency changes that answer, the verdict no longer holds.
      const verdicts = submission > 1 ? await this.verdictsStillValid(m, r) : r.verdicts;
      return {
        set: { status: submission > 1 ? 'resubmitted' : 'submitted', submissionCount: submission, submittedAt, verdicts },
        action: 'approval.approved',
        changes: { submission },
        after: async (m, saved) => {
          const submitter = (await m.findOne(ResponseAuditEntity, {
            where: { responseId: r.id, action: 'submit.for-approval' },
            order: { id: 'DESC' },
          }))?.actorId;
          await m.insert(ResponseVersionEntity, {
            responseId: r.id,
            submission,
            responseVersion: saved.version,
            questionnaireId: r.questionnaireId,
            answers: r.answers as object,
            submittedBy: submitter ?? ctx.actor.id,
            approvedBy: ctx.actor.id,
            submittedAt,
          });
          const q = await this.questionnaires.find(r.questionnaireId, m);
          await addToOutbox(
            m,
            Events.ResponseSubmitted,
            {
              cycleId: r.cycleId,
              responseId: r.id,
              agencyId: r.agencyId,
              agencyCode: r.agencyCode,
              group: r.group,
              submission,
              responseVersion: saved.version,
              questionnaireId: q.id,
              questionnaireVersion: q.version,
              submittedAt: submittedAt.toISOString(),
            },
            ctx,
          );
        },
      };
    });
  }

  /** An operator returns a submitted response for correction, with a new deadline for the agency. */
  async return(key: Key, req: { version: number; comment: string; extendUntil?: string | null }, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    return this.change(key, req.version, ctx, (r, cycle) => {
      this.requireStatus(r, SUBMITTED);
      const asked = req.extendUntil ? new Date(req.extendUntil) : new Date(Date.now() + this.config.CORRECTION_DAYS * 86_400_000);
      // A return never shortens the time the agency already had.
      const until = new Date(Math.max(asked.getTime(), deadlineOf(r, cycle).getTime()));
      const rejected = r.verdicts.filter((v) => v.verdict === 'rejected').map((v) => v.questionId);
      return {
        set: { status: 'returned', returnComment: req.comment, extendedUntil: until },
        action: 'return',
        changes: { comment: req.comment, rejectedQuestions: rejected, deadline: until.toISOString() },
        after: async (m, saved) => {
          await addToOutbox(
            m,
            Events.ResponseReturned,
            {
              cycleId: r.cycleId,
              responseId: r.id,
              agencyId: r.agencyId,
              agencyCode: r.agencyCode,
              comment: req.comment,
              rejectedQuestions: rejected,
              deadline: until.toISOString(),
              responseVersion: saved.version,
            },
            ctx,
          );
        },
      };
    });
  }

  /**
   * Verdicts per question; `complete` finishes verification. Rejected answers stay rejected and
   * earn no points in scoring (the verified event carries every verdict); an operator who wants the
   * agency to correct them returns the response instead.
   */
  async verify(key: Key, input: RpcRequestParsed<typeof Rpc.ResponseVerify>['input'], ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    return this.change(key, input.version, ctx, (r) => {
      this.requireStatus(r, SUBMITTED);
      const known = new Set(Object.keys(r.answers));
      const unknown = input.verdicts.filter((v) => !known.has(v.questionId));
      if (unknown.length) {
        throw new DomainError(
          'VALIDATION_FAILED',
          undefined,
          unknown.map((v) => ({ path: v.questionId, code: 'NOT_ANSWERED', message: 'no answer to verify', messageTh: 'ข้อนี้ไม่มีคำตอบให้ตรวจ' })),
        );
      }
      const at = new Date().toISOString();
      const byQuestion = new Map(r.verdicts.map((v) => [v.questionId, v]));
      for (const v of input.verdicts) {
        byQuestion.set(v.questionId, { questionId: v.questionId, verdict: v.verdict, comment: v.comment ?? null, by: ctx.actor.id, at });
      }
      const verdicts: VerdictRecord[] = [...byQuestion.values()];
      if (!input.complete) return { set: { verdicts }, action: 'verify.verdicts', changes: { verdicts: input.verdicts } };
      return {
        set: { verdicts, status: 'verified' },
        action: 'verify.complete',
        changes: { verdicts: input.verdicts },
        after: async (m, saved) => {
          const questionnaire = await this.questionnaires.find(r.questionnaireId, m);
          await addToOutbox(
            m,
            Events.ResponseVerified,
            {
              cycleId: r.cycleId,
              responseId: r.id,
              agencyId: r.agencyId,
              agencyCode: r.agencyCode,
              submission: r.submissionCount,
              responseVersion: saved.version,
              questionnaireId: questionnaire.id,
              questionnaireVersion: questionnaire.version,
              verdicts: verdicts.map((v) => ({ questionId: v.questionId, verdict: v.verdict })),
            },
            ctx,
          );
        },
      };
    });
  }

  /**
   * An operator extends one agency's deadline (the reason is kept in the audit trail), and
   * `intake.response.extended` tells notifications, whose reminders then count from it. The
   * event carries the response's new version, so a consumer applies extensions in order.
   */
  async extend(key: Key, until: string, reason: string, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    // No client version: an extension does not touch the answers, so a save in between is fine.
    return this.change(key, null, ctx, (current, cycle) => {
      if (current.status === 'verified') throw new DomainError('RESPONSE_LOCKED');
      const deadline = new Date(until);
      // An extension that ends before the cycle does would change nothing (deadlineOf takes the
      // later date): say so rather than record it.
      if (deadline.getTime() <= new Date(cycle.closesAt).getTime())
        throw new DomainError(
          'VALIDATION_FAILED',
          `วันขยายเวลาต้องหลังกำหนดปิดรอบ ${thaiDateTime(new Date(cycle.closesAt))} (an extension must end after the cycle closes, ${new Date(cycle.closesAt).toISOString()})`,
        );
      return {
        set: { extendedUntil: deadline },
        action: 'deadline.extended',
        changes: { until, reason },
        after: async (m, saved) => {
          await addToOutbox(
            m,
            Events.ResponseExtended,
            {
              cycleId: current.cycleId,
              responseId: current.id,
              agencyId: current.agencyId,
              agencyCode: current.agencyCode,
              deadline: deadline.toISOString(),
              reason,
              responseVersion: saved.version,
            },
            ctx,
          );
        },
      };
    });
  }

  async audit(key: Key, ctx: CallContext) {
    requireAgency(ctx.actor, key.agencyId);
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const r = await this.ds.manager.findOne(ResponseEntity, { where: key, select: { id: true } });
    if (!r) throw new DomainError('RESPONSE_NOT_FOUND');
    const rows = await this.ds.manager.find(ResponseAuditEntity, { where: { responseId: r.id }, order: { id: 'ASC' } });
    return {
      items: rows.map((a) => ({
        at: new Date(a.at).toISOString(),
        actorId: a.actorId,
        action: a.action,
        fromStatus: a.fromStatus,
        toStatus: a.toStatus,
        version: a.version,
        changes: a.changes,
      })),
    };
  }

  /**
   * One submitted version exactly as it was approved (`response_versions`, never changed), with the
   * agency and cycle of its response and the version of the questionnaire it was answered against.
   * For scoring (the system actor) and operators; agencies read their response through `get`.
   */
  async submission(responseId: string, submission: number, ctx: CallContext): Promise<Submission> {
    requireRole(ctx.actor, 'system', 'dga_admin', 'operator');
    const [row] = (await this.ds.query(
      `SELECT v.response_id, v.submission, v.response_version, v.questionnaire_id, v.answers, v.submitted_at,
              r.cycle_id, r.agency_id, r.agency_code, r.agency_name, r.agency_group,
              q.version AS questionnaire_version
         FROM response_versions v
         JOIN responses r ON r.id = v.response_id
         JOIN questionnaires q ON q.id = v.questionnaire_id
        WHERE v.response_id = $1 AND v.submission = $2`,
      [responseId, submission],
    )) as SubmissionRow[];
    if (!row) throw new DomainError('SUBMISSION_NOT_FOUND');
    return {
      responseId: row.response_id,
      cycleId: row.cycle_id,
      agencyId: row.agency_id,
      agencyCode: row.agency_code,
      agencyName: row.agency_name,
      group: row.agency_group,
      submission: row.submission,
      responseVersion: row.response_version,
      questionnaireId: row.questionnaire_id,
      questionnaireVersion: row.questionnaire_version,
      answers: row.answers,
      submittedAt: new Date(row.submitted_at).toISOString(),
    };
  }

  // --- the one way a response changes ---

  private async change(
    key: Key,
    version: number | null,
    ctx: CallContext,
    decide: (r: ResponseEntity, cycle: CycleEntity, m: EntityManager) => Promise<Change> | Change,
  ): Promise<ResponseDetail> {
    const { saved, cycle, emitted } = await this.ds.transaction(async (m) => {
      const r = await m
        .createQueryBuilder(ResponseEntity, 'r')
        .where('r.cycle_id = :cycleId AND r.agency_id = :agencyId', key)
        .setLock('pessimistic_write')
        .getOne();
      if (!r) throw new DomainError('RESPONSE_NOT_FOUND');
      if (version !== null && r.version !== version) {
        throw new DomainError('RESPONSE_VERSION_CONFLICT', undefined, undefined, { currentVersion: r.version });
      }
      const cycle = await m.findOneOrFail(CycleEntity, { where: { id: r.cycleId } });
      const change = await decide(r, cycle, m);
      const next: ResponseEntity = { ...r, ...change.set, version: r.version + 1, updatedAt: new Date() };
      await m.update(ResponseEntity, r.id, {
        ...change.set,
        answers: next.answers as object,
        verdicts: next.verdicts as object[],
        version: next.version,
        updatedAt: next.updatedAt,
      } as object);
      await auditResponses(m, ctx, [
        { responseId: r.id, action: change.action, fromStatus: r.status, toStatus: next.status, version: next.version, changes: change.changes },
      ]);
      await change.after?.(m, next);
      return { saved: next, cycle, emitted: !!change.after };
    });
    if (emitted) this.relay.kick();
    return this.detail(saved, cycle);
  }

  private requireStatus(r: ResponseEntity, allowed: ResponseStatus[]): void {
    if (!allowed.includes(r.status)) {
      throw new DomainError('RESPONSE_LOCKED', `สถานะปัจจุบัน ${r.status} (current status ${r.status})`, undefined, { status: r.status });
    }
  }

  /**
   * Answering happens while the cycle is open and before the agency's deadline. A returned response
   * may be corrected until the date the operator gave, even after the cycle closed.
   */
  private requireBeforeDeadline(r: ResponseEntity, cycle: CycleEntity): void {
    const now = Date.now();
    const deadline = deadlineOf(r, cycle);
    const inWindow = now <= deadline.getTime();
    const cycleAllows = cycle.status === 'open' || (cycle.status === 'closed' && r.extendedUntil !== null);
    if (now < new Date(cycle.opensAt).getTime() && cycle.status === 'open') {
      throw new DomainError('CYCLE_STATE', 'ยังไม่ถึงวันเปิดรับคำตอบ (the cycle has not opened yet)');
    }
    if (!inWindow || !cycleAllows) {
      throw new DomainError(
        'DEADLINE_PASSED',
        `พ้นกำหนดส่ง ${thaiDateTime(deadline)} แล้ว ติดต่อผู้ดูแลการสำรวจเพื่อขอขยายเวลา (deadline ${deadline.toISOString()} passed; ask the operator for an extension)`,
        undefined,
        { deadline: deadline.toISOString() },
      );
    }
  }

  private async evidenceIds(m: EntityManager, key: Key): Promise<Set<string>> {
    const rows = await m.find(EvidenceEntity, { where: key, select: { id: true } });
    return new Set(rows.map((e) => e.id));
  }

  private async cycle(id: string): Promise<CycleEntity> {
    const c = await this.ds.manager.findOne(CycleEntity, { where: { id } });
    if (!c) throw new DomainError('CYCLE_NOT_FOUND');
    return c;
  }

  private async detail(r: ResponseEntity, cycle?: CycleEntity): Promise<ResponseDetail> {
    const c = cycle ?? (await this.cycle(r.cycleId));
    const q = await this.questionnaires.find(r.questionnaireId);
    return toDetail(r, c, q.version);
  }
}

/** Cleared answers stay in view for validation so "clear a hidden answer" is never refused. */
function nulls(patch: Record<string, unknown>): Answers {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v === null || v === undefined).map(([k]) => [k, null]));
}
