import { Injectable } from '@nestjs/common';
import { DomainError, type RpcRequestParsed, Rpc } from '@dg/contracts';
import { agencyScope, type CallContext, requireRole } from '@dg/platform';
import { AwardsRepository } from '../awards.repository';
import { Sources } from '../sources/sources';

type NominationInput = RpcRequestParsed<typeof Rpc.AwardNominationAdd>['nomination'];

/**
 * Nominations for nominated categories: an agency's coordinator or approver nominates their own
 * agency (DGA staff any agency) with a short form and links to evidence, before the decision.
 */
@Injectable()
export class NominationsService {
  constructor(
    private readonly repo: AwardsRepository,
    private readonly sources: Sources,
  ) {}

  async add(categoryId: string, input: NominationInput, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'coordinator', 'approver');
    const scope = agencyScope(ctx.actor);
    if (scope !== null && scope !== input.agencyId)
      throw new DomainError('FORBIDDEN', 'เสนอชื่อได้เฉพาะหน่วยงานของท่าน (your own agency only)');
    const category = await this.repo.category(categoryId);
    if (!category) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    if (!category.spec.nominated) throw new DomainError('AWARD_NOMINATIONS_NOT_ACCEPTED');
    if (await this.repo.announcedAt(category.cycleId)) throw new DomainError('AWARDS_ANNOUNCED');
    if (category.status === 'decided') throw new DomainError('AWARD_CATEGORY_DECIDED');
    const agency = await this.sources.agency(input.agencyId, ctx);
    const { agencyId: _a, ...data } = input;
    if (!(await this.repo.addNomination(categoryId, input.agencyId, agency.code, data, ctx.actor.id))) {
      throw new DomainError(
        'AWARD_ALREADY_NOMINATED',
        `${agency.nameTh} ได้รับการเสนอชื่อในประเภทนี้แล้ว (already nominated)`,
      );
    }
    const saved = (await this.repo.nominations(categoryId)).find((n) => n.agencyId === input.agencyId)!;
    return {
      ...input,
      id: saved.id,
      categoryId,
      agencyCode: saved.agencyCode,
      by: saved.by,
      at: new Date(saved.at).toISOString(),
    };
  }
}
