import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Public } from './access';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What NATS says about one durable consumer: messages not yet delivered, and delivered but not acknowledged. */
export interface ConsumerBacklog {
  num_pending: number;
  num_ack_pending: number;
}

/** A durable consumer this process reads, and how to ask NATS about it when Prometheus scrapes. */
export interface WatchedConsumer {
  /** The durable name without the test prefix, as in events_consumed_total{consumer}. */
  consumer: string;
  stream: string;
  info: () => Promise<ConsumerBacklog>;
}

/** A slow NATS must not make the whole scrape time out (Prometheus's default timeout is 10 s). */
const CONSUMER_INFO_TIMEOUT_MS = 2_000;

/**
 * Reads a gauge's value from Redis (a BullMQ queue's counts) or another store with a deadline, so a
 * store that is down empties that gauge instead of stalling the whole scrape: ioredis queues
 * commands while disconnected, and Prometheus would then see the service as down.
 */
export async function withinScrape<T>(
  read: Promise<T>,
  ms = CONSUMER_INFO_TIMEOUT_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([read, late]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** One Prometheus registry per service, with the metrics the platform's dashboards expect. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly rpcServerDuration = new Histogram({
    name: 'rpc_server_duration_seconds',
    help: 'NATS RPC handling time by subject and outcome (ok or error code)',
    labelNames: ['subject', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly rpcClientDuration = new Histogram({
    name: 'rpc_client_duration_seconds',
    help: 'NATS RPC round trip by subject and outcome',
    labelNames: ['subject', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'outbox_pending_events',
    help: 'Events written to the outbox and not yet published',
    registers: [this.registry],
  });

  readonly outboxLag = new Gauge({
    name: 'outbox_lag_seconds',
    help: 'Age of the oldest unpublished outbox event',
    registers: [this.registry],
  });

  readonly outboxPublished = new Counter({
    name: 'outbox_published_total',
    help: 'Events published from the outbox, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: 'events_consumed_total',
    help: 'JetStream events handled by consumer and outcome (handled, duplicate, rejected, failed)',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Durable consumers started in this process, keyed by stream and durable name. */
  private readonly consumers = new Map<string, WatchedConsumer>();
  private backlog?: Promise<Map<WatchedConsumer, ConsumerBacklog>>;

  readonly consumerInfoFailures = new Counter({
    name: 'jetstream_consumer_info_failures_total',
    help: 'Scrapes that could not read a consumer backlog from NATS (its lag series is then missing)',
    labelNames: ['consumer', 'stream'] as const,
    registers: [this.registry],
    // Waits for this scrape's round so a failure shows in the same scrape.
    collect: async () => void (await this.consumerBacklog()),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Both gauges are read from one consumers.info() per consumer, shared by the scrape (see consumerBacklog).
    const read = () => this.consumerBacklog();
    const backlogGauge = (name: string, help: string, pick: (b: ConsumerBacklog) => number) => {
      new Gauge({
        name,
        help,
        labelNames: ['consumer', 'stream'] as const,
        registers: [this.registry],
        async collect() {
          const backlog = await read();
          this.reset();
          for (const [c, b] of backlog) this.set({ consumer: c.consumer, stream: c.stream }, pick(b));
        },
      });
    };
    backlogGauge(
      'jetstream_consumer_pending_messages',
      'Stream messages not yet delivered to the durable consumer',
      (b) => b.num_pending,
    );
    backlogGauge(
      'jetstream_consumer_ack_pending_messages',
      'Messages delivered to the durable consumer and not yet acknowledged',
      (b) => b.num_ack_pending,
    );
  }

  /** Reports the consumer's backlog on every scrape until unwatchConsumer (DurableConsumer does both). */
  watchConsumer(c: WatchedConsumer): void {
    this.consumers.set(`${c.stream}/${c.consumer}`, c);
  }

  unwatchConsumer(stream: string, consumer: string): void {
    this.consumers.delete(`${stream}/${consumer}`);
  }

  /**
   * Asks NATS about every watched consumer, once per scrape: prom-client starts every collect in
   * the same tick, so the two gauges share the round in flight. A consumer NATS does not answer
   * for in time is left out and counted in jetstream_consumer_info_failures_total: the scrape
   * itself never fails.
   */
  private consumerBacklog(): Promise<Map<WatchedConsumer, ConsumerBacklog>> {
    if (this.backlog) return this.backlog;
    const result = (async () => {
      const out = new Map<WatchedConsumer, ConsumerBacklog>();
      await Promise.all(
        [...this.consumers.values()].map(async (c) => {
          let timer: NodeJS.Timeout | undefined;
          try {
            const info = await Promise.race([
              c.info(),
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error('timeout')), CONSUMER_INFO_TIMEOUT_MS);
              }),
            ]);
            out.set(c, { num_pending: info.num_pending, num_ack_pending: info.num_ack_pending });
          } catch {
            this.consumerInfoFailures.inc({ consumer: c.consumer, stream: c.stream });
          } finally {
            clearTimeout(timer);
          }
        }),
      );
      return out;
    })().finally(() => (this.backlog = undefined));
    this.backlog = result;
    return result;
  }

  setService(service: string): void {
    this.registry.setDefaultLabels({ service });
  }
}

@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/**
 * GET /metrics on a port of its own, for a service whose HTTP port is public (the gateway): only
 * Prometheus (NetworkPolicy, ServiceMonitor) reaches this port, never the Ingress. Anything else
 * on it is 404.
 */
export class MetricsServer {
  private server?: Server;

  constructor(private readonly metrics: Metrics) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
