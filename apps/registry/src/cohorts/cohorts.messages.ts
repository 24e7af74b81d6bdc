import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { CohortsService } from './cohorts.service';

@Injectable()
export class CohortsMessages {
  constructor(private readonly cohorts: CohortsService) {}

  @RpcHandler(Rpc.CohortPut)
  put(req: RpcRequestParsed<typeof Rpc.CohortPut>, ctx: CallContext) {
    return this.cohorts.put(req.cycleId, req.cohort, ctx);
  }

  @RpcHandler(Rpc.CohortGet)
  get(req: RpcRequestParsed<typeof Rpc.CohortGet>, ctx: CallContext) {
    return this.cohorts.get(req.cycleId, req.page, req.pageSize, ctx);
  }

  @RpcHandler(Rpc.CohortContacts)
  contacts(req: RpcRequestParsed<typeof Rpc.CohortContacts>, ctx: CallContext) {
    return this.cohorts.contacts(req.cycleId, req.page, req.pageSize, ctx);
  }
}
