import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Rpc } from '@dg/contracts';
import type { CampaignSummary, Channel } from '@dg/contracts';
import { agencyScope, FileTransfer, RpcClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiCycleParam, ApiUuidParam, ParseCycleIdPipe, ParseIdPipe } from '../http/params';
import { putUpload, safeFileName } from '../http/transfer';
import { ApiProblems } from '../openapi';
import {
  BriefingInputDto,
  CampaignSummaryDto,
  DeliveryPageDto,
  DeliveryQueryDto,
  OptOutBodyDto,
  OptOutStateDto,
  ReminderInputDto,
} from './notifications.dto';
import { ApiChannelParam, ParseChannelPipe } from './params';
import { RouteBodyLimit } from './route-body-limit';

/**
 * The largest announcement body: the briefing with up to 5 MB of attachments in all, as base64
 * (5 MiB is 6,990,508 characters), plus documents, venue and link. Every other route keeps the
 * app's 1 MiB. The RPC never carries the files: the gateway puts them in the transfer bucket and passes references.
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
@ApiProblems('SERVICE_UNAVAILABLE')
@Controller()
export class NotificationsController {
  constructor(
    private readonly rpc: RpcClient,
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
      'every other route 1 MiB. Answers 202 at once with the campaign (`queued`, `skipped`); follow the deliveries ' +
      'with `GET /notifications?cycleId=...&templateKey=briefing_invitation`.',
  })
  @ApiCycleParam()
  @ApiBody({ type: BriefingInputDto })
  @ApiAcceptedResponse({ type: CampaignSummaryDto })
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'ATTACHMENTS_TOO_LARGE')
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
      '`label` names the run (default: today’s date); the same label twice queues nothing new. The body may be ' +
      'left out altogether. An agency with its own later deadline (an extension) is told its own date. ' +
      'Answers 202 at once with the campaign.',
  })
  @ApiCycleParam()
  @ApiBody({ type: ReminderInputDto, required: false })
  @ApiAcceptedResponse({ type: CampaignSummaryDto })
  @ApiProblems('VALIDATION_FAILED', 'CYCLE_NOT_FOUND')
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
      '`channel`, `status` and `templateKey`, paged (`page`, `pageSize` ≤ 500), with counts by status (`byStatus`). ' +
      'Addresses are masked. Coordinators and approvers see their own agency’s messages only: without `agencyId` ' +
      'the gateway asks for their agency, and the notifications service refuses any other.',
  })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblems('VALIDATION_FAILED')
  deliveries(@Query() query: DeliveryQueryDto, @Ctx() ctx: CallContext) {
    const agencyId = query.agencyId ?? agencyScope(ctx.actor) ?? undefined;
    return this.rpc.call(Rpc.DeliveryList, { ...query, ...(agencyId ? { agencyId } : {}) }, ctx);
  }

  @Put('contacts/:id/channels/:channel')
  @Allow('dga_admin', 'coordinator')
  @ApiOperation({
    summary: 'Opt a contact out of (or back into) a channel (PDPA) · ยกเลิกหรือกลับมารับข้อความทางช่องทางนี้ (PDPA)',
    description:
      'Body `{ "optedOut": true }`: no more e-mail (`email`) or LINE (`line`) messages to this contact; later ' +
      'campaigns log them as skipped (`opted_out`). `{ "optedOut": false }` opts back in. Coordinators may do this ' +
      'for their own agency’s contacts only (another agency’s contact is 404 CONTACT_NOT_FOUND).',
  })
  @ApiUuidParam('id', 'contact id')
  @ApiChannelParam()
  @ApiOkResponse({ type: OptOutStateDto })
  @ApiProblems('VALIDATION_FAILED', 'CONTACT_NOT_FOUND')
  optOut(
    @Param('id', new ParseIdPipe('CONTACT_NOT_FOUND')) contactId: string,
    @Param('channel', ParseChannelPipe) channel: Channel,
    @Body() body: OptOutBodyDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.OptOutSet, { contactId, channel, optedOut: body.optedOut }, ctx);
  }
}
