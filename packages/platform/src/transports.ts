import { type INestApplication, Injectable, Optional } from '@nestjs/common';
import type { NestMicroservice } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { JetStreamTransport } from './event-transport';
import { ServiceReadinessCheck } from './health';
import { Metrics } from './metrics';
import { Nats } from './nats';
import { NatsRpcTransport, RethrowRpcErrors } from './rpc';

/**
 * What the transports need from the application, resolved by Nest (PlatformModule provides it):
 * the database is optional, as a test's stand-in service may have none. (Looking it up with
 * `app.get` would throw, and an application made by NestFactory.create exits on that.)
 */
@Injectable()
export class TransportDependencies {
  constructor(
    readonly nats: Nats,
    readonly metrics: Metrics,
    @Optional() readonly dataSource?: DataSource,
    @Optional() readonly readiness?: ServiceReadinessCheck,
  ) {}
}

/**
 * Connects a service's two NATS transports to its (initialised) Nest application and starts them:
 * Nest's NATS request/reply for `@MessagePattern` handlers, and JetStream durable consumers for
 * `@EventPattern` handlers (only where the service has a database: the inbox lives there). Both
 * stop when the application closes, after the shutdown hooks that stop taking work and before
 * NATS drains and the pools close.
 */
export async function startTransports(app: INestApplication): Promise<void> {
  const { nats, metrics, dataSource, readiness } = app.get(TransportDependencies);
  const strategies: (NatsRpcTransport | JetStreamTransport)[] = [
    new NatsRpcTransport(nats, metrics, readiness ? () => readiness.report() : undefined),
  ];
  if (dataSource) strategies.push(new JetStreamTransport(nats, dataSource, metrics));
  for (const strategy of strategies) {
    // Deferred, so that the filter is in place before the handlers are registered; the lifecycle
    // hooks already ran with app.init() and must not run again for the microservice.
    const microservice = app.connectMicroservice(
      { strategy },
      { deferInitialization: true },
    ) as NestMicroservice;
    microservice.useGlobalFilters(new RethrowRpcErrors());
    microservice.setIsInitHookCalled(true);
  }
  await app.startAllMicroservices();
}

/** Initialises the application (lifecycle hooks) and starts its NATS transports. */
export async function startService<T extends INestApplication>(app: T): Promise<T> {
  await app.init();
  await startTransports(app);
  return app;
}
