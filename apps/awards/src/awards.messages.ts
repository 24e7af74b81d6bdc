import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed, type RpcSubject } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { AnnouncementService } from './announcement/announcement.service';
import { CategoriesService } from './categories/categories.service';
import { NominationsService } from './categories/nominations.service';
import { CommitteeService } from './committee/committee.service';

type Req<S extends RpcSubject> = RpcRequestParsed<S>;

/** NATS entry points of awards; requests arrive validated against the contracts. */
@Controller()
export class AwardsMessages {
  constructor(
    private readonly categories: CategoriesService,
    private readonly committee: CommitteeService,
    private readonly announcement: AnnouncementService,
    private readonly nominations: NominationsService,
  ) {}

  @MessagePattern(Rpc.AwardNominationAdd)
  nominate(@Payload() req: Req<typeof Rpc.AwardNominationAdd>, @Ctx() ctx: CallContext) {
    return this.nominations.add(req.categoryId, req.nomination, ctx);
  }

  @MessagePattern(Rpc.AwardCategoryList)
  list(@Payload() req: Req<typeof Rpc.AwardCategoryList>, @Ctx() ctx: CallContext) {
    return this.categories.list(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.AwardCategoryCreate)
  create(@Payload() req: Req<typeof Rpc.AwardCategoryCreate>, @Ctx() ctx: CallContext) {
    return this.categories.create(req.cycleId, req.category, ctx);
  }

  @MessagePattern(Rpc.AwardCategoryUpdate)
  update(@Payload() req: Req<typeof Rpc.AwardCategoryUpdate>, @Ctx() ctx: CallContext) {
    return this.categories.update(req.id, req.patch, ctx);
  }

  @MessagePattern(Rpc.AwardCandidatesCompute)
  candidates(@Payload() req: Req<typeof Rpc.AwardCandidatesCompute>, @Ctx() ctx: CallContext) {
    return this.categories.computeAll(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.AwardsOverview)
  overview(@Payload() req: Req<typeof Rpc.AwardsOverview>, @Ctx() ctx: CallContext) {
    return this.categories.overview(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.AwardDecisionAdd)
  decide(@Payload() req: Req<typeof Rpc.AwardDecisionAdd>, @Ctx() ctx: CallContext) {
    return this.committee.decide(req.categoryId, req.decision, ctx);
  }

  @MessagePattern(Rpc.AwardsAnnounce)
  announce(@Payload() req: Req<typeof Rpc.AwardsAnnounce>, @Ctx() ctx: CallContext) {
    return this.announcement.announce(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.AwardsPublic)
  winners(req: Req<typeof Rpc.AwardsPublic>) {
    return this.announcement.public(req.cycleId);
  }

  @MessagePattern(Rpc.AwardCertificateGet)
  certificate(@Payload() req: Req<typeof Rpc.AwardCertificateGet>, @Ctx() ctx: CallContext) {
    return this.announcement.certificate(req, ctx);
  }

  @MessagePattern(Rpc.AwardCertificateCheck)
  checkCertificate(@Payload() req: Req<typeof Rpc.AwardCertificateCheck>, @Ctx() ctx: CallContext) {
    return this.announcement.checkCertificate(req.number, ctx);
  }

  @MessagePattern(Rpc.AwardCandidateList)
  candidatePage(@Payload() req: Req<typeof Rpc.AwardCandidateList>, @Ctx() ctx: CallContext) {
    return this.categories.candidatesPage(req, ctx);
  }
}
