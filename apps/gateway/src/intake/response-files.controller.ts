import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Rpc } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { ApiCycleParam, ApiUuidParam, ParseCycleIdPipe, ParseIdPipe } from '../http/params';
import { contentDisposition, safeContentType } from '../http/transfer';
import { readSingleFile } from '../http/upload';
import { ApiFileDownload, ApiFileUpload, ApiProblems, ApiProblemsOf } from '../openapi';
import { CONTENT_TYPES } from '../registry/file-format';
import { ActorNames } from './actor-names';
import { IntakeFilesService } from './intake-files.service';
import { EvidenceDto, EvidenceListDto, EvidenceUploadQueryDto, ResponseExportQueryDto } from './intake.dto';

/**
 * Files of the survey: the responses export and evidence uploads and downloads. Declared before
 * ResponsesController: `/cycles/:id/responses/export` is a static segment (Fastify prefers it
 * anyway, and `:agencyId` only takes UUIDs, so it could never be mistaken for an agency).
 */
@ApiTags('responses')
@Controller()
export class ResponseFilesController {
  constructor(
    private readonly files: IntakeFilesService,
    private readonly rpc: ServiceClient,
    private readonly names: ActorNames,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @Get('cycles/:id/responses/export')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'Export every answer of a cycle as CSV or XLSX · ส่งออกคำตอบทั้งหมดของรอบการสำรวจ',
    description:
      'Streamed as an attachment. CSV is long (one row per agency and question, column `personal_data` true on a ' +
      'row that holds personal data); XLSX is wide (one row per agency) with a sheet `about` that says what the file ' +
      'holds. **Personal data (PDPA):** the answers to questions the questionnaire marks `personalData` (the ' +
      'coordinators’ names, positions, e-mails and phone numbers, the CIO’s name) are exported to a DGA admin only; ' +
      'an operator’s export leaves them out. The `x-personal-data` header says which (`included` or `excluded`), and ' +
      'an export that includes them is named `responses-<cycle>-personal-data.<format>`. **Formula injection:** in ' +
      "CSV, a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a spreadsheet shows it as " +
      'text (OWASP); numbers stay numbers. XLSX cells are typed, so text is never a formula there.',
  })
  @ApiCycleParam()
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiFileDownload()
  @ApiResponse({
    status: 200,
    headers: {
      'x-personal-data': {
        description: 'Whether the file holds personal data (PDPA): `included` (DGA admin) or `excluded`',
        schema: { type: 'string', enum: ['included', 'excluded'] },
      },
    },
  })
  @ApiProblemsOf(Rpc.ResponseExport)
  async export(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ResponseExportQueryDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { file, stream } = await this.files.exportResponses(cycleId, query.format, ctx);
    void reply
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('x-personal-data', file.personalData.included ? 'included' : 'excluded');
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
      'quota (413 EVIDENCE_TOO_LARGE). Attach it to the answer by autosaving the question with the evidence id. ' +
      'Only while the agency may change its answers (not started, in progress, returned): once sent for approval or ' +
      'submitted, 409 RESPONSE_LOCKED with `status`.',
  })
  @ApiCycleParam()
  @ApiUuidParam('agencyId', 'agency id')
  @ApiFileUpload()
  @ApiCreatedResponse({ type: EvidenceDto })
  @ApiProblemsOf(Rpc.EvidenceUpload)
  @ApiProblems('PAYLOAD_TOO_LARGE')
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

  @Get('cycles/:id/responses/:agencyId/evidence')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({
    summary: "A response's evidence files · รายการไฟล์หลักฐานของคำตอบ",
    description:
      'Every file uploaded for the response, newest first: name, size, type, question, sha256, who uploaded it ' +
      '(`uploadedBy`, and `uploadedByName`, the account’s display name) and when, with `usedBytes` and ' +
      '`quotaBytes` of the agency for the cycle and `maxFileBytes`, the largest file an upload takes (the ' +
      'smaller of intake’s `EVIDENCE_MAX_BYTES` and the gateway’s `IMPORT_MAX_BYTES`): the portal checks a file ' +
      'against these before sending it. Another agency is 404.',
  })
  @ApiCycleParam()
  @ApiUuidParam('agencyId', 'agency id')
  @ApiOkResponse({ type: EvidenceListDto })
  @ApiProblemsOf(Rpc.EvidenceList)
  async listEvidence(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', new ParseIdPipe('RESPONSE_NOT_FOUND')) agencyId: string,
    @Ctx() ctx: CallContext,
  ) {
    const list = await this.rpc.call(Rpc.EvidenceList, { cycleId, agencyId }, ctx);
    // An upload passes the gateway's multipart limit before intake's own: the smaller one decides.
    const maxFileBytes = Math.min(list.maxFileBytes, this.config.importMaxBytes);
    return this.names.evidence({ ...list, maxFileBytes });
  }

  @Delete('evidence/:id')
  @Allow('coordinator')
  @ApiOperation({
    summary: 'Delete an evidence file · ลบไฟล์หลักฐาน',
    description:
      'The agency’s coordinator deletes a file while the response is editable (not started, in progress, ' +
      'returned), freeing its quota; an answer that named it no longer does (the response’s version moves ' +
      'on). Once sent for approval, submitted or verified: 409 RESPONSE_LOCKED. Kept in the response’s audit ' +
      'trail (`evidence.deleted`, as every upload is `evidence.uploaded`). Another agency’s file is 404.',
  })
  @ApiUuidParam('id', 'evidence id')
  @ApiOkResponse({ type: EvidenceDto, description: 'The deleted file' })
  @ApiProblemsOf(Rpc.EvidenceDelete)
  deleteEvidence(@Param('id', new ParseIdPipe('EVIDENCE_NOT_FOUND')) id: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.EvidenceDelete, { id }, ctx);
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
  @ApiProblemsOf(Rpc.EvidenceGet)
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
