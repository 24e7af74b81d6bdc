import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics, withinScrape } from '@dg/platform';
import { SCORING_QUEUE } from './jobs/jobs';

/** Jobs, queue depth, scorecards, open failures and lost jobs re-queued, for the dashboards and alerts. */
@Injectable()
export class ScoringMetrics {
  readonly jobs: Counter<'job' | 'outcome'>;
  readonly jobDuration: Histogram<'job'>;
  readonly requeued: Counter;

  constructor(metrics: Metrics, ds: DataSource, @InjectQueue(SCORING_QUEUE) queue: Queue) {
    this.jobs = new Counter({
      name: 'scoring_jobs_total',
      help: 'Scoring jobs by name and outcome (scored, unchanged, retrying, failed)',
      labelNames: ['job', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.jobDuration = new Histogram({
      name: 'scoring_job_duration_seconds',
      help: 'Time to run a scoring job, by name',
      labelNames: ['job'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
    this.requeued = new Counter({
      name: 'scoring_requests_requeued_total',
      help: 'Score jobs that Redis had lost, queued again by the sweep from score_requests',
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'scoring_requests_pending',
      help: 'Score requests whose job has not stored a scorecard or failed for good yet (queued, running or retrying)',
      registers: [metrics.registry],
      async collect() {
        const [{ n }] = (await ds.query(
          `SELECT count(*)::int AS n FROM score_requests WHERE done_at IS NULL`,
        )) as { n: number }[];
        this.set(n);
      },
    });
    new Gauge({
      name: 'scoring_queue_jobs',
      help: 'Jobs in the scoring queue by state',
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      async collect() {
        const counts = await withinScrape(
          queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'waiting-children'),
        );
        this.reset();
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'scoring_scorecards',
      help: 'Agencies with a current scorecard, by cycle and maturity level',
      labelNames: ['cycle', 'level'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT c.cycle_id, coalesce(s.level::text, 'none') AS level, count(*)::int AS n
             FROM current_scores c JOIN scorecards s ON s.id = c.scorecard_id GROUP BY 1, 2`,
        )) as { cycle_id: string; level: string; n: number }[];
        this.reset();
        for (const r of rows) this.set({ cycle: r.cycle_id, level: r.level }, r.n);
      },
    });
    new Gauge({
      name: 'scoring_failures_open',
      help: 'Responses that could not be scored and are not resolved, by cycle and code',
      labelNames: ['cycle', 'code'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT cycle_id, code, count(*)::int AS n FROM scoring_failures WHERE resolved_at IS NULL GROUP BY 1, 2`,
        )) as { cycle_id: string; code: string; n: number }[];
        this.reset();
        for (const r of rows) this.set({ cycle: r.cycle_id, code: r.code }, r.n);
      },
    });
  }
}
