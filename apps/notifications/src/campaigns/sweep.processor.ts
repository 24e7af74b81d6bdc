import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { payloadOf, QUEUES } from '../deliveries/jobs';
import { Sweeper } from './sweeper';

/**
 * Runs the scheduled sweep: the worker side of the Sweeper (ADR 0010). One sweep at a time: each
 * worker takes one at once, and a sweep that finds an earlier one still running on another replica
 * steps aside (Sweeper.scheduledSweep).
 */
@Processor(QUEUES.sweep, { concurrency: 1 })
export class SweepProcessor extends WorkerHost {
  private readonly logger = new Logger(SweepProcessor.name);

  constructor(private readonly sweeper: Sweeper) {
    super();
  }

  async process(job: Job): ReturnType<Sweeper['scheduledSweep']> {
    payloadOf(QUEUES.sweep, job);
    return this.sweeper.scheduledSweep(new Date(), job);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error(`sweep worker: ${error.message}`);
  }
}
