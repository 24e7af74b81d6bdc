import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CyclePatch, Rpc } from '@dg/contracts';
import type { Cycle } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, AnyRole, Ctx } from '../auth/access.decorators';
import { ApiCycleParam, ApiIfMatch, expectedVersion, ParseCycleIdPipe, withEtag } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import {
  CycleCreateDto,
  CycleDto,
  CycleListQueryDto,
  CyclePageDto,
  CyclePatchDto,
  ProgressDto,
  ProgressQueryDto,
  PublicationReadinessDto,
  QuestionnaireAttachDto,
  QuestionnaireAttachResultDto,
} from './intake.dto';

/**
 * Survey cycles (owned by the intake service): a year's survey, its dates (Asia/Bangkok), its
 * questionnaire and its state `draft -> open -> closed -> archived`. The service re-checks roles.
 */
@ApiTags('cycles')
@Controller('cycles')
export class CyclesController {
  constructor(private readonly rpc: ServiceClient) {}

  @Get()
  @Allow(AnyRole)
  @ApiOperation({ summary: 'List survey cycles · รายการรอบการสำรวจ' })
  @ApiOkResponse({ type: CyclePageDto })
  @ApiProblemsOf(Rpc.CycleList)
  list(@Query() query: CycleListQueryDto, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.CycleList, { page: query.page, pageSize: query.pageSize }, ctx);
  }

  @Post()
  @Allow('dga_admin')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a survey cycle · สร้างรอบการสำรวจ',
    description:
      'The id defaults to the B.E. year (e.g. `2565`). A bare date in opensAt / closesAt means that day in Asia/Bangkok. ' +
      'The cycle starts as `draft`.',
  })
  @ApiCreatedResponse({ type: CycleDto })
  @ApiProblemsOf(Rpc.CycleCreate)
  async create(
    @Body() body: CycleCreateDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Cycle> {
    return withEtag(reply, await this.rpc.call(Rpc.CycleCreate, body, ctx));
  }

  @Get(':id')
  @Allow(AnyRole)
  @ApiOperation({
    summary: 'Get a survey cycle · ดูข้อมูลรอบการสำรวจ',
    description: 'The ETag header carries the version.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: CycleDto })
  @ApiProblemsOf(Rpc.CycleGet)
  async get(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Cycle> {
    return withEtag(reply, await this.rpc.call(Rpc.CycleGet, { cycleId }, ctx));
  }

  @Patch(':id')
  @Allow('dga_admin')
  @ApiOperation({
    summary: 'Change a survey cycle (title, dates, archive) · แก้ไขรอบการสำรวจ',
    description:
      'Send the version last read (body `version` or `If-Match`); a stale one is 409 with `currentVersion`. ' +
      '`status: "archived"` archives a closed cycle.',
  })
  @ApiCycleParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: CycleDto })
  @ApiProblemsOf(Rpc.CycleUpdate)
  async update(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() body: CyclePatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Cycle> {
    const patch = CyclePatch.parse({ ...body, version: expectedVersion(body.version, ifMatch) });
    return withEtag(reply, await this.rpc.call(Rpc.CycleUpdate, { cycleId, patch }, ctx));
  }

  @Post(':id/open')
  @Allow('dga_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Open a cycle for answers · เปิดรอบการสำรวจให้ตอบแบบสำรวจ',
    description:
      'Needs an attached questionnaire and a cohort; creates one response per agency of the cohort.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: CycleDto })
  @ApiProblemsOf(Rpc.CycleOpen)
  async open(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Cycle> {
    return withEtag(reply, await this.rpc.call(Rpc.CycleOpen, { cycleId }, ctx));
  }

  @Post(':id/close')
  @Allow('dga_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a cycle · ปิดรอบการสำรวจ' })
  @ApiCycleParam()
  @ApiOkResponse({ type: CycleDto })
  @ApiProblemsOf(Rpc.CycleClose)
  async close(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Cycle> {
    return withEtag(reply, await this.rpc.call(Rpc.CycleClose, { cycleId }, ctx));
  }

  @Get(':id/progress')
  @Allow('dga_admin', 'operator', 'committee')
  @ApiOperation({
    summary: 'Responses by status and group, response rate · ความคืบหน้าการตอบแบบสำรวจ',
    description:
      'A response counts as answered once it has been submitted and approved at least once. Counts only ' +
      'the responses the filter keeps, named as on `GET /cycles/:id/responses`: `ministryId`, `province` ' +
      '(ISO 3166-2:TH), `group`, `status` (several, comma-separated or repeated; `not_submitted` = never ' +
      'submitted and approved). Any other query parameter is refused (400 `UNKNOWN_QUERY_PARAMETER`).',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ProgressDto })
  @ApiProblemsOf(Rpc.CycleProgress)
  progress(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ProgressQueryDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.CycleProgress, { ...query, cycleId }, ctx);
  }

  @Get(':id/publication-readiness')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'Can the results be published? · พร้อมประกาศผลหรือไม่',
    description:
      'Results (`POST /cycles/{id}/results/publish`) and awards (`POST /cycles/{id}/awards/announce`) wait for the cycle ' +
      'to be closed (else `409 CYCLE_NOT_CLOSED`) and for every response that is not set aside to be settled ' +
      '(else `409 RESPONSES_NOT_VERIFIED`, with `blockingCount`, `byReason` and the first 50 `agencies`). This view ' +
      'lists what holds publication back, by agency code (at most 200 in `blocking.items`; `total` and `byReason` ' +
      'count all): `AWAITING_VERIFICATION` (submitted or resubmitted, not verified), `RETURNED` (returned for ' +
      'correction), `AWAITING_APPROVAL` (a resubmission the head has not approved), `EXTENSION_OPEN` (an agency ' +
      'whose own extension still runs). Verify them, or set them aside with a reason ' +
      '(`POST /cycles/{id}/responses/{agencyId}/set-aside`); `setAside` counts those.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: PublicationReadinessDto })
  @ApiProblemsOf(Rpc.CycleReadiness)
  readiness(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.CycleReadiness, { cycleId }, ctx);
  }

  @Put(':id/questionnaire')
  @Allow('dga_admin')
  @ApiOperation({
    summary: 'Attach a questionnaire to a cycle · กำหนดแบบสำรวจของรอบการสำรวจ',
    description:
      "`version` is the CYCLE's version (body or `If-Match`). An open cycle takes only a newer version of the same " +
      'questionnaire; answers carry over where question ids and types still match (`carriedOver`, `droppedAnswers`).',
  })
  @ApiCycleParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: QuestionnaireAttachResultDto })
  @ApiProblemsOf(Rpc.QuestionnaireAttach)
  async attachQuestionnaire(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() body: QuestionnaireAttachDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = expectedVersion(body.version, ifMatch);
    const cycle = await this.rpc.call(
      Rpc.QuestionnaireAttach,
      { cycleId, questionnaireId: body.questionnaireId, version },
      ctx,
    );
    return withEtag(reply, cycle);
  }
}
