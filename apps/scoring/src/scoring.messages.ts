import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed, type RpcSubject } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { RescoreService } from './rescore/rescore.service';
import { ResultsService } from './results/results.service';
import { RulesService } from './rules/rules.service';

type Req<S extends RpcSubject> = RpcRequestParsed<S>;

/** NATS entry points of scoring; requests arrive validated against the contracts. */
@Controller()
export class ScoringMessages {
  constructor(
    private readonly rules: RulesService,
    private readonly results: ResultsService,
    private readonly rescores: RescoreService,
  ) {}

  @MessagePattern(Rpc.ScoringRulesPut)
  putRules(@Payload() req: Req<typeof Rpc.ScoringRulesPut>, @Ctx() ctx: CallContext) {
    return this.rules.put(req.cycleId, req.rules, ctx);
  }

  @MessagePattern(Rpc.ScoringRulesGet)
  getRules(@Payload() req: Req<typeof Rpc.ScoringRulesGet>, @Ctx() ctx: CallContext) {
    return this.rules.get(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.ScorecardGet)
  scorecard(@Payload() req: Req<typeof Rpc.ScorecardGet>, @Ctx() ctx: CallContext) {
    return this.results.scorecard(req.cycleId, req.agencyId, ctx);
  }

  @MessagePattern(Rpc.ResultsGet)
  getResults(@Payload() req: Req<typeof Rpc.ResultsGet>, @Ctx() ctx: CallContext) {
    return this.results.get(req, ctx);
  }

  @MessagePattern(Rpc.ResultsPublic)
  publicResults(req: Req<typeof Rpc.ResultsPublic>) {
    return this.results.public(req);
  }

  // No login (the gateway's public routes): published results and how scores are made.
  @MessagePattern(Rpc.ResultsPublishedCycles)
  publishedCycles(@Ctx() ctx: CallContext) {
    return this.results.publishedCycles(ctx);
  }

  @MessagePattern(Rpc.ScorecardPublic)
  publicScorecard(@Payload() req: Req<typeof Rpc.ScorecardPublic>) {
    return this.results.publicScorecard(req.cycleId, req.agencyCode);
  }

  @MessagePattern(Rpc.MethodologyPublic)
  methodology(@Payload() req: Req<typeof Rpc.MethodologyPublic>, @Ctx() ctx: CallContext) {
    return this.rules.methodology(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.ResultsPublish)
  publish(@Payload() req: Req<typeof Rpc.ResultsPublish>, @Ctx() ctx: CallContext) {
    return this.results.publish(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.ResultsImport)
  importPrevious(@Payload() req: Req<typeof Rpc.ResultsImport>, @Ctx() ctx: CallContext) {
    return this.results.importPrevious(req, ctx);
  }

  @MessagePattern(Rpc.RescoreStart)
  rescore(@Payload() req: Req<typeof Rpc.RescoreStart>, @Ctx() ctx: CallContext) {
    return this.rescores.start(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.RescoreGet)
  rescoreStatus(@Payload() req: Req<typeof Rpc.RescoreGet>, @Ctx() ctx: CallContext) {
    return this.rescores.status(req.cycleId, ctx);
  }

  @MessagePattern(Rpc.ScoringFailureList)
  failures(@Payload() req: Req<typeof Rpc.ScoringFailureList>, @Ctx() ctx: CallContext) {
    return this.results.failuresOf(req.cycleId, ctx);
  }
}
