import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@dg/platform';

/** Winners and certificates for the dashboards. */
@Injectable()
export class AwardsMetrics {
  readonly certificates: Counter;

  constructor(metrics: Metrics, ds: DataSource) {
    this.certificates = new Counter({
      name: 'awards_certificates_generated_total',
      help: 'Certificate PDFs generated',
      registers: [metrics.registry],
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
