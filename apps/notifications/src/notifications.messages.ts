import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type RpcRequestParsed, type RpcSubject } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import { CampaignsService } from './campaigns/campaigns.service';
import { NonSubmittersExport } from './campaigns/non-submitters';
import { DeliveriesService } from './deliveries/deliveries.service';
import { TemplatesService } from './templates/templates.service';

type Req<S extends RpcSubject> = RpcRequestParsed<S>;

/** NATS entry points of notifications; requests arrive validated against the contracts. */
@Controller()
export class NotificationsMessages {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly deliveries: DeliveriesService,
    private readonly templates: TemplatesService,
    private readonly nonSubmitters: NonSubmittersExport,
  ) {}

  @MessagePattern(Rpc.AnnouncementSend)
  announce(@Payload() req: Req<typeof Rpc.AnnouncementSend>, @Ctx() ctx: CallContext) {
    return this.campaigns.announce(req.cycleId, req.briefing, ctx);
  }

  @MessagePattern(Rpc.ReminderSend)
  remind(@Payload() req: Req<typeof Rpc.ReminderSend>, @Ctx() ctx: CallContext) {
    return this.campaigns.remind(req.cycleId, req.input, ctx);
  }

  @MessagePattern(Rpc.DeliveryList)
  list(@Payload() req: Req<typeof Rpc.DeliveryList>, @Ctx() ctx: CallContext) {
    return this.deliveries.list(req, ctx);
  }

  @MessagePattern(Rpc.NonSubmittersExport)
  exportNonSubmitters(@Payload() req: Req<typeof Rpc.NonSubmittersExport>, @Ctx() ctx: CallContext) {
    const { cycleId, ...filter } = req;
    return this.nonSubmitters.export(cycleId, filter, ctx);
  }

  @MessagePattern(Rpc.TemplateGet)
  getTemplate(@Payload() req: Req<typeof Rpc.TemplateGet>, @Ctx() ctx: CallContext) {
    return this.templates.get(req.key, ctx);
  }

  @MessagePattern(Rpc.TemplatePut)
  putTemplate(@Payload() req: Req<typeof Rpc.TemplatePut>, @Ctx() ctx: CallContext) {
    return this.templates.put(req.key, req.template, ctx);
  }

  @MessagePattern(Rpc.TemplatePreview)
  preview(@Payload() req: Req<typeof Rpc.TemplatePreview>, @Ctx() ctx: CallContext) {
    return this.templates.preview(req, ctx);
  }

  @MessagePattern(Rpc.OptOutSet)
  optOut(@Payload() req: Req<typeof Rpc.OptOutSet>, @Ctx() ctx: CallContext) {
    return this.deliveries.setOptOut(req.contactId, req.channel, req.optedOut, ctx);
  }
}
