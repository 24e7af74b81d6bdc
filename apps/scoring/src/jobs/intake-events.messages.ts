import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Queue } from 'bullmq';
import { type EventEnvelope, Events } from '@dg/contracts';
import type { EventPatternExtras, JetStreamContext } from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { JobName, jobOptions, SCORING_QUEUE, type ScoreJob, scoreJobId } from './jobs';
import { ScoreRequestsRepository } from './score-requests.repository';

type Scored = typeof Events.ResponseSubmitted | typeof Events.ResponseVerified;

/** Scoring's consumer of intake's stream; its name is its position and inbox key. */
const CONSUMER: EventPatternExtras = { durable: 'scoring' };

/**
 * Turns intake's submitted/verified events into scoring jobs. The job id is the response and its
 * version, so a redelivered event (or the same event read twice) queues nothing new; the event is
 * acknowledged only once the job is in Redis and its request row (score_requests) is committed with
 * the inbox row: if Redis loses the job later, the sweep finds the request and queues it again.
 */
@Controller()
export class IntakeEventsMessages {
  constructor(
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
    private readonly requests: ScoreRequestsRepository,
  ) {}

  @EventPattern<string>(Events.ResponseSubmitted, CONSUMER)
  async responseSubmitted(
    @Payload() event: EventEnvelope<typeof Events.ResponseSubmitted>,
    @Ctx() { manager }: JetStreamContext,
  ): Promise<void> {
    await this.enqueue(event, manager);
  }

  @EventPattern<string>(Events.ResponseVerified, CONSUMER)
  async responseVerified(
    @Payload() event: EventEnvelope<typeof Events.ResponseVerified>,
    @Ctx() { manager }: JetStreamContext,
  ): Promise<void> {
    await this.enqueue(event, manager);
  }

  private async enqueue(event: EventEnvelope<Scored>, manager: JetStreamContext['manager']): Promise<void> {
    const p = event.payload;
    const data: ScoreJob = {
      cycleId: p.cycleId,
      responseId: p.responseId,
      responseVersion: p.responseVersion,
      submission: p.submission,
      verdicts:
        event.type === Events.ResponseVerified
          ? (p as EventEnvelope<typeof Events.ResponseVerified>['payload']).verdicts
          : null,
      correlationId: event.correlationId,
      actor: event.actor,
    };
    const jobId = scoreJobId(p.responseId, p.responseVersion);
    // The row first: if adding the job fails, the transaction (and the inbox row) rolls back.
    await this.requests.record(manager, jobId, data);
    await this.queue.add(JobName.Score, data, { jobId, ...jobOptions(this.config) });
  }
}
