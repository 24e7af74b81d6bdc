import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { CohortsService } from './cohorts.service';

@Controller()
export class CohortsMessages {
  constructor(private readonly cohorts: CohortsService) {}

  @MessagePattern(Rpc.CohortPut)
  put(@Payload() req: RpcRequestParsed<typeof Rpc.CohortPut>, @Ctx() ctx: CallContext) {
    return this.cohorts.put(req.cycleId, req.cohort, ctx);
  }

  @MessagePattern(Rpc.CohortGet)
  get(@Payload() req: RpcRequestParsed<typeof Rpc.CohortGet>, @Ctx() ctx: CallContext) {
    return this.cohorts.get(req.cycleId, req.page, req.pageSize, ctx);
  }

  @MessagePattern(Rpc.CohortContacts)
  contacts(@Payload() req: RpcRequestParsed<typeof Rpc.CohortContacts>, @Ctx() ctx: CallContext) {
    return this.cohorts.contacts(req.cycleId, req.page, req.pageSize, ctx);
  }
}
