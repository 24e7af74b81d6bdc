import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { AgencyGroup, AgencyKind, AgencyStatus, OrgType } from '@dg/contracts';

@Entity('ministries')
export class MinistryEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'name_th' }) nameTh: string;
  @Column('text', { name: 'name_en' }) nameEn: string;
}

@Entity('provinces')
export class ProvinceEntity {
  @PrimaryColumn('text') code: string;
  @Column('text', { name: 'name_th' }) nameTh: string;
  @Column('text', { name: 'name_en' }) nameEn: string;
  @Column('text') region: string;
}

@Entity('agencies')
export class AgencyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) code: string;
  @Column('text', { name: 'name_th' }) nameTh: string;
  @Column('text', { name: 'name_en', nullable: true }) nameEn: string | null;
  @Column('text') kind: AgencyKind;
  @Column('text', { name: 'org_type' }) orgType: OrgType;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId: string | null;
  @Column('text', { name: 'ministry_id', nullable: true }) ministryId: string | null;
  @Column('text', { name: 'province_code', nullable: true }) provinceCode: string | null;
  @Column('text') status: AgencyStatus;
  @Column('date', { name: 'effective_from', nullable: true }) effectiveFrom: string | null;
  @Column('date', { name: 'effective_to', nullable: true }) effectiveTo: string | null;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text', { name: 'full_name', nullable: true }) fullName: string | null;
  @Column('text', { nullable: true }) position: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { name: 'line_id', nullable: true }) lineId: string | null;
  @Column('text') purpose: string;
  @Column('text', { name: 'legal_basis' }) legalBasis: string;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'erased_at', nullable: true }) erasedAt: Date | null;
  @Column('text', { name: 'erased_by', nullable: true }) erasedBy: string | null;
}

@Entity('cohorts')
export class CohortEntity {
  @PrimaryColumn('text', { name: 'cycle_id' }) cycleId: string;
  @Column('int', { name: 'announced_count', nullable: true }) announcedCount: number | null;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('cohort_members')
export class CohortMemberEntity {
  @PrimaryColumn('text', { name: 'cycle_id' }) cycleId: string;
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text', { name: 'agency_group' }) group: AgencyGroup;
}

/** Append-only: who changed what, when, before and after. Personal data is never copied here. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('text', { name: 'actor_id' }) actorId: string;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('text') entity: string;
  @Column('text', { name: 'entity_id' }) entityId: string;
  @Column('text') action: string;
  @Column('jsonb', { nullable: true }) before: unknown;
  @Column('jsonb', { nullable: true }) after: unknown;
}
