import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics, withinScrape } from '@dg/platform';
import { CERTIFICATE_QUEUE } from './announcement/jobs';

/** Winners, certificates and the certificate queue for the dashboards and alerts. */
@Injectable()
export class AwardsMetrics {
  readonly certificates: Counter;

  constructor(metrics: Metrics, ds: DataSource, @InjectQueue(CERTIFICATE_QUEUE) queue: Queue) {
    this.certificates = new Counter({
      name: 'awards_certificates_generated_total',
      help: 'Certificate PDFs generated',
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'awards_queue_jobs',
      help: 'Jobs in the certificates queue by state',
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      async collect() {
        const counts = await withinScrape(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));
        this.reset();
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'awards_winners',
      help: 'Announced winners by cycle, and how many have their certificate',
      labelNames: ['cycle', 'certificate'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT w.cycle_id, (c.category_id IS NOT NULL) AS has, count(*)::int AS n
             FROM winners w LEFT JOIN certificates c USING (category_id, agency_id) GROUP BY 1, 2`,
        )) as { cycle_id: string; has: boolean; n: number }[];
        this.reset();
        for (const r of rows) this.set({ cycle: r.cycle_id, certificate: r.has ? 'ready' : 'pending' }, r.n);
      },
    });
  }
}
