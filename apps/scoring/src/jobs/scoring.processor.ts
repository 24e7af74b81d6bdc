import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type Provider } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { checkJob, DomainError, type JobItemOf, SYSTEM_ACTOR } from '@dg/contracts';
import { type CallContext, runInContext } from '@dg/platform';
import type { ScoringConfig } from '../config';
import { RescoreService } from '../rescore/rescore.service';
import { ScorerService } from '../scorecards/scorer.service';
import { ScoringMetrics } from '../scoring.metrics';
import { FailuresRepository } from './failures.repository';
import {
  JobName,
  payloadOf,
  type RescoreBatchJob,
  type RescoreDoneJob,
  SCORING_QUEUE,
  type ScoreJob,
} from './jobs';
import { ScoreRequestsRepository } from './score-requests.repository';

/** The service acts for itself when it calls others; the user who caused the work stays in the logs. */
const asSystem = (data: { correlationId: string }): CallContext => ({ correlationId: data.correlationId, actor: SYSTEM_ACTOR });

/**
 * Runs the scoring queue. Every job's name and payload are checked against the contracts first (a
 * job that does not match fails for good), then it goes to the one handler of its name (the switch
 * is checked for exhaustiveness). The worker itself is `scoringProcessor(config)` below.
 */
@Injectable()
export class ScoringProcessor extends WorkerHost {
  private readonly logger = new Logger(ScoringProcessor.name);

  constructor(
    private readonly scorer: ScorerService,
    private readonly rescores: RescoreService,
    private readonly failures: FailuresRepository,
    private readonly requests: ScoreRequestsRepository,
    private readonly metrics: ScoringMetrics,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const item = payloadOf(SCORING_QUEUE, job);
    const end = this.metrics.jobDuration.startTimer({ job: item.name });
    try {
      const { correlationId, actor } = item.data;
      return await runInContext({ correlationId, actor }, () => this.handle(job.id!, item));
    } finally {
      end();
    }
  }

  private handle(jobId: string, item: JobItemOf<typeof SCORING_QUEUE>): Promise<unknown> {
    switch (item.name) {
      case JobName.Score:
        return this.score(jobId, item.data);
      case JobName.RescoreBatch:
        return this.rescoreBatch(jobId, item.data);
      case JobName.RescoreDone:
        return this.rescoreDone(item.data);
    }
  }

  private async score(jobId: string, data: ScoreJob) {
    // The request is done in the transaction that stores the card: the sweep never re-queues it.
    const { inserted, input } = await this.scorer.scoreEvent(data, asSystem(data), (m) =>
      this.requests.done(jobId, data, 'scored', m),
    );
    await this.failures.resolve([input.responseId]);
    this.metrics.jobs.inc({ job: JobName.Score, outcome: inserted ? 'scored' : 'unchanged' });
    return { inserted };
  }

  private async rescoreBatch(jobId: string, data: RescoreBatchJob) {
    await this.rescores.markRunning(data.rescoreId);
    const { inserted, failures } = await this.scorer.scoreBatch(
      data.keys,
      data.cycleId,
      data.rulesVersion,
      asSystem(data),
      async (m) => {
        await m.query(`INSERT INTO rescore_batches (rescore_id, batch, size) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          data.rescoreId,
          data.batch,
          data.keys.length,
        ]);
      },
    );
    const failed = new Set(failures.map((f) => f.input.responseId));
    await this.failures.resolve(data.keys.map((k) => k.responseId).filter((id) => !failed.has(id)));
    for (const f of failures) {
      await this.failures.record({
        jobId: `${jobId}_${f.input.responseId}`,
        cycleId: data.cycleId,
        responseId: f.input.responseId,
        responseVersion: f.input.responseVersion,
        agencyCode: f.input.agencyCode,
        code: f.error.code,
        message: f.error.message,
        attempts: 1,
        final: true,
      });
    }
    this.metrics.jobs.inc({ job: JobName.RescoreBatch, outcome: 'scored' }, inserted);
    if (failures.length) this.metrics.jobs.inc({ job: JobName.RescoreBatch, outcome: 'failed' }, failures.length);
    return { inserted, failed: failures.length };
  }

  private async rescoreDone(data: RescoreDoneJob) {
    await this.rescores.markFinished(data.rescoreId, 'completed');
    return { done: true };
  }

  /** Each failed attempt is recorded at once, so operators see a stuck response before retries run out. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const code = error instanceof DomainError ? error.code : 'INTERNAL';
    this.logger.warn(`job ${job.id} failed (attempt ${job.attemptsMade}${final ? ', giving up' : ''}): ${code} ${error.message}`);
    this.metrics.jobs.inc({ job: job.name, outcome: final ? 'failed' : 'retrying' });
    // A job that does not match its schema has nothing to record against (the warning says why).
    const checked = checkJob(SCORING_QUEUE, job);
    if (!checked.ok) return;
    const item = checked.job;
    try {
      if (item.name === JobName.Score) {
        await this.failures.record({
          jobId: job.id!,
          cycleId: item.data.cycleId,
          responseId: item.data.responseId,
          responseVersion: item.data.responseVersion,
          agencyCode: null,
          code,
          message: error.message,
          attempts: job.attemptsMade,
          final,
        });
        // Failed for good: listed in the failures, and not the sweep's to queue again.
        if (final) await this.requests.done(job.id!, item.data, 'failed');
      } else if (final) {
        await this.rescores.markFinished(item.data.rescoreId, 'failed');
      }
    } catch (e) {
      this.logger.error(`could not record the failure of job ${job.id}: ${String(e)}`);
    }
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error(`scoring worker: ${error.message}`);
  }
}

/**
 * The worker of the scoring queue, SCORING_CONCURRENCY jobs at a time. @nestjs/bullmq reads the
 * worker options from `@Processor` when it starts the workers, so the class is decorated here with
 * this deployment's configuration; the module provides it only where workers run (ADR 0010).
 */
export function scoringProcessor(config: ScoringConfig): Provider {
  @Processor(SCORING_QUEUE, { concurrency: config.SCORING_CONCURRENCY })
  class ConfiguredScoringProcessor extends ScoringProcessor {}
  return { provide: ScoringProcessor, useClass: ConfiguredScoringProcessor };
}
