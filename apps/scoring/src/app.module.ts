import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Streams } from '@dg/contracts';
import { dataSourceOptions, InboxEntry, OutboxEvent, PlatformModule } from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from './config';
import { FailuresRepository } from './jobs/failures.repository';
import { IntakeEventsConsumer } from './jobs/intake-events.consumer';
import { SCORING_FLOW, SCORING_QUEUE } from './jobs/jobs';
import { ScoringProcessor } from './jobs/scoring.processor';
import { scoringMigrations } from './migrations';
import { redisConnection } from '@dg/platform';
import { RescoreService } from './rescore/rescore.service';
import { ResultsRepository } from './results/results.repository';
import { ResultsService } from './results/results.service';
import { RulesRepository } from './rules/rules.repository';
import { RulesService } from './rules/rules.service';
import { ScorerService } from './scorecards/scorer.service';
import { ScoresRepository } from './scorecards/scores.repository';
import { ScoringMessages } from './scoring.messages';
import { ScoringMetrics } from './scoring.metrics';
import { IntakeSource } from './sources/intake.source';
import { RegistrySource } from './sources/registry.source';

/** Scoring's tables are plain SQL in its repositories; TypeORM entities are only the platform's. */
export const scoringEntities = [OutboxEvent, InboxEntry];

@Module({})
export class ScoringModule {
  static forRoot(config: ScoringConfig): DynamicModule {
    return {
      module: ScoringModule,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({ url: config.DATABASE_URL, entities: scoringEntities, migrations: scoringMigrations }),
        ),
        PlatformModule.forRoot({
          service: 'scoring',
          logLevel: config.LOG_LEVEL,
          nats: { url: config.NATS_URL, prefix: config.NATS_PREFIX },
          streams: [Streams.SCORING],
        }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.BULL_PREFIX }),
        BullModule.registerQueue({ name: SCORING_QUEUE }),
        BullModule.registerFlowProducer({ name: SCORING_FLOW }),
      ],
      providers: [
        { provide: SCORING_CONFIG, useValue: config },
        IntakeSource,
        RegistrySource,
        RulesRepository,
        RulesService,
        ScoresRepository,
        ScorerService,
        FailuresRepository,
        ResultsRepository,
        ResultsService,
        RescoreService,
        ScoringMetrics,
        ScoringProcessor,
        IntakeEventsConsumer,
        ScoringMessages,
      ],
    };
  }
}
