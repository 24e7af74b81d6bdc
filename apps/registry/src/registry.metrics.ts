import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@dg/platform';

/** Domain gauges for the dashboards, read from the database when Prometheus scrapes. */
@Injectable()
export class RegistryMetrics {
  constructor(metrics: Metrics, ds: DataSource) {
    new Gauge({
      name: 'registry_agencies',
      help: 'Agencies in the registry by kind and status',
      labelNames: ['kind', 'status'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT kind, status, count(*)::int AS n FROM agencies GROUP BY kind, status`,
        )) as { kind: string; status: string; n: number }[];
        this.reset();
        for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'registry_cohort_agencies',
      help: 'Agencies in each cycle cohort by group',
      labelNames: ['cycle', 'group'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT cycle_id, agency_group, count(*)::int AS n FROM cohort_members GROUP BY 1, 2`,
        )) as { cycle_id: string; agency_group: string; n: number }[];
        this.reset();
        for (const r of rows) this.set({ cycle: r.cycle_id, group: r.agency_group }, r.n);
      },
    });
  }
}
