import { Controller, Get, Logger, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CertificateNumber, DomainError, Rpc } from '@dg/contracts';
import type { RpcResponse } from '@dg/contracts';
import { Public, ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { ApiCycleParam, ParseCycleIdPipe } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import { AnonymousCtx } from '../scoring/public-results.controller';
import { CertificateCheckDto, PublicWinnersDto } from './awards.dto';

/**
 * The announced winners for everyone, without login, like the published results: the awards
 * service is told the caller is `ANONYMOUS_ACTOR` (an agency role without an agency), never a user
 * and never `system`.
 */
@ApiTags('public')
@Controller('public/cycles')
export class PublicAwardsController {
  private readonly logger = new Logger('PublicAwards');

  constructor(private readonly rpc: ServiceClient) {}

  @Get(':id/awards')
  @Public()
  @ApiOperation({
    summary: 'Announced award winners, no login · ผลรางวัลที่ประกาศแล้ว (ไม่ต้องเข้าสู่ระบบ)',
    description:
      'Per category its key, Thai and English name and winners (rank, shared when tied, the certificate number ' +
      'once the certificate is made), once the awards are ' +
      'announced; before that 404 AWARDS_NOT_ANNOUNCED. Nothing of the candidates, votes or conflicts.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: PublicWinnersDto })
  @ApiProblemsOf(Rpc.AwardsPublic)
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

/**
 * The check of a certificate number printed on a certificate (the portal's `/certificates/:number`
 * page asks this), without login: genuine with who won what and when, or 404.
 */
@ApiTags('public')
@Controller('certificates')
export class PublicCertificatesController {
  constructor(private readonly rpc: ServiceClient) {}

  @Get(':number')
  @Public()
  @ApiOperation({
    summary: 'Check a certificate number, no login · ตรวจสอบเลขที่เกียรติบัตร (ไม่ต้องเข้าสู่ระบบ)',
    description:
      'The number printed on a certificate (e.g. `DGA-2565-top-department-001`). A genuine one answers the agency ' +
      '(code and name), the award category (key, Thai and English name), the cycle and its Buddhist Era year, the ' +
      'rank (shared when tied), when the awards were announced and when the certificate was issued. A number never ' +
      'issued, or not in that form, is 404 CERTIFICATE_NOT_FOUND.',
  })
  @ApiParam({ name: 'number', type: String, description: 'the certificate number as printed' })
  @ApiOkResponse({ type: CertificateCheckDto })
  @ApiProblemsOf(Rpc.AwardCertificateCheck)
  async check(
    @Param('number') number: string,
    @AnonymousCtx() ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.AwardCertificateCheck>> {
    // A malformed number is no certificate either: the same answer as an unknown one.
    const parsed = CertificateNumber.safeParse(number);
    if (!parsed.success) throw new DomainError('CERTIFICATE_NOT_FOUND');
    return this.rpc.call(Rpc.AwardCertificateCheck, { number: parsed.data }, ctx);
  }
}

