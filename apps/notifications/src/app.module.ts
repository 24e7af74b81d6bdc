import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import {
  dataSourceOptions,
  InboxEntry,
  natsOptionsOf,
  OutboxEvent,
  PlatformModule,
  ReadinessChecks,
} from '@dg/platform';
import { CampaignsService } from './campaigns/campaigns.service';
import { SweepProcessor } from './campaigns/sweep.processor';
import { Sweeper } from './campaigns/sweeper';
import { EMAIL_OPTIONS, EmailChannel } from './channels/email.channel';
import { LINE_OPTIONS, LineChannel } from './channels/line.channel';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from './config';
import { ConsentRepository } from './consent/consent.repository';
import { AgencyDeadlinesRepository } from './deadlines/agency-deadlines.repository';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DeliveriesService } from './deliveries/deliveries.service';
import { Dispatcher } from './deliveries/dispatcher';
import { QUEUES } from './deliveries/jobs';
import { sendProcessors } from './deliveries/send.processor';
import { EventsMessages } from './events/events.messages';
import { notificationsMigrations } from './migrations';
import { NotificationsMessages } from './notifications.messages';
import { NotificationsMetrics } from './notifications.metrics';
import { redisConnection } from '@dg/platform';
import { Sources } from './sources/sources';
import { TemplateRenderer } from './templates/renderer';
import { TemplatesService } from './templates/templates.service';
import { NonSubmittersExport } from './campaigns/non-submitters';

/** Notifications' tables are plain SQL in its repositories; TypeORM entities are only the platform's. */
export const notificationsEntities = [OutboxEvent, InboxEntry];

/**
 * ROLE=api answers RPCs and turns events into delivery rows and send jobs; ROLE=worker sends
 * (and runs the scheduled sweep); ROLE=all does both (ADR 0010). Only the worker talks to the SMTP
 * relay and LINE, so only it builds the channels and needs their credentials.
 */
function workerProviders(config: NotificationsConfig): Provider[] {
  return [
    {
      provide: EMAIL_OPTIONS,
      useValue: {
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        user: config.SMTP_USER,
        password: config.SMTP_PASSWORD,
        from: config.MAIL_FROM,
        maxConnections: config.SMTP_MAX_CONNECTIONS,
        pool: true,
      },
    },
    {
      provide: LINE_OPTIONS,
      useValue: {
        channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN,
        baseURL: config.LINE_API_BASE_URL,
      },
    },
    EmailChannel,
    LineChannel,
    ...sendProcessors(config),
    SweepProcessor,
  ];
}
const apiControllers = [EventsMessages, NotificationsMessages];

/** Every role needs Redis: the API queues sends, the worker takes them. */
const redisReadiness: Provider = {
  provide: 'NOTIFICATIONS_REDIS_READINESS',
  inject: [ReadinessChecks, getQueueToken(QUEUES.email)],
  useFactory: (checks: ReadinessChecks, queue: Queue) =>
    checks.add('redis', () => queue.getJobCounts('waiting')),
};

@Module({})
export class NotificationsModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: config.DATABASE_URL,
            entities: notificationsEntities,
            migrations: notificationsMigrations,
            poolSize: config.DATABASE_POOL_SIZE,
          }),
        ),
        // Notifications emits no events of its own: no stream, no outbox relay.
        PlatformModule.forRoot({
          service: 'notifications',
          logLevel: config.LOG_LEVEL,
          nats: natsOptionsOf(config),
          outbox: false,
        }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.BULL_PREFIX }),
        BullModule.registerQueue({ name: QUEUES.email }, { name: QUEUES.line }, { name: QUEUES.sweep }),
      ],
      controllers: config.ROLE === 'worker' ? [] : apiControllers,
      providers: [
        { provide: NOTIFICATIONS_CONFIG, useValue: config },
        TemplateRenderer,
        TemplatesService,
        Sources,
        ConsentRepository,
        AgencyDeadlinesRepository,
        DeliveriesRepository,
        DeliveriesService,
        Dispatcher,
        CampaignsService,
        NonSubmittersExport,
        NotificationsMetrics,
        Sweeper,
        redisReadiness,
        ...(config.ROLE === 'api' ? [] : workerProviders(config)),
      ],
    };
  }
}
