import { Controller, type INestApplication } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DataSource } from 'typeorm';
import { Actor, DomainError, Events, Rpc, Streams, type PayloadOf } from '@dg/contracts';
import {
  addToOutbox,
  currentContext,
  dataSourceOptions,
  DurableConsumer,
  ensureStream,
  InboxEntry,
  Metrics,
  Nats,
  OutboxEvent,
  OutboxInbox1764100000000,
  OutboxRelay,
  PlatformModule,
  ServiceClient,
  startService,
  runMigrations,
} from '../src';
import { createTestDatabase, PrivateNatsServer, TestDatabase, testPrefix, waitFor, TEST_ACTOR_KEYS } from '../src/testing';

const actor: Actor = { id: 'u1', roles: ['dga_admin'] };

function agencyPayload(code: string): PayloadOf<typeof Events.AgencyCreated> {
  const now = new Date().toISOString();
  return {
    agency: {
      id: '6f1c3c1e-1d2b-4d8e-9a44-2b3c4d5e6f70',
      code,
      nameTh: 'กรมทดสอบ',
      nameEn: 'Test Department',
      kind: 'department',
      orgType: 'government_agency',
      parentId: null,
      parentCode: null,
      ministryId: 'MDES',
      provinceCode: 'TH-10',
      status: 'active',
      effectiveFrom: null,
      effectiveTo: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
  };
}

/** A provider like a service's `*.messages.ts`, to exercise the RPC wiring. */
@Controller()
class ProbeHandlers {
  lastCorrelationId?: string;

  @MessagePattern(Rpc.AgencyGet)
  get({ id }: { id: string }) {
    this.lastCorrelationId = currentContext()?.correlationId;
    if (id === '00000000-0000-4000-8000-000000000000') throw new DomainError('AGENCY_NOT_FOUND');
    throw new Error('boom: not a domain error');
  }

  /** A reply larger than NATS carries (1 MiB by default). */
  @MessagePattern(Rpc.MinistryList)
  huge() {
    return {
      items: Array.from({ length: 20_000 }, (_, i) => ({
        id: `M${i}`,
        nameTh: 'กระทรวง'.repeat(10),
        nameEn: 'Ministry'.repeat(5),
      })),
    };
  }
}

describe('messaging: RPC, outbox, inbox (real NATS and PostgreSQL)', () => {
  let db: TestDatabase;
  let natsServer: PrivateNatsServer;
  let app: INestApplication;
  let ds: DataSource;
  let consumer: DurableConsumer<typeof Events.AgencyCreated>;
  const prefix = testPrefix('plat');
  let flakyFailures = 0;
  const afterCommitSaw: { code: string; rows: number }[] = [];

  beforeAll(async () => {
    [db, natsServer] = await Promise.all([createTestDatabase('platform'), PrivateNatsServer.start()]);
    app = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: db.url,
            entities: [OutboxEvent, InboxEntry],
            migrations: [OutboxInbox1764100000000],
          }),
        ),
        PlatformModule.forRoot({
          service: 'probe',
          logLevel: 'silent',
          nats: { url: natsServer.url, prefix, actorKeys: TEST_ACTOR_KEYS },
          outbox: { pollMs: 100, maxBackoffMs: 300 },
        }),
      ],
      controllers: [ProbeHandlers],
    })
      .compile()
      .then((ref) => ref.createNestApplication(new FastifyAdapter(), { logger: false }));
    ds = app.get(DataSource);
    await runMigrations(ds);
    await ds.query(`CREATE TABLE effects (event_id uuid NOT NULL, code text NOT NULL)`);
    const nats = app.get(Nats);
    await nats.connect();
    await ensureStream(nats, Streams.REGISTRY);
    await startService(app);
    consumer = new DurableConsumer(
      {
        stream: Streams.REGISTRY,
        durable: 'probe-agencies',
        subjects: [Events.AgencyCreated],
        ackWaitMs: 1000,
        handle: async (event, manager, afterCommit) => {
          const code = event.payload.agency.code;
          if (code.startsWith('COMMITTED-'))
            afterCommit(async () => {
              // Read outside the handler's transaction: only a committed row is visible here.
              const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM effects WHERE code = $1`, [
                code,
              ])) as { n: number }[];
              afterCommitSaw.push({ code, rows: n });
              if (code === 'COMMITTED-FAIL') throw new Error('queue unavailable');
            });
          if (code === 'REFUSED-1') throw new DomainError('AGENCY_NOT_FOUND');
          // Another service restarting: unavailable on the first delivery only.
          if (code === 'FLAKY-1' && flakyFailures++ === 0) throw new DomainError('SERVICE_UNAVAILABLE');
          await manager.query(`INSERT INTO effects VALUES ($1, $2)`, [event.id, code]);
        },
      },
      nats,
      ds,
      app.get(Metrics),
    );
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
    await natsServer?.stop();
    await db?.drop();
  });

  const effects = async (code: string) =>
    ((await ds.query(`SELECT count(*)::int AS n FROM effects WHERE code = $1`, [code])) as { n: number }[])[0]
      .n;

  it('answers RPCs with stable error codes and carries the correlation id', async () => {
    const rpc = app.get(ServiceClient);
    const probe = app.get(ProbeHandlers);
    await expect(
      rpc.call(
        Rpc.AgencyGet,
        { id: '00000000-0000-4000-8000-000000000000' },
        { correlationId: 'corr-42', actor },
      ),
    ).rejects.toMatchObject({ code: 'AGENCY_NOT_FOUND' });
    expect(probe.lastCorrelationId).toBe('corr-42');

    const bad = await rpc
      .call(Rpc.AgencyGet, { id: 'not-a-uuid' }, { correlationId: 'c', actor })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DomainError);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((bad as DomainError).errors?.[0].path).toBe('id');

    await expect(
      rpc.call(Rpc.AgencyGet, { id: '6f1c3c1e-1d2b-4d8e-9a44-2b3c4d5e6f70' }, { correlationId: 'c', actor }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });

    const unavailable = rpc.call(Rpc.ProvinceList, {}, { correlationId: 'c', actor }, 500);
    await expect(unavailable).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    // The caller's detail names neither the subject nor the transport's reason (those are logged).
    const detail = ((await unavailable.catch((e: unknown) => e)) as DomainError).detail;
    expect(detail).not.toContain(Rpc.ProvinceList);
    expect(detail).not.toMatch(/timeout|no responders/i);
  });

  it('publishes an event committed while NATS was down once NATS is back, exactly once', async () => {
    await natsServer.down();
    await ds.transaction((m) =>
      addToOutbox(m, Events.AgencyCreated, agencyPayload('DOWN-1'), { correlationId: 'c1', actor }),
    );
    app.get(OutboxRelay).kick();

    const failed = await waitFor(async () => {
      const [row] = await ds.getRepository(OutboxEvent).find();
      return row.attempts >= 1 && row.lastError ? row : undefined;
    });
    expect(failed?.publishedAt).toBeNull();
    expect(await effects('DOWN-1')).toBe(0);

    await natsServer.up();
    await waitFor(async () => (await effects('DOWN-1')) === 1, 30_000);
    // The relay marks the row once JetStream acknowledged it, which may be after the consumer ran.
    const row = await waitFor(async () => {
      const [r] = await ds.getRepository(OutboxEvent).find();
      return r.publishedAt ? r : undefined;
    });
    expect(row?.publishedAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1500)); // past ack_wait: nothing comes again
    expect(await effects('DOWN-1')).toBe(1);
  });

  it('never takes a subject off the stream (an older release restarting mid-rollout keeps the newer events)', async () => {
    const nats = app.get(Nats);
    const jsm = await jetstreamManager(await nats.connect());
    const name = nats.stream(Streams.REGISTRY);
    const newer = nats.subject('registry.agency.merged'); // a subject a later release adds
    const { config } = await jsm.streams.info(name);
    await jsm.streams.update(name, { ...config, subjects: [...config.subjects, newer] });
    await ensureStream(nats, Streams.REGISTRY);
    const after = (await jsm.streams.info(name)).config.subjects;
    expect(after).toEqual(expect.arrayContaining([...config.subjects, newer]));
  });

  it('lets JetStream drop a second publish of the same event id', async () => {
    const nats = app.get(Nats);
    const js = jetstream(nats.nc);
    const [row] = await ds.getRepository(OutboxEvent).find();
    const ack = await js.publish(nats.subject(row.subject), JSON.stringify(row.envelope), { msgID: row.id });
    expect(ack.duplicate).toBe(true);
  });

  it('changes nothing when an event is delivered again (inbox)', async () => {
    const nats = app.get(Nats);
    const js = jetstream(nats.nc);
    const [row] = await ds.getRepository(OutboxEvent).find();
    // A redelivery that bypasses de-duplication, as after a lost ack or a relay crash before marking.
    await js.publish(nats.subject(row.subject), JSON.stringify(row.envelope), { msgID: `${row.id}-again` });
    const duplicates = async () =>
      (await app.get(Metrics).eventsConsumed.get()).values.find((v) => v.labels.outcome === 'duplicate')
        ?.value ?? 0;
    await waitFor(async () => (await duplicates()) >= 1);
    expect(await effects('DOWN-1')).toBe(1);
  });

  it('rejects a malformed event without stopping the consumer', async () => {
    const nats = app.get(Nats);
    const js = jetstream(nats.nc);
    await js.publish(nats.subject(Events.AgencyCreated), JSON.stringify({ hello: 'world' }), {
      msgID: 'garbage-1',
    });
    await ds.transaction((m) =>
      addToOutbox(m, Events.AgencyCreated, agencyPayload('AFTER-BAD'), { correlationId: 'c2', actor }),
    );
    app.get(OutboxRelay).kick();
    await waitFor(async () => (await effects('AFTER-BAD')) === 1);
  });

  it('retries an event whose handler found a service unavailable, and terminates a domain refusal', async () => {
    await ds.transaction((m) =>
      addToOutbox(m, Events.AgencyCreated, agencyPayload('REFUSED-1'), { correlationId: 'c3', actor }),
    );
    await ds.transaction((m) =>
      addToOutbox(m, Events.AgencyCreated, agencyPayload('FLAKY-1'), { correlationId: 'c4', actor }),
    );
    app.get(OutboxRelay).kick();
    await waitFor(async () => (await effects('FLAKY-1')) === 1, 20_000);
    expect(flakyFailures).toBe(2);
    expect(await effects('REFUSED-1')).toBe(0);
  });

  it('runs after-commit work once the handler committed; a failure there is logged, not redelivered', async () => {
    for (const code of ['COMMITTED-OK', 'COMMITTED-FAIL'])
      await ds.transaction((m) =>
        addToOutbox(m, Events.AgencyCreated, agencyPayload(code), { correlationId: code, actor }),
      );
    app.get(OutboxRelay).kick();
    await waitFor(async () => afterCommitSaw.length === 2 && (await effects('COMMITTED-FAIL')) === 1);
    expect(afterCommitSaw).toEqual([
      { code: 'COMMITTED-OK', rows: 1 },
      { code: 'COMMITTED-FAIL', rows: 1 },
    ]);
    // Acknowledged despite the failure: no redelivery runs the work (or the handler) again.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(afterCommitSaw).toHaveLength(2);
    expect(await effects('COMMITTED-FAIL')).toBe(1);
  });

  it('answers a reply too large for NATS with an error, and keeps serving', async () => {
    const rpc = app.get(ServiceClient);
    await expect(rpc.call(Rpc.MinistryList, {}, { correlationId: 'big', actor })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    await expect(
      rpc.call(
        Rpc.AgencyGet,
        { id: '00000000-0000-4000-8000-000000000000' },
        { correlationId: 'after', actor },
      ),
    ).rejects.toMatchObject({ code: 'AGENCY_NOT_FOUND' });
  });
});
