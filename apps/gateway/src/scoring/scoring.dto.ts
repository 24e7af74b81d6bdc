import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  Methodology,
  PreviousResultsImportReport,
  PublishedCycles,
  PublishSummary,
  RescoreStatus,
  Results,
  ResultsQuery,
  Rpc,
  RpcSchemas,
  RuleSetRecord,
  ScorecardRecord,
} from '@dg/contracts';
import { ImportQuery } from '../registry/registry.dto';

/**
 * HTTP shapes of the scoring routes: the contract's schemas (so HTTP and NATS check the same
 * thing), less what the path carries (the cycle id).
 */

/** `?group=&ministryId=&province=&q=&page=&pageSize=`: the contract's ResultsQuery without the cycle id. */
export const ResultsHttpQuery = ResultsQuery.omit({ cycleId: true });

/**
 * The rules document itself (the `@dg/survey-model` scoring rules: method, weights, levels,
 * hidden-question handling...). The gateway only checks that it is a JSON object; the scoring
 * service validates it against the cycle's questionnaire and answers 422 SCORING_RULES_INVALID
 * listing every problem in `errors[]`.
 */
export const ScoringRulesBody = z
  .record(z.string(), z.unknown())
  .describe(
    "A scoring rules document in the survey-model format, for the cycle's questionnaire (validated by the scoring service)",
  );

/** `?dryRun=true`: check and report, save nothing (the same query as the registry import). */
export const ResultsImportQuery = ImportQuery;

export const ScoringFailureList = RpcSchemas[Rpc.ScoringFailureList].response;

export class ResultsQueryDto extends createZodDto(ResultsHttpQuery) {}
export class ScoringRulesDto extends createZodDto(ScoringRulesBody) {}
export class ResultsImportQueryDto extends createZodDto(ResultsImportQuery) {}

export class ScorecardDto extends createZodDto(ScorecardRecord) {}
export class ResultsDto extends createZodDto(Results) {}
export class PublishedCyclesDto extends createZodDto(PublishedCycles) {}
export class MethodologyDto extends createZodDto(Methodology) {}
export class RescoreStatusDto extends createZodDto(RescoreStatus) {}
export class PublishSummaryDto extends createZodDto(PublishSummary) {}
export class RuleSetRecordDto extends createZodDto(RuleSetRecord) {}
export class ScoringFailureListDto extends createZodDto(ScoringFailureList) {}
export class ResultsImportReportDto extends createZodDto(PreviousResultsImportReport) {}
