import { Injectable } from '@nestjs/common';
import { Rpc, type RpcRequestParsed } from '@dg/contracts';
import { type CallContext, RpcHandler } from '@dg/platform';
import { CampaignsService } from './campaigns/campaigns.service';
import { DeliveriesService } from './deliveries/deliveries.service';
import { TemplatesService } from './templates/templates.service';

type Req<S extends Parameters<typeof RpcHandler>[0]> = RpcRequestParsed<S>;

/** NATS entry points of notifications; requests arrive validated against the contracts. */
@Injectable()
export class NotificationsMessages {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly deliveries: DeliveriesService,
    private readonly templates: TemplatesService,
  ) {}

  @RpcHandler(Rpc.AnnouncementSend)
  announce(req: Req<typeof Rpc.AnnouncementSend>, ctx: CallContext) {
    return this.campaigns.announce(req.cycleId, req.briefing, ctx);
  }

  @RpcHandler(Rpc.ReminderSend)
  remind(req: Req<typeof Rpc.ReminderSend>, ctx: CallContext) {
    return this.campaigns.remind(req.cycleId, req.input, ctx);
  }

  @RpcHandler(Rpc.DeliveryList)
  list(req: Req<typeof Rpc.DeliveryList>, ctx: CallContext) {
    return this.deliveries.list(req, ctx);
  }

  @RpcHandler(Rpc.TemplateGet)
  getTemplate(req: Req<typeof Rpc.TemplateGet>, ctx: CallContext) {
    return this.templates.get(req.key, ctx);
  }

  @RpcHandler(Rpc.TemplatePut)
  putTemplate(req: Req<typeof Rpc.TemplatePut>, ctx: CallContext) {
    return this.templates.put(req.key, req.template, ctx);
  }

  @RpcHandler(Rpc.TemplatePreview)
  preview(req: Req<typeof Rpc.TemplatePreview>, ctx: CallContext) {
    return this.templates.preview(req, ctx);
  }

  @RpcHandler(Rpc.OptOutSet)
  optOut(req: Req<typeof Rpc.OptOutSet>, ctx: CallContext) {
    return this.deliveries.setOptOut(req.contactId, req.channel, req.optedOut, ctx);
  }
}
