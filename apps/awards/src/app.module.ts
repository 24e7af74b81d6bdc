import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Streams } from '@dg/contracts';
import type { Queue } from 'bullmq';
import {
  dataSourceOptions,
  InboxEntry,
  natsOptionsOf,
  OutboxEvent,
  PlatformModule,
  ReadinessChecks,
  redisConnection,
} from '@dg/platform';
import { AnnouncementService } from './announcement/announcement.service';
import { CertificateProcessor } from './announcement/certificate.processor';
import { CERTIFICATE_QUEUE } from './announcement/jobs';
import { AwardsMessages } from './awards.messages';
import { AwardsMetrics } from './awards.metrics';
import { AwardsRepository } from './awards.repository';
import { CategoriesService } from './categories/categories.service';
import { NominationsService } from './categories/nominations.service';
import { CommitteeService } from './committee/committee.service';
import { AWARDS_CONFIG, type AwardsConfig } from './config';
import { awardsMigrations } from './migrations';
import { Sources } from './sources/sources';

/** Awards' tables are plain SQL in its repository; TypeORM entities are only the platform's. */
export const awardsEntities = [OutboxEvent, InboxEntry];

/**
 * ROLE=api answers RPCs (and queues certificate jobs at the announcement); ROLE=worker renders the
 * certificates; ROLE=all does both (ADR 0010). Awards consumes no events yet.
 */
const apiControllers = [AwardsMessages];
const workerProviders: Provider[] = [CertificateProcessor];

/** Every role needs Redis: the API queues certificate jobs, the worker takes them. */
const redisReadiness: Provider = {
  provide: 'AWARDS_REDIS_READINESS',
  inject: [ReadinessChecks, getQueueToken(CERTIFICATE_QUEUE)],
  useFactory: (checks: ReadinessChecks, queue: Queue) =>
    checks.add('redis', () => queue.getJobCounts('waiting')),
};

@Module({})
export class AwardsModule {
  static forRoot(config: AwardsConfig): DynamicModule {
    return {
      module: AwardsModule,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: config.DATABASE_URL,
            entities: awardsEntities,
            migrations: awardsMigrations,
            poolSize: config.DATABASE_POOL_SIZE,
          }),
        ),
        PlatformModule.forRoot({
          service: 'awards',
          logLevel: config.LOG_LEVEL,
          nats: natsOptionsOf(config),
          streams: [Streams.AWARDS],
        }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.BULL_PREFIX }),
        BullModule.registerQueue({ name: CERTIFICATE_QUEUE }),
      ],
      controllers: config.ROLE === 'worker' ? [] : apiControllers,
      providers: [
        { provide: AWARDS_CONFIG, useValue: config },
        Sources,
        AwardsRepository,
        CategoriesService,
        NominationsService,
        CommitteeService,
        AnnouncementService,
        AwardsMetrics,
        redisReadiness,
        ...(config.ROLE === 'api' ? [] : workerProviders),
      ],
    };
  }
}
