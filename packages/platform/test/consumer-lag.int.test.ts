import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Events, Streams, SYSTEM_ACTOR } from '@dg/contracts';
import {
  dataSourceOptions,
  DurableConsumer,
  ensureStream,
  InboxEntry,
  Metrics,
  Nats,
  OutboxEvent,
  OutboxInbox1764100000000,
  runMigrations,
} from '../src';
import { createTestDatabase, PrivateNatsServer, TestDatabase, testPrefix, waitFor } from '../src/testing';

/** The value of one sample line of the exposition text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/**
 * JetStream consumer lag as Prometheus reads it: the backlog of the durable consumers this process
 * started, asked from NATS at scrape time, on a private nats-server that the test stops.
 */
describe('metrics: JetStream consumer backlog (real NATS and PostgreSQL)', () => {
  let db: TestDatabase;
  let natsServer: PrivateNatsServer;
  let ds: DataSource;
  let nats: Nats;
  let consumer: DurableConsumer<typeof Events.ContactErased>;
  const metrics = new Metrics();
  const prefix = testPrefix('lag');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const labels = { consumer: 'lag-probe', stream: 'REGISTRY', service: 'lag' };

  beforeAll(async () => {
    [db, natsServer] = await Promise.all([createTestDatabase('lag'), PrivateNatsServer.start()]);
    ds = new DataSource(
      dataSourceOptions({
        url: db.url,
        entities: [OutboxEvent, InboxEntry],
        migrations: [OutboxInbox1764100000000],
      }),
    );
    await ds.initialize();
    await runMigrations(ds);
    metrics.setService('lag');
    nats = new Nats({ url: natsServer.url, prefix, service: 'lag' });
    await ensureStream(nats, Streams.REGISTRY);
    consumer = new DurableConsumer(
      {
        stream: Streams.REGISTRY,
        durable: 'lag-probe',
        subjects: [Events.ContactErased],
        ackWaitMs: 60_000,
        // Holds every message until the test lets go, so the backlog stays put while it is read.
        handle: () => gate,
      },
      nats,
      ds,
      metrics,
    );
  });

  afterAll(async () => {
    release();
    await consumer?.stop();
    await nats?.onApplicationShutdown();
    await ds?.destroy();
    await natsServer?.stop();
    await db?.drop();
  });

  it('reports no backlog series before the consumer starts', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE jetstream_consumer_pending_messages gauge');
    expect(sample(text, 'jetstream_consumer_pending_messages', labels)).toBeUndefined();
  });

  it('reports undelivered and unacknowledged messages of the durable consumer, then zero once handled', async () => {
    await consumer.start();
    const js = jetstream(await nats.connect());
    for (let i = 0; i < 100; i++) {
      const envelope = {
        id: randomUUID(),
        type: Events.ContactErased,
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: `lag-${i}`,
        actor: SYSTEM_ACTOR,
        payload: { contactId: randomUUID(), agencyId: randomUUID(), erasedAt: new Date().toISOString() },
      };
      await js.publish(nats.subject(Events.ContactErased), JSON.stringify(envelope), { msgID: envelope.id });
    }
    // The handler holds the first message, so every one of the 100 is either waiting in the stream
    // or delivered and not acknowledged.
    const held = await waitFor(async () => {
      const text = await metrics.registry.metrics();
      const pending = sample(text, 'jetstream_consumer_pending_messages', labels);
      const ack = sample(text, 'jetstream_consumer_ack_pending_messages', labels);
      return pending !== undefined && ack !== undefined && ack >= 1 && pending + ack === 100
        ? { pending, ack }
        : undefined;
    }, 10_000);
    expect(held).toBeDefined();
    expect(held!.pending).toBeGreaterThan(0);

    release();
    const drained = await waitFor(async () => {
      const text = await metrics.registry.metrics();
      return sample(text, 'jetstream_consumer_pending_messages', labels) === 0 &&
        sample(text, 'jetstream_consumer_ack_pending_messages', labels) === 0
        ? text
        : undefined;
    }, 30_000);
    expect(drained).toBeDefined();
    expect(sample(drained!, 'events_consumed_total', { consumer: 'lag-probe', outcome: 'handled' })).toBe(
      100,
    );
  });

  it('still answers the scrape when NATS is down, without the backlog and with a failure counted', async () => {
    await natsServer.down();
    try {
      const started = Date.now();
      const text = await metrics.registry.metrics();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(text).toContain('process_cpu_seconds_total');
      expect(sample(text, 'jetstream_consumer_pending_messages', labels)).toBeUndefined();
      expect(sample(text, 'jetstream_consumer_info_failures_total', labels)).toBeGreaterThanOrEqual(1);
    } finally {
      await natsServer.up();
    }
    const back = await waitFor(
      async () => {
        const pending = sample(
          await metrics.registry.metrics(),
          'jetstream_consumer_pending_messages',
          labels,
        );
        return pending === undefined ? undefined : { pending };
      },
      30_000,
      500,
    );
    expect(back.pending).toBe(0);
  });

  it('stops reporting the consumer once it is stopped', async () => {
    await consumer.stop();
    expect(
      sample(await metrics.registry.metrics(), 'jetstream_consumer_pending_messages', labels),
    ).toBeUndefined();
  });
});
