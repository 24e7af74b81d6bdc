import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Rpc } from '@dg/contracts';
import type { ResponseDetail } from '@dg/contracts';
import { RpcClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import {
  ApiCycleParam,
  ApiIfMatch,
  ApiUuidParam,
  expectedVersion,
  ParseCycleIdPipe,
  ParseIdPipe,
  withEtag,
} from '../http/params';
import { ApiProblems } from '../openapi';
import {
  AnswersPatchDto,
  ApproveDto,
  ExtendDto,
  ResponseAuditDto,
  ResponseDetailDto,
  ResponseListQueryDto,
  ResponsePageDto,
  ReturnDto,
  SubmitDto,
  VerifyDto,
} from './intake.dto';

const AgencyParam = () => ApiUuidParam('agencyId', 'agency id');
const agencyIdPipe = () => new ParseIdPipe('RESPONSE_NOT_FOUND');

/**
 * One response per agency and cycle: autosave, submit, approval by the agency head, return for
 * correction, verification. The intake service re-checks every role and the agency scope
 * (another agency's response is 404 RESPONSE_NOT_FOUND), the state and the deadline. Every
 * write takes the version last read (body or `If-Match`) and answers with `ETag: "<version>"`.
 */
@ApiTags('responses')
@ApiProblems('SERVICE_UNAVAILABLE')
@Controller('cycles/:id/responses')
export class ResponsesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: "List a cycle's responses · รายการคำตอบของรอบการสำรวจ",
    description: 'Filter by status, group and q (agency code or name).',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ResponsePageDto })
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND')
  list(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: ResponseListQueryDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ResponseList, { ...query, cycleId }, ctx);
  }

  @Get(':agencyId')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({
    summary: "One agency's response with answers, status and version · คำตอบของหน่วยงาน",
    description: 'The ETag header carries the version to send back with the next write.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems('CYCLE_NOT_FOUND', 'RESPONSE_NOT_FOUND')
  async get(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    return withEtag(reply, await this.rpc.call(Rpc.ResponseGet, { cycleId, agencyId }, ctx));
  }

  /** Autosave: called every few seconds while someone types, so it does one RPC and nothing else. */
  @Patch(':agencyId/answers')
  @Allow('coordinator')
  @ApiOperation({
    summary: 'Autosave part of the answers · บันทึกคำตอบอัตโนมัติ (บางข้อ)',
    description:
      '`answers` maps question ids to values (`null` clears one), at most 500 at once; the version last read goes in ' +
      '`version` or `If-Match`. A stale version is 409 RESPONSE_VERSION_CONFLICT with `currentVersion` (reload, merge, ' +
      'save again); invalid answers are 422 ANSWERS_INVALID listing each one in `errors[]` and nothing is saved.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
    'DEADLINE_PASSED',
    'CYCLE_STATE',
    'PAYLOAD_TOO_LARGE',
    'ANSWERS_INVALID',
  )
  async save(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: AnswersPatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const patch = { version: expectedVersion(body.version, ifMatch), answers: body.answers };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseSave, { cycleId, agencyId, patch }, ctx));
  }

  @Post(':agencyId/submit')
  @Allow('coordinator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit for the agency head’s approval · ส่งคำตอบให้ผู้บริหารอนุมัติ',
    description:
      'The whole response must be complete (422 ANSWERS_INVALID lists what is missing). With `If-Match` the body may be left out.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiBody({ type: SubmitDto, required: false })
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
    'DEADLINE_PASSED',
    'CYCLE_STATE',
    'ANSWERS_INVALID',
  )
  async submit(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: SubmitDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const version = expectedVersion(body.version, ifMatch);
    return withEtag(reply, await this.rpc.call(Rpc.ResponseSubmit, { cycleId, agencyId, version }, ctx));
  }

  @Post(':agencyId/approve')
  @Allow('approver')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve (submit to DGA) or reject · ผู้บริหารอนุมัติหรือส่งกลับคำตอบ',
    description:
      '`decision` is `approve` (default: the response is submitted and its answers kept unchanged as submission n) ' +
      'or `reject` (back to the coordinator, with a comment). With `If-Match` the body may be left out (approve).',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiBody({ type: ApproveDto, required: false })
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
    'DEADLINE_PASSED',
    'CYCLE_STATE',
  )
  async approve(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: ApproveDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const version = expectedVersion(body.version, ifMatch);
    const request = { cycleId, agencyId, version, decision: body.decision, comment: body.comment };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseApprove, request, ctx));
  }

  @Post(':agencyId/return')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Return for correction · ส่งคำตอบกลับให้หน่วยงานแก้ไข',
    description:
      'With a comment to the agency and, optionally, the correction deadline `extendUntil` (ISO 8601 with offset; ' +
      'default: the service’s correction period from now). A return never makes the agency’s deadline earlier.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
  )
  async returnForCorrection(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: ReturnDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const version = expectedVersion(body.version, ifMatch);
    const request = { cycleId, agencyId, version, comment: body.comment, extendUntil: body.extendUntil };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseReturn, request, ctx));
  }

  @Post(':agencyId/verify')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record verification verdicts · บันทึกผลการตรวจสอบคำตอบรายข้อ',
    description:
      'Verdicts per question (`accepted` / `rejected`, with a comment). `complete: true` finishes the verification: ' +
      'the response becomes `verified`; answers left `rejected` earn no points in scoring (return the response ' +
      'instead if the agency should correct them). On a resubmission, verdicts on answers the agency changed are dropped.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems(
    'VALIDATION_FAILED',
    'CYCLE_NOT_FOUND',
    'RESPONSE_NOT_FOUND',
    'RESPONSE_VERSION_CONFLICT',
    'RESPONSE_LOCKED',
  )
  async verify(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: VerifyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const input = { ...body, version: expectedVersion(body.version, ifMatch) };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseVerify, { cycleId, agencyId, input }, ctx));
  }

  @Post(':agencyId/extension')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend one agency’s deadline · ขยายกำหนดส่งของหน่วยงาน',
    description:
      '`until` (ISO 8601 with offset, after the cycle closes: an earlier date is refused with ' +
      '`VALIDATION_FAILED`) and the `reason`, kept in the audit trail. Not for a verified response. ' +
      'Notifications then reminds the agency before this deadline (`REMINDER_OFFSETS_DAYS` before it, ' +
      'only the reminders still ahead when it was granted).',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND', 'RESPONSE_NOT_FOUND', 'RESPONSE_LOCKED')
  async extend(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: ExtendDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const request = { cycleId, agencyId, until: body.until, reason: body.reason };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseExtend, request, ctx));
  }

  @Get(':agencyId/audit')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'Audit trail of a response · ประวัติการเปลี่ยนแปลงคำตอบ',
    description: 'Every change: who, when, the status before and after, the version and what changed.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: ResponseAuditDto })
  @ApiProblems('CYCLE_NOT_FOUND', 'RESPONSE_NOT_FOUND')
  audit(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ResponseAudit, { cycleId, agencyId }, ctx);
  }
}
