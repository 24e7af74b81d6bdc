import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, statusTh, StoredFile } from '@dg/contracts';
import { CallContext, FileTransfer, hasRole, requireRole } from '@dg/platform';
import {
  evidenceProblems,
  evidenceSpec,
  questionIndex,
  sniffType,
  type EvidenceFileProblem,
} from '@dg/survey-model';
import { requireAgency, requireAgencyRole } from '../access';
import { auditResponses } from '../audit';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { EvidenceEntity, ResponseEntity } from '../entities';
import { EDITABLE } from '../responses/responses.service';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { EVIDENCE_STORAGE, type EvidenceStorage } from './storage';

function toEvidence(e: EvidenceEntity) {
  return {
    id: e.id,
    cycleId: e.cycleId,
    agencyId: e.agencyId,
    questionId: e.questionId,
    fileName: e.fileName,
    contentType: e.contentType,
    size: e.size,
    sha256: e.sha256,
    uploadedBy: e.uploadedBy,
    uploadedAt: new Date(e.uploadedAt).toISOString(),
  };
}

/**
 * Evidence files: size limit, type checked from the content against what the question accepts,
 * sha256, a per-agency quota per cycle, bytes behind the storage interface. Attaching a file to an
 * answer is a normal autosave of the evidence question with the file's id.
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly ds: DataSource,
    private readonly files: FileTransfer,
    private readonly questionnaires: QuestionnairesService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async upload(
    key: { cycleId: string; agencyId: string },
    questionId: string,
    file: StoredFile,
    ctx: CallContext,
  ) {
    requireAgencyRole(ctx.actor, key.agencyId, 'coordinator');
    const response = await this.ds.manager.findOne(ResponseEntity, { where: key });
    if (!response) throw new DomainError('RESPONSE_NOT_FOUND');
    // Evidence belongs to the answers: once they are sent for approval or submitted, no new file.
    requireEditable(response);
    const q = await this.questionnaires.definition(response.questionnaireId);
    const question = questionIndex(q).get(questionId)?.question;
    if (!question || question.type !== 'evidence') {
      throw new DomainError('VALIDATION_FAILED', undefined, [
        {
          path: 'questionId',
          code: 'NOT_AN_EVIDENCE_QUESTION',
          message: `${questionId} does not take files`,
          messageTh: `ข้อ ${questionId} ไม่ใช่คำถามที่แนบไฟล์หลักฐาน`,
        },
      ]);
    }
    if (file.size > this.config.EVIDENCE_MAX_BYTES) throw tooLarge(this.config.EVIDENCE_MAX_BYTES);
    const bytes = await this.files.get(file.objectName);
    if (!bytes)
      throw new DomainError('VALIDATION_FAILED', 'the uploaded file is gone from the transfer area');
    if (bytes.byteLength > this.config.EVIDENCE_MAX_BYTES) throw tooLarge(this.config.EVIDENCE_MAX_BYTES);
    const type = sniffType(bytes);
    const accepted = evidenceSpec(question).accept;
    if (!accepted.includes(type)) {
      throw refused(evidenceProblems.typeNotAllowed(type, accepted), { detected: type, accepted });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = randomUUID();
    const storageKey = `${key.cycleId}/${key.agencyId}/${sha256.slice(0, 2)}/${sha256}`;
    return this.ds.transaction(async (m) => {
      // Serialise uploads of one agency so two at once cannot both slip under the quota.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `evidence:${key.cycleId}:${key.agencyId}`,
      ]);
      // Again under a share lock: a submission that committed since the check above wins.
      const now = await m
        .createQueryBuilder(ResponseEntity, 'r')
        .select(['r.id', 'r.status'])
        .where('r.id = :id', { id: response.id })
        .setLock('pessimistic_read')
        .getOneOrFail();
      requireEditable(now);
      const [{ used }] = (await m.query(
        `SELECT coalesce(sum(size), 0)::bigint AS used FROM evidence WHERE cycle_id = $1 AND agency_id = $2`,
        [key.cycleId, key.agencyId],
      )) as { used: string }[];
      if (Number(used) + bytes.byteLength > this.config.EVIDENCE_QUOTA_BYTES) {
        throw refused(evidenceProblems.quotaExceeded(this.config.EVIDENCE_QUOTA_BYTES), {
          quotaBytes: this.config.EVIDENCE_QUOTA_BYTES,
          usedBytes: Number(used),
        });
      }
      await this.storage.put(storageKey, bytes);
      const entity: EvidenceEntity = {
        id,
        ...key,
        questionId,
        fileName: file.fileName,
        contentType: type,
        size: bytes.byteLength,
        sha256,
        storageKey,
        uploadedBy: ctx.actor.id,
        uploadedAt: new Date(),
      };
      await m.insert(EvidenceEntity, entity);
      await auditResponses(m, ctx, [
        {
          responseId: response.id,
          action: 'evidence.uploaded',
          fromStatus: now.status,
          toStatus: now.status,
          version: response.version,
          changes: { evidenceId: id, questionId, fileName: file.fileName, size: bytes.byteLength, sha256 },
        },
      ]);
      return toEvidence(entity);
    });
  }

  /** A response's files with names, sizes and who uploaded them, newest first, and the quota used. */
  async list(key: { cycleId: string; agencyId: string }, ctx: CallContext) {
    requireAgency(ctx.actor, key.agencyId);
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const response = await this.ds.manager.findOne(ResponseEntity, { where: key, select: { id: true } });
    if (!response) throw new DomainError('RESPONSE_NOT_FOUND');
    const rows = await this.ds.manager.find(EvidenceEntity, {
      where: key,
      order: { uploadedAt: 'DESC', id: 'ASC' },
    });
    return {
      items: rows.map(toEvidence),
      usedBytes: rows.reduce((n, e) => n + e.size, 0),
      quotaBytes: this.config.EVIDENCE_QUOTA_BYTES,
      maxFileBytes: this.config.EVIDENCE_MAX_BYTES,
    };
  }

  /**
   * The coordinator deletes a file while the response is editable, freeing its quota; an answer
   * that named it no longer does (the response's version moves on, as with an autosave). The
   * deletion is in the response's audit trail with the file's name and size.
   */
  async delete(id: string, ctx: CallContext) {
    const found = await this.ds.manager.findOne(EvidenceEntity, { where: { id } });
    if (!found) throw new DomainError('EVIDENCE_NOT_FOUND');
    // Another agency's file is not found: its existence is not revealed.
    try {
      requireAgency(ctx.actor, found.agencyId);
    } catch {
      throw new DomainError('EVIDENCE_NOT_FOUND');
    }
    requireRole(ctx.actor, 'coordinator');
    const removed = await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `evidence:${found.cycleId}:${found.agencyId}`,
      ]);
      const r = await m
        .createQueryBuilder(ResponseEntity, 'r')
        .where('r.cycle_id = :cycleId AND r.agency_id = :agencyId', {
          cycleId: found.cycleId,
          agencyId: found.agencyId,
        })
        .setLock('pessimistic_write')
        .getOneOrFail();
      requireEditable(r, 'delete');
      const e = await m.findOne(EvidenceEntity, { where: { id } });
      if (!e) throw new DomainError('EVIDENCE_NOT_FOUND');
      await m.delete(EvidenceEntity, { id });
      const answer = r.answers[e.questionId];
      const detached = Array.isArray(answer) && (answer as unknown[]).includes(id);
      const version = detached ? r.version + 1 : r.version;
      if (detached) {
        const answers = { ...r.answers, [e.questionId]: (answer as string[]).filter((x) => x !== id) };
        await m.update(ResponseEntity, r.id, {
          answers: answers as object,
          version,
          updatedAt: new Date(),
        } as object);
      }
      await auditResponses(m, ctx, [
        {
          responseId: r.id,
          action: 'evidence.deleted',
          fromStatus: r.status,
          toStatus: r.status,
          version,
          changes: {
            evidenceId: id,
            questionId: e.questionId,
            fileName: e.fileName,
            size: e.size,
            detachedFromAnswer: detached,
          },
        },
      ]);
      const shared = await m.count(EvidenceEntity, { where: { storageKey: e.storageKey } });
      return { e, shared };
    });
    // The bytes go once no other file of the agency has the same content (keys are content hashes).
    if (removed.shared === 0) await this.storage.delete(removed.e.storageKey);
    return toEvidence(removed.e);
  }

  /** Puts the file in the transfer area for the gateway to send as a download. */
  async get(id: string, ctx: CallContext) {
    const e = await this.ds.manager.findOne(EvidenceEntity, { where: { id } });
    if (!e) throw new DomainError('EVIDENCE_NOT_FOUND');
    try {
      requireAgency(ctx.actor, e.agencyId);
    } catch {
      throw new DomainError('EVIDENCE_NOT_FOUND');
    }
    if (!hasRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver', 'committee'))
      throw new DomainError('FORBIDDEN');
    const bytes = await this.storage.get(e.storageKey);
    const stored = await this.files.put(
      { objectName: `evidence/${randomUUID()}`, fileName: e.fileName, contentType: e.contentType },
      bytes,
    );
    return { ...stored, evidence: toEvidence(e) };
  }
}

/** A refused upload, in the words the portal also shows when it checks the file before sending (survey-model). */
function refused(problem: EvidenceFileProblem, extra: Record<string, unknown>): DomainError {
  return new DomainError(problem.code, `${problem.messageTh} (${problem.message})`, undefined, extra);
}

function tooLarge(max: number): DomainError {
  return refused(evidenceProblems.tooLarge(max), { maxBytes: max });
}

function requireEditable(response: ResponseEntity, what: 'add' | 'delete' = 'add'): void {
  if (!EDITABLE.includes(response.status)) {
    throw new DomainError(
      'RESPONSE_LOCKED',
      what === 'add'
        ? `แนบไฟล์หลักฐานไม่ได้ในสถานะ${statusTh(response.status)} (evidence cannot be added while the response is ${response.status})`
        : `ลบไฟล์หลักฐานไม่ได้ในสถานะ${statusTh(response.status)} (evidence cannot be deleted while the response is ${response.status})`,
      undefined,
      { status: response.status },
    );
  }
}
