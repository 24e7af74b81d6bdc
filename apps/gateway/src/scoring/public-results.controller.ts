import {
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  Injectable,
  Logger,
  Param,
  PipeTransform,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AgencyCode, DomainError, Rpc } from '@dg/contracts';
import type { Actor, ErrorCode, Methodology, PublishedCycles, Results, ScorecardRecord } from '@dg/contracts';
import { Public, ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { ApiCycleParam, ParseCycleIdPipe } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import { MethodologyDto, PublishedCyclesDto, ResultsDto, ResultsQueryDto, ScorecardDto } from './scoring.dto';

/**
 * Who the scoring service is told is asking on a route without login. Every RPC must carry an
 * actor, and the contract has no "anonymous" role, so this is the least privileged one there is:
 * an agency role WITHOUT an agency. Every role check for staff fails with it, and any agency
 * scoping (`agencyScope`) refuses it, so a mistake on the service's side fails closed instead of
 * showing more than the published results. Never `SYSTEM_ACTOR` (which may do anything).
 */
export const ANONYMOUS_ACTOR: Actor = { id: 'anonymous', roles: ['coordinator'], agencyId: null };

/** The call context of a route without login: the request's correlation id and {@link ANONYMOUS_ACTOR}. */
export const AnonymousCtx = createParamDecorator((_: unknown, host: ExecutionContext): CallContext => ({
  correlationId: String(host.switchToHttp().getRequest<FastifyRequest>().id),
  actor: ANONYMOUS_ACTOR,
}));

/**
 * An agency code in a public path (`D001`): a malformed one names no published scorecard, so it
 * is answered like an unknown one (404 SCORECARD_NOT_FOUND).
 */
@Injectable()
export class ParseAgencyCodePipe implements PipeTransform<unknown, string> {
  static readonly problemCodes: readonly ErrorCode[] = ['SCORECARD_NOT_FOUND'];

  get problemCodes(): readonly ErrorCode[] {
    return ParseAgencyCodePipe.problemCodes;
  }

  transform(value: unknown): string {
    const parsed = AgencyCode.safeParse(value);
    if (!parsed.success || parsed.data !== value) throw new DomainError('SCORECARD_NOT_FOUND');
    return parsed.data;
  }
}

/**
 * Published results for everyone, without login (the portal's public pages, the press,
 * researchers), and how scores are made (public from the moment a cycle has its questionnaire
 * and rules, so agencies read it before answering).
 */
@ApiTags('public')
@Controller('public/cycles')
export class PublicResultsController {
  private readonly logger = new Logger('PublicResults');

  constructor(private readonly rpc: ServiceClient) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Cycles with published results, no login · รอบการสำรวจที่ประกาศผลแล้ว (ไม่ต้องเข้าสู่ระบบ)',
    description:
      '`items`: each cycle whose results are published, latest publication first: `id`, `yearBE` (Buddhist Era), ' +
      '`title` (Thai and English) and `publishedAt`. Empty before the first publication.',
  })
  @ApiOkResponse({ type: PublishedCyclesDto })
  @ApiProblemsOf(Rpc.ResultsPublishedCycles)
  cycles(@AnonymousCtx() ctx: CallContext): Promise<PublishedCycles> {
    return this.rpc.call(Rpc.ResultsPublishedCycles, {}, ctx);
  }

  @Get(':id/results')
  @Public()
  @ApiOperation({
    summary: 'Published results, no login · ผลการสำรวจที่ประกาศแล้ว (ไม่ต้องเข้าสู่ระบบ)',
    description:
      'The same shape and query as `GET /cycles/:id/results`, once the results are published; before that ' +
      '404 RESULTS_NOT_PUBLISHED.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ResultsDto })
  @ApiProblemsOf(Rpc.ResultsPublic)
  async results(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ResultsQueryDto,
    @AnonymousCtx() ctx: CallContext,
  ): Promise<Results> {
    const results = await this.rpc.call(Rpc.ResultsPublic, { ...query, cycleId }, ctx);
    // The scoring service answers this subject with published results only; should it ever hand
    // back provisional ones, they still do not leave through a route without login.
    if (results.status !== 'published') {
      this.logger.error(
        { correlationId: ctx.correlationId, cycleId, status: results.status },
        `${Rpc.ResultsPublic} answered unpublished results; refused`,
      );
      throw new DomainError('RESULTS_NOT_PUBLISHED');
    }
    return results;
  }

  @Get(':id/scorecards/:agencyCode')
  @Public()
  @ApiOperation({
    summary: "An agency's published scorecard, no login · ผลคะแนนของหน่วยงานที่ประกาศแล้ว (ไม่ต้องเข้าสู่ระบบ)",
    description:
      'By agency CODE (e.g. `D001`). The same shape as `GET /cycles/:id/scorecards/:agencyId`: the card that was ' +
      'published (pillar and overall scores, level and band, every question with its points, most points, outcome ' +
      'and the reason in Thai and English). Before publication 404 RESULTS_NOT_PUBLISHED; an agency with no ' +
      'published card (unknown code, not in the cohort, not scored) 404 SCORECARD_NOT_FOUND.',
  })
  @ApiCycleParam()
  @ApiParam({ name: 'agencyCode', type: String, description: 'The agency code, e.g. `D001`' })
  @ApiOkResponse({ type: ScorecardDto })
  @ApiProblemsOf(Rpc.ScorecardPublic)
  async scorecard(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyCode', ParseAgencyCodePipe) agencyCode: string,
    @AnonymousCtx() ctx: CallContext,
  ): Promise<ScorecardRecord> {
    const card = await this.rpc.call(Rpc.ScorecardPublic, { cycleId, agencyCode }, ctx);
    // As for the results: a card that is not the published one does not leave without login.
    if (!card.published) {
      this.logger.error(
        { correlationId: ctx.correlationId, cycleId, agencyCode },
        `${Rpc.ScorecardPublic} answered an unpublished scorecard; refused`,
      );
      throw new DomainError('RESULTS_NOT_PUBLISHED');
    }
    return card;
  }

  @Get(':id/methodology')
  @Public()
  @ApiOperation({
    summary: 'How scores are made, no login · วิธีคิดคะแนน (ไม่ต้องเข้าสู่ระบบ)',
    description:
      "Generated from the cycle's questionnaire and scoring rules (data only, for the portal to put into words): " +
      'pillars → indicators → questions (text in Thai and English, type, condition, options with their points, ' +
      'rubric, most points, weight and where it comes from), and the rules: method, levels and bands with their ' +
      'ranges, rounding (mode, places of scores, points, statistics, year-on-year change, standardised index), ' +
      'ranking and tie order, the standardised method when used, how hidden, not-applicable, unanswered, rejected ' +
      'and excluded answers count, what counts as an answer and how conditions compare. Public as soon as the cycle ' +
      'has a questionnaire and rules, before anyone answers; until then 404 METHODOLOGY_NOT_READY.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: MethodologyDto })
  @ApiProblemsOf(Rpc.MethodologyPublic)
  methodology(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @AnonymousCtx() ctx: CallContext,
  ): Promise<Methodology> {
    return this.rpc.call(Rpc.MethodologyPublic, { cycleId }, ctx);
  }
}
