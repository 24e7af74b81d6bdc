import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  type AgencyGroup,
  type AnswerIssue,
  type Completeness,
  type SaveResult,
  statusTh,
  DomainError,
  Events,
  FieldError,
  type PublicationBlock,
  ResponseDetail,
  ResponseStatus,
  Rpc,
  RpcRequestParsed,
  type Submission,
} from '@dg/contracts';
import { addToOutbox, CallContext, OutboxRelay, requireRole } from '@dg/platform';
import {
  AnswerProblem,
  Answers,
  completeness,
  pruneHidden,
  questionIndex,
  type Questionnaire,
  splitPatch,
  validateAnswers,
} from '@dg/survey-model';
import { requireAgency, requireAgencyRole } from '../access';
import { auditResponses, type ResponseAuditRecord } from '../audit';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import {
  CycleEntity,
  EvidenceEntity,
  ResponseAuditEntity,
  ResponseEntity,
  ResponseVersionEntity,
  VerdictRecord,
} from '../entities';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { parseBangkok, thaiDateTime } from '../thai-date';
import { filterResponses } from './filter';

/** Statuses in which the agency may change its answers and evidence. */
export const EDITABLE: readonly ResponseStatus[] = ['not_started', 'in_progress', 'returned'];
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

/** A deadline an operator gave that cannot stand: 400 naming the field, Thai first. */
function deadlineRefused(path: string, code: string, messageTh: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${messageTh} (${message})`, [
    { path, code, message, messageTh },
  ]);
}

/** A deadline already past would lock the agency out at once: refused, never replaced. */
function requireFuture(path: string, deadline: Date): void {
  if (deadline.getTime() <= Date.now())
    throw deadlineRefused(
      path,
      'DEADLINE_IN_PAST',
      `กำหนดส่ง ${thaiDateTime(deadline)} ผ่านไปแล้ว กรุณาระบุวันในอนาคต`,
      `the deadline ${deadline.toISOString()} has already passed; give a date in the future`,
    );
}

function answerErrors(problems: AnswerProblem[]): FieldError[] {
  return problems.map((p) => ({ path: p.path, code: p.code, message: p.message, messageTh: p.messageTh }));
}

/** Problems with the text of their question, so a person reads which question, not only its id. */
function answerIssues(q: Questionnaire, problems: AnswerProblem[]): AnswerIssue[] {
  const index = questionIndex(q);
  return problems.map((p) => ({
    questionId: p.questionId,
    questionText: index.get(p.questionId)?.question.text ?? { th: p.questionId, en: p.questionId },
    path: p.path,
    code: p.code,
    message: p.message,
    messageTh: p.messageTh,
  }));
}

export function toDetail(
  r: ResponseEntity,
  cycle: CycleEntity,
  questionnaireVersion: number,
): ResponseDetail {
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
    setAside: r.setAsideAt
      ? { at: new Date(r.setAsideAt).toISOString(), by: r.setAsideBy ?? '', reason: r.setAsideReason ?? '' }
      : null,
    questionnaireId: r.questionnaireId,
    questionnaireVersion,
    answers: r.answers,
    verdicts: r.verdicts,
    returnComment: r.returnComment,
    sentBack: r.sentBack ?? null,
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
    const qb = this.ds.manager
      .createQueryBuilder(ResponseEntity, 'r')
      .where('r.cycle_id = :cycleId', { cycleId: query.cycleId });
    filterResponses(qb, query);
    if (query.q)
      qb.andWhere(`(r.agency_code || ' ' || r.agency_name) ILIKE :q`, {
        q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    const cycle = await this.cycle(query.cycleId);
    const [rows, total] = await qb
      .select([
        'r.id',
        'r.cycleId',
        'r.agencyId',
        'r.agencyCode',
        'r.agencyName',
        'r.group',
        'r.status',
        'r.version',
        'r.submissionCount',
        'r.extendedUntil',
        'r.updatedAt',
        'r.submittedAt',
        'r.setAsideAt',
        'r.setAsideBy',
        'r.setAsideReason',
      ])
      .orderBy('r.agency_code')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    const items = rows.map((r) => {
      const {
        questionnaireId: _q,
        questionnaireVersion: _v,
        answers: _a,
        verdicts: _d,
        returnComment: _c,
        sentBack: _s,
        ...summary
      } = toDetail({ ...r, answers: {}, verdicts: [] } as ResponseEntity, cycle, 0);
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

  /**
   * Autosave: merges the valid answers of a patch (`null` clears one) and names the others in
   * `rejected`, so one bad option does not lose the rest. A patch whose every answer is refused
   * changes nothing and is 422 ANSWERS_INVALID.
   */
  async save(
    key: Key,
    patch: { version: number; answers: Record<string, unknown> },
    ctx: CallContext,
  ): Promise<SaveResult> {
    requireAgencyRole(ctx.actor, key.agencyId, 'coordinator');
    let rejected: AnswerIssue[] = [];
    const saved = await this.change(key, patch.version, ctx, async (r, cycle, m) => {
      this.requireStatus(r, EDITABLE);
      this.requireBeforeDeadline(r, cycle);
      const q = await this.questionnaires.definition(r.questionnaireId, m);
      // The agency's evidence ids are read only when the patch attaches files (most saves do not).
      const index = questionIndex(q);
      const attaches = Object.keys(patch.answers).some((id) => index.get(id)?.question.type === 'evidence');
      const split = splitPatch(q, r.answers, patch.answers, {
        evidenceIds: attaches ? await this.evidenceIds(m, key) : undefined,
      });
      rejected = answerIssues(q, split.rejected);
      if (rejected.length && !Object.keys(split.accepted).length) {
        throw new DomainError(
          'ANSWERS_INVALID',
          `คำตอบที่ส่งมาไม่ถูกต้องทุกข้อ จึงไม่มีการบันทึก (every answer sent is invalid; nothing was saved)`,
          answerErrors(rejected),
        );
      }
      const merged: Answers = { ...r.answers };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const [id, value] of Object.entries(split.accepted)) {
        const before = r.answers[id] ?? null;
        if (JSON.stringify(before) === JSON.stringify(value ?? null)) continue;
        changes[id] = { before, after: value ?? null };
        if (value === null || value === undefined) delete merged[id];
        else merged[id] = value as Answers[string];
      }
      return {
        set: { answers: merged, status: r.status === 'not_started' ? 'in_progress' : r.status },
        action: 'answers.save',
        changes: rejected.length
          ? { ...changes, rejected: rejected.map((x) => ({ questionId: x.questionId, code: x.code })) }
          : changes,
      };
    });
    return { ...saved, rejected };
  }

  /**
   * What still stops the response from being submitted, per section: the checks of `submit`
   * (required questions shown for the current answers, list rows, evidence still uploaded).
   */
  async completeness(key: Key, ctx: CallContext): Promise<Completeness> {
    requireAgency(ctx.actor, key.agencyId);
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const r = await this.ds.manager.findOne(ResponseEntity, { where: key });
    if (!r) throw new DomainError('RESPONSE_NOT_FOUND');
    const q = await this.questionnaires.definition(r.questionnaireId);
    const c = completeness(q, r.answers, { evidenceIds: await this.evidenceIds(this.ds.manager, key) });
    return {
      cycleId: r.cycleId,
      agencyId: r.agencyId,
      status: r.status,
      version: r.version,
      complete: c.complete,
      required: c.required,
      answered: c.answered,
      problemCount: c.problemCount,
      sections: c.sections.map((s) => ({
        ...s,
        missing: s.missing.map((p) => ({ ...answerIssues(q, [p])[0], indicatorId: p.indicatorId })),
      })),
    };
  }

  /** The coordinator sends the complete response to the agency's approver. */
  async submit(key: Key, version: number, ctx: CallContext) {
    requireAgencyRole(ctx.actor, key.agencyId, 'coordinator');
    return this.change(key, version, ctx, async (r, cycle, m) => {
      this.requireStatus(r, EDITABLE);
      this.requireBeforeDeadline(r, cycle);
      const q = await this.questionnaires.definition(r.questionnaireId, m);
      const answers = pruneHidden(q, r.answers);
      const problems = validateAnswers(q, answers, {
        mode: 'complete',
        evidenceIds: await this.evidenceIds(m, key),
      });
      if (problems.length)
        throw new DomainError(
          'ANSWERS_INVALID',
          `ยังส่งไม่ได้: มี ${problems.length} ข้อที่ยังไม่ได้ตอบหรือไม่ถูกต้อง ดูรายการได้ที่ความครบถ้วนของแบบสำรวจ (not submitted: ${problems.length} answers missing or invalid)`,
          answerErrors(problems),
          { problemCount: problems.length },
        );
      return {
        set: { answers, status: 'awaiting_approval' },
        action: 'submit.for-approval',
        // The agency's approvers are told (notifications): nothing waits for them unseen.
        after: async (m, saved) => {
          await addToOutbox(
            m,
            Events.ResponseApprovalRequested,
            {
              cycleId: r.cycleId,
              responseId: r.id,
              agencyId: r.agencyId,
              agencyCode: r.agencyCode,
              responseVersion: saved.version,
              submission: r.submissionCount + 1,
              requestedAt: new Date().toISOString(),
            },
            ctx,
          );
        },
      };
    });
  }

  private async verdictsStillValid(m: EntityManager, r: ResponseEntity): Promise<VerdictRecord[]> {
    const previous = await m.findOne(ResponseVersionEntity, {
      where: { responseId: r.id, submission: r.submissionCount },
    });
    const before = (previous?.answers ?? {}) as Record<string, unknown>;
    return r.verdicts.filter(
      (v) => JSON.stringify(before[v.questionId] ?? null) === JSON.stringify(r.answers[v.questionId] ?? null),
    );
  }

  /** The agency's approver (head or CIO) approves: the response is submitted and frozen as a version. */
  async approve(
    key: Key,
    req: { version: number; decision: 'approve' | 'reject'; comment?: string | null },
    ctx: CallContext,
  ) {
    requireAgencyRole(ctx.actor, key.agencyId, 'approver');
    // A send-back tells the coordinator what to change: without a comment it tells nothing.
    if (req.decision === 'reject' && !req.comment?.trim())
      throw new DomainError(
        'VALIDATION_FAILED',
        'กรุณาระบุเหตุผลที่ส่งกลับให้ผู้ประสานงานแก้ไข (a send-back needs a comment for the coordinator)',
        [
          {
            path: 'comment',
            code: 'REQUIRED',
            message: 'a send-back needs a comment for the coordinator',
            messageTh: 'กรุณาระบุเหตุผลที่ส่งกลับ',
          },
        ],
      );
    const refusal: { record?: ResponseAuditRecord } = {};
    try {
      return await this.change(key, req.version, ctx, async (r, cycle, m) => {
        this.requireStatus(r, ['awaiting_approval']);
        this.requireBeforeDeadline(r, cycle);
        const round = await this.authorsOfRound(m, r.id);
        if (req.decision === 'approve' && round.authors.includes(ctx.actor.id)) {
          refusal.record = {
            responseId: r.id,
            action: 'approval.refused',
            fromStatus: r.status,
            toStatus: r.status,
            version: r.version,
            changes: {
              code: 'SELF_APPROVAL_FORBIDDEN',
              submittedBy: round.submitter,
              authors: round.authors,
            },
          };
          throw new DomainError('SELF_APPROVAL_FORBIDDEN');
        }
        return this.approval(r, req, round.submitter, ctx, m);
      });
    } catch (e) {
      // The change rolled back; the refused attempt itself stays on the record.
      if (refusal.record) await auditResponses(this.ds.manager, ctx, [refusal.record]);
      throw e;
    }
  }

  /** What an approver's decision changes, once the refusals above are past. */
  private async approval(
    r: ResponseEntity,
    req: { decision: 'approve' | 'reject'; comment?: string | null },
    submitter: string | null,
    ctx: CallContext,
    m: EntityManager,
  ): Promise<Change> {
    if (req.decision === 'reject') {
      const comment = req.comment!.trim();
      return {
        set: {
          status: r.submissionCount > 0 ? 'returned' : 'in_progress',
          sentBack: { by: 'approver', actorId: ctx.actor.id, comment, at: new Date().toISOString() },
        },
        action: 'approval.rejected',
        changes: { comment },
        // The coordinators are told, with the approver's comment (notifications).
        after: async (m, saved) => {
          await addToOutbox(
            m,
            Events.ResponseSentBack,
            {
              cycleId: r.cycleId,
              responseId: r.id,
              agencyId: r.agencyId,
              agencyCode: r.agencyCode,
              responseVersion: saved.version,
              comment,
              submittedBy: submitter,
            },
            ctx,
          );
        },
      };
    }
    const submission = r.submissionCount + 1;
    const submittedAt = new Date();
    // A verdict judged an answer; once the agency changes that answer, the verdict no longer holds.
    const verdicts = submission > 1 ? await this.verdictsStillValid(m, r) : r.verdicts;
    return {
      set: {
        status: submission > 1 ? 'resubmitted' : 'submitted',
        submissionCount: submission,
        submittedAt,
        verdicts,
        sentBack: null,
        // A new submission is new work for the operator: publication waits for it again.
        setAsideAt: null,
        setAsideBy: null,
        setAsideReason: null,
      },
      action: 'approval.approved',
      // The head's comment on approving stays in the audit trail with the decision.
      changes: { submission, comment: req.comment?.trim() || null },
      after: async (m, saved) => {
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
            ...(submitter ? { submittedBy: submitter } : {}),
          },
          ctx,
        );
      },
    };
  }

  /**
   * Who shaped what an approver is asked to approve: everyone who saved answers, uploaded or
   * deleted evidence, or sent it for approval since it was last approved (a send-back does not
   * start a new round: an author could otherwise reject, let a colleague send it again unchanged,
   * and approve their own answers), and who sent it. Evidence counts from the evidence rows
   * themselves as well as from the audit. An approver among them would approve their own work
   * (segregation of duties), even when a colleague pressed "send for approval".
   */
  private async authorsOfRound(
    m: EntityManager,
    responseId: string,
  ): Promise<{ submitter: string | null; authors: string[] }> {
    const rows: { actor_id: string; action: string }[] = await m.query(
      `WITH approved AS (
         SELECT coalesce(max(id), 0) AS id, coalesce(max(at), '-infinity') AS at FROM response_audit
          WHERE response_id = $1 AND action = 'approval.approved')
       SELECT actor_id, action, at FROM response_audit
        WHERE response_id = $1
          AND action IN ('answers.save', 'submit.for-approval', 'evidence.uploaded', 'evidence.deleted')
          AND id > (SELECT id FROM approved)
       UNION ALL
       SELECT e.uploaded_by, 'evidence.upload', e.uploaded_at FROM evidence e
         JOIN responses r ON r.cycle_id = e.cycle_id AND r.agency_id = e.agency_id
        WHERE r.id = $1 AND e.uploaded_at > (SELECT at FROM approved)
       ORDER BY at`,
      [responseId],
    );
    const submitter = rows.filter((row) => row.action === 'submit.for-approval').at(-1)?.actor_id ?? null;
    return { submitter, authors: [...new Set(rows.map((row) => row.actor_id))] };
  }

  /** An operator returns a submitted response for correction, with a new deadline for the agency. */
  async return(
    key: Key,
    req: { version: number; comment: string; extendUntil?: string | null },
    ctx: CallContext,
  ) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    return this.change(key, req.version, ctx, async (r, cycle, m) => {
      this.requireStatus(r, SUBMITTED);
      const current = deadlineOf(r, cycle);
      let until: Date;
      if (req.extendUntil) {
        // A deadline the operator chose is kept as chosen, or refused: never silently replaced.
        until = parseBangkok(req.extendUntil, true);
        requireFuture('extendUntil', until);
        if (until.getTime() < current.getTime())
          throw deadlineRefused(
            'extendUntil',
            'BEFORE_CURRENT_DEADLINE',
            `กำหนดส่งฉบับแก้ไขต้องไม่ก่อนกำหนดส่งเดิมของหน่วยงาน ${thaiDateTime(current)}`,
            `the correction deadline must not be before the agency's current deadline, ${current.toISOString()}`,
          );
      } else {
        // The default correction period never shortens the time the agency already had.
        const asked = Date.now() + this.config.CORRECTION_DAYS * 86_400_000;
        until = new Date(Math.max(asked, current.getTime()));
      }
      const rejected = await this.rejectedItems(r, m);
      const rejectedQuestions = rejected.map((x) => x.questionId);
      return {
        set: {
          status: 'returned',
          returnComment: req.comment,
          extendedUntil: until,
          sentBack: {
            by: 'verifier',
            actorId: ctx.actor.id,
            comment: req.comment,
            at: new Date().toISOString(),
          },
        },
        action: 'return',
        changes: { comment: req.comment, rejectedQuestions, deadline: until.toISOString() },
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
              rejectedQuestions,
              rejected,
              deadline: until.toISOString(),
              responseVersion: saved.version,
            },
            ctx,
          );
        },
      };
    });
  }

  /** The rejected answers in questionnaire order, with the question's text and the verifier's remark. */
  private async rejectedItems(r: ResponseEntity, m: EntityManager) {
    const byQuestion = new Map(
      r.verdicts.filter((v) => v.verdict === 'rejected').map((v) => [v.questionId, v]),
    );
    if (!byQuestion.size) return [];
    const index = questionIndex(await this.questionnaires.definition(r.questionnaireId, m));
    const ordered = [...index.keys()].filter((id) => byQuestion.has(id));
    const rest = [...byQuestion.keys()].filter((id) => !index.has(id));
    return [...ordered, ...rest].map((questionId) => {
      const text = index.get(questionId)?.question.text;
      return {
        questionId,
        textTh: text?.th ?? questionId,
        textEn: text?.en ?? null,
        comment: byQuestion.get(questionId)!.comment,
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
          unknown.map((v) => ({
            path: v.questionId,
            code: 'NOT_ANSWERED',
            message: 'no answer to verify',
            messageTh: 'ข้อนี้ไม่มีคำตอบให้ตรวจ',
          })),
        );
      }
      const at = new Date().toISOString();
      const byQuestion = new Map(r.verdicts.map((v) => [v.questionId, v]));
      for (const v of input.verdicts) {
        byQuestion.set(v.questionId, {
          questionId: v.questionId,
          verdict: v.verdict,
          comment: v.comment ?? null,
          by: ctx.actor.id,
          at,
        });
      }
      const verdicts: VerdictRecord[] = [...byQuestion.values()];
      if (!input.complete)
        return { set: { verdicts }, action: 'verify.verdicts', changes: { verdicts: input.verdicts } };
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
      // A plain date is the end of that day in Asia/Bangkok.
      const deadline = parseBangkok(until, true);
      // An extension that ends before the cycle does would change nothing (deadlineOf takes the
      // later date): say so rather than record it.
      if (deadline.getTime() <= new Date(cycle.closesAt).getTime())
        throw new DomainError(
          'VALIDATION_FAILED',
          `วันขยายเวลาต้องหลังกำหนดปิดรอบ ${thaiDateTime(new Date(cycle.closesAt))} (an extension must end after the cycle closes, ${new Date(cycle.closesAt).toISOString()})`,
        );
      requireFuture('until', deadline);
      return {
        set: { extendedUntil: deadline },
        action: 'deadline.extended',
        changes: { until: deadline.toISOString(), reason },
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

  /**
   * DGA staff decide not to wait for this response before publishing: a submission they will not
   * verify, a correction that never came back, an extension they stop waiting for. Its last
   * approved submission (if any) stays in the results, unverified. The reason is kept on the
   * response and in the audit trail; a new submission clears it (see `approval`).
   */
  async setAside(key: Key, req: { version: number; reason: string }, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    return this.change(key, req.version, ctx, (r, cycle) => {
      const reason = blockingReason(r, cycle, new Date());
      if (!reason)
        throw new DomainError(
          'RESPONSE_LOCKED',
          `คำตอบนี้ไม่ได้รอการตรวจสอบหรือรอหน่วยงาน ไม่มีสิ่งที่ต้องกันออก (status ${r.status}: nothing publication waits for)`,
          undefined,
          { status: r.status },
        );
      return {
        set: { setAsideAt: new Date(), setAsideBy: ctx.actor.id, setAsideReason: req.reason },
        action: 'set-aside',
        changes: { reason: req.reason, blocking: reason },
      };
    });
  }

  async audit(key: Key, ctx: CallContext) {
    requireAgency(ctx.actor, key.agencyId);
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const r = await this.ds.manager.findOne(ResponseEntity, { where: key, select: { id: true } });
    if (!r) throw new DomainError('RESPONSE_NOT_FOUND');
    const rows = await this.ds.manager.find(ResponseAuditEntity, {
      where: { responseId: r.id },
      order: { id: 'ASC' },
    });
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
      if (version !== null && r.version !== version) throw await versionConflict(m, r);
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
        {
          responseId: r.id,
          action: change.action,
          fromStatus: r.status,
          toStatus: next.status,
          version: next.version,
          changes: change.changes,
        },
      ]);
      await change.after?.(m, next);
      return { saved: next, cycle, emitted: !!change.after };
    });
    if (emitted) this.relay.kick();
    return this.detail(saved, cycle);
  }

  private requireStatus(r: ResponseEntity, allowed: readonly ResponseStatus[]): void {
    if (!allowed.includes(r.status)) {
      throw new DomainError(
        'RESPONSE_LOCKED',
        `ทำรายการนี้ไม่ได้ในสถานะ${statusTh(r.status)} (not allowed while the response is ${r.status})`,
        undefined,
        { status: r.status },
      );
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
      throw new DomainError('CYCLE_NOT_STARTED');
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

/**
 * Why publication would wait for this response (null: it does not). Set-aside responses are the
 * caller's to leave out. The same rule as `CyclesService.readiness`'s query.
 */
export function blockingReason(r: ResponseEntity, cycle: CycleEntity, now: Date): PublicationBlock | null {
  if (r.status === 'submitted' || r.status === 'resubmitted') return 'AWAITING_VERIFICATION';
  if (r.status === 'returned') return 'RETURNED';
  if (r.status === 'awaiting_approval' && r.submissionCount > 0) return 'AWAITING_APPROVAL';
  if (
    ['not_started', 'in_progress', 'awaiting_approval'].includes(r.status) &&
    r.extendedUntil &&
    new Date(r.extendedUntil) > now &&
    new Date(r.extendedUntil) > new Date(cycle.closesAt)
  )
    return 'EXTENSION_OPEN';
  return null;
}

/**
 * 409 RESPONSE_VERSION_CONFLICT with what a client needs to merge without another read: the
 * version now stored, its status and whole answer map, when and by whom (the actor of the change
 * that made this version; null for a response nobody has changed since the cycle opened). Only
 * thrown after the caller's access to the response was checked, so it shows nothing they could
 * not read.
 */
async function versionConflict(m: EntityManager, r: ResponseEntity): Promise<DomainError> {
  const [made] = (await m.query(
    `SELECT actor_id FROM response_audit WHERE response_id = $1 AND version = $2 ORDER BY id LIMIT 1`,
    [r.id, r.version],
  )) as { actor_id: string }[];
  return new DomainError('RESPONSE_VERSION_CONFLICT', undefined, undefined, {
    currentVersion: r.version,
    // Not `status`: in the problem body that is the HTTP status.
    responseStatus: r.status,
    answers: r.answers,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: made?.actor_id ?? null,
  });
}
