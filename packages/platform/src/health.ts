import { Controller, Get, HttpException, Injectable } from '@nestjs/common';
import type { ServiceReadiness } from '@dg/contracts';
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

/**
 * The readiness checks of the service (database, NATS and what it added), for /health/ready and
 * for `<service>.health.ready`, the RPC the gateway's aggregate view asks (NatsRpcTransport).
 */
@Injectable()
export class ServiceReadinessCheck {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
    private readonly extra: ReadinessChecks,
    private readonly natsConnection: Nats,
  ) {}

  /** Terminus' answer (throws 503 with the report when a check is down). */
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      () => this.nats.check(),
      ...this.extra.indicators(),
    ]);
  }

  /** The same checks as a short report: the names of those that failed. */
  async report(): Promise<ServiceReadiness> {
    const service = this.natsConnection.options.service;
    try {
      await this.check();
      return { service, status: 'ready', failing: [] };
    } catch (e) {
      const body = e instanceof HttpException ? (e.getResponse() as { error?: object }) : undefined;
      const failing = Object.keys(body?.error ?? {});
      return { service, status: 'not_ready', failing: failing.length ? failing : ['unknown'] };
    }
  }
}

/** Liveness says the process runs; readiness says it can serve (database, NATS and what the service added). */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ServiceReadinessCheck,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.readiness.check();
  }
}
