import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DomainError, SYSTEM_ACTOR } from '@dg/contracts';
import { type CallContext, runInContext } from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { RescoreService } from '../rescore/rescore.service';
import { ScorerService } from '../scorecards/scorer.service';
import { ScoringMetrics } from '../scoring.metrics';
import { FailuresRepository } from './failures.repository';
import { JobName, RescoreBatchJob, RescoreDoneJob, SCORING_QUEUE, ScoreJob } from './jobs';
import { ScoreRequestsRepository } from './score-requests.repository';

/** The service acts for itself when it calls others; the user who caused the work stays in the logs. */
const asSystem = (data: { correlationId: string }): CallContext => ({ correlationId: data.correlationId, actor: SYSTEM_ACTOR });

/**
 * Runs the scoring queue. Every job name has exactly one handler (the record below is checked by
 * the compiler); job data is validated with the same schema that built it.
 */
@Processor(SCORING_QUEUE)
export class ScoringProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScoringProcessor.name);

  private readonly handlers: Record<JobName, (job: Job) => Promise<unknown>> = {
    [JobName.Score]: (job) => this.score(job.id!, ScoreJob.parse(job.data)),
    [JobName.RescoreBatch]: (job) => this.rescoreBatch(job.id!, RescoreBatchJob.parse(job.data)),
    [JobName.RescoreDone]: (job) => this.rescoreDone(RescoreDoneJob.parse(job.data)),
  };

  constructor(
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    private readonly scorer: ScorerService,
    private readonly rescores: RescoreService,
    private readonly failures: FailuresRepository,
    private readonly requests: ScoreRequestsRepository,
    private readonly metrics: ScoringMetrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SCORING_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as JobName];
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const end = this.metrics.jobDuration.startTimer({ job: job.name });
    try {
      const data = job.data as { correlationId: string; actor: CallContext['actor'] };
      return await runInContext({ correlationId: data.correlationId, actor: data.actor }, () => handler(job));
    } finally {
      end();
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
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    const code = error instanceof DomainError ? error.code : 'INTERNAL';
    this.logger.warn(`job ${job.id} failed (attempt ${job.attemptsMade}${final ? ', giving up' : ''}): ${code} ${error.message}`);
    this.metrics.jobs.inc({ job: job.name, outcome: final ? 'failed' : 'retrying' });
    try {
      if (job.name === JobName.Score) {
        const data = ScoreJob.parse(job.data);
        await this.failures.record({
          jobId: job.id!,
          cycleId: data.cycleId,
          responseId: data.responseId,
          responseVersion: data.responseVersion,
          agencyCode: null,
          code,
          message: error.message,
          attempts: job.attemptsMade,
          final,
        });
        // Failed for good: listed in the failures, and not the sweep's to queue again.
        if (final) await this.requests.done(job.id!, data, 'failed');
      } else if (final) {
        const data = RescoreDoneJob.pick({ rescoreId: true }).parse(job.data);
        await this.rescores.markFinished(data.rescoreId, 'failed');
      }
    } catch (e) {
      this.logger.error(`could not record the failure of job ${job.id}: ${String(e)}`);
    }
  }
}
