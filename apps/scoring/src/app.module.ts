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
import { IntakeEventsMessages } from './jobs/intake-events.messages';
import { SCORING_FLOW, SCORING_QUEUE, SCORING_SWEEP_QUEUE } from './jobs/jobs';
import { ScoreRequestsRepository } from './jobs/score-requests.repository';
import { scoringProcessor } from './jobs/scoring.processor';
import { SweepProcessor } from './jobs/sweep.processor';
import { ScoringSweeper } from './jobs/sweeper';
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
const apiControllers = [ScoringMessages, IntakeEventsMessages];
const workerProviders = (config: ScoringConfig): Provider[] => [scoringProcessor(config), SweepProcessor];

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
            poolSize: config.DATABASE_POOL_SIZE,
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
        // Its close() ends the connection already; the extra disconnect of @nestjs/bullmq 12 awaits
        // BullMQ 6's client promise, which never settles when Redis was never reached (a stuck stop).
        BullModule.registerFlowProducer({ name: SCORING_FLOW, forceDisconnectOnShutdown: false }),
      ],
      controllers: config.ROLE === 'worker' ? [] : apiControllers,
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
        ...(config.ROLE === 'api' ? [] : workerProviders(config)),
      ],
    };
  }
}
