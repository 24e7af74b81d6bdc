import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { ApiCycleParam, ApiUuidParam, ParseCycleIdPipe, ParseIdPipe } from '../http/params';
import { contentDisposition, safeContentType } from '../http/transfer';
import { readSingleFile } from '../http/upload';
import { ApiFileDownload, ApiFileUpload, ApiProblems } from '../openapi';
import { CONTENT_TYPES } from '../registry/file-format';
import { IntakeFilesService } from './intake-files.service';
import { EvidenceDto, EvidenceUploadQueryDto, ResponseExportQueryDto } from './intake.dto';

/**
 * Files of the survey: the responses export and evidence uploads and downloads. Declared before
 * ResponsesController: `/cycles/:id/responses/export` is a static segment (Fastify prefers it
 * anyway, and `:agencyId` only takes UUIDs, so it could never be mistaken for an agency).
 */
@ApiTags('responses')
@ApiProblems('SERVICE_UNAVAILABLE')
@Controller()
export class ResponseFilesController {
  constructor(
    private readonly files: IntakeFilesService,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @Get('cycles/:id/responses/export')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'Export every answer of a cycle as CSV or XLSX · ส่งออกคำตอบทั้งหมดของรอบการสำรวจ',
    description: 'One row per agency and question; streamed as an attachment.',
  })
  @ApiCycleParam()
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiFileDownload()
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND')
  async export(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ResponseExportQueryDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { file, stream } = await this.files.exportResponses(cycleId, query.format, ctx);
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    return new StreamableFile(stream, {
      type: safeContentType(file.contentType),
      disposition: contentDisposition(file.fileName),
    });
  }

  @Post('cycles/:id/responses/:agencyId/evidence')
  @Allow('coordinator')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload an evidence file for a question · แนบไฟล์หลักฐานประกอบคำตอบ',
    description:
      'Multipart field `file`, `?questionId=` the evidence question. The type is recognised from the content by the ' +
      'intake service (the declared type and the name are ignored; the name is kept as a label), checked against what ' +
      'the question accepts (415 EVIDENCE_TYPE_NOT_ALLOWED), and the size against the evidence limit and the agency ' +
      'quota (413 EVIDENCE_TOO_LARGE). Attach it to the answer by autosaving the question with the evidence id.',
  })
  @ApiCycleParam()
  @ApiUuidParam('agencyId', 'agency id')
  @ApiFileUpload()
  @ApiCreatedResponse({ type: EvidenceDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_LOCKED',
    'PAYLOAD_TOO_LARGE',
    'EVIDENCE_TOO_LARGE',
    'EVIDENCE_TYPE_NOT_ALLOWED',
  )
  async uploadEvidence(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', new ParseIdPipe('RESPONSE_NOT_FOUND')) agencyId: string,
    @Query() query: EvidenceUploadQueryDto,
    @Req() req: FastifyRequest,
    @Ctx() ctx: CallContext,
  ) {
    const upload = await readSingleFile(req, 'file', this.config.importMaxBytes);
    return this.files.uploadEvidence({ cycleId, agencyId }, query.questionId, upload, ctx);
  }

  @Get('evidence/:id')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver', 'committee')
  @ApiOperation({
    summary: 'Download an evidence file · ดาวน์โหลดไฟล์หลักฐาน',
    description:
      'Always a download (`content-disposition: attachment`), with `x-content-type-options: nosniff` and ' +
      '`content-security-policy: sandbox`: an uploaded file is never rendered as a page of this site. ' +
      'Another agency’s evidence is 404.',
  })
  @ApiUuidParam('id', 'evidence id')
  @ApiProduces('application/octet-stream')
  @ApiFileDownload()
  @ApiProblems('EVIDENCE_NOT_FOUND')
  async downloadEvidence(
    @Param('id', new ParseIdPipe('EVIDENCE_NOT_FOUND')) id: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { file, stream } = await this.files.downloadEvidence(id, ctx);
    void reply
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('cross-origin-resource-policy', 'same-origin');
    return new StreamableFile(stream, {
      type: safeContentType(file.contentType),
      disposition: contentDisposition(file.fileName),
    });
  }
}
