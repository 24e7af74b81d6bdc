import { Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, Rpc } from '@dg/contracts';
import { FileTransfer, ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiCycleParam, ApiUuidParam, ParseCycleIdPipe, ParseIdPipe } from '../http/params';
import { contentDisposition, openDownload } from '../http/transfer';
import { ApiFileDownload, ApiProblemsOf } from '../openapi';
import { AwardsOverviewDto, PublicWinnersDto } from './awards.dto';

/** Computing candidates reads every scorecard of the cycle for every category: more than the default 10 s. */
export const CANDIDATES_RPC_TIMEOUT_MS = 60_000;
/** Announcing freezes every category of the cycle in one go. */
export const ANNOUNCE_RPC_TIMEOUT_MS = 60_000;
/** A certificate may be rendered while the gateway waits. */
export const CERTIFICATE_RPC_TIMEOUT_MS = 60_000;
/** What the gateway tells a client to wait before asking again for a certificate being made. */
export const CERTIFICATE_RETRY_AFTER_SECONDS = 10;

/** Every certificate is a PDF: the route promises it, whatever label the stored object carries. */
export const CERTIFICATE_CONTENT_TYPE = 'application/pdf';

/**
 * The awards of a cycle (owned by the awards service): candidates per category from the scores,
 * the state of every category, the announcement, and the winners' certificates, streamed from the
 * platform's transfer bucket like the exports. The awards service re-checks the roles and hides
 * another agency's certificate from coordinators and approvers.
 */
@ApiTags('awards')
@Controller('cycles/:id/awards')
export class AwardsController {
  constructor(
    private readonly rpc: ServiceClient,
    private readonly files: FileTransfer,
  ) {}

  @Post('candidates')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Compute the candidates of every award category · คำนวณรายชื่อผู้มีสิทธิ์ได้รับรางวัลทุกประเภท',
    description:
      'Ranks the agencies of the cycle in every category by its metric, after its eligibility rules (each ' +
      'ineligible agency with its reasons in Thai and English) and tie-breaks. Computing again replaces the ' +
      'candidates of categories not decided yet. Answers with the state of every category.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: AwardsOverviewDto })
  @ApiProblemsOf(Rpc.AwardCandidatesCompute)
  candidates(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AwardCandidatesCompute, { cycleId }, ctx, CANDIDATES_RPC_TIMEOUT_MS);
  }

  @Get()
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({
    summary: 'The state of every award category · สถานะการพิจารณารางวัลทุกประเภท',
    description:
      'Per category: its rules, `status` (draft, candidates, decided, announced), the candidates with their rank, ' +
      'the decisions so far, the conflicts of interest (member ids per agency) and the winners; `announcedAt` ' +
      'once announced.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: AwardsOverviewDto })
  @ApiProblemsOf(Rpc.AwardsOverview)
  overview(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AwardsOverview, { cycleId }, ctx);
  }

  @Post('announce')
  @Allow('dga_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Announce the awards · ประกาศผลรางวัล',
    description:
      'Needs every category decided (else 409 AWARD_CATEGORIES_UNDECIDED, naming them in `undecided`), the cycle ' +
      'closed (409 CYCLE_NOT_CLOSED) and every submitted response verified or set aside (409 RESPONSES_NOT_VERIFIED, ' +
      'as for publishing the results; see `GET /cycles/:id/publication-readiness`); afterwards ' +
      'nothing about the awards changes (409 ' +
      'AWARDS_ANNOUNCED), the winners are public (`GET /public/cycles/:id/awards`) and their certificates are made.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: PublicWinnersDto })
  @ApiProblemsOf(Rpc.AwardsAnnounce)
  announce(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.AwardsAnnounce, { cycleId }, ctx, ANNOUNCE_RPC_TIMEOUT_MS);
  }

  @Get(':categoryId/certificates/:agencyId')
  @Allow('dga_admin', 'operator', 'committee', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'Certificate of a winning agency (PDF) · เกียรติบัตรของหน่วยงานที่ได้รับรางวัล',
    description:
      'The PDF as an attachment, named in Thai. Coordinators and approvers get their own agency’s certificates ' +
      'only (anything else is 404). Before the announcement 404 AWARDS_NOT_ANNOUNCED; while the certificate is ' +
      'still being made 409 CERTIFICATE_NOT_READY with `Retry-After`.',
  })
  @ApiCycleParam()
  @ApiUuidParam('categoryId', 'award category id')
  @ApiUuidParam('agencyId', 'agency id')
  @ApiProduces(CERTIFICATE_CONTENT_TYPE)
  @ApiFileDownload('The certificate (PDF), as an attachment')
  @ApiProblemsOf(Rpc.AwardCertificateGet)
  async certificate(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('categoryId', new ParseIdPipe('AWARD_CATEGORY_NOT_FOUND')) categoryId: string,
    @Param('agencyId', new ParseIdPipe('NOT_FOUND')) agencyId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.rpc
      .call(Rpc.AwardCertificateGet, { cycleId, categoryId, agencyId }, ctx, CERTIFICATE_RPC_TIMEOUT_MS)
      .catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'CERTIFICATE_NOT_READY') {
          void reply.header('retry-after', String(CERTIFICATE_RETRY_AFTER_SECONDS));
        }
        throw e;
      });
    const stream = await openDownload(this.files, file);
    void reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff');
    return new StreamableFile(stream, {
      type: CERTIFICATE_CONTENT_TYPE,
      disposition: contentDisposition(file.fileName),
    });
  }
}
