import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@dg/platform';

/** Survey progress for the dashboards, read from the database when Prometheus scrapes. */
@Injectable()
export class IntakeMetrics {
  constructor(metrics: Metrics, ds: DataSource) {
    new Gauge({
      name: 'intake_responses',
      help: 'Responses by cycle, status and agency group',
      labelNames: ['cycle', 'status', 'group'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT r.cycle_id, r.status, r.agency_group, count(*)::int AS n
             FROM responses r JOIN cycles c ON c.id = r.cycle_id
            WHERE c.status IN ('open', 'closed') GROUP BY 1, 2, 3`,
        )) as { cycle_id: string; status: string; agency_group: string; n: number }[];
        this.reset();
        for (const r of rows) this.set({ cycle: r.cycle_id, status: r.status, group: r.agency_group }, r.n);
      },
    });
  }
}
