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
    // Ministry codes (about 20) and provinces (77) keep the series bounded; agencies are never labels.
    // Responses from before the columns existed count as 'unknown'.
    for (const [by, column] of [
      ['ministry', 'agency_ministry'],
      ['province', 'agency_province'],
    ] as const) {
      new Gauge({
        name: `intake_responses_by_${by}`,
        help: `Responses of open and closed cycles by cycle, ${by} and status`,
        labelNames: ['cycle', by, 'status'] as const,
        registers: [metrics.registry],
        async collect() {
          const rows = (await ds.query(
            `SELECT r.cycle_id, coalesce(r.${column}, 'unknown') AS place, r.status, count(*)::int AS n
               FROM responses r JOIN cycles c ON c.id = r.cycle_id
              WHERE c.status IN ('open', 'closed') GROUP BY 1, 2, 3`,
          )) as { cycle_id: string; place: string; status: string; n: number }[];
          this.reset();
          for (const r of rows) this.set({ cycle: r.cycle_id, [by]: r.place, status: r.status }, r.n);
        },
      });
    }
    new Gauge({
      name: 'intake_cycle_deadline_timestamp_seconds',
      help: 'Submission deadline (closesAt) of each open cycle, in Unix seconds',
      labelNames: ['cycle'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = (await ds.query(
          `SELECT id, extract(epoch FROM closes_at)::float8 AS deadline FROM cycles WHERE status = 'open'`,
        )) as { id: string; deadline: number }[];
        this.reset();
        for (const r of rows) this.set({ cycle: r.id }, r.deadline);
      },
    });
  }
}
