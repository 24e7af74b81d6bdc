import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { poolStatsOf, type PoolStats } from './database';
import { Metrics } from './metrics';

/** Requests waiting this long for a connection are worth a warning: callers give up at 10 s. */
export const POOL_WAIT_WARN_MS = 5_000;
/** While the wait lasts, the warning is repeated this often (a pool that never recovers shows). */
const POOL_WAIT_REPEAT_MS = 60_000;

/**
 * Watches the service's PostgreSQL pool: `db_pool_connections{state}` and `db_pool_waiting_requests`
 * on /metrics, and a warning in the log when requests have waited for a connection without a
 * break for 5 s (then once a minute while it lasts, and once when it clears). A service whose
 * RPCs answer 503 or time out then says whether its pool was exhausted (every connection taken,
 * requests queued), which a slow CPU alone does not do.
 */
@Injectable()
export class DatabasePoolWatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DatabasePool');
  private timer?: NodeJS.Timeout;
  private waitingSince?: number;
  private warnedAt?: number;
  private mostWaiting = 0;

  constructor(
    metrics: Metrics,
    @Optional() private readonly dataSource?: DataSource,
  ) {
    const stats = () => this.stats();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the PostgreSQL pool: in_use, idle, and max (its size)',
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      collect() {
        const s = stats();
        this.reset();
        if (!s) return;
        this.set({ state: 'in_use' }, s.total - s.idle);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'max' }, s.max);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_requests',
      help: 'Requests waiting for a connection of the PostgreSQL pool',
      registers: [metrics.registry],
      collect() {
        const s = stats();
        this.reset();
        if (s) this.set(s.waiting);
      },
    });
  }

  private stats(): PoolStats | undefined {
    return this.dataSource?.isInitialized ? poolStatsOf(this.dataSource) : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.dataSource) return;
    this.timer = setInterval(() => this.check(), 1_000);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One look at the pool; returns what it logged, if anything. Exposed for tests. */
  check(now = Date.now()): string | undefined {
    const s = this.stats();
    if (!s) return undefined;
    if (s.waiting === 0) {
      const since = this.waitingSince;
      const warned = this.warnedAt !== undefined;
      this.waitingSince = this.warnedAt = undefined;
      this.mostWaiting = 0;
      if (!warned || since === undefined) return undefined;
      const message = `database pool has no waiting requests again, after ${Math.round((now - since) / 1000)} s`;
      this.logger.log(message);
      return message;
    }
    this.waitingSince ??= now;
    this.mostWaiting = Math.max(this.mostWaiting, s.waiting);
    const waited = now - this.waitingSince;
    const due =
      this.warnedAt === undefined ? waited >= POOL_WAIT_WARN_MS : now - this.warnedAt >= POOL_WAIT_REPEAT_MS;
    if (!due) return undefined;
    this.warnedAt = now;
    const message =
      `database pool exhausted for ${Math.round(waited / 1000)} s: ${s.total - s.idle} of ${s.max} connections ` +
      `in use, ${s.waiting} requests waiting (at most ${this.mostWaiting}); a request that waits 10 s fails ` +
      `with SERVICE_UNAVAILABLE`;
    this.logger.warn({ pool: s, waitedMs: waited }, message);
    return message;
  }
}
