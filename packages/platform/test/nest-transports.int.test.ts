import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type Actor, DomainError, type EventEnvelope, Events, Rpc, Streams } from '@dg/contracts';
import {
  addToOutbox,
  currentContext,
  dataSourceOptions,
  type EventPatternExtras,
  InboxEntry,
  type JetStreamContext,
  Metrics,
  Nats,
  OutboxEvent,
  OutboxInbox1764100000000,
  OutboxRelay,
  PlatformModule,
  runMigrations,
  ServiceClient,
  startService,
} from '../src';
import {
  createTestDatabase,
  deleteNatsPrefix,
  NATS_TEST_URL,
  type TestDatabase,
  testPrefix,
  waitFor,
  TEST_ACTOR_KEYS,
} from '../src/testing';

const actor: Actor = { id: 'u-transport', roles: ['dga_admin'] };
const ZERO = '00000000-0000-4000-8000-000000000000';
// A consumer of the contracts' table (EventConsumers): notifications' on REGISTRY reads this event.
const CONSUMER: EventPatternExtras = { durable: 'notifications' };

/** One replica of a service: RPC handlers that say which replica answered, and event handlers. */
@Controller()
class Replica {
  static names = new Map<Replica, string>();
  served = 0;
  seenActor?: Actor;
  release?: () => void;

  @MessagePattern(Rpc.AgencyGet)
  async get({ id }: { id: string }) {
    this.served++;
    this.seenActor = currentContext()?.actor;
    if (id === ZERO) {
      // A slow request: answered only when the test releases it.
      await new Promise<void>((resolve) => (this.release = resolve));
    }
    throw new DomainError('AGENCY_NOT_FOUND', `replica ${Replica.names.get(this)}`);
  }

  @EventPattern<string>(Events.ContactErased, CONSUMER)
  async erased(@Payload() event: EventEnvelope<typeof Events.ContactErased>, @Ctx() ctx: JetStreamContext) {
    await ctx.manager.query(`INSERT INTO seen VALUES ($1, $2)`, [event.id, event.payload.contactId]);
    ctx.afterCommit(async () => {
      // After the commit, outside the handler's transaction: the row is there to be read.
      const ds = ctx.manager.connection;
      const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM seen WHERE event_id = $1`, [
        event.id,
      ])) as { n: number }[];
      await ds.query(`INSERT INTO after_commit VALUES ($1, $2)`, [event.id, n]);
    });
  }
}

describe('Nest transports: request/reply over NATS and JetStream events (real NATS and PostgreSQL)', () => {
  let db: TestDatabase;
  const prefix = testPrefix('transport');
  const replicas: INestApplication[] = [];
  let ds: DataSource;

  async function replica(name: string): Promise<INestApplication> {
    const app = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: db.url,
            entities: [OutboxEvent, InboxEntry],
            migrations: [OutboxInbox1764100000000],
          }),
        ),
        PlatformModule.forRoot({
          service: 'notifications',
          logLevel: 'silent',
          nats: { url: NATS_TEST_URL, prefix, actorKeys: TEST_ACTOR_KEYS },
          outbox: { pollMs: 100 },
          streams: [Streams.REGISTRY],
        }),
      ],
      controllers: [Replica],
    })
      .compile()
      .then((ref) => ref.createNestApplication(new FastifyAdapter(), { logger: false }));
    Replica.names.set(app.get(Replica), name);
    await startService(app);
    replicas.push(app);
    return app;
  }

  beforeAll(async () => {
    db = await createTestDatabase('transport');
    const first = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: db.url,
            entities: [OutboxEvent, InboxEntry],
            migrations: [OutboxInbox1764100000000],
          }),
        ),
      ],
    }).compile();
    ds = first.get(DataSource);
    await runMigrations(ds);
    await ds.query(`CREATE TABLE seen (event_id uuid NOT NULL, subject_id text NOT NULL)`);
    await ds.query(`CREATE TABLE after_commit (event_id uuid NOT NULL, rows_seen int NOT NULL)`);
    await replica('a');
    await replica('b');
  });

  afterAll(async () => {
    await Promise.allSettled(replicas.map((app) => app.close()));
    await caller.onApplicationShutdown();
    await callerNats.onApplicationShutdown();
    await ds?.destroy();
    await deleteNatsPrefix(prefix);
    await db?.drop();
  });

  // The caller is another service (its own connection), so stopping a replica never stops the caller.
  const callerNats = new Nats({ url: NATS_TEST_URL, prefix, service: 'gateway', actorKeys: TEST_ACTOR_KEYS });
  const caller = new ServiceClient(callerNats, new Metrics());
  const call = (id: string, timeoutMs?: number) =>
    caller.call(Rpc.AgencyGet, { id }, { correlationId: `c-${id}`, actor }, timeoutMs);

  it('shares requests between the replicas of a service (one queue group), each answered once with its code', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => call(randomUUID()).catch((e: unknown) => e as DomainError)),
    );
    expect(answers.every((e) => e instanceof DomainError && e.code === 'AGENCY_NOT_FOUND')).toBe(true);
    const served = replicas.map((app) => app.get(Replica).served);
    expect(served.reduce((a, b) => a + b, 0)).toBe(40);
    expect(served.every((n) => n > 0)).toBe(true);
    expect(replicas[1].get(Replica).seenActor ?? replicas[0].get(Replica).seenActor).toEqual(actor);
  });

  it('refuses a request without an actor header (UNAUTHENTICATED), before any handler runs', async () => {
    const nats = replicas[0].get(Nats);
    const before = replicas.map((app) => app.get(Replica).served);
    const h = natsHeaders();
    h.set('x-correlation-id', 'no-actor');
    const reply = await nats.nc.request(
      nats.subject(Rpc.AgencyGet),
      JSON.stringify({ id: '1', pattern: Rpc.AgencyGet, data: { id: randomUUID() } }),
      {
        timeout: 5_000,
        headers: h,
      },
    );
    expect(reply.json<{ err: { code: string } }>().err.code).toBe('UNAUTHENTICATED');
    expect(replicas.map((app) => app.get(Replica).served)).toEqual(before);
  });

  it('turns no responders into SERVICE_UNAVAILABLE without waiting for the timeout', async () => {
    const e = (await caller
      .call(Rpc.ProvinceList, {}, { correlationId: 'c', actor }, 55_000)
      .catch((err: unknown) => err)) as DomainError;
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('SERVICE_UNAVAILABLE');
    // No responder: the server said so at once (an empty reply), not the client's timer.
    expect(e.message).not.toMatch(/timeout/i);
  });

  it('turns a reply that does not come in time into SERVICE_UNAVAILABLE (timeout)', async () => {
    const e = (await call(ZERO, 300).catch((err: unknown) => err)) as DomainError;
    expect(e.code).toBe('SERVICE_UNAVAILABLE');
    // The detail is generic (no subject, no transport reason: those are logged), whatever the cause.
    expect(e.message).toMatch(/did not answer/);
    expect(e.message).not.toMatch(/timeout|intake\.|registry\./i);
    for (const app of replicas) app.get(Replica).release?.();
  });

  it('handles each event once in its consumer, with after-commit work, despite a second delivery', async () => {
    const contactId = randomUUID();
    await ds.transaction((m) =>
      addToOutbox(
        m,
        Events.ContactErased,
        { contactId, agencyId: randomUUID(), erasedAt: new Date().toISOString() },
        { correlationId: 'erase', actor },
      ),
    );
    replicas[0].get(OutboxRelay).kick();
    await waitFor(async () => {
      const rows = (await ds.query(`SELECT rows_seen FROM after_commit`)) as { rows_seen: number }[];
      return rows.length ? rows : undefined;
    });
    // The same event once more under another message id (a lost ack): the inbox drops it.
    const [row] = await ds.getRepository(OutboxEvent).find();
    const nats = replicas[0].get(Nats);
    const { jetstream } = await import('@nats-io/jetstream');
    await jetstream(nats.nc).publish(nats.subject(row.subject), JSON.stringify(row.envelope), {
      msgID: `${row.id}-again`,
    });
    await waitFor(async () => {
      const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM inbox`)) as { n: number }[];
      return n >= 1 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_500)); // a while: nothing is handled again
    expect(await ds.query(`SELECT subject_id FROM seen`)).toEqual([{ subject_id: contactId }]);
    expect(await ds.query(`SELECT rows_seen FROM after_commit`)).toEqual([{ rows_seen: 1 }]);
  });

  it('answers the requests in hand when a replica stops (drain), then no longer takes any', async () => {
    const slow = replicas.map((app) => app.get(Replica));
    for (const r of slow) r.release = undefined;
    const pending = call(ZERO, 20_000).catch((e: unknown) => e as DomainError);
    const holder = await waitFor(() => Promise.resolve(slow.find((r) => r.release)));
    const holderApp = replicas[slow.indexOf(holder!)];
    const closing = holderApp.close();
    await new Promise((r) => setTimeout(r, 200));
    holder!.release!();
    await closing;
    expect(((await pending) as DomainError).code).toBe('AGENCY_NOT_FOUND');
    replicas.splice(replicas.indexOf(holderApp), 1);
    // The other replica takes every request from now on.
    const other = replicas[0].get(Replica);
    const before = other.served;
    await Promise.all(Array.from({ length: 5 }, () => call(randomUUID()).catch(() => undefined)));
    expect(other.served - before).toBe(5);
  });
});

describe('JetStream transport: a handler without its consumer name', () => {
  @Controller()
  class Nameless {
    @EventPattern<string>(Events.ContactErased)
    erased() {}
  }

  it('fails the start, naming the subject', async () => {
    const db = await createTestDatabase('transport-bad');
    const prefix = testPrefix('transport-bad');
    const app = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({ url: db.url, entities: [OutboxEvent, InboxEntry], migrations: [] }),
        ),
        PlatformModule.forRoot({
          service: 'registry',
          logLevel: 'silent',
          nats: { url: NATS_TEST_URL, prefix, actorKeys: TEST_ACTOR_KEYS },
          outbox: false,
        }),
      ],
      controllers: [Nameless],
    })
      .compile()
      .then((ref) => ref.createNestApplication(new FastifyAdapter(), { logger: false }));
    try {
      await expect(startService(app)).rejects.toThrow(
        /@EventPattern\('registry\.contact\.erased'\) needs \{ durable \}/,
      );
    } finally {
      await app.close();
      await deleteNatsPrefix(prefix);
      await db.drop();
    }
  });
});
