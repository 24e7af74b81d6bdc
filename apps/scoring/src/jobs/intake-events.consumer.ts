import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type EventEnvelope, Events, Streams } from '@dg/contracts';
import { EventConsumer, Metrics, Nats } from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { JobName, jobOptions, SCORING_QUEUE, type ScoreJob, scoreJobId } from './jobs';

type Scored = typeof Events.ResponseSubmitted | typeof Events.ResponseVerified;

/**
 * Turns intake's submitted/verified events into scoring jobs. The job id is the response and its
 * version, so a redelivered event (or the same event read twice) queues nothing new; the event is
 * acknowledged only once the job is safely in Redis.
 */
@Injectable()
export class IntakeEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntakeEventsConsumer.name);
  private consumer?: EventConsumer<Scored>;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
    private readonly nats: Nats,
    private readonly ds: DataSource,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /**
   * Intake owns the INTAKE stream. If scoring starts first, it keeps trying in the background
   * (serving RPCs meanwhile) instead of crashing: the durable consumer reads from the beginning,
   * so nothing submitted in between is missed.
   */
  private async start(): Promise<void> {
    if (this.stopped) return;
    const consumer = new EventConsumer<Scored>(
      {
        stream: Streams.INTAKE,
        durable: 'scoring',
        subjects: [Events.ResponseSubmitted, Events.ResponseVerified],
        handle: (event) => this.enqueue(event),
      },
      this.nats,
      this.ds,
      this.metrics,
    );
    try {
      await consumer.start();
      this.consumer = consumer;
    } catch (e) {
      if (!/stream not found/i.test(e instanceof Error ? e.message : String(e))) throw e;
      this.logger.warn('the INTAKE stream does not exist yet (intake not started?); retrying in 2 s');
      this.retry = setTimeout(() => void this.start().catch((err: unknown) => this.logger.error(String(err))), 2_000);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.consumer?.stop();
  }

  private async enqueue(event: EventEnvelope<Scored>): Promise<void> {
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
    await this.queue.add(JobName.Score, data, {
      jobId: scoreJobId(p.responseId, p.responseVersion),
      ...jobOptions(this.config),
    });
  }
}
