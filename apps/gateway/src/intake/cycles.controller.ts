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
import { RpcClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, AnyRole, Ctx } from '../auth/access.decorators';
import { ApiCycleParam, ApiIfMatch, expectedVersion, ParseCycleIdPipe, withEtag } from '../http/params';
import { ApiProblems } from '../openapi';
import {
  CycleCreateDto,
  CycleDto,
  CycleListQueryDto,
  CyclePageDto,
  CyclePatchDto,
  ProgressDto,
  QuestionnaireAttachDto,
  QuestionnaireAttachResultDto,
} from './intake.dto';

/**
 * Survey cycles (owned by the intake service): a year's survey, its dates (Asia/Bangkok), its
 * questionnaire and its state `draft -> open -> closed -> archived`. The service re-checks roles.
 */
@ApiTags('cycles')
@ApiProblems('SERVICE_UNAVAILABLE')
@Controller('cycles')
export class CyclesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Allow(AnyRole)
  @ApiOperation({ summary: 'List survey cycles · รายการรอบการสำรวจ' })
  @ApiOkResponse({ type: CyclePageDto })
  @ApiProblems('VALIDATION_FAILED')
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
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_EXISTS')
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
  @ApiProblems('CYCLE_NOT_FOUND')
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
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND', 'CYCLE_VERSION_CONFLICT', 'CYCLE_STATE')
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
  @ApiProblems('CYCLE_NOT_FOUND', 'CYCLE_STATE')
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
  @ApiProblems('CYCLE_NOT_FOUND', 'CYCLE_STATE')
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
    description: 'A response counts as answered once it has been submitted and approved at least once.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ProgressDto })
  @ApiProblems('CYCLE_NOT_FOUND')
  progress(@Param('id', ParseCycleIdPipe) cycleId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.CycleProgress, { cycleId }, ctx);
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
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'QUESTIONNAIRE_NOT_FOUND',
    'CYCLE_VERSION_CONFLICT',
    'CYCLE_STATE',
  )
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
