import {
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  Logger,
  Param,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, Rpc } from '@dg/contracts';
import type { Actor, Results } from '@dg/contracts';
import { Public, ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { ApiCycleParam, ParseCycleIdPipe } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import { ResultsDto, ResultsQueryDto } from './scoring.dto';

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

/** Published results for everyone, without login (the portal's public pages, the press, researchers). */
@ApiTags('public')
@Controller('public/cycles')
export class PublicResultsController {
  private readonly logger = new Logger('PublicResults');

  constructor(private readonly rpc: ServiceClient) {}

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
}
