import { Controller, type INestApplication, Logger } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Base64UrlPaddedCodec } from '@nats-io/obj';
import { connect } from '@nats-io/transport-node';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { type Actor, type EventEnvelope, Events, Rpc, type StreamName, Streams } from '@dg/contracts';
import {
  addToOutbox,
  BaseEnv,
  ConfigError,
  dataSourceOptions,
  ensureStream,
  DurableConsumer,
  FileTransfer,
  InboxEntry,
  loadConfig,
  Metrics,
  Nats,
  NatsConnectError,
  natsOptionsOf,
  OutboxEvent,
  OutboxInbox1764100000000,
  OutboxRelay,
  PlatformModule,
  ServiceClient,
  startService,
  runMigrations,
  setUpConsumers,
  setUpEventConsumers,
  setUpMessaging,
  StreamSetupError,
  CorruptObjectError,
} from '../src';
import {
  createTestDatabase,
  freePort,
  NATS_TEST_URL,
  TEST_ACTOR_ENV,
  type TestDatabase,
  testPrefix,
  waitFor,
} from '../src/testing';

const bin =
  process.env.NATS_SERVER_BIN ??
  (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');
const actor: Actor = { id: 'u1', roles: ['dga_admin'] };

/** The users and permissions production runs with: the generated block of k8s/infra/nats/nats.conf. */
function productionAuthorization(): { block: string; users: string[] } {
  const conf = readFileSync(resolve(__dirname, '../../../k8s/infra/nats/nats.conf'), 'utf8');
  const block = /^# BEGIN authorization[^\n]*\n([\s\S]*?)^# END authorization/m.exec(conf)?.[1];
  if (!block) throw new Error('k8s/infra/nats/nats.conf: no generated authorization block');
  return { block, users: [...block.matchAll(/^\s*user: (\w+)$/gm)].map((m) => m[1]) };
}

/** A nats-server of its own (port, store, log) started from `conf`, with `env` for its `$VARIABLES`. */
class ConfiguredNatsServer {
  private proc?: ChildProcess;
  private output = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'nats-auth-'));

  private constructor(readonly port: number) {}

  static async start(conf: (dir: string) => string, env: Record<string, string> = {}) {
    const server = new ConfiguredNatsServer(await freePort());
    const file = join(server.dir, 'nats.conf');
    writeFileSync(
      file,
      `listen: 127.0.0.1:${server.port}\njetstream { store_dir: ${join(server.dir, 'js')} }\n${conf(server.dir)}`,
    );
    server.proc = spawn(bin, ['-c', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [server.proc.stdout, server.proc.stderr])
      s?.on('data', (d: Buffer) => (server.output += d.toString()));
    await waitFor(() => /Server is ready/.test(server.output) || server.proc?.exitCode != null, 10_000);
    if (server.proc.exitCode != null) throw new Error(`nats-server did not start:\n${server.output}`);
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** What the server logged: a refused subject shows as "Publish Violation" or "Subscription Violation". */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null)
      await new Promise<void>((done) => {
        p.once('exit', () => done());
        p.kill('SIGTERM');
      });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A service's NATS settings as its environment gives them (BaseEnv, then natsOptionsOf). */
function natsFor(service: string, env: Record<string, string>): Nats {
  return new Nats({ ...natsOptionsOf(loadConfig(BaseEnv, env)), service });
}

describe('NATS credentials (NATS_USER, NATS_PASSWORD) against a server that requires them', () => {
  const { block, users } = productionAuthorization();
  const passwords = Object.fromEntries(users.map((u) => [u, `p${randomBytes(16).toString('hex')}`]));
  let server: ConfiguredNatsServer;
  const opened: Nats[] = [];
  const service = (name: string, password = passwords[name]) => {
    const nats = natsFor(name, { NATS_URL: server.url, NATS_USER: name, NATS_PASSWORD: password });
    opened.push(nats);
    return nats;
  };

  beforeAll(async () => {
    server = await ConfiguredNatsServer.start(
      () => block,
      Object.fromEntries(users.map((u) => [`NATS_${u.toUpperCase()}_PASSWORD`, passwords[u]])),
    );
  });

  afterAll(async () => {
    for (const n of opened) await n.onApplicationShutdown();
    await server?.stop();
  });

  it('connects a service with its user and password', async () => {
    const nats = service('registry');
    const nc = await nats.connect();
    expect(nats.isConnected()).toBe(true);
    await nc.flush(); // a round trip: the server took the login
  });

  it('fails connect() at once when the password is wrong, naming the user and the settings (not the password)', async () => {
    const started = Date.now();
    const error = (await service('registry', 'pWrongPassword0000')
      .connect()
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(NatsConnectError);
    expect(error.message).toMatch(/refused the credentials of user "registry"/);
    expect(error.message).toMatch(/Authorization Violation/);
    expect(error.message).toMatch(/NATS_USER and NATS_PASSWORD/);
    expect(error.message).not.toContain('pWrongPassword0000');
    expect(Date.now() - started).toBeLessThan(5_000); // no silent retrying
  });

  it('fails connect() when no credentials are set, saying which to set', async () => {
    const nats = natsFor('registry', { NATS_URL: server.url });
    opened.push(nats);
    await expect(nats.connect()).rejects.toThrow(/requires credentials .*set NATS_USER and NATS_PASSWORD/);
  });

  it('refuses a user without a password (or a certificate without its key) at boot', () => {
    expect(() => natsOptionsOf(loadConfig(BaseEnv, { NATS_USER: 'registry' }))).toThrow(ConfigError);
    expect(() => natsOptionsOf(loadConfig(BaseEnv, { NATS_TLS_CERT_FILE: '/tls/tls.crt' }))).toThrow(
      /NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE: set both or neither/,
    );
    // Empty values are unset: development's behaviour, no credentials at all.
    expect(natsOptionsOf(loadConfig(BaseEnv, { NATS_USER: '', NATS_PASSWORD: '' }))).not.toHaveProperty(
      'user',
    );
  });
});

/** A registry RPC handler, as a service's `*.messages.ts` declares one. */
@Controller()
class MinistryHandlers {
  @MessagePattern(Rpc.MinistryList)
  list() {
    return { items: [{ id: 'MDES', nameTh: 'กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม', nameEn: 'MDES' }] };
  }
}

/**
 * The platform's building blocks, each service logged in as its own user with production's
 * permissions (the generated block of k8s/infra/nats/nats.conf): streams, the outbox relay,
 * durable consumers, RPC and the files bucket all work, and the server logs no violation. A
 * subject missing from the permissions fails here before it fails in production.
 */
describe("the platform's messaging under production's NATS permissions", () => {
  const { block, users } = productionAuthorization();
  const passwords = Object.fromEntries(users.map((u) => [u, `p${randomBytes(16).toString('hex')}`]));
  let server: ConfiguredNatsServer;
  let db: TestDatabase;
  const apps: INestApplication[] = [];
  const opened: Nats[] = [];
  const consumers: DurableConsumer<never>[] = [];
  const env = (name: string) => ({
    NATS_URL: server.url,
    NATS_USER: name,
    NATS_PASSWORD: passwords[name],
    ...TEST_ACTOR_ENV,
  });

  /** A service as its app.module builds it: PlatformModule with natsOptionsOf(config). */
  async function serviceApp(name: string, options: { streams?: StreamName[]; handlers?: boolean }) {
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
          service: name,
          logLevel: 'silent',
          nats: natsOptionsOf(loadConfig(BaseEnv, env(name))),
          outbox: options.streams ? { pollMs: 100 } : false,
          streams: options.streams,
        }),
      ],
      controllers: options.handlers ? [MinistryHandlers] : [],
    })
      .compile()
      .then((ref) => ref.createNestApplication(new FastifyAdapter(), { logger: false }));
    try {
      await startService(app);
    } catch (e) {
      // A refused boot: its connection is closed here, as the process's exit would.
      await app.get(Nats).onApplicationShutdown();
      throw e;
    }
    apps.push(app);
    return app;
  }

  const nats = (name: string) => {
    const n = natsFor(name, env(name));
    opened.push(n);
    return n;
  };

  beforeAll(async () => {
    [db, server] = await Promise.all([
      createTestDatabase('natsauth'),
      ConfiguredNatsServer.start(
        () => block,
        Object.fromEntries(users.map((u) => [`NATS_${u.toUpperCase()}_PASSWORD`, passwords[u]])),
      ),
    ]);
    const ds = new DataSource(
      dataSourceOptions({
        url: db.url,
        entities: [OutboxEvent, InboxEntry],
        migrations: [OutboxInbox1764100000000],
      }),
    );
    await ds.initialize();
    await runMigrations(ds);
    await ds.query(`CREATE TABLE seen (consumer text NOT NULL, event_id uuid NOT NULL, type text NOT NULL)`);
    await ds.destroy();
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop();
    for (const app of apps) await app.close();
    for (const n of opened) await n.onApplicationShutdown();
    await server?.stop();
    await db?.drop();
  });

  /** A durable consumer as scoring's and notifications' are written, recording what it handled. */
  async function consume(app: INestApplication, stream: StreamName, durable: string, subjects: string[]) {
    const c = new DurableConsumer<never>(
      {
        stream,
        durable,
        subjects: subjects as never[],
        handle: async (event: EventEnvelope, manager) => {
          await manager.query(`INSERT INTO seen VALUES ($1, $2, $3)`, [durable, event.id, event.type]);
        },
      },
      app.get(Nats),
      app.get(DataSource),
      app.get(Metrics),
    );
    consumers.push(c);
    await c.start();
  }

  const seen = async (app: INestApplication, consumer: string, id: string) =>
    (
      (await app
        .get(DataSource)
        .query(`SELECT type FROM seen WHERE consumer = $1 AND event_id = $2`, [consumer, id])) as {
        type: string;
      }[]
    ).map((r) => r.type);

  /** A stream owner's migration Job (apps/<service>/src/migrate.ts): as <service>_setup. */
  const migrationJob = (service: string, streams: StreamName[], consumers = false) =>
    setUpMessaging(
      { ...natsOptionsOf(loadConfig(BaseEnv, env(`${service}_setup`))), service: `${service}_setup` },
      streams,
      consumers ? service : undefined,
    );
  /** notifications' migration Job (it owns no stream): its durable consumers, as notifications_setup. */
  const notificationsJob = () =>
    setUpEventConsumers(
      { ...natsOptionsOf(loadConfig(BaseEnv, env('notifications_setup'))), service: 'notifications_setup' },
      'notifications',
      { retryMs: 200 },
    );

  it('fails the boot of a service whose stream its migration Job has not set up, naming the Job, at once', async () => {
    const started = Date.now();
    const error = (await serviceApp('awards', { streams: [Streams.AWARDS] }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(StreamSetupError);
    expect(error.message).toMatch(
      /JetStream stream AWARDS does not exist, and NATS user "awards" may not create/,
    );
    expect(error.message).toMatch(
      /run this release's migration Job awards-migrate \(k8s\/base\/awards\/migrate-job\.yaml/,
    );
    expect(Date.now() - started).toBeLessThan(5_000); // the refusal is prompt: no request timing out
    // Once the Job has run, the same boot works.
    await migrationJob('awards', [Streams.AWARDS]);
    const awards = await serviceApp('awards', { streams: [Streams.AWARDS] });
    // Stopped here: the apps of this file share one database, and a running awards outbox relay
    // would take the next test's registry event and be refused publishing it.
    await awards.close();
    apps.splice(apps.indexOf(awards), 1);
  });

  it('streams, outbox, consumers, RPC and files work for every service, with no violation logged', async () => {
    // The release's migration Jobs set up the streams, the files bucket and the durable consumers
    // as the setup users; the services, as their own users, only look them up at start. The
    // notifications Job runs first: it waits for the streams the others' Jobs make.
    const logFrom = server.log.length; // (the awards test before this one logged its refusals)
    const notificationsSetUp = notificationsJob();
    // notifications starts before its Job is done: its consumer waits for the durable (it may not
    // create it), in the background.
    const notifications = await serviceApp('notifications', {});
    await consume(notifications, Streams.REGISTRY, 'notifications', [Events.ContactErased]);
    await migrationJob('registry', [Streams.REGISTRY]);
    await migrationJob('intake', [Streams.INTAKE]);
    await migrationJob('scoring', [Streams.SCORING], true);
    await notificationsSetUp;
    // Pull consumers, made by the Jobs as the contracts say: no deliver subject, filtered when
    // they read one subject (notifications on REGISTRY), not when they read several (scoring).
    const admin = await connect({ servers: server.url, user: 'admin', pass: passwords.admin });
    const adminJsm = await jetstreamManager(admin);
    const made = await adminJsm.consumers.info(Streams.REGISTRY, 'notifications');
    expect(made.config).toMatchObject({ ack_policy: 'explicit', filter_subject: Events.ContactErased });
    expect(made.config.deliver_subject).toBeUndefined();
    const scoringMade = (await adminJsm.consumers.info(Streams.INTAKE, 'scoring')).config;
    expect(scoringMade.deliver_subject).toBeUndefined();
    expect(scoringMade.filter_subject ?? '').toBe('');
    await admin.close();
    const registry = await serviceApp('registry', { streams: [Streams.REGISTRY], handlers: true });
    const intake = nats('intake');
    await ensureStream(intake, Streams.INTAKE);
    // Consumers: notifications reads registry's stream for one subject (a filtered consumer),
    // scoring reads intake's stream for two (an unfiltered one).
    const scoring = await serviceApp('scoring', { streams: [Streams.SCORING] });
    await consume(scoring, Streams.INTAKE, 'scoring', [Events.ResponseSubmitted, Events.ResponseVerified]);

    // registry's outbox relay publishes its event; notifications receives it.
    const erased = await registry
      .get(DataSource)
      .transaction((m) =>
        addToOutbox(
          m,
          Events.ContactErased,
          { contactId: randomUUID(), agencyId: randomUUID(), erasedAt: new Date().toISOString() },
          { correlationId: 'c-erase', actor },
        ),
      );
    registry.get(OutboxRelay).kick();
    await waitFor(async () => (await seen(notifications, 'notifications', erased.id)).length > 0, 20_000);

    // intake publishes through JetStream (as its relay does); scoring receives it.
    const submitted = {
      id: randomUUID(),
      type: Events.ResponseSubmitted,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'c-submit',
      actor,
      payload: {
        cycleId: '2569',
        responseId: randomUUID(),
        agencyId: randomUUID(),
        agencyCode: 'A001',
        group: 'department',
        submission: 1,
        responseVersion: 3,
        questionnaireId: randomUUID(),
        questionnaireVersion: 1,
        submittedAt: new Date().toISOString(),
      },
    };
    await jetstream(await intake.connect()).publish(Events.ResponseSubmitted, JSON.stringify(submitted), {
      msgID: submitted.id,
    });
    expect(await waitFor(async () => (await seen(scoring, 'scoring', submitted.id)).join(), 20_000)).toBe(
      Events.ResponseSubmitted,
    );

    // The gateway calls registry's RPC (its reply comes back to the gateway's own inbox).
    const gateway = await serviceApp('gateway', {});
    const reply = await gateway
      .get(ServiceClient)
      .call(Rpc.MinistryList, {}, { correlationId: 'c-rpc', actor });
    expect(reply.items.map((m) => m.id)).toEqual(['MDES']);

    // Files: the gateway puts an upload, registry reads it (whole and streamed) message by message
    // (no consumer of the bucket: ADR 0018), the gateway deletes it.
    const file = {
      objectName: `imports/${randomUUID()}.csv`,
      fileName: 'agencies.csv',
      contentType: 'text/csv',
    };
    const text = 'code,nameTh\nA001,กรมทดสอบ\n';
    await gateway.get(FileTransfer).put(file, new TextEncoder().encode(text));
    expect(new TextDecoder().decode((await registry.get(FileTransfer).get(file.objectName))!)).toBe(text);
    const stream = await registry.get(FileTransfer).stream(file.objectName);
    expect(await new Response(stream).text()).toBe(text);
    await gateway.get(FileTransfer).delete(file.objectName);
    expect(await registry.get(FileTransfer).get(file.objectName)).toBeNull();
    // A large export (registry's, 64 chunks) downloaded by the gateway, chunk by chunk.
    const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => i % 251);
    const exported = { ...file, objectName: `exports/${randomUUID()}.csv` };
    await registry.get(FileTransfer).put(exported, big);
    const download = await gateway.get(FileTransfer).stream(exported.objectName);
    const downloaded = Buffer.from(await new Response(download).arrayBuffer());
    expect(downloaded.equals(big)).toBe(true); // (toEqual compares 8 MiB byte by byte, slowly)

    // A restart of an owner finds its stream as the Job left it, and a second Job run (the next
    // release) updates it in place; the consumers' Jobs too.
    await ensureStream(registry.get(Nats), Streams.REGISTRY);
    await migrationJob('registry', [Streams.REGISTRY]);
    // A durable changed by hand (or by an older release) is put back by the next Job: an update
    // through the exact CREATE subject, filter included, that the setup user may publish.
    const byHand = await connect({ servers: server.url, user: 'admin', pass: passwords.admin });
    const handJsm = await jetstreamManager(byHand);
    await handJsm.consumers.update(Streams.REGISTRY, 'notifications', { max_deliver: 5 });
    await handJsm.consumers.update(Streams.INTAKE, 'scoring', { max_deliver: 5 });
    await migrationJob('scoring', [Streams.SCORING], true);
    await notificationsJob();
    expect((await handJsm.consumers.info(Streams.REGISTRY, 'notifications')).config.max_deliver).toBe(20);
    expect((await handJsm.consumers.info(Streams.INTAKE, 'scoring')).config.max_deliver).toBe(20);
    // A durable turned into a push consumer (JetStream would publish to a subject of someone's
    // choosing) cannot be undone by an update: the Job fails and says what to do, never exits 0.
    await handJsm.consumers.delete(Streams.REGISTRY, 'notifications');
    await handJsm.consumers.add(Streams.REGISTRY, {
      durable_name: 'notifications',
      ack_policy: AckPolicy.Explicit,
      deliver_subject: '_INBOX_elsewhere.pushed',
      filter_subject: Events.ContactErased,
    });
    await expect(notificationsJob()).rejects.toThrow(
      /notifications on REGISTRY is a push consumer \(deliver subject _INBOX_elsewhere\.pushed\).*nats consumer rm REGISTRY notifications/,
    );
    await handJsm.consumers.delete(Streams.REGISTRY, 'notifications');
    await notificationsJob();
    const remade = (await handJsm.consumers.info(Streams.REGISTRY, 'notifications')).config;
    expect(remade.deliver_subject).toBeUndefined();
    expect(remade.filter_subject).toBe(Events.ContactErased);
    await byHand.close();

    // No consumer create, no $JS.FC, nothing else refused: the services did only what they may.
    expect(server.log.slice(logFrom)).not.toMatch(/Violation/);
  }, 90_000);

  it('waits, naming the Job, for a durable that its Job has not made yet, then consumes once the Job ran', async () => {
    const admin = await connect({ servers: server.url, user: 'admin', pass: passwords.admin });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      // A new release whose notifications Job has not run yet: its durable on REGISTRY is gone.
      await (await jetstreamManager(admin)).consumers.delete(Streams.REGISTRY, 'notifications');
      const notifications = await serviceApp('notifications', {});
      await consume(notifications, Streams.REGISTRY, 'notifications', [Events.ContactErased]);
      expect(warn.mock.calls.map(([m]) => String(m))).toContainEqual(
        expect.stringMatching(
          /durable consumer notifications on REGISTRY does not exist, and NATS user "notifications" may not create it: run this release's migration Job notifications-migrate \(k8s\/base\/notifications\/migrate-job\.yaml, as NATS user notifications_setup\)/,
        ),
      );
      const event = {
        id: randomUUID(),
        type: Events.ContactErased,
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: 'c-late',
        actor,
        payload: { contactId: randomUUID(), agencyId: randomUUID(), erasedAt: new Date().toISOString() },
      };
      await jetstream(await nats('registry').connect()).publish(Events.ContactErased, JSON.stringify(event));
      await notificationsJob();
      // The consumer finds it at its next try and reads the event published before it existed.
      expect(
        await waitFor(async () => (await seen(notifications, 'notifications', event.id)).join(), 20_000),
      ).toBe(Events.ContactErased);
    } finally {
      warn.mockRestore();
      await admin.close();
    }
  });

  it('refuses a file whose content differs from its metadata (digest, size)', async () => {
    const registry = await serviceApp('registry', { streams: [Streams.REGISTRY] });
    const files = registry.get(FileTransfer);
    const file = { objectName: `imports/${randomUUID()}.csv`, fileName: 'a.csv', contentType: 'text/csv' };
    await files.put(file, new TextEncoder().encode('code\nA001\n'));
    expect(new TextDecoder().decode((await files.get(file.objectName))!)).toBe('code\nA001\n');
    // An operator (or a bug) rewrites the metadata: another digest, then another size.
    const admin = await connect({ servers: server.url, user: 'admin', pass: passwords.admin });
    try {
      const jsm = await jetstreamManager(admin);
      const padded = `$O.files.M.${Base64UrlPaddedCodec.encode(file.objectName)}`;
      const m = (await jsm.streams.getMessage('OBJ_files', { last_by_subj: padded }))!;
      const info = m.json<{ digest: string; size: number }>();
      const js = jetstream(admin);
      await js.publish(
        padded,
        JSON.stringify({ ...info, digest: `SHA-256=${Buffer.alloc(32).toString('base64url')}=` }),
      );
      await expect(files.get(file.objectName)).rejects.toThrow(CorruptObjectError);
      await js.publish(padded, JSON.stringify({ ...info, size: info.size + 1 }));
      await expect(new Response(await files.stream(file.objectName)).text()).rejects.toThrow(
        /is corrupt: 1 chunks, 10 bytes/,
      );
    } finally {
      await admin.close();
    }
  });

  it('makes a consumer setup Job that waits too long for a stream fail, naming the Job that makes it', async () => {
    // A run of its own (anonymous NATS with a prefix): no stream of that prefix exists.
    const n = new Nats({ url: NATS_TEST_URL, prefix: testPrefix('nosetup'), service: 'notifications_setup' });
    opened.push(n);
    const started = Date.now();
    await expect(setUpConsumers(n, 'notifications', { waitForStreamMs: 600, retryMs: 200 })).rejects.toThrow(
      /stream \w+_INTAKE \(for durable consumer \w+_notifications\) does not exist yet: it is made by intake-migrate .*giving up/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails the boot, naming the Job, when the stream lacks a subject of the contracts (an older release made it)', async () => {
    const admin = await connect({ servers: server.url, user: 'admin', pass: passwords.admin });
    try {
      const jsm = await jetstreamManager(admin);
      const { config } = await jsm.streams.info(Streams.SCORING);
      const [kept, ...dropped] = config.subjects;
      await jsm.streams.update(Streams.SCORING, { ...config, subjects: [kept] });
      await expect(ensureStream(nats('scoring'), Streams.SCORING)).rejects.toThrow(
        new RegExp(
          `stream SCORING lacks the subjects ${dropped.join(', ').replace(/\./g, '\\.')}.*scoring-migrate`,
        ),
      );
      await migrationJob('scoring', [Streams.SCORING]);
      await ensureStream(nats('scoring'), Streams.SCORING);
    } finally {
      await admin.close();
    }
  });

  it('still refuses what a service does not own: another service’s event, a stream deletion', async () => {
    const notifications = await nats('notifications').connect();
    await expect(
      jetstream(notifications).publish(Events.ResponseSubmitted, '{}', { timeout: 2_000 }),
    ).rejects.toThrow(/Permissions Violation for Publish to "intake.response.submitted"/);
    const registry = await jetstreamManager(await nats('registry').connect());
    await expect(registry.streams.delete(Streams.REGISTRY)).rejects.toThrow(/Permissions Violation/);
    expect(server.log).toMatch(
      /Publish Violation - User "notifications", Subject "intake.response.submitted"/,
    );
  });
});

/** TLS with a CA of the test's own (openssl), the server asking every client for a certificate. */
const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!openssl) console.warn('openssl is not on PATH: the NATS TLS settings are NOT tested');
const describeTls = openssl ? describe : describe.skip;

describeTls('NATS over TLS (NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE)', () => {
  let server: ConfiguredNatsServer;
  let pki: string;
  const opened: Nats[] = [];

  /** A CA, and a server and a client certificate it signed (EC keys, one day). */
  function makePki(dir: string): void {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run([
      'req',
      '-x509',
      ...key,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=dg test CA',
    ]);
    for (const [name, ext] of [
      ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      ['client', 'extendedKeyUsage=clientAuth'],
    ]) {
      writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
      run(['req', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
      run(
        [
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-days',
          '1',
        ].concat(['-out', `${name}.crt`, '-extfile', `${name}.ext`]),
      );
    }
  }

  beforeAll(async () => {
    pki = mkdtempSync(join(tmpdir(), 'nats-pki-'));
    makePki(pki);
    server = await ConfiguredNatsServer.start(
      () =>
        `tls {\n  cert_file: ${join(pki, 'server.crt')}\n  key_file: ${join(pki, 'server.key')}\n` +
        `  ca_file: ${join(pki, 'ca.crt')}\n  verify: true\n}\n`,
    );
  });

  afterAll(async () => {
    for (const n of opened) await n.onApplicationShutdown();
    await server?.stop();
    rmSync(pki, { recursive: true, force: true });
  });

  const tlsNats = (env: Record<string, string>) => {
    const n = natsFor('registry', { NATS_URL: server.url, ...env });
    opened.push(n);
    return n;
  };

  it('connects over TLS with the CA and a client certificate', async () => {
    const nats = tlsNats({
      NATS_TLS_CA_FILE: join(pki, 'ca.crt'),
      NATS_TLS_CERT_FILE: join(pki, 'client.crt'),
      NATS_TLS_KEY_FILE: join(pki, 'client.key'),
    });
    const nc = await nats.connect();
    await nc.flush();
    expect(nc.info?.tls_required).toBe(true);
    // And it really is TLS on the wire: a plain client is turned away.
    await expect(connect({ servers: server.url, tls: null })).rejects.toThrow();
  });

  it("fails connect() at once, naming the TLS settings, when the server's certificate is not trusted", async () => {
    // No CA given: the server's certificate is signed by no CA the process knows.
    const error = (await tlsNats({})
      .connect()
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(NatsConnectError);
    expect(error.message).toMatch(
      /TLS connection to NATS at nats:\/\/127\.0\.0\.1:\d+ \(unable to verify the first certificate[^)]*\): check NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE/,
    );
    // A file that is not there is named too.
    await expect(tlsNats({ NATS_TLS_CA_FILE: join(pki, 'missing-ca.crt') }).connect()).rejects.toThrow(
      /TLS connection to NATS .*missing-ca\.crt/,
    );
  });
});
