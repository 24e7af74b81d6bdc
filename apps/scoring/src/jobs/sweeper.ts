import { InjectQueue } from '@nestjs/bullmq';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { Queues } from '@dg/contracts';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { ScoringMetrics } from '../scoring.metrics';
import { type JobQueue, JobName, jobOptions, SCORING_QUEUE, SCORING_SWEEP_QUEUE, SWEEP_JOB } from './jobs';
import { type PendingRequest, ScoreRequestsRepository } from './score-requests.repository';

/** Requests checked against Redis per round trip batch. */
const PAGE = 200;

export interface SweepResult {
  /** Requests found done in the database (their job's own mark was lost). */
  settled: number;
  /** Requests not done and old enough that were looked up in Redis. */
  checked: number;
  /** Of those, the ones whose job was gone and was queued again. */
  requeued: number;
}

/**
 * Re-queues score jobs that Redis lost after intake's event was acknowledged (a Redis without
 * persistence restarting, a failover to a replica that had not received them, keys flushed): every
 * requested score is a score_requests row until its job stores the scorecard or fails for good.
 * A BullMQ job scheduler runs the sweep on one replica at a time every SWEEP_MS. Every role keeps
 * the schedule in Redis (an idempotent upsert, checked again every SWEEP_MS because Redis can lose
 * the schedule too); only a process that runs workers runs the sweep (SweepProcessor, ADR 0010).
 */
@Injectable()
export class ScoringSweeper
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(ScoringSweeper.name);
  private timer?: NodeJS.Timeout;
  private scheduling = false;
  private stopping = false;

  constructor(
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    private readonly requests: ScoreRequestsRepository,
    private readonly metrics: ScoringMetrics,
    @InjectQueue(SCORING_QUEUE) private readonly scoring: JobQueue<typeof SCORING_QUEUE>,
    @InjectQueue(SCORING_SWEEP_QUEUE) private readonly sweepQueue: JobQueue<typeof SCORING_SWEEP_QUEUE>,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: a process whose Redis is down still boots (and reports itself not ready).
    void this.schedule(true);
    this.timer = setInterval(() => void this.schedule(false), this.config.SWEEP_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    clearInterval(this.timer);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Registers the schedule: always at boot (SWEEP_MS may have changed), later only when it is gone. */
  private async schedule(always: boolean): Promise<void> {
    if (this.scheduling || this.stopping) return;
    this.scheduling = true;
    try {
      if (!always && (await this.sweepQueue.getJobScheduler(SWEEP_JOB))) return;
      await this.sweepQueue.upsertJobScheduler(
        SWEEP_JOB,
        { every: this.config.SWEEP_MS },
        { name: SWEEP_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
      if (!always)
        this.logger.warn('the sweep schedule was missing from Redis (data lost?): registered again');
    } catch (e) {
      if (!this.stopping) this.logger.warn(`could not register the sweep schedule, will retry: ${String(e)}`);
    } finally {
      this.scheduling = false;
    }
  }

  /**
   * One sweep. Requests made more than SWEEP_AFTER_MS before `now` and not done are first settled
   * from the database (a scorecard of that version, or a final failure, means done), then looked up
   * in Redis: a job in any state (waiting, active, delayed for a retry, failed) is left alone, a
   * job that failed for good is done, and a missing one is queued again with the same id and
   * options. Exposed for tests.
   */
  async sweep(now = new Date()): Promise<SweepResult> {
    const before = new Date(now.getTime() - this.config.SWEEP_AFTER_MS);
    const settled = await this.requests.settle(before);
    let checked = 0;
    let requeued = 0;
    let after = '';
    while (!this.stopping) {
      const page = await this.requests.pending(before, after, PAGE);
      if (!page.length) break;
      after = page[page.length - 1].jobId;
      checked += page.length;
      requeued += await this.requeueMissing(page);
    }
    if (requeued) {
      this.metrics.requeued.inc(requeued);
      this.logger.warn(
        `re-queued ${requeued} score jobs that Redis had lost (of ${checked} requests not done)`,
      );
    }
    return { settled, checked, requeued };
  }

  private async requeueMissing(page: PendingRequest[]): Promise<number> {
    const jobs = await Promise.all(page.map((r) => this.scoring.getJob(r.jobId)));
    const added: string[] = [];
    for (const [i, r] of page.entries()) {
      const job = jobs[i];
      try {
        const data = Queues.Scoring.jobs.score.parse(r.data);
        if (!job) {
          // Same id and options as the consumer's: if it came back meanwhile, this adds nothing.
          await this.scoring.add(JobName.Score, data, { jobId: r.jobId, ...jobOptions(this.config) });
          added.push(r.jobId);
        } else if (await failedForGood(job)) {
          // Its failure could not be recorded (the processor's own mark was lost): done, not re-queued.
          await this.requests.done(r.jobId, data, 'failed');
        }
      } catch (e) {
        this.logger.error(`could not check or re-queue score request ${r.jobId}: ${String(e)}`);
      }
    }
    await this.requests.requeued(added);
    return added.length;
  }
}

async function failedForGood(job: Job): Promise<boolean> {
  return Boolean(job.finishedOn) && job.attemptsMade >= (job.opts.attempts ?? 1) && (await job.isFailed());
}
