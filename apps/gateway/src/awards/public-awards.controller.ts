import { Controller, Get, Logger, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, Rpc } from '@dg/contracts';
import type { RpcResponse } from '@dg/contracts';
import { Public, RpcClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { ApiCycleParam, ParseCycleIdPipe } from '../http/params';
import { ApiProblems } from '../openapi';
import { AnonymousCtx } from '../scoring/public-results.controller';
import { PublicWinnersDto } from './awards.dto';

/**
 * The announced winners for everyone, without login, like the published results: the awards
 * service is told the caller is `ANONYMOUS_ACTOR` (an agency role without an agency), never a user
 * and never `system`.
 */
@ApiTags('public')
@ApiProblems('SERVICE_UNAVAILABLE')
@Controller('public/cycles')
export class PublicAwardsController {
  private readonly logger = new Logger('PublicAwards');

  constructor(private readonly rpc: RpcClient) {}

  @Get(':id/awards')
  @Public()
  @ApiOperation({
    summary: 'Announced award winners, no login · ผลรางวัลที่ประกาศแล้ว (ไม่ต้องเข้าสู่ระบบ)',
    description:
      'Per category its key, Thai and English name and winners (rank, shared when tied), once the awards are ' +
      'announced; before that 404 AWARDS_NOT_ANNOUNCED. Nothing of the candidates, votes or conflicts.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: PublicWinnersDto })
  @ApiProblems('CYCLE_NOT_FOUND', 'AWARDS_NOT_ANNOUNCED')
  async winners(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @AnonymousCtx() ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.AwardsPublic>> {
    const winners = await this.rpc.call(Rpc.AwardsPublic, { cycleId }, ctx);
    // The contract requires `announcedAt`; an empty one would still mean "not announced", and
    // winners not announced do not leave through a route without login.
    if (!winners.announcedAt) {
      this.logger.error(
        { correlationId: ctx.correlationId, cycleId },
        `${Rpc.AwardsPublic} answered winners without an announcement; refused`,
      );
      throw new DomainError('AWARDS_NOT_ANNOUNCED');
    }
    return winners;
  }
}
