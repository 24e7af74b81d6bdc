import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Rpc } from '@dg/contracts';
import type { CampaignSummary, Channel } from '@dg/contracts';
import { agencyScope, FileTransfer, ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiCycleParam, ApiUuidParam, ParseCycleIdPipe, ParseIdPipe } from '../http/params';
import { contentDisposition, openDownload, putUpload, safeContentType, safeFileName } from '../http/transfer';
import { ApiFileDownload, ApiProblems, ApiProblemsOf } from '../openapi';
import {
  BriefingInputDto,
  CampaignSummaryDto,
  DeliveryPageDto,
  DeliveryQueryDto,
  NonSubmittersQueryDto,
  OptOutBodyDto,
  OptOutStateDto,
  ReminderInputDto,
} from './notifications.dto';
import { ApiChannelParam, ParseChannelPipe } from './params';
import { RouteBodyLimit } from './route-body-limit';

/**
 * The largest announcement body: the briefing with up to 5 MB of attachments in all, as base64
 * (5 MiB is 6,990,508 characters), plus documents, venue and link. Every other route keeps the
 * app's 512 KiB. The RPC never carries the files: the gateway puts them in the transfer bucket and passes references.
 */
export const ANNOUNCEMENT_BODY_LIMIT = 8_000_000;

/**
 * Announcements and reminders go to every contact of every cohort agency (thousands of deliveries
 * logged in one go, the cohort read from the registry): more than the default 10 s.
 */
export const CAMPAIGN_RPC_TIMEOUT_MS = 60_000;

/**
 * Messages to the agencies (owned by the notifications service): the briefing invitation and
 * deadline reminders of a cycle, the delivery log, and a contact's opt-out of a channel. The
 * gateway checks the route's roles and passes the actor on; the service re-checks them and keeps
 * coordinators and approvers to their own agency.
 */
@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(
    private readonly rpc: ServiceClient,
    private readonly files: FileTransfer,
  ) {}

  @Post('cycles/:id/announcements')
  @Allow('dga_admin', 'operator')
  @HttpCode(202)
  @RouteBodyLimit(ANNOUNCEMENT_BODY_LIMIT)
  @ApiOperation({
    summary: 'Send the briefing invitation · ส่งหนังสือเชิญประชุมชี้แจงการสำรวจ',
    description:
      'The briefing invitation (template `briefing_invitation`: date and time, venue, meeting link, documents) goes ' +
      'to every active contact of every agency in the cycle’s cohort, on each chosen channel (`channels`, default ' +
      'e-mail and LINE), once: sending the same briefing again queues nothing new. Contacts who opted out of a ' +
      'channel are skipped on it (logged as `skipped`, reason `opted_out`), as are erased contacts and contacts ' +
      'without an address there. `attachments` (base64 in `contentBase64`) go with every e-mail, at most 5 MB in ' +
      'all (413 ATTACHMENTS_TOO_LARGE); this route takes a JSON body up to 8 MB (413 PAYLOAD_TOO_LARGE beyond), ' +
      'every other route 512 KiB. Answers 202 at once with the campaign (`queued`, `skipped`); follow the deliveries ' +
      'with `GET /notifications?cycleId=...&templateKey=briefing_invitation`. `meetingLink` and the documents’ ' +
      '`url` are `https://` addresses with a host name (the messages and the portal render them as links): ' +
      '`javascript:`, `data:`, `http:` and the like are 400 VALIDATION_FAILED with `errors[].code` UNSAFE_URL.',
  })
  @ApiCycleParam()
  @ApiBody({ type: BriefingInputDto })
  @ApiAcceptedResponse({ type: CampaignSummaryDto })
  @ApiProblemsOf(Rpc.AnnouncementSend)
  @ApiProblems('PAYLOAD_TOO_LARGE')
  async announce(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() briefing: BriefingInputDto,
    @Ctx() ctx: CallContext,
  ): Promise<CampaignSummary> {
    // Attachments do not fit a NATS message (1 MiB by default): they go through the transfer bucket.
    const attachments = [];
    for (const a of briefing.attachments) {
      const bytes = Buffer.from(a.contentBase64, 'base64');
      attachments.push(
        await putUpload(
          this.files,
          {
            objectName: `announcement/${randomUUID()}`,
            fileName: safeFileName(a.fileName, 'attachment'),
            contentType: a.contentType,
          },
          bytes,
        ),
      );
    }
    return this.rpc.call(
      Rpc.AnnouncementSend,
      { cycleId, briefing: { ...briefing, attachments } },
      ctx,
      CAMPAIGN_RPC_TIMEOUT_MS,
    );
  }

  @Post('cycles/:id/reminders')
  @Allow('dga_admin', 'operator')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a deadline reminder · ส่งข้อความเตือนกำหนดส่งแบบสำรวจ',
    description:
      'The reminder (template `deadline_reminder`) goes to the contacts of every cohort agency that has not yet ' +
      'submitted (the others are counted in `agenciesSkipped`), on each chosen channel, skipping opted-out contacts. ' +
      'To chase a chosen set instead of the whole cohort, give `agencyCodes` (registry codes) and/or the responses ' +
      'list’s filters `group`, `ministryId`, `province`: only the non-submitters matching all of them are reminded ' +
      '(`agenciesSkipped` then counts the submitters of that set). A code outside the cycle’s cohort is 400 ' +
      '`AGENCY_NOT_IN_COHORT` naming it (`meta.agencyCodes`), and nothing is sent. ' +
      '`label` names the run (default: today’s date and the channels); a chosen set adds its own hash to the run ' +
      '(`<label>-set-<hash>`), so the same label and set twice queues nothing new, and another set is another ' +
      'reminder. The body may be left out altogether. An agency with its own later deadline (an extension) is told ' +
      'its own date. Answers 202 at once with the campaign.',
  })
  @ApiCycleParam()
  @ApiBody({ type: ReminderInputDto, required: false })
  @ApiAcceptedResponse({ type: CampaignSummaryDto })
  @ApiProblemsOf(Rpc.ReminderSend)
  remind(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Body() input: ReminderInputDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ReminderSend, { cycleId, input }, ctx, CAMPAIGN_RPC_TIMEOUT_MS);
  }

  @Get('notifications')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'Delivery log · บันทึกการส่งข้อความ',
    description:
      'Every message queued, sent, failed or skipped (with the reason), filtered by `cycleId`, `agencyId`, ' +
      '`agencyCode`, `channel`, `status` and `templateKey`, paged (`page`, `pageSize` ≤ 500), with counts by status ' +
      '(`byStatus`). Each row names its agency (`agencyName`) and the message’s `subject` (Thai | English, as the ' +
      'current template renders that message). ' +
      'Addresses are masked. Coordinators and approvers see their own agency’s messages only: without `agencyId` ' +
      'the gateway asks for their agency, and the notifications service refuses any other. Messages about a ' +
      'response go to the agency’s registry contacts and to its users by role (`approval_requested`: approvers; ' +
      '`response_sent_back`: coordinators; receipts, returns and `extension_granted`: both, by e-mail); one address ' +
      'of an agency hears a message once (skip reason `duplicate`), and an address opted out as a contact is ' +
      'skipped (`opted_out`) as a user too.',
  })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblemsOf(Rpc.DeliveryList)
  deliveries(@Query() query: DeliveryQueryDto, @Ctx() ctx: CallContext) {
    const agencyId = query.agencyId ?? agencyScope(ctx.actor) ?? undefined;
    return this.rpc.call(Rpc.DeliveryList, { ...query, ...(agencyId ? { agencyId } : {}) }, ctx);
  }

  @Get('cycles/:id/non-submitters/export')
  @Allow('dga_admin', 'operator')
  @ApiOperation({
    summary: 'Export the non-submitters with their contacts · ส่งออกรายชื่อหน่วยงานที่ยังไม่ส่งแบบสำรวจพร้อมผู้ประสานงาน',
    description:
      'CSV (UTF-8 with BOM) of the cohort agencies that have not submitted (as reminders count them), optionally ' +
      'only those of `group`, `ministryId` or `province`: one row per registry contact (an agency without contacts ' +
      'has one row with empty contact columns), with the response status, its deadline, and the latest message the ' +
      'contact got on each channel in this cycle (`email_last_status`, e.g. `sent` or `skipped:opted_out`, when, ' +
      'which template). Columns: agency_code, agency_name, agency_group, response_status, deadline, contact_name, ' +
      'contact_position, email, phone, line_id, email_last_status, email_last_at, email_last_template, ' +
      'line_last_status, line_last_at, line_last_template. **PDPA:** DGA admins get the addresses and phone in ' +
      'full; operators get them masked as in the delivery log, and no phone. A text cell a spreadsheet would run ' +
      "as a formula gets a leading `'`.",
  })
  @ApiCycleParam()
  @ApiProduces('text/csv')
  @ApiFileDownload()
  @ApiProblemsOf(Rpc.NonSubmittersExport)
  async exportNonSubmitters(
    @Param('id', ParseCycleIdPipe) cycleId: string,
    @Query() query: NonSubmittersQueryDto,
    @Ctx() ctx: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.rpc.call(
      Rpc.NonSubmittersExport,
      { cycleId, ...query },
      ctx,
      CAMPAIGN_RPC_TIMEOUT_MS,
    );
    const stream = await openDownload(this.files, file);
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    return new StreamableFile(stream, {
      type: safeContentType(file.contentType),
      disposition: contentDisposition(file.fileName),
    });
  }

  @Put('contacts/:id/channels/:channel')
  @Allow('dga_admin', 'coordinator')
  @ApiOperation({
    summary: 'Opt a contact out of (or back into) a channel (PDPA) · ยกเลิกหรือกลับมารับข้อความทางช่องทางนี้ (PDPA)',
    description:
      'Body `{ "optedOut": true }`: no more e-mail (`email`) or LINE (`line`) messages to this contact; later ' +
      'campaigns log them as skipped (`opted_out`). `{ "optedOut": false }` opts back in. Coordinators may do this ' +
      'for their own agency’s contacts only. A contact the registry does not have, an erased one, or another ' +
      'agency’s is 404 CONTACT_NOT_FOUND, in or out.',
  })
  @ApiUuidParam('id', 'contact id')
  @ApiChannelParam()
  @ApiOkResponse({ type: OptOutStateDto })
  @ApiProblemsOf(Rpc.OptOutSet)
  optOut(
    @Param('id', new ParseIdPipe('CONTACT_NOT_FOUND')) contactId: string,
    @Param('channel', ParseChannelPipe) channel: Channel,
    @Body() body: OptOutBodyDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.OptOutSet, { contactId, channel, optedOut: body.optedOut }, ctx);
  }
}
