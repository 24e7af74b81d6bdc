import { DynamicModule, Inject, Injectable, Module, OnModuleInit, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Headers, type StreamName } from '@dg/contracts';
import { FileTransfer } from './files';
import { HealthController, NatsHealthIndicator, ReadinessChecks, ServiceReadinessCheck } from './health';
import { ensureStream } from './jetstream';
import { createLogger, redactQuery } from './logging';
import { Metrics, MetricsController } from './metrics';
import { Nats, NATS_OPTIONS, NatsOptions } from './nats';
import { OUTBOX_OPTIONS, OutboxRelay, OutboxRelayOptions } from './outbox';
import { DatabasePoolWatch } from './pool-watch';
import { ServiceClient } from './rpc';
import { TransportDependencies } from './transports';
import { WorkersShutdown } from './workers-shutdown';

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
  /**
   * Serve GET /metrics on the app's HTTP port (default). The gateway passes false: its HTTP port is
   * public, so it serves metrics on a port of their own (MetricsServer).
   */
  metricsRoute?: boolean;
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

/**
 * The building blocks every service gets: logs, metrics, health, the NATS connection and the typed
 * RPC client, and the outbox relay. The NATS transports that serve `@MessagePattern` and
 * `@EventPattern` handlers are connected by startTransports (transports.ts) once the app is up.
 */
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
      ServiceClient,
      TransportDependencies,
      WorkersShutdown,
      NatsHealthIndicator,
      ReadinessChecks,
      ServiceReadinessCheck,
      FileTransfer,
      { provide: OWNED_STREAMS, useValue: options.streams ?? [] },
      StreamSetup,
      DatabasePoolWatch,
    ];
    const exported: Provider[] = [
      Nats,
      Metrics,
      ServiceClient,
      FileTransfer,
      ReadinessChecks,
      ServiceReadinessCheck,
    ];
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
            // Query strings carry search text (e-mails, names): logged with their values redacted.
            serializers: {
              req: (req: { url?: string }) => Object.assign(req, { url: redactQuery(req.url) }),
            },
          },
        }),
      ],
      controllers:
        options.metricsRoute === false ? [HealthController] : [HealthController, MetricsController],
      providers,
      exports: exported,
    };
  }
}
