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
} from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from './config';
import { FailuresRepository } from './jobs/failures.repository';
import { IntakeEventsConsumer } from './jobs/intake-events.consumer';
import { SCORING_FLOW, SCORING_QUEUE, SCORING_SWEEP_QUEUE } from './jobs/jobs';
import { ScoreRequestsRepository } from './jobs/score-requests.repository';
import { ScoringProcessor } from './jobs/scoring.processor';
import { ScoringSweeper, SweepProcessor } from './jobs/sweeper';
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

/**
 * ROLE=api answers RPCs and turns intake's events into jobs; ROLE=worker runs the jobs and the
 * sweep that re-queues lost ones; ROLE=all does both (ADR 0010). Both sides share the database, the
 * queue (a producer on either side), the sweep's schedule and the outbox relay: a job writes
 * scoring.scorecard.computed through the outbox too.
 */
const apiProviders: Provider[] = [ScoringMessages, IntakeEventsConsumer];
const workerProviders: Provider[] = [ScoringProcessor, SweepProcessor];

/** Every role needs Redis: the API queues jobs, the worker takes them. */
const redisReadiness: Provider = {
  provide: 'SCORING_REDIS_READINESS',
  inject: [ReadinessChecks, getQueueToken(SCORING_QUEUE)],
  useFactory: (checks: ReadinessChecks, queue: Queue) =>
    checks.add('redis', () => queue.getJobCounts('waiting')),
};

@Module({})
export class ScoringModule {
  static forRoot(config: ScoringConfig): DynamicModule {
    return {
      module: ScoringModule,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: config.DATABASE_URL,
            entities: scoringEntities,
            migrations: scoringMigrations,
          }),
        ),
        PlatformModule.forRoot({
          service: 'scoring',
          logLevel: config.LOG_LEVEL,
          nats: natsOptionsOf(config),
          streams: [Streams.SCORING],
        }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.BULL_PREFIX }),
        BullModule.registerQueue({ name: SCORING_QUEUE }, { name: SCORING_SWEEP_QUEUE }),
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
        ScoreRequestsRepository,
        ScoringSweeper,
        ResultsRepository,
        ResultsService,
        RescoreService,
        ScoringMetrics,
        redisReadiness,
        ...(config.ROLE === 'worker' ? [] : apiProviders),
        ...(config.ROLE === 'api' ? [] : workerProviders),
      ],
    };
  }
}
