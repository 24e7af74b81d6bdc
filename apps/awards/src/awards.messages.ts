import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { AnnouncementService } from './announcement/announcement.service';
import { CategoriesService } from './categories/categories.service';
import { NominationsService } from './categories/nominations.service';
import { CommitteeService } from './committee/committee.service';

type Req<S extends Parameters<typeof RpcHandler>[0]> = RpcRequestParsed<S>;

/** NATS entry points of awards; requests arrive validated against the contracts. */
@Injectable()
export class AwardsMessages {
  constructor(
    private readonly categories: CategoriesService,
    private readonly committee: CommitteeService,
    private readonly announcement: AnnouncementService,
    private readonly nominations: NominationsService,
  ) {}

  @RpcHandler(Rpc.AwardNominationAdd)
  nominate(req: Req<typeof Rpc.AwardNominationAdd>, ctx: CallContext) {
    return this.nominations.add(req.categoryId, req.nomination, ctx);
  }

  @RpcHandler(Rpc.AwardCategoryList)
  list(req: Req<typeof Rpc.AwardCategoryList>, ctx: CallContext) {
    return this.categories.list(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.AwardCategoryCreate)
  create(req: Req<typeof Rpc.AwardCategoryCreate>, ctx: CallContext) {
    return this.categories.create(req.cycleId, req.category, ctx);
  }

  @RpcHandler(Rpc.AwardCategoryUpdate)
  update(req: Req<typeof Rpc.AwardCategoryUpdate>, ctx: CallContext) {
    return this.categories.update(req.id, req.patch, ctx);
  }

  @RpcHandler(Rpc.AwardCandidatesCompute)
  candidates(req: Req<typeof Rpc.AwardCandidatesCompute>, ctx: CallContext) {
    return this.categories.computeAll(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.AwardsOverview)
  overview(req: Req<typeof Rpc.AwardsOverview>, ctx: CallContext) {
    return this.categories.overview(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.AwardDecisionAdd)
  decide(req: Req<typeof Rpc.AwardDecisionAdd>, ctx: CallContext) {
    return this.committee.decide(req.categoryId, req.decision, ctx);
  }

  @RpcHandler(Rpc.AwardsAnnounce)
  announce(req: Req<typeof Rpc.AwardsAnnounce>, ctx: CallContext) {
    return this.announcement.announce(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.AwardsPublic)
  winners(req: Req<typeof Rpc.AwardsPublic>) {
    return this.announcement.public(req.cycleId);
  }

  @RpcHandler(Rpc.AwardCertificateGet)
  certificate(req: Req<typeof Rpc.AwardCertificateGet>, ctx: CallContext) {
    return this.announcement.certificate(req, ctx);
  }
}
