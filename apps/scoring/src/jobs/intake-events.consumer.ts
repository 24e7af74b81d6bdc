import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { type EventEnvelope, Events, Streams } from '@dg/contracts';
import { EventConsumer, Metrics, Nats } from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { JobName, jobOptions, SCORING_QUEUE, type ScoreJob, scoreJobId } from './jobs';
import { ScoreRequestsRepository } from './score-requests.repository';

type Scored = typeof Events.ResponseSubmitted | typeof Events.ResponseVerified;

/**
 * Turns intake's submitted/verified events into scoring jobs. The job id is the response and its
 * version, so a redelivered event (or the same event read twice) queues nothing new; the event is
 * acknowledged only once the job is in Redis and its request row (score_requests) is committed with
 * the inbox row: if Redis loses the job later, the sweep finds the request and queues it again.
 */
@Injectable()
export class IntakeEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: EventConsumer<Scored>;

  constructor(
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
    private readonly nats: Nats,
    private readonly ds: DataSource,
    private readonly metrics: Metrics,
    private readonly requests: ScoreRequestsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new EventConsumer<Scored>(
      {
        stream: Streams.INTAKE,
        durable: 'scoring',
        subjects: [Events.ResponseSubmitted, Events.ResponseVerified],
        handle: (event, manager) => this.enqueue(event, manager),
      },
      this.nats,
      this.ds,
      this.metrics,
    );
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async enqueue(event: EventEnvelope<Scored>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const data: ScoreJob = {
      cycleId: p.cycleId,
      responseId: p.responseId,
      responseVersion: p.responseVersion,
      submission: p.submission,
      verdicts: event.type === Events.ResponseVerified ? (p as EventEnvelope<typeof Events.ResponseVerified>['payload']).verdicts : null,
      correlationId: event.correlationId,
      actor: event.actor,
    };
    const jobId = scoreJobId(p.responseId, p.responseVersion);
    // The row first: if adding the job fails, the transaction (and the inbox row) rolls back.
    await this.requests.record(manager, jobId, data);
    await this.queue.add(JobName.Score, data, { jobId, ...jobOptions(this.config) });
  }
}
