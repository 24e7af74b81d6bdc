import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Headers } from '@dg/contracts';
import { FileTransfer } from './files';
import { HealthController, NatsHealthIndicator } from './health';
import { createLogger } from './logging';
import { Metrics, MetricsController } from './metrics';
import { Nats, NATS_OPTIONS, NatsOptions } from './nats';
import { OUTBOX_OPTIONS, OutboxRelay, OutboxRelayOptions } from './outbox';
import { RpcClient, RpcServer } from './rpc';

export interface PlatformOptions {
  service: string;
  logLevel?: string;
  nats: Omit<NatsOptions, 'service'>;
  /** Services that emit events run the outbox relay; pass false for those that do not. */
  outbox?: OutboxRelayOptions | false;
}

/** The building blocks every service gets: logs, metrics, health, NATS RPC, and the outbox relay. */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: NATS_OPTIONS, useValue: { ...options.nats, service: options.service } },
      Nats,
      {
        provide: Metrics,
        useFactory: () => {
          const m = new Metrics();
          m.setService(options.service);
          return m;
        },
      },
      RpcServer,
      RpcClient,
      NatsHealthIndicator,
      FileTransfer,
    ];
    const exported: Provider[] = [Nats, Metrics, RpcClient, FileTransfer];
    if (options.outbox !== false) {
      providers.push({ provide: OUTBOX_OPTIONS, useValue: options.outbox ?? {} }, OutboxRelay);
      exported.push(OutboxRelay);
    }
    return {
      module: PlatformModule,
      global: true,
      imports: [
        DiscoveryModule,
        TerminusModule,
        LoggerModule.forRoot({
          pinoHttp: {
            logger: createLogger(options.service, options.logLevel),
            genReqId: (req) => String(req.headers[Headers.CorrelationId] ?? ''),
            customProps: (req) => ({ correlationId: req.headers[Headers.CorrelationId] }),
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: exported,
    };
  }
}
