import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
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
  EventConsumer,
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
  RpcClient,
  RpcHandler,
  runMigrations,
  setUpMessaging,
  StreamSetupError,
} from '../src';
import { createTestDatabase, freePort, type TestDatabase, waitFor } from '../src/testing';

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
@Injectable()
class MinistryHandlers {
  @RpcHandler(Rpc.MinistryList)
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
  const apps: TestingModule[] = [];
  const opened: Nats[] = [];
  const consumers: EventConsumer<never>[] = [];
  const env = (name: string) => ({ NATS_URL: server.url, NATS_USER: name, NATS_PASSWORD: passwords[name] });

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
      providers: options.handlers ? [MinistryHandlers] : [],
    }).compile();
    try {
      await app.init();
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
  async function consume(app: TestingModule, stream: StreamName, durable: string, subjects: string[]) {
    const c = new EventConsumer<never>(
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

  const seen = async (app: TestingModule, consumer: string, id: string) =>
    (
      (await app
        .get(DataSource)
        .query(`SELECT type FROM seen WHERE consumer = $1 AND event_id = $2`, [consumer, id])) as {
        type: string;
      }[]
    ).map((r) => r.type);

  /** A stream owner's migration Job (apps/<service>/src/migrate.ts): as <service>_setup. */
  const migrationJob = (service: string, streams: StreamName[]) =>
    setUpMessaging(
      { ...natsOptionsOf(loadConfig(BaseEnv, env(`${service}_setup`))), service: `${service}_setup` },
      streams,
    );

  it('streams, outbox, consumers, RPC and files work for every service, with no violation logged', async () => {
    // The release's migration Jobs set up the streams and the files bucket as the setup users;
    // the services, as their own users, only check them at start (StreamSetup).
    await migrationJob('registry', [Streams.REGISTRY]);
    await migrationJob('intake', [Streams.INTAKE]);
    await migrationJob('scoring', [Streams.SCORING]);
    const registry = await serviceApp('registry', { streams: [Streams.REGISTRY], handlers: true });
    const intake = nats('intake');
    await ensureStream(intake, Streams.INTAKE);
    // Consumers: notifications reads registry's stream for one subject (a filtered consumer),
    // scoring reads intake's stream for two (an unfiltered one).
    const notifications = await serviceApp('notifications', {});
    const scoring = await serviceApp('scoring', { streams: [Streams.SCORING] });
    await consume(notifications, Streams.REGISTRY, 'notifications', [Events.ContactErased]);
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
    const reply = await gateway.get(RpcClient).call(Rpc.MinistryList, {}, { correlationId: 'c-rpc', actor });
    expect(reply.items.map((m) => m.id)).toEqual(['MDES']);

    // Files: the gateway puts an upload, registry reads it (whole and streamed), the gateway deletes it.
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
    // A large export (registry's) downloaded by the gateway: JetStream's flow control asks the
    // gateway to answer as the chunks come in.
    const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => i % 251);
    const exported = { ...file, objectName: `exports/${randomUUID()}.csv` };
    await registry.get(FileTransfer).put(exported, big);
    const download = await gateway.get(FileTransfer).stream(exported.objectName);
    const downloaded = Buffer.from(await new Response(download).arrayBuffer());
    expect(downloaded.equals(big)).toBe(true); // (toEqual compares 8 MiB byte by byte, slowly)

    // A restart of an owner finds its stream as the Job left it, and a second Job run (the next
    // release) updates it in place.
    await ensureStream(registry.get(Nats), Streams.REGISTRY);
    await migrationJob('registry', [Streams.REGISTRY]);

    expect(server.log).not.toMatch(/Violation/);
  }, 60_000);

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
    await serviceApp('awards', { streams: [Streams.AWARDS] });
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
      /TLS connection to NATS at nats:\/\/127\.0\.0\.1:\d+ \(unable to verify the first certificate\): check NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE/,
    );
    // A file that is not there is named too.
    await expect(tlsNats({ NATS_TLS_CA_FILE: join(pki, 'missing-ca.crt') }).connect()).rejects.toThrow(
      /TLS connection to NATS .*missing-ca\.crt/,
    );
  });
});
