import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { AgencyGroup, CycleStatus, ResponseStatus, SentBack } from '@dg/contracts';
import type { Answers } from '@dg/survey-model';

@Entity('questionnaires')
export class QuestionnaireEntity {
  @PrimaryColumn('uuid') id: string;
  /** The definition's own id (e.g. dg-readiness-2565-sample); with `version` it names one definition. */
  @Column('text') key: string;
  @Column('int') version: number;
  @Column('jsonb') definition: object;
  @Column('int', { name: 'question_count' }) questionCount: number;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('cycles')
export class CycleEntity {
  @PrimaryColumn('text') id: string;
  @Column('int', { name: 'year_be' }) yearBE: number;
  @Column('text', { name: 'title_th' }) titleTh: string;
  @Column('text', { name: 'title_en' }) titleEn: string;
  @Column('text') status: CycleStatus;
  @Column('timestamptz', { name: 'opens_at' }) opensAt: Date;
  @Column('timestamptz', { name: 'closes_at' }) closesAt: Date;
  @Column('uuid', { name: 'questionnaire_id', nullable: true }) questionnaireId: string | null;
  @Column('int', { name: 'agency_count', default: 0 }) agencyCount: number;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('responses')
export class ResponseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'cycle_id' }) cycleId: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text', { name: 'agency_code' }) agencyCode: string;
  @Column('text', { name: 'agency_name' }) agencyName: string;
  @Column('text', { name: 'agency_group' }) group: AgencyGroup;
  /** Ministry code and province (ISO 3166-2:TH) from the cohort at opening; NULL before they were kept. */
  @Column('text', { name: 'agency_ministry', nullable: true }) ministry: string | null;
  @Column('text', { name: 'agency_province', nullable: true }) province: string | null;
  @Column('uuid', { name: 'questionnaire_id' }) questionnaireId: string;
  @Column('text') status: ResponseStatus;
  @Column('jsonb') answers: Answers;
  @Column('jsonb') verdicts: VerdictRecord[];
  @Column('text', { name: 'return_comment', nullable: true }) returnComment: string | null;
  /** The latest send-back (head's rejection or DGA's return) with its comment; cleared on approval. */
  @Column('jsonb', { name: 'sent_back', nullable: true }) sentBack: SentBack | null;
  @Column('int') version: number;
  @Column('int', { name: 'submission_count', default: 0 }) submissionCount: number;
  @Column('timestamptz', { name: 'extended_until', nullable: true }) extendedUntil: Date | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  /** Set aside by DGA staff: publication does not wait for it; a new submission clears it. */
  @Column('timestamptz', { name: 'set_aside_at', nullable: true }) setAsideAt: Date | null;
  @Column('text', { name: 'set_aside_by', nullable: true }) setAsideBy: string | null;
  @Column('text', { name: 'set_aside_reason', nullable: true }) setAsideReason: string | null;
}

export interface VerdictRecord {
  questionId: string;
  verdict: 'accepted' | 'rejected';
  comment: string | null;
  by: string;
  at: string;
}

/** A submitted version, kept exactly as it was approved; never updated (a trigger refuses it). */
@Entity('response_versions')
export class ResponseVersionEntity {
  @PrimaryColumn('uuid', { name: 'response_id' }) responseId: string;
  @PrimaryColumn('int') submission: number;
  @Column('int', { name: 'response_version' }) responseVersion: number;
  @Column('uuid', { name: 'questionnaire_id' }) questionnaireId: string;
  @Column('jsonb') answers: Answers;
  @Column('text', { name: 'submitted_by' }) submittedBy: string;
  @Column('text', { name: 'approved_by' }) approvedBy: string;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
}

/** Append-only: every change to a response, who made it, and the answers before and after. */
@Entity('response_audit')
export class ResponseAuditEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'response_id' }) responseId: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('text', { name: 'actor_id' }) actorId: string;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('text') action: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: string | null;
  @Column('text', { name: 'to_status', nullable: true }) toStatus: string | null;
  @Column('int', { nullable: true }) version: number | null;
  @Column('jsonb', { nullable: true }) changes: unknown;
}

@Entity('evidence')
export class EvidenceEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'cycle_id' }) cycleId: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text', { name: 'question_id' }) questionId: string;
  @Column('text', { name: 'file_name' }) fileName: string;
  @Column('text', { name: 'content_type' }) contentType: string;
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) size: number;
  @Column('text') sha256: string;
  @Column('text', { name: 'storage_key' }) storageKey: string;
  @Column('text', { name: 'uploaded_by' }) uploadedBy: string;
  @Column('timestamptz', { name: 'uploaded_at' }) uploadedAt: Date;
}
