import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Rpc } from '@dg/contracts';
import type { Completeness, ResponseDetail, SaveResult } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ActorNames, ConflictNamesInterceptor } from './actor-names';
import {
  ApiCycleParam,
  ApiIfMatch,
  ApiUuidParam,
  expectedVersion,
  ParseCycleIdPipe,
  ParseIdPipe,
  withEtag,
} from '../http/params';
import { ApiProblems, ApiProblemsOf } from '../openapi';
import {
  AnswersPatchDto,
  ApproveDto,
  CompletenessDto,
  ExtendDto,
  SetAsideDto,
  ResponseAuditDto,
  ResponseDetailDto,
  ResponseListQueryDto,
  ResponsePageDto,
  ReturnDto,
  SaveResultDto,
  SubmitDto,
  VerifyDto,
} from './intake.dto';

const AgencyParam = () => ApiUuidParam('agencyId', 'agency id');
const agencyIdPipe = () => new ParseIdPipe('RESPONSE_NOT_FOUND');

/**
 * One response per agency and cycle: autosave, submit, approval by the agency head, return for
 * correction, verification. The intake service re-checks every role and the agency scope
 * (another agency's response is 404 RESPONSE_NOT_FOUND), the state and the deadline. Every
 * write takes the version last read (body or `If-Match`) and answers with `ETag: "<version>"`; a
 * stale one is 409 RESPONSE_VERSION_CONFLICT with the current answers to merge and who made them.
 */
@ApiTags('responses')
@Controller('cycles/:id/responses')
@UseInterceptors(ConflictNamesInterceptor)
export class ResponsesController {
  constructor(
    private readonly rpc: ServiceClient,
    private readonly names: ActorNames,
  ) {}

  @Get()
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: "List a cycle's responses · รายการคำตอบของรอบการสำรวจ",
    description:
      'Filter by `status` (several, comma-separated or repeated; `not_submitted` = never submitted and ' +
      'approved), `group`, `ministryId`, `province` (ISO 3166-2:TH) and `q` (agency code or name). Any ' +
      'other query parameter is refused (400 `UNKNOWN_QUERY_PARAMETER`), never ignored.',
  })
  @ApiCycleParam()
  @ApiOkResponse({ type: ResponsePageDto })
  @ApiProblemsOf(Rpc.ResponseList)
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
    description:
      'The ETag header carries the version to send back with the next write. Each verdict names its verifier by ' +
      'id (`by`) and display name (`byName`).',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblemsOf(Rpc.ResponseGet)
  async get(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const response = await this.rpc.call(Rpc.ResponseGet, { cycleId, agencyId }, ctx);
    return withEtag(reply, await this.names.response(response));
  }

  /** Autosave: called every few seconds while someone types, so it does one RPC and nothing else. */
  @Patch(':agencyId/answers')
  @Allow('coordinator')
  @ApiOperation({
    summary: 'Autosave part of the answers · บันทึกคำตอบอัตโนมัติ (บางข้อ)',
    description:
      '`answers` maps question ids to values (`null` clears one), at most 500 at once; the version last read goes in ' +
      '`version` or `If-Match`. A stale version is 409 RESPONSE_VERSION_CONFLICT carrying what a client needs to merge ' +
      'per question without another read: `currentVersion`, `responseStatus`, `answers` (the whole answer map now stored), ' +
      '`updatedAt`, `updatedBy` (the user who made that version; null if nobody changed it since the cycle opened) and ' +
      '`updatedByName`; apply the edits that do not overlap and save again with `currentVersion`. The valid answers of the patch are saved and the invalid ones are listed in `rejected[]` ' +
      '(question id, its Thai and English text, path, code, message in English and Thai), so one bad option does not ' +
      'lose the rest; `rejected` is empty when everything was saved. Only when every answer of the patch is invalid ' +
      'is nothing saved: 422 ANSWERS_INVALID listing each one in `errors[]` (the version does not change).',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: SaveResultDto })
  @ApiProblemsOf(Rpc.ResponseSave)
  @ApiProblems('PAYLOAD_TOO_LARGE')
  async save(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: AnswersPatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SaveResult> {
    const patch = { version: expectedVersion(body.version, ifMatch), answers: body.answers };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseSave, { cycleId, agencyId, patch }, ctx));
  }

  @Get(':agencyId/completeness')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'What is still missing before submitting · ความครบถ้วนของคำตอบก่อนส่ง',
    description:
      'The checks of submit without submitting: per section (`pillarId` null for the general questions, then each ' +
      'pillar) the required questions shown for the current answers, how many are answered, and `missing[]`: each ' +
      'question that would stop the submission (not answered, too few rows, a field of a row, an evidence file no ' +
      'longer uploaded) with its Thai and English text. A question hidden by another answer is never listed. ' +
      '`complete` is true exactly when submit would pass the answer checks.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: CompletenessDto })
  @ApiProblemsOf(Rpc.ResponseCompleteness)
  completeness(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Ctx() ctx: CallContext,
  ): Promise<Completeness> {
    return this.rpc.call(Rpc.ResponseCompleteness, { cycleId, agencyId }, ctx);
  }

  @Post(':agencyId/submit')
  @Allow('coordinator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit for the agency head’s approval · ส่งคำตอบให้ผู้บริหารอนุมัติ',
    description:
      'The whole response must be complete (422 ANSWERS_INVALID lists what is missing; `GET .../completeness` tells ' +
        'it before, per pillar). With `If-Match` the body may be left out.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiBody({ type: SubmitDto, required: false })
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblemsOf(Rpc.ResponseSubmit)
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
      'or `reject` (back to the coordinator: `comment` required, else 400 `VALIDATION_FAILED` on `comment`; the ' +
      'response then shows it as `sentBack: { by: "approver", comment }`, apart from DGA’s older `returnComment`). ' +
      'An approval `comment` is kept in the audit trail. With `If-Match` the body may be left out (approve). ' +
      'Segregation of duties: nobody who saved answers or evidence or sent the response for approval since ' +
      'it was last approved (a send-back does not reset that) may approve it (403 SELF_APPROVAL_FORBIDDEN, and the refused attempt is kept ' +
      'in the response’s audit trail); they may reject it.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiBody({ type: ApproveDto, required: false })
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblemsOf(Rpc.ResponseApprove)
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
      'With a comment to the agency and, optionally, the correction deadline `extendUntil`: an ISO 8601 date-time ' +
      'with offset, or a plain date `YYYY-MM-DD` (the end of that day in Asia/Bangkok; a Buddhist Era year is ' +
      'refused with a hint). A deadline already past, or before the agency’s current deadline, is refused ' +
      '(400 `VALIDATION_FAILED` on `extendUntil`, `DEADLINE_IN_PAST` / `BEFORE_CURRENT_DEADLINE`, in Thai), ' +
      'never replaced. Without it: the service’s correction period from now, never earlier than the agency’s ' +
      'deadline. The agency’s message lists the rejected questions with the verifier’s remarks.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblemsOf(Rpc.ResponseReturn)
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
  @ApiProblemsOf(Rpc.ResponseVerify)
  async verify(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: VerifyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const input = { ...body, version: expectedVersion(body.version, ifMatch) };
    const response = await this.rpc.call(Rpc.ResponseVerify, { cycleId, agencyId, input }, ctx);
    return withEtag(reply, await this.names.response(response));
  }

  @Post(':agencyId/extension')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend one agency’s deadline · ขยายกำหนดส่งของหน่วยงาน',
    description:
      '`until` (ISO 8601 with offset, or a plain date `YYYY-MM-DD`: the end of that day in Asia/Bangkok; after ' +
      'the cycle closes and in the future, else `VALIDATION_FAILED`) and the `reason`, kept in the audit trail. ' +
      'Not for a verified response. ' +
      'Notifications then reminds the agency before this deadline (`REMINDER_OFFSETS_DAYS` before it, ' +
      'only the reminders still ahead when it was granted).',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblemsOf(Rpc.ResponseExtend)
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

  @Post(':agencyId/set-aside')
  @Allow('dga_admin', 'operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a response aside for publication · กันคำตอบออกจากการรอก่อนประกาศผล',
    description:
      'DGA staff decide not to wait for this response before publishing results and awards: a submission they will ' +
      'not verify, a correction that never came back, a resubmission the head never approved, or an extension they ' +
      'stop waiting for. Body: `reason` (10 to 2,000 characters) and `version` (or `If-Match`). The response keeps its ' +
      'status; its last approved submission stays in the results, unverified (`verified: false`). Shown as `setAside` ' +
      '(who, when, why) and in the audit trail (`set-aside`). A new submission clears it. Refused with ' +
      '`409 RESPONSE_LOCKED` when publication does not wait for the response (verified, or never submitted without a ' +
      'running extension). See `GET /cycles/{id}/publication-readiness`.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiProblemsOf(Rpc.ResponseSetAside)
  async setAside(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Body() body: SetAsideDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseDetail> {
    const version = expectedVersion(body.version, ifMatch);
    const request = { cycleId, agencyId, version, reason: body.reason };
    return withEtag(reply, await this.rpc.call(Rpc.ResponseSetAside, request, ctx));
  }

  @Get(':agencyId/audit')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'Audit trail of a response · ประวัติการเปลี่ยนแปลงคำตอบ',
    description:
      'Every change: who (`actorId` and `actorName`, the account’s display name; `ระบบ (system)` for the system; ' +
      'null for an account no longer there), when, the status before and after, the version and what changed.',
  })
  @ApiCycleParam()
  @AgencyParam()
  @ApiOkResponse({ type: ResponseAuditDto })
  @ApiProblemsOf(Rpc.ResponseAudit)
  async audit(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Param('agencyId', agencyIdPipe()) agencyId: string,
    @Ctx() ctx: CallContext,
  ) {
    return this.names.audit(await this.rpc.call(Rpc.ResponseAudit, { cycleId, agencyId }, ctx));
  }
}
