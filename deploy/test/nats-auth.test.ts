/**
 * NATS users and permissions (k8s/infra/nats/nats.conf, ADR 0012). The authorization block is what
 * scripts/nats-permissions.mjs derives from the contracts, its list of durable consumers is what
 * the services' code opens, and a nats-server started from the file (one node: the cluster block
 * left out) enforces it for the real client: no anonymous client, each service publishes its own
 * events and no other's, answers its own RPC subjects alone, reads only its own inboxes, and
 * creates, changes or deletes no stream: its setup user (the migration Job's) creates and updates
 * its stream and no other. The TLS component's tls.conf is started too, with a throwaway CA.
 *
 * Needs packages/contracts built (the script reads its dist); nats-server 2.9 or later and openssl
 * where installed (those parts are skipped with a warning otherwise).
 */
import { findNatsServer } from './support/nats-server';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import {
  EventConsumers,
  Events,
  EventSchemas,
  type EventSubject,
  eventSubjectsOf,
  Rpc,
  ServiceRpcCalls,
  Streams,
} from '@dg/contracts';

const ROOT = resolve(__dirname, '../..');
const CONF = join(ROOT, 'k8s/infra/nats/nats.conf');
const SCRIPT = join(ROOT, 'scripts/nats-permissions.mjs');
/** The services deployed under k8s/base: each logs in to NATS as itself. */
const SERVICES = ['registry', 'intake', 'scoring', 'notifications', 'awards', 'gateway'];

interface Group {
  why: string;
  subjects: string[];
}
interface User {
  user: string;
  password: string;
  publish: Group[];
  subscribe: Group[];
  allowResponses: boolean;
}
interface Model {
  users: User[];
  /** The stream owners' setup users, for their migration Jobs. */
  setup: (User & { service: string })[];
  admin: { user: string; password: string };
}

const generator = (...args: string[]) =>
  execFileSync('node', [SCRIPT, ...args], { encoding: 'utf8', timeout: 30_000 });
const model = JSON.parse(generator('--json')) as Model;
const subjectsOf = (groups: Group[]) => groups.flatMap((g) => g.subjects);

describe('the authorization block of k8s/infra/nats/nats.conf', () => {
  it('is what scripts/nats-permissions.mjs derives from the contracts (after a change: node scripts/nats-permissions.mjs --write)', () => {
    const conf = readFileSync(CONF, 'utf8');
    const block = /^# BEGIN authorization[\s\S]*?^# END authorization\n/m.exec(conf)?.[0];
    expect(block).toBe(generator());
  });

  it('has a user for every deployed service and the operators, each password from the environment', () => {
    expect(model.users.map((u) => u.user)).toEqual(SERVICES);
    for (const u of [...model.users, ...model.setup, model.admin])
      expect(u.password).toBe(`NATS_${u.user.toUpperCase()}_PASSWORD`);
  });

  it('has a setup user per stream owner and event reader, for its migration Job: its stream, the files bucket, its durables, nothing else', () => {
    const owners = (Object.values(Streams) as string[]).map((s) => s.toLowerCase());
    const readers = Object.keys(EventConsumers);
    expect(model.setup.map((u) => u.user).sort()).toEqual(
      [...new Set([...owners, ...readers])].map((o) => `${o}_setup`).sort(),
    );
    for (const u of model.setup) {
      const stream = u.service.toUpperCase();
      const consumers =
        (
          EventConsumers as Record<
            string,
            readonly { stream: string; durable: string; subjects: readonly string[] }[]
          >
        )[u.service] ?? [];
      expect({ user: u.user, publish: subjectsOf(u.publish).sort() }).toEqual({
        user: u.user,
        publish: [
          ...(owners.includes(u.service)
            ? ['INFO', 'CREATE', 'UPDATE'].flatMap((op) => [
                `$JS.API.STREAM.${op}.${stream}`,
                `$JS.API.STREAM.${op}.OBJ_files`,
              ])
            : []),
          // Its durables: created in the exact form nats.js sends, the filter in the subject when
          // there is one (the server checks it against the body's).
          ...consumers.flatMap((c) => [
            `$JS.API.CONSUMER.INFO.${c.stream}.${c.durable}`,
            `$JS.API.CONSUMER.CREATE.${c.stream}.${c.durable}${c.subjects.length === 1 ? `.${c.subjects[0]}` : ''}`,
          ]),
          '$JS.API.INFO',
        ].sort(),
      });
      expect({ user: u.user, subscribe: subjectsOf(u.subscribe) }).toEqual({
        user: u.user,
        subscribe: [`_INBOX_${u.user}.>`],
      });
      expect(u.allowResponses).toBe(false);
    }
  });

  it('lets no service create or update a consumer, nor answer flow control (ADR 0018)', () => {
    for (const u of model.users) {
      const publish = subjectsOf(u.publish);
      expect({
        user: u.user,
        create: publish.filter((s) =>
          /CONSUMER\.(CREATE|DURABLE)|^\$JS\.FC|^\$JS\.API\.CONSUMER\.DELETE/.test(s),
        ),
      }).toEqual({
        user: u.user,
        create: [],
      });
      // Its durables: look up, pull, acknowledge; exactly those of the contracts.
      const consumers =
        (EventConsumers as Record<string, readonly { stream: string; durable: string }[]>)[u.user] ?? [];
      expect({
        user: u.user,
        consumers: publish.filter((s) => /CONSUMER|^\$JS\.ACK/.test(s)).sort(),
      }).toEqual({
        user: u.user,
        consumers: consumers
          .flatMap((c) => [
            `$JS.API.CONSUMER.INFO.${c.stream}.${c.durable}`,
            `$JS.API.CONSUMER.MSG.NEXT.${c.stream}.${c.durable}`,
            `$JS.ACK.${c.stream}.${c.durable}.>`,
          ])
          .sort(),
      });
    }
  });

  it('lets a service publish its own events, the RPC subjects it calls (the gateway: all), and nothing of theirs else', () => {
    const events = Object.values(Events) as string[];
    const rpc = Object.values(Rpc) as string[];
    for (const u of model.users) {
      const publish = subjectsOf(u.publish);
      const own = (s: string) => s.startsWith(`${u.user}.`);
      // Events: exactly its own (the intake.response.extended of this release included).
      expect({ user: u.user, events: publish.filter((s) => events.includes(s)) }).toEqual({
        user: u.user,
        events: events.filter(own),
      });
      // RPC: the gateway every subject; a service only what it calls as the system (ADR 0017).
      const calls: readonly string[] =
        u.user === 'gateway' ? rpc : ((ServiceRpcCalls as Record<string, readonly string[]>)[u.user] ?? []);
      expect({ user: u.user, rpc: publish.filter((s) => rpc.includes(s)).sort() }).toEqual({
        user: u.user,
        rpc: calls.filter((s) => !own(s)).sort(),
      });
      // Nothing else in the services' own namespaces: no wildcard over another service's subjects.
      const domain = publish.filter((s) => !s.startsWith('$') && !s.startsWith('_INBOX'));
      expect({ user: u.user, other: domain.filter((s) => !events.includes(s) && !rpc.includes(s)) }).toEqual({
        user: u.user,
        other: [],
      });
      // It subscribes to its own RPC subjects and inboxes only (events are read through JetStream).
      expect({ user: u.user, subscribe: subjectsOf(u.subscribe) }).toEqual({
        user: u.user,
        subscribe: [...rpc.filter(own), `_INBOX_${u.user}.>`],
      });
      // Its stream alone, looked up only: creating or changing it (any subjects, any limits) is its
      // setup user's; never to delete or purge it. Nor to create or change the files bucket.
      const streamApi = publish.filter((s) => /^\$JS\.API\.STREAM\./.test(s));
      const stream = u.user.toUpperCase();
      const mine = (Object.values(Streams) as string[]).includes(stream)
        ? [`$JS.API.STREAM.INFO.${stream}`]
        : [];
      expect({ user: u.user, streamApi }).toEqual({
        user: u.user,
        streamApi: [
          ...mine,
          '$JS.API.STREAM.INFO.OBJ_files',
          '$JS.API.STREAM.PURGE.OBJ_files',
          '$JS.API.STREAM.MSG.GET.OBJ_files',
        ],
      });
    }
  });

  it("lists in ServiceRpcCalls exactly the RPC subjects each service's code calls (apps/<service>/src: .call(Rpc.X, …))", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return files(path);
        return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
      });
    const rpcNames = Rpc as Record<string, string>;
    for (const app of SERVICES.filter((s) => s !== 'gateway')) {
      const called = new Set<string>();
      for (const file of files(join(ROOT, 'apps', app, 'src')))
        for (const [, name] of readFileSync(file, 'utf8').matchAll(/\.call\(\s*Rpc\.(\w+)/g))
          called.add(rpcNames[name]);
      expect({ app, calls: [...called].sort() }).toEqual({
        app,
        calls: [...((ServiceRpcCalls as Record<string, readonly string[]>)[app] ?? [])].sort(),
      });
    }
  });

  it("lists in EventConsumers exactly the durable consumers the services' code opens (apps/*/src: @EventPattern), and gives them their permissions", () => {
    // From the code: every `@EventPattern(Events.X, extras)` handler, its stream from the
    // contracts and its durable name from the extras (a literal or a const of the same file).
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return files(path);
        return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
      });
    const inCode: string[] = [];
    for (const app of readdirSync(join(ROOT, 'apps')).filter((a) => existsSync(join(ROOT, 'apps', a, 'src'))))
      for (const file of files(join(ROOT, 'apps', app, 'src'))) {
        const text = readFileSync(file, 'utf8');
        const named = new Map(
          [...text.matchAll(/const (\w+): EventPatternExtras = \{\s*durable: '([\w-]+)'/g)].map(
            ([, n, d]) => [n, d],
          ),
        );
        const handlers = text.match(/@EventPattern\b/g)?.length ?? 0;
        const specs = [
          ...text.matchAll(
            /@EventPattern(?:<\w+>)?\(\s*Events\.(\w+),\s*(?:(\w+)|\{\s*durable: '([\w-]+)')/g,
          ),
        ].flatMap(([, event, constant, literal]) => {
          const durable = literal ?? named.get(constant);
          const subject = (Events as Record<string, EventSubject>)[event];
          return durable && subject ? [{ stream: EventSchemas[subject].stream, durable, subject }] : [];
        });
        // A handler written another way is not read here: say so rather than miss it.
        expect({ file: relative(ROOT, file), unread: handlers - specs.length }).toEqual({
          file: relative(ROOT, file),
          unread: 0,
        });
        for (const { stream, durable, subject } of specs)
          inCode.push(`${app}: ${stream}/${durable} ${subject}`);
      }
    const inTable = Object.entries(EventConsumers).flatMap(([service, consumers]) =>
      consumers.flatMap((c) => c.subjects.map((s) => `${service}: ${c.stream}/${c.durable} ${s}`)),
    );
    expect([...new Set(inCode)].sort()).toEqual(inTable.sort());
    const inPermissions = model.users.flatMap((u) =>
      u.publish.flatMap((g) => {
        const m = /^its durable consumer ([\w-]+) on (\w+):/.exec(g.why);
        return m ? [`${u.user}: ${m[2]}/${m[1]}`] : [];
      }),
    );
    expect(inCode.length).toBeGreaterThan(0);
    const durables = [...new Set(inCode.map((line) => line.split(' ').slice(0, 2).join(' ')))];
    expect(durables.sort()).toEqual(inPermissions.sort());
  });
});

// ---------------------------------------------------------------------------------------------
// A running nats-server

const natsServer = findNatsServer();
if (!natsServer)
  console.warn('nats-server is not on PATH: the NATS permissions are NOT enforced by a server here.');
const describeNatsServer = natsServer ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * nats.conf as one node on this machine: the cluster block left out, ports free, the store, pid
 * file and included tls.conf in a temporary directory, every `$NATS_<USER>_PASSWORD` a fresh one.
 */
class SingleNode {
  private proc?: ChildProcess;
  private output = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'dg-nats-auth-'));
  readonly passwords: Record<string, string> = {};
  port = 0;

  async start(tlsConf = readFileSync(join(ROOT, 'k8s/infra/nats/tls.conf'), 'utf8')): Promise<void> {
    const replace = (src: string, pattern: RegExp, by: string) => {
      if (!pattern.test(src)) throw new Error(`nats.conf no longer has ${pattern}: update this test`);
      return src.replace(pattern, by);
    };
    this.port = await freePort();
    let conf = readFileSync(CONF, 'utf8');
    conf = replace(conf, /^cluster \{[\s\S]*?^\}\n/m, '');
    conf = replace(conf, /^listen: .*$/m, `listen: 127.0.0.1:${this.port}`);
    conf = replace(conf, /^http: .*$/m, `http: 127.0.0.1:${await freePort()}`);
    conf = replace(conf, /^(\s*)store_dir: .*$/m, `$1store_dir: ${join(this.dir, 'data')}`);
    conf = replace(conf, /^pid_file: .*$/m, `pid_file: ${join(this.dir, 'nats.pid')}`);
    writeFileSync(join(this.dir, 'nats.conf'), conf);
    writeFileSync(join(this.dir, 'tls.conf'), tlsConf);
    for (const [, v] of conf.matchAll(/^\s*password: \$(\w+)\s*$/gm))
      this.passwords[v] = `p${randomBytes(16).toString('hex')}`;
    this.proc = spawn(natsServer!, ['-c', join(this.dir, 'nats.conf')], {
      env: { ...process.env, ...this.passwords, SERVER_NAME: 'nats-0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [this.proc.stdout, this.proc.stderr])
      s?.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!/Server is ready/.test(this.output)) {
      if (this.proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`nats-server did not start:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output;
  }

  /** A client logged in as `user` (with its inboxes where the platform puts them). */
  login(user: string, options: ConnectionOptions = {}): Promise<NatsConnection> {
    return connect({
      servers: this.url,
      user,
      pass: this.passwords[`NATS_${user.toUpperCase()}_PASSWORD`],
      inboxPrefix: `_INBOX_${user}`,
      ...options,
    });
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

/** How the server answers a subscription: refused (its message) or taken. */
async function subscribing(nc: NatsConnection, subject: string, queue?: string): Promise<string> {
  const refused = new Promise<string>((done) => {
    nc.subscribe(subject, {
      queue,
      callback: (err) => {
        if (err) done(err.message);
      },
    });
  });
  await nc.flush();
  return Promise.race([refused, new Promise<string>((done) => setTimeout(() => done('taken'), 1_000))]);
}

describeNatsServer("nats.conf's users and permissions, on a running nats-server", () => {
  const node = new SingleNode();
  const clients: NatsConnection[] = [];
  const login = async (user: string) => {
    const nc = await node.login(user);
    clients.push(nc);
    return nc;
  };

  /** Whether the server logs `pattern` within 3 s (its log reaches the test a little after the refusal). */
  const logged = async (pattern: RegExp) => {
    const until = Date.now() + 3_000;
    while (!pattern.test(node.log) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return pattern.test(node.log);
  };

  beforeAll(() => node.start(), 20_000);
  afterAll(async () => {
    await Promise.all(clients.map((nc) => nc.close()));
    await node.stop();
  });

  it('refuses a client without a user, or with another user’s password', async () => {
    await expect(connect({ servers: node.url })).rejects.toThrow(/Authorization Violation/);
    await expect(
      connect({ servers: node.url, user: 'registry', pass: node.passwords.NATS_GATEWAY_PASSWORD }),
    ).rejects.toThrow(/Authorization Violation/);
  });

  it('lets registry_setup create and update its stream, and registry publish its event, which JetStream stores', async () => {
    const setup = await jetstreamManager(await login('registry_setup'));
    const [first, ...more] = eventSubjectsOf(Streams.REGISTRY);
    await setup.streams.add({ name: Streams.REGISTRY, subjects: [first] });
    await setup.streams.update(Streams.REGISTRY, { subjects: [first, ...more] });
    const nc = await login('registry');
    expect((await (await jetstreamManager(nc)).streams.info(Streams.REGISTRY)).config.subjects).toEqual([
      first,
      ...more,
    ]);
    const ack = await jetstream(nc).publish(Events.AgencyCreated, '{}');
    expect(ack).toMatchObject({ stream: Streams.REGISTRY, seq: 1 });
  });

  it("refuses registry (the running service) the reviewer's stream update: RPC subjects and the gateway's inboxes stay out", async () => {
    const jsm = await jetstreamManager(await login('registry'));
    const before = (await jsm.streams.info(Streams.REGISTRY)).config;
    const hijack = { ...before, subjects: [...before.subjects, Rpc.CycleGet, '_INBOX_gateway.>'] };
    const started = Date.now();
    await expect(jsm.streams.update(Streams.REGISTRY, hijack)).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.STREAM\.UPDATE\.REGISTRY"/,
    );
    expect(Date.now() - started).toBeLessThan(1_000); // refused at once, not a request timing out
    // Nor limits that would throw events away, nor a stream of another name.
    await expect(jsm.streams.update(Streams.REGISTRY, { ...before, max_msgs: 1 })).rejects.toThrow(
      /Permissions Violation/,
    );
    await expect(jsm.streams.add({ name: 'REGISTRY2', subjects: [Rpc.CycleGet] })).rejects.toThrow(
      /Permissions Violation/,
    );
    expect((await jsm.streams.info(Streams.REGISTRY)).config).toMatchObject({
      subjects: before.subjects,
      max_msgs: before.max_msgs,
    });
    // The gateway's call to intake is still answered by intake, not by JetStream.
    const intake = await login('intake');
    intake.subscribe(Rpc.CycleGet, {
      queue: 'intake',
      callback: (_, msg) => {
        msg.respond('{"from":"intake"}');
      },
    });
    await intake.flush();
    expect((await (await login('gateway')).request(Rpc.CycleGet, '{}', { timeout: 2_000 })).string()).toBe(
      '{"from":"intake"}',
    );
  });

  it("refuses a setup user another service's stream, deleting or purging its own, and everything but streams", async () => {
    const setup = await login('registry_setup');
    const jsm = await jetstreamManager(setup);
    await expect(jsm.streams.add({ name: Streams.INTAKE, subjects: [Rpc.CycleGet] })).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.STREAM\.CREATE\.INTAKE"/,
    );
    await expect(jsm.streams.delete(Streams.REGISTRY)).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.purge(Streams.REGISTRY)).rejects.toThrow(/Permissions Violation/);
    await expect(jetstream(setup).publish(Events.AgencyCreated, '{}', { timeout: 2_000 })).rejects.toThrow(
      /Permissions Violation for Publish to "registry.agency.created"/,
    );
    expect(await subscribing(setup, Rpc.AgencyGet, 'registry')).toMatch(
      /Permissions Violation for Subscription/,
    );
    // The files bucket: the setup user makes it, and a service may then only look it up.
    await jsm.streams.add({ name: 'OBJ_files', subjects: ['$O.files.C.>', '$O.files.M.>'] });
    const registry = await jetstreamManager(await login('registry'));
    await expect(
      registry.streams.update('OBJ_files', { subjects: ['$O.files.C.>', '$O.files.M.>', Rpc.CycleGet] }),
    ).rejects.toThrow(/Permissions Violation/);
    expect((await registry.streams.info('OBJ_files')).config.subjects).toEqual([
      '$O.files.C.>',
      '$O.files.M.>',
    ]);
  });

  it('refuses a service any consumer of the files bucket and flow-control replies: it reads objects message by message (ADR 0018)', async () => {
    const nc = await login('registry');
    const jsm = await jetstreamManager(nc);
    // What nats.js' object store get makes: an ordered push consumer over one object's chunks.
    // Its deliver subject is the caller's choice: JetStream would publish the chunks there.
    const push = { deliver_subject: Events.ResponseSubmitted, ack_policy: AckPolicy.None };
    await expect(
      jsm.consumers.add('OBJ_files', { name: 'oc_1', filter_subject: '$O.files.C.nuid1', ...push }),
    ).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.consumers.add('OBJ_files', { name: 'oc_2', ...push })).rejects.toThrow(
      /Permissions Violation/,
    );
    nc.publish('$JS.FC.OBJ_files.x.y', '');
    await nc.flush();
    expect(await logged(/Publish Violation - User "registry", Subject "\$JS\.FC\.OBJ_files\.x\.y"/)).toBe(
      true,
    );
    // Reading a message of the bucket by subject is what it may do.
    await jetstream(nc).publish('$O.files.C.nuid1', 'chunk');
    const m = await jsm.streams.getMessage('OBJ_files', { last_by_subj: '$O.files.C.nuid1' });
    expect(m?.string()).toBe('chunk');
  });

  it("refuses notifications another service's event, its RPC subjects and the gateway's inboxes", async () => {
    const intake = await login('intake');
    await (
      await jetstreamManager(await login('intake_setup'))
    ).streams.add({
      name: Streams.INTAKE,
      subjects: eventSubjectsOf(Streams.INTAKE),
    });
    const nc = await login('notifications');
    await expect(
      jetstream(nc).publish(Events.ResponseSubmitted, '{"fake":true}', { timeout: 2_000 }),
    ).rejects.toThrow(/Permissions Violation for Publish to "intake.response.submitted"/);
    expect((await (await jetstreamManager(intake)).streams.info(Streams.INTAKE)).state.messages).toBe(0);
    expect(await subscribing(nc, 'intake.>')).toMatch(/Permissions Violation for Subscription to "intake.>"/);
    expect(await subscribing(nc, Rpc.CycleGet, 'intake')).toMatch(/Permissions Violation for Subscription/);
    expect(await subscribing(nc, '_INBOX_gateway.>')).toMatch(/Permissions Violation for Subscription/);
    // Nor read intake's stream under scoring's consumer.
    await expect(
      (await jetstreamManager(nc)).consumers.add(Streams.INTAKE, { durable_name: 'scoring' }),
    ).rejects.toThrow(/Permissions Violation/);
    expect(node.log).toMatch(/Publish Violation - User "notifications", Subject "intake.response.submitted"/);
  });

  it("refuses scoring its own durable with a deliver subject (another service's event) and any update; scoring_setup creates it as a pull consumer, which scoring reads", async () => {
    // (INTAKE exists: the test above made it.)
    const scoring = await login('scoring');
    const jsm = await jetstreamManager(scoring);
    const hijack = {
      durable_name: 'scoring',
      deliver_subject: Events.ResultsPublished,
      ack_policy: AckPolicy.None,
    };
    await expect(jsm.consumers.add(Streams.INTAKE, hijack)).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.CONSUMER\.CREATE\.INTAKE\.scoring"/,
    );
    await expect(
      jsm.consumers.add(Streams.INTAKE, { ...hijack, filter_subject: Events.ResponseSubmitted }),
    ).rejects.toThrow(/Permissions Violation/);
    // The legacy API too.
    scoring.publish(
      '$JS.API.CONSUMER.DURABLE.CREATE.INTAKE.scoring',
      JSON.stringify({ stream_name: 'INTAKE', config: hijack }),
    );
    await scoring.flush();
    expect(
      await logged(
        /Publish Violation - User "scoring", Subject "\$JS\.API\.CONSUMER\.DURABLE\.CREATE\.INTAKE\.scoring"/,
      ),
    ).toBe(true);
    // Its setup user creates it (a pull consumer), and may not add a deliver subject to another's.
    const setup = await jetstreamManager(await login('scoring_setup'));
    await setup.consumers.add(Streams.INTAKE, { durable_name: 'scoring', ack_policy: AckPolicy.Explicit });
    await expect(
      setup.consumers.add(Streams.INTAKE, { durable_name: 'notifications', ack_policy: AckPolicy.Explicit }),
    ).rejects.toThrow(/Permissions Violation/);
    // Now it exists: an update by the service is refused as well (same subject).
    await expect(
      jsm.consumers.update(Streams.INTAKE, 'scoring', { deliver_subject: Events.ResultsPublished } as never),
    ).rejects.toThrow(/Permissions Violation/);
    expect((await jsm.consumers.info(Streams.INTAKE, 'scoring')).config.deliver_subject).toBeUndefined();
    // intake publishes an event; scoring pulls and acknowledges it.
    await jetstream(await login('intake')).publish(Events.ResponseSubmitted, '{"n":1}');
    const consumer = await jetstream(scoring).consumers.get(Streams.INTAKE, 'scoring');
    const m = await consumer.next({ expires: 5_000 });
    expect(m?.string()).toBe('{"n":1}');
    await m?.ackAck();
    // notifications_setup: a filtered durable is created with the filter in the subject (exact form).
    const nsetup = await jetstreamManager(await login('notifications_setup'));
    // (REGISTRY exists: registry_setup made it above.)
    await nsetup.consumers.add(Streams.REGISTRY, {
      durable_name: 'notifications',
      ack_policy: AckPolicy.Explicit,
      filter_subject: Events.ContactErased,
    });
    // Another filter (a subject its handlers do not read) is refused.
    await expect(
      nsetup.consumers.add(Streams.REGISTRY, {
        durable_name: 'notifications',
        ack_policy: AckPolicy.Explicit,
        filter_subject: Events.AgencyCreated,
      }),
    ).rejects.toThrow(/Permissions Violation/);
  });

  it("lets the gateway call registry's RPC, answered by registry in its queue group, and not answer it itself", async () => {
    const registry = await login('registry');
    registry.subscribe(Rpc.AgencyGet, {
      queue: 'registry',
      callback: (_, msg) => {
        msg.respond('{"ok":true}');
      },
    });
    await registry.flush();
    const gateway = await login('gateway');
    const reply = await gateway.request(Rpc.AgencyGet, '{}', { timeout: 2_000 });
    expect(reply.string()).toBe('{"ok":true}');
    expect(await subscribing(gateway, Rpc.AgencyGet, 'registry')).toMatch(
      /Permissions Violation for Subscription/,
    );
    expect(await subscribing(registry, Rpc.AgencyList, 'registry')).toBe('taken'); // its own: taken
    // Nor publish into another's inbox (a forged reply): only the answer to a request it received.
    await expect(gateway.request('_INBOX_scoring.forged', '{}', { timeout: 2_000 })).rejects.toThrow(
      /Permissions Violation for Publish/,
    );
  });

  it('refuses a service the RPC subjects it does not call (ADR 0017): scoring may read agencies, not create them', async () => {
    const registry = await login('registry');
    for (const subject of [Rpc.AgencyGet, Rpc.AgencyCreate])
      registry.subscribe(subject, {
        queue: 'registry',
        callback: (_, msg) => void msg.respond('{"ok":true}'),
      });
    await registry.flush();
    const scoring = await login('scoring');
    expect((await scoring.request(Rpc.AgencyGet, '{}', { timeout: 2_000 })).string()).toBe('{"ok":true}');
    await expect(scoring.request(Rpc.AgencyCreate, '{}', { timeout: 2_000 })).rejects.toThrow(
      /Permissions Violation for Publish to "registry.agency.create"/,
    );
    // Intake calls the registry's cohort alone; results and awards are not its to ask.
    const intake = await login('intake');
    for (const subject of [Rpc.AgencyCreate, Rpc.ResultsPublish, Rpc.AwardsAnnounce])
      await expect(intake.request(subject, '{}', { timeout: 2_000 })).rejects.toThrow(
        /Permissions Violation/,
      );
    // The gateway may call them all.
    expect(
      (await (await login('gateway')).request(Rpc.AgencyCreate, '{}', { timeout: 2_000 })).string(),
    ).toBe('{"ok":true}');
  });

  it('lets no service delete or purge a stream, its own included; the operators can', async () => {
    const registry = await jetstreamManager(await login('registry'));
    await expect(registry.streams.delete(Streams.REGISTRY)).rejects.toThrow(/Permissions Violation/);
    await expect(registry.streams.purge(Streams.REGISTRY)).rejects.toThrow(/Permissions Violation/);
    const gateway = await jetstreamManager(await login('gateway'));
    await expect(gateway.streams.delete(Streams.REGISTRY)).rejects.toThrow(/Permissions Violation/);
    const admin = await jetstreamManager(await login('admin'));
    expect(await admin.streams.delete(Streams.REGISTRY)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The nats-tls component's tls.conf, with certificates of a throwaway CA where it reads them

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!openssl)
  console.warn('openssl is not on PATH: the nats-tls component is NOT started with certificates here.');
const describeTls = natsServer && openssl ? describe : describe.skip;

describeTls("the nats-tls component's tls.conf, on a running nats-server", () => {
  const node = new SingleNode();
  const pki = mkdtempSync(join(tmpdir(), 'dg-nats-pki-'));

  beforeAll(async () => {
    // What cert-manager puts in the Secret nats-server-tls: tls.crt, tls.key and ca.crt.
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
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
      '/CN=dg-internal-ca',
    ]);
    writeFileSync(join(pki, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    run(['req', ...key, '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=nats.nats.svc.cluster.local']);
    run(
      [
        'x509',
        '-req',
        '-in',
        'tls.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
      ].concat(['-out', 'tls.crt', '-extfile', 'san.ext']),
    );
    const tlsConf = readFileSync(join(ROOT, 'k8s/components/nats-tls/tls.conf'), 'utf8');
    if (!tlsConf.includes('/etc/nats-tls/'))
      throw new Error('tls.conf no longer reads /etc/nats-tls/: update this test');
    await node.start(tlsConf.replaceAll('/etc/nats-tls/', `${pki}/`));
  }, 20_000);
  afterAll(async () => {
    await node.stop();
    rmSync(pki, { recursive: true, force: true });
  });

  it('serves TLS to a client that trusts the CA (NATS_TLS_CA_FILE), and refuses a plain connection', async () => {
    const nc = await node.login('registry', { tls: { caFile: join(pki, 'ca.crt') } });
    await nc.flush();
    expect(nc.info?.tls_required).toBe(true);
    await nc.close();
    await expect(node.login('registry', { tls: null })).rejects.toThrow();
  });
});
