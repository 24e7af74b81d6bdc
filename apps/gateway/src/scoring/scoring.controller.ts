import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Rpc } from '@dg/contracts';
import type { RescoreStatus } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { API_PREFIX } from '../bootstrap';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { ApiCycleParam, ApiUuidParam, ParseCycleIdPipe, ParseIdPipe } from '../http/params';
import { readSingleFile } from '../http/upload';
import { ApiFileUpload, ApiProblems, ApiProblemsOf } from '../openapi';
import { ScoringFilesService } from './scoring-files.service';
import {
  PublishSummaryDto,
  RescoreStatusDto,
  ResultsDto,
  ResultsImportQueryDto,
  ResultsImportReportDto,
  ResultsQueryDto,
  RuleSetRecordDto,
  ScorecardDto,
  ScoringFailureListDto,
  ScoringRulesDto,
} from './scoring.dto';

/** Publication freezes every scorecard of the cycle in one go: more than the default 10 s. */
export const PUBLISH_RPC_TIMEOUT_MS = 60_000;

/**
 * Scores of a cycle (owned by the scoring service): scorecards, results (rankings and statistics
 * by group, ministry and province), rescoring, publication, the scoring rules and the previous
 * cycle's results for year-over-year change. The gateway checks the route's roles and passes the
 * actor on; the scoring service re-checks them and scopes coordinators and approvers to their own
 * agency's scorecard, once published (another agency's card, or an unpublished one, is 404).
 */
@ApiTags('scoring')
@Controller('cycles/:id')
export class ScoringController {
  constructor(
    private readonly rpc: ServiceClient,
    private readonly files: ScoringFilesService,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @Get('scorecards/:agencyId')
  @Allow('dga_admin', 'operator', 'committee', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'Scorecard of an agency · ผลคะแนนของหน่วยงาน',
    description:
      'Pillar and overall scores, the maturity level and every point explained (per question: points, maximum, ' +
      'outcome and the reason in Thai and English). Coordinators and approvers see only their own agency’s card, and ' +
      'only once the results are published; anything else is 404 SCORECARD_NOT_FOUND.',
  })
  @ApiCycleParam()
  @ApiUuidParam('agencyId', 'agency id')
  @ApiOkResponse({ type: ScorecardDto })
  @ApiProblemsOf(Rpc.ScorecardGet)
  scorecard(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', new ParseIdPipe('SCORECARD_NOT_FOUND')) agencyId: string,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ScorecardGet, { cycleId, agencyId }, ctx);
  }

  @Get('results')
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({
    summary: 'Results: rankings and statistics by group, ministry and province · ผลการสำรวจ อันดับและสถิติ',
    description:
      'Provisional until published (`status`). Statistics for everyone, each agency group, ministry and province ' +
      '(mean, median, quartiles, levels, change against the previous cycle); rankings within each agency group, ' +
      'best first, paged (`page`, `pageSize` ≤ 500) and filtered by `group`, `ministryId`, `province` (ISO 3166-2:TH code).',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ResultsDto })
  @ApiProblemsOf(Rpc.ResultsGet)
  results(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ResultsQueryDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ResultsGet, { ...query, cycleId }, ctx);
  }

  @Post('rescore')
  @Allow('dga_admin', 'operator')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rescore every response of the cycle · คำนวณคะแนนใหม่ทั้งรอบการสำรวจ',
    description:
      'Starts a rescore with the current rules and answers 202 at once with its status; follow it with ' +
      '`GET /cycles/:id/rescore` (the `Location` header). One at a time per cycle (409 RESCORE_RUNNING); ' +
      'published results are frozen (409 RESULTS_PUBLISHED).',
  })
  @ApiCycleParam()
  @ApiAcceptedResponse({ type: RescoreStatusDto })
  @ApiProblemsOf(Rpc.RescoreStart)
  async rescore(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RescoreStatus> {
    const status = await this.rpc.call(Rpc.RescoreStart, { cycleId }, ctx);
    void reply.header('location', `/${API_PREFIX}/cycles/${encodeURIComponent(cycleId)}/rescore`);
    return status;
  }

  @Get('rescore')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'Progress of the latest rescore · ความคืบหน้าการคำนวณคะแนนใหม่',
    description: '`state` (queued, running, completed, failed) with `total`, `done` and `failed` responses.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: RescoreStatusDto })
  @ApiProblemsOf(Rpc.RescoreGet)
  rescoreStatus(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.RescoreGet, { cycleId }, ctx);
  }

  @Post('results/publish')
  @Allow('dga_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish the results · ประกาศผลการสำรวจ',
    description:
      'Only in the real order: the cycle closed (else 409 CYCLE_NOT_CLOSED) and every submitted response verified or ' +
      'set aside (else 409 RESPONSES_NOT_VERIFIED with `blockingCount`, `byReason` and the first 50 `agencies`; ' +
      'see `GET /cycles/:id/publication-readiness`). Freezes every scorecard of the cycle: afterwards no rescore ' +
      'and no rules change (409 RESULTS_PUBLISHED), agencies see their own scorecards, `GET /public/cycles/:id/results` ' +
      'answers without login, and the contacts of every agency that answered (only those) are told.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: PublishSummaryDto })
  @ApiProblemsOf(Rpc.ResultsPublish)
  publish(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.ResultsPublish, { cycleId }, ctx, PUBLISH_RPC_TIMEOUT_MS);
  }

  @Get('scoring-rules')
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({
    summary: 'The scoring rules of the cycle · เกณฑ์การให้คะแนนของรอบการสำรวจ',
    description: 'The latest version of the rules, with who stored it and when.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: RuleSetRecordDto })
  @ApiProblemsOf(Rpc.ScoringRulesGet)
  rules(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.ScoringRulesGet, { cycleId }, ctx);
  }

  @Put('scoring-rules')
  @Allow('dga_admin')
  @ApiOperation({
    summary: 'Set the scoring rules of the cycle · กำหนดเกณฑ์การให้คะแนนของรอบการสำรวจ',
    description:
      'The body is the rules document itself (survey-model format), up to the 512 KiB JSON limit (413 PAYLOAD_TOO_LARGE beyond). The rules are validated ' +
      "against the cycle's questionnaire by the scoring service: any problem rejects them with 422 SCORING_RULES_INVALID, " +
      'and every problem is listed in `errors[]` (`path`, `code`, `message`). Each accepted document is a new version; ' +
      'once results are published the rules are frozen (409 RESULTS_PUBLISHED).',
  })
  @ApiCycleParam()
  @ApiBody({ type: ScoringRulesDto })
  @ApiOkResponse({ type: RuleSetRecordDto })
  @ApiProblemsOf(Rpc.ScoringRulesPut)
  @ApiProblems('PAYLOAD_TOO_LARGE')
  putRules(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() rules: ScoringRulesDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ScoringRulesPut, { cycleId, rules }, ctx);
  }

  @Get('scoring-failures')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'Responses that could not be scored · รายการคำตอบที่คำนวณคะแนนไม่สำเร็จ',
    description: 'Per response and version: the error code and message, attempts and when it last failed.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ScoringFailureListDto })
  @ApiProblemsOf(Rpc.ScoringFailureList)
  failures(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.ScoringFailureList, { cycleId }, ctx);
  }

  @Post('results/import')
  @Allow('dga_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import the previously published results of a cycle · นำเข้าผลการสำรวจที่ประกาศแล้วของรอบก่อน',
    description:
      'Multipart field `file`: the results of cycle `:id` as published before the platform (CSV, UTF-8 or ' +
      'Windows-874/TIS-620), used for the year-over-year change of the following cycle. The type is recognised from ' +
      'the content (other binary files are 415). Any bad row rejects the file with 422 IMPORT_INVALID listing every ' +
      'bad row in `errors[]`; `dryRun=true` checks and reports without saving.',
  })
  @ApiCycleParam()
  @ApiFileUpload()
  @ApiOkResponse({ type: ResultsImportReportDto })
  @ApiProblemsOf(Rpc.ResultsImport)
  @ApiProblems('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async importResults(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ResultsImportQueryDto,
    @Req() req: FastifyRequest,
    @Ctx() ctx: CallContext,
  ) {
    const upload = await readSingleFile(req, 'file', this.config.importMaxBytes);
    return this.files.importResults(cycleId, upload, query.dryRun, ctx);
  }
}
