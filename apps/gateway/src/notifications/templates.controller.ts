import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Rpc, TemplatePut } from '@dg/contracts';
import type { Template, TemplateKey } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiIfMatch, expectedVersion, withEtag } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import { TemplateDto, TemplatePreviewBodyDto, TemplatePreviewDto, TemplatePutDto } from './notifications.dto';
import { ApiTemplateKeyParam, ParseTemplateKeyPipe } from './params';

/**
 * Message templates (owned by the notifications service): per key, the Thai and English e-mail
 * subject, HTML and text bodies and LINE text, in Handlebars syntax. Versioned like cycles: reads
 * and writes answer with `ETag: "<version>"`, a write takes the version last read.
 */
@ApiTags('notifications')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly rpc: ServiceClient) {}

  @Get(':key')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'A message template · แม่แบบข้อความ',
    description:
      'The texts, the variables the template may use (with a description), `isDefault` while the shipped text is ' +
      'in use, and who changed it last. The ETag header carries the version.',
  })
  @ApiTemplateKeyParam()
  @ApiOkResponse({ type: TemplateDto })
  @ApiProblemsOf(Rpc.TemplateGet)
  async get(
    @Param('key', ParseTemplateKeyPipe) key: TemplateKey,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Template> {
    return withEtag(reply, await this.rpc.call(Rpc.TemplateGet, { key }, ctx));
  }

  @Put(':key')
  @Allow('dga_admin')
  @ApiOperation({
    summary: 'Change a message template · แก้ไขแม่แบบข้อความ',
    description:
      'Every text (subject, html, text, line; Thai and English) with the version last read (body `version` or ' +
      '`If-Match`); a stale one is 409 TEMPLATE_VERSION_CONFLICT with `currentVersion`. A template that does not ' +
      'compile or uses a variable the template does not offer is 422 TEMPLATE_INVALID, every problem in `errors[]`. ' +
      'The ETag header carries the new version.',
  })
  @ApiTemplateKeyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: TemplateDto })
  @ApiProblemsOf(Rpc.TemplatePut)
  async put(
    @Param('key', ParseTemplateKeyPipe) key: TemplateKey,
    @Body() body: TemplatePutDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Template> {
    const template = TemplatePut.parse({ ...body, version: expectedVersion(body.version, ifMatch) });
    return withEtag(reply, await this.rpc.call(Rpc.TemplatePut, { key, template }, ctx));
  }

  @Post(':key/preview')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Preview a message template · ดูตัวอย่างข้อความจากแม่แบบ',
    description:
      'Renders the stored template, or the unsaved texts in `template`, in `language` (`th` by default) with ' +
      'sample `variables`. Nothing is saved or sent. 422 TEMPLATE_INVALID, every problem in `errors[]`.',
  })
  @ApiTemplateKeyParam()
  @ApiOkResponse({ type: TemplatePreviewDto })
  @ApiProblemsOf(Rpc.TemplatePreview)
  preview(
    @Param('key', ParseTemplateKeyPipe) key: TemplateKey,
    @Body() body: TemplatePreviewBodyDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.TemplatePreview, { ...body, key }, ctx);
  }
}
