import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { payloadOf, SCORING_SWEEP_QUEUE } from './jobs';
import { ScoringSweeper, type SweepResult } from './sweeper';

/**
 * Runs the scheduled sweep: the worker side of ScoringSweeper (ADR 0010). One sweep at a time:
 * the job scheduler queues the next sweep only when one starts, and each worker takes one at once.
 */
@Processor(SCORING_SWEEP_QUEUE, { concurrency: 1 })
export class SweepProcessor extends WorkerHost {
  private readonly logger = new Logger(SweepProcessor.name);

  constructor(private readonly sweeper: ScoringSweeper) {
    super();
  }

  async process(job: Job): Promise<SweepResult> {
    payloadOf(SCORING_SWEEP_QUEUE, job);
    return this.sweeper.sweep();
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error(`sweep worker: ${error.message}`);
  }
}
