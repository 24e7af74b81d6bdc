import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics, withinScrape } from '@dg/platform';
import { QUEUES } from './deliveries/jobs';

/** Messages by channel and outcome, send latency, queue depth and the delivery log by status. */
@Injectable()
export class NotificationsMetrics {
  readonly messages: Counter<'channel' | 'outcome'>;
  readonly sendDuration: Histogram<'channel'>;

  constructor(
    metrics: Metrics,
    ds: DataSource,
    @InjectQueue(QUEUES.email) email: Queue,
    @InjectQueue(QUEUES.line) line: Queue,
  ) {
    this.messages = new Counter({
      name: 'notifications_messages_total',
      help: 'Send attempts by channel and outcome (sent, skipped, retrying, rate_limited, failed)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.sendDuration = new Histogram({
      name: 'notifications_send_duration_seconds',
      help: 'Time to hand one message to the provider, by channel',
      labelNames: ['channel'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'notifications_queue_jobs',
      help: 'Send jobs by channel queue and state',
      labelNames: ['channel', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const [channel, queue] of [
          ['email', email],
          ['line', line],
        ] as const) {
          const counts = await withinScrape(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));
          for (const [state, n] of Object.entries(counts ?? {})) this.set({ channel, state }, n);
        }
      },
    });
    new Gauge({
      name: 'notifications_deliveries',
      help: 'The delivery log by channel and status (queued, sent, failed, skipped)',
      labelNames: ['channel', 'status'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT channel, status, count(*)::int AS n FROM deliveries GROUP BY 1, 2`,
        )) as {
          channel: string;
          status: string;
          n: number;
        }[];
        this.reset();
        for (const r of rows) this.set({ channel: r.channel, status: r.status }, r.n);
      },
    });
  }
}
