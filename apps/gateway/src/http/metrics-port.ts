import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Metrics, MetricsServer } from '@dg/platform';
import { InjectConfig, type GatewayConfig } from '../config';

/**
 * The gateway's /metrics, on METRICS_PORT instead of the public port (which the Ingress
 * publishes): started with the app, stopped with it. `port` is where it listens (METRICS_PORT=0:
 * a free port, for tests).
 */
@Injectable()
export class GatewayMetricsPort implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayMetricsPort');
  private readonly server: MetricsServer;
  port = 0;

  constructor(
    metrics: Metrics,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {
    this.server = new MetricsServer(metrics);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.port = await this.server.listen(this.config.metricsPort, this.config.host);
    this.logger.log(`metrics at http://${this.config.host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
