import { Controller, Get, Injectable } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from './access';
import { Nats } from './nats';

@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly nats: Nats,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key = 'nats') {
    const h = this.indicator.check(key);
    return this.nats.isConnected() ? h.up() : h.down({ message: 'not connected to NATS' });
  }
}

/**
 * Readiness beyond the database and NATS: a service adds, at start-up, what its role needs (Redis
 * for its BullMQ queues or workers, say); /health/ready then reports each one under its key.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, () => Promise<unknown>>();

  constructor(private readonly indicator: HealthIndicatorService) {}

  /** `check` resolves when the dependency answers; a rejection or 2 s without an answer is "down". */
  add(key: string, check: () => Promise<unknown>): void {
    this.checks.set(key, check);
  }

  indicators(): (() => Promise<HealthIndicatorResult>)[] {
    return [...this.checks].map(([key, check]) => async () => {
      const h = this.indicator.check(key);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 2 s')), 2000))),
        ]);
        return h.up();
      } catch (e) {
        return h.down({ message: e instanceof Error ? e.message : String(e) });
      } finally {
        clearTimeout(timer);
      }
    });
  }
}

/** Liveness says the process runs; readiness says it can serve (database, NATS and what the service added). */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
    private readonly extra: ReadinessChecks,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      () => this.nats.check(),
      ...this.extra.indicators(),
    ]);
  }
}
