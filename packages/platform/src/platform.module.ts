import { DynamicModule, Inject, Injectable, Module, OnModuleInit, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Headers, type StreamName } from '@dg/contracts';
import { FileTransfer } from './files';
import { HealthController, NatsHealthIndicator, ReadinessChecks } from './health';
import { ensureStream } from './jetstream';
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
  /**
   * The JetStream streams this service owns; checked at start, before any publish, and created or
   * given missing subjects where NATS lets the service (development; production: the Job, ADR 0012).
   */
  streams?: StreamName[];
}

export const OWNED_STREAMS = Symbol('OWNED_STREAMS');

/** Ensures the service's own streams exist with every event subject of theirs when it starts. */
@Injectable()
class StreamSetup implements OnModuleInit {
  constructor(
    private readonly nats: Nats,
    @Inject(OWNED_STREAMS) private readonly streams: StreamName[],
  ) {}

  async onModuleInit(): Promise<void> {
    for (const stream of this.streams) await ensureStream(this.nats, stream);
  }
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
      ReadinessChecks,
      FileTransfer,
      { provide: OWNED_STREAMS, useValue: options.streams ?? [] },
      StreamSetup,
    ];
    const exported: Provider[] = [Nats, Metrics, RpcClient, FileTransfer, ReadinessChecks];
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
