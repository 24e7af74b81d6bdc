import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { RouteBodyLimits } from './route-body-limit';
import { TemplatesController } from './templates.controller';

/**
 * HTTP in front of the notifications service: each route becomes one `notifications.*` RPC over
 * NATS. `RouteBodyLimits` lets the announcement take its base64 attachments (8 MB body).
 */
@Module({
  controllers: [NotificationsController, TemplatesController],
  providers: [RouteBodyLimits],
})
export class NotificationsModule {}
