import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { RescoreService } from './rescore/rescore.service';
import { ResultsService } from './results/results.service';
import { RulesService } from './rules/rules.service';

type Req<S extends Parameters<typeof RpcHandler>[0]> = RpcRequestParsed<S>;

/** NATS entry points of scoring; requests arrive validated against the contracts. */
@Injectable()
export class ScoringMessages {
  constructor(
    private readonly rules: RulesService,
    private readonly results: ResultsService,
    private readonly rescores: RescoreService,
  ) {}

  @RpcHandler(Rpc.ScoringRulesPut)
  putRules(req: Req<typeof Rpc.ScoringRulesPut>, ctx: CallContext) {
    return this.rules.put(req.cycleId, req.rules, ctx);
  }

  @RpcHandler(Rpc.ScoringRulesGet)
  getRules(req: Req<typeof Rpc.ScoringRulesGet>, ctx: CallContext) {
    return this.rules.get(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.ScorecardGet)
  scorecard(req: Req<typeof Rpc.ScorecardGet>, ctx: CallContext) {
    return this.results.scorecard(req.cycleId, req.agencyId, ctx);
  }

  @RpcHandler(Rpc.ResultsGet)
  getResults(req: Req<typeof Rpc.ResultsGet>, ctx: CallContext) {
    return this.results.get(req, ctx);
  }

  @RpcHandler(Rpc.ResultsPublic)
  publicResults(req: Req<typeof Rpc.ResultsPublic>) {
    return this.results.public(req);
  }

  @RpcHandler(Rpc.ResultsPublish)
  publish(req: Req<typeof Rpc.ResultsPublish>, ctx: CallContext) {
    return this.results.publish(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.ResultsImport)
  importPrevious(req: Req<typeof Rpc.ResultsImport>, ctx: CallContext) {
    return this.results.importPrevious(req, ctx);
  }

  @RpcHandler(Rpc.RescoreStart)
  rescore(req: Req<typeof Rpc.RescoreStart>, ctx: CallContext) {
    return this.rescores.start(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.RescoreGet)
  rescoreStatus(req: Req<typeof Rpc.RescoreGet>, ctx: CallContext) {
    return this.rescores.status(req.cycleId, ctx);
  }

  @RpcHandler(Rpc.ScoringFailureList)
  failures(req: Req<typeof Rpc.ScoringFailureList>, ctx: CallContext) {
    return this.results.failuresOf(req.cycleId, ctx);
  }
}
