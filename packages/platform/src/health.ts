import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
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

/** Liveness says the process runs; readiness says it can serve (database and NATS answer). */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.nats.check()]);
  }
}
