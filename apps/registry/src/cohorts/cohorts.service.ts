import { Injectable } from '@nestjs/common';
import {
  AgencyGroup,
  CohortContact,
  CohortPutInput,
  CohortSummary,
  defaultGroupOf,
  DomainError,
  Events,
  FieldError,
} from '@dg/contracts';
import { addToOutbox, CallContext, OutboxRelay, requireRole } from '@dg/platform';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { audit } from '../audit/audit';
import { toContact } from '../contacts/contact.mapper';
import { CohortsRepository } from './cohorts.repository';

/**
 * A cycle's cohort: the agencies surveyed that year and the group each is reported in. It belongs
 * to the cycle, not the registry's agencies, because cohorts change every year. The announced
 * count is kept beside the final (measured) count: the two can differ.
 */
@Injectable()
export class CohortsService {
  constructor(
    private readonly cohorts: CohortsRepository,
    private readonly agencies: AgenciesRepository,
    private readonly relay: OutboxRelay,
  ) {}

  async put(cycleId: string, input: CohortPutInput, ctx: CallContext): Promise<CohortSummary> {
    requireRole(ctx.actor, 'dga_admin');
    const summary = await this.cohorts.transaction(async (m) => {
      const byCode = await this.agencies.allByCode(m);
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const members: { agencyId: string; group: AgencyGroup }[] = [];
      input.members.forEach((member, i) => {
        const agency = byCode.get(member.agencyCode);
        if (!agency) {
          errors.push({ path: `members.${i}.agencyCode`, code: 'UNKNOWN_AGENCY', message: `unknown agency ${member.agencyCode}`, messageTh: `ไม่พบหน่วยงานรหัส ${member.agencyCode}` });
        } else if (seen.has(agency.id)) {
          errors.push({ path: `members.${i}.agencyCode`, code: 'DUPLICATE_MEMBER', message: `${member.agencyCode} is listed twice`, messageTh: `หน่วยงาน ${member.agencyCode} ซ้ำ` });
        } else {
          seen.add(agency.id);
          members.push({ agencyId: agency.id, group: member.group ?? defaultGroupOf(agency.kind) });
        }
      });
      if (errors.length) throw new DomainError('VALIDATION_FAILED', undefined, errors.slice(0, 1000));
      const before = await this.cohorts.counts(cycleId, m);
      const version = await this.cohorts.upsertCohort(m, cycleId, input.announcedCount ?? null);
      await this.cohorts.replaceMembers(m, cycleId, members);
      const after = await this.cohorts.counts(cycleId, m);
      const result: CohortSummary = {
        cycleId,
        announcedCount: input.announcedCount ?? null,
        finalCount: after.total,
        byGroup: after.byGroup,
        byKind: after.byKind,
        version,
      };
      await audit(m, ctx, [{ entity: 'cohort', entityId: cycleId, action: 'replace', before, after: result }]);
      const { byKind: _byKind, ...payload } = result;
      await addToOutbox(m, Events.CohortUpdated, payload, ctx);
      return result;
    });
    this.relay.kick();
    return summary;
  }

  private async requireCohort(cycleId: string) {
    const cohort = await this.cohorts.findCohort(cycleId);
    if (!cohort) throw new DomainError('NOT_FOUND', `ยังไม่มีกลุ่มเป้าหมายของรอบ ${cycleId} (no cohort for cycle ${cycleId})`);
    return cohort;
  }

  async get(cycleId: string, page: number, pageSize: number, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee');
    const cohort = await this.requireCohort(cycleId);
    const counts = await this.cohorts.counts(cycleId);
    return {
      summary: {
        cycleId,
        announcedCount: cohort.announcedCount,
        finalCount: counts.total,
        byGroup: counts.byGroup,
        byKind: counts.byKind,
        version: cohort.version,
      },
      items: await this.cohorts.members(cycleId, (page - 1) * pageSize, pageSize),
      total: counts.total,
      page,
      pageSize,
    };
  }

  /**
   * Every active contact of every agency in the cycle's cohort (for notifications), by agency code
   * then contact creation. Personal data: only the system and DGA staff may read it.
   */
  async contacts(cycleId: string, page: number, pageSize: number, ctx: CallContext) {
    requireRole(ctx.actor, 'system', 'dga_admin', 'operator');
    await this.requireCohort(cycleId);
    const { rows, total } = await this.cohorts.activeContacts(cycleId, (page - 1) * pageSize, pageSize);
    const items: CohortContact[] = rows.map((r) => ({
      agencyId: r.contact.agencyId,
      agencyCode: r.agencyCode,
      agencyName: r.agencyName,
      group: r.group,
      contact: toContact(r.contact),
    }));
    return { items, total, page, pageSize };
  }
}
