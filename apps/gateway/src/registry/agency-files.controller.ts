import { Controller, Get, HttpCode, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Rpc } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { InjectConfig } from '../config';
import type { GatewayConfig } from '../config';
import { readSingleFile } from '../http/upload';
import { ApiFileDownload, ApiFileUpload, ApiProblems, ApiProblemsOf } from '../openapi';
import { AgencyFilesService } from './agency-files.service';
import { CONTENT_TYPES, contentDisposition } from './file-format';
import { AgencyImportReportDto, ExportQueryDto, ImportQueryDto } from './registry.dto';

/** Bulk import and export of the registry. Static paths: never captured by `/agencies/:id`. */
@ApiTags('registry')
@Controller('agencies')
export class AgencyFilesController {
  constructor(
    private readonly files: AgencyFilesService,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @Post('import')
  @Allow('dga_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import agencies from CSV or XLSX · นำเข้าหน่วยงานจากไฟล์ CSV หรือ XLSX',
    description:
      'Multipart field `file`: CSV (UTF-8 or Windows-874/TIS-620) or XLSX, recognised from the content. ' +
      'All rows or none: any bad row rejects the file with 422 IMPORT_INVALID listing every bad row in `errors[]`. ' +
      '`dryRun=true` checks and reports without saving.',
  })
  @ApiFileUpload()
  @ApiOkResponse({ type: AgencyImportReportDto })
  @ApiProblemsOf(Rpc.AgencyImport)
  @ApiProblems('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async import(@Query() query: ImportQueryDto, @Req() req: FastifyRequest, @Ctx() ctx: CallContext) {
    const upload = await readSingleFile(req, 'file', this.config.importMaxBytes);
    return this.files.import(upload, query.dryRun, ctx);
  }

  @Get('export')
  @Allow('dga_admin', 'operator')
  @ApiOperation({ summary: 'Export the registry as a file · ส่งออกทะเบียนหน่วยงานเป็นไฟล์' })
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiFileDownload()
  @ApiProblemsOf(Rpc.AgencyExport)
  async export(
    @Query() query: ExportQueryDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { file, stream } = await this.files.export(query.format, ctx);
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    return new StreamableFile(stream, {
      type: file.contentType,
      disposition: contentDisposition(file.fileName),
    });
  }
}
