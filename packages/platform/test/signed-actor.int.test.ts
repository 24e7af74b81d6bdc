import { Controller, type INestApplication } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { type Actor, Headers, Rpc, SYSTEM_ACTOR } from '@dg/contracts';
import {
  ActorSigner,
  BaseEnv,
  ConfigError,
  currentContext,
  generateActorKeys,
  loadConfig,
  Nats,
  natsOptionsOf,
  PlatformModule,
  ServiceClient,
  startService,
} from '../src';
import { deleteNatsPrefix, NATS_TEST_URL, TEST_ACTOR_KEYS, testPrefix } from '../src/testing';

const admin: Actor = { id: 'u-admin', roles: ['dga_admin'] };

/** A registry stand-in: one subject services call (ministry list), one only the gateway calls. */
@Controller()
class Registry {
  static seen: Actor[] = [];

  @MessagePattern(Rpc.MinistryList)
  list() {
    Registry.seen.push(currentContext()!.actor);
    return { items: [{ id: 'MDES', nameTh: 'กระทรวงดิจิทัล', nameEn: 'MDES' }] };
  }

  @MessagePattern(Rpc.AgencyCreate)
  create() {
    Registry.seen.push(currentContext()!.actor);
    return {};
  }
}

/**
 * Signed actors (ADR 0017), on the real NATS server: an RPC server takes a person's actor only from
 * the gateway's assertion, bound to the subject, the request and a minute; a service's unsigned
 * system actor only on subjects services call. Everything else answers ACTOR_UNVERIFIED (401).
 */
describe('signed actors on RPC (ADR 0017)', () => {
  const prefix = testPrefix('actor');
  const apps: INestApplication[] = [];
  let nc: NatsConnection;
  const signer = new ActorSigner(TEST_ACTOR_KEYS.signingKey);

  async function service(name: string, actorKeys: { verifyKey?: string; signingKey?: string }, serve = false) {
    const app = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({
          service: name,
          logLevel: 'silent',
          nats: { url: NATS_TEST_URL, prefix, actorKeys },
          outbox: false,
        }),
      ],
      controllers: serve ? [Registry] : [],
    })
      .compile()
      .then((ref) => ref.createNestApplication(new FastifyAdapter(), { logger: false }));
    try {
      await startService(app);
    } catch (e) {
      await app.get(Nats).onApplicationShutdown(); // a refused boot: its connection closes, as at exit
      throw e;
    }
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    await service('registry', { verifyKey: TEST_ACTOR_KEYS.verifyKey }, true);
    nc = await connect({ servers: NATS_TEST_URL });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await nc?.close();
    await deleteNatsPrefix(prefix);
  });

  beforeEach(() => (Registry.seen = []));

  /** A raw request in Nest's packet, with the headers given: what any client on the bus can send. */
  async function raw(subject: string, data: unknown, h: Record<string, string>) {
    const hdrs = natsHeaders();
    for (const [k, v] of Object.entries(h)) hdrs.set(k, v);
    const reply = await nc.request(`${prefix}.${subject}`, JSON.stringify({ pattern: subject, data, id: '1' }), {
      headers: hdrs,
      timeout: 5_000,
    });
    return reply.json<{ response?: unknown; err?: { code: string; detail?: string } }>();
  }

  const asserted = (subject: string, data: unknown, actor: Actor, now?: number) => ({
    [Headers.Actor]: JSON.stringify(actor),
    [Headers.ActorAssertion]: signer.sign(subject, data, actor, 'c-1', now),
  });

  it("serves the gateway's signed actor: the handler sees the actor of the assertion", async () => {
    const gateway = await service('gateway', TEST_ACTOR_KEYS);
    const reply = await gateway.get(ServiceClient).call(Rpc.MinistryList, {}, { correlationId: 'c', actor: admin });
    expect(reply.items[0].id).toBe('MDES');
    await expect(
      gateway.get(ServiceClient).call(Rpc.AgencyCreate, {} as never, { correlationId: 'c', actor: admin }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' }); // verified, then checked against its schema
    expect(Registry.seen).toEqual([admin]);
  });

  it('refuses a person actor without an assertion (what any service could send before)', async () => {
    const reply = await raw(Rpc.MinistryList, {}, { [Headers.Actor]: JSON.stringify(admin) });
    expect(reply.err).toMatchObject({ code: 'ACTOR_UNVERIFIED' });
    expect(reply.err?.detail).toMatch(/signature/);
    expect(Registry.seen).toEqual([]);
  });

  it('refuses a missing actor with UNAUTHENTICATED', async () => {
    expect((await raw(Rpc.MinistryList, {}, {})).err).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a forged, tampered, expired or replayed assertion', async () => {
    const forger = new ActorSigner(generateActorKeys().signingKey);
    const forged = {
      [Headers.Actor]: JSON.stringify(admin),
      [Headers.ActorAssertion]: forger.sign(Rpc.MinistryList, {}, admin, 'c'),
    };
    const coordinator: Actor = { id: 'u-c', roles: ['coordinator'], agencyId: '00000000-0000-4000-8000-000000000001' };
    // Tampered: a coordinator's assertion with the actor inside changed to an admin, signature kept.
    const [body, signature] = signer.sign(Rpc.MinistryList, {}, coordinator, 'c').split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, act: admin })).toString('base64url')}.${signature}`;
    const cases: [string, Record<string, string>, unknown, RegExp][] = [
      ['forged', forged, {}, /bad signature/],
      ['tampered', { [Headers.ActorAssertion]: tampered }, {}, /bad signature/],
      ['garbage', { [Headers.ActorAssertion]: 'not-a-token' }, {}, /malformed/],
      ['expired', asserted(Rpc.MinistryList, {}, admin, Date.now() - 120_000), {}, /expired/],
      ['another subject', asserted(Rpc.ProvinceList, {}, admin), {}, /another subject/],
      ['another request', asserted(Rpc.MinistryList, {}, admin), { extra: 1 }, /another request/],
    ];
    for (const [what, h, data, detail] of cases) {
      const reply = await raw(Rpc.MinistryList, data, h);
      expect({ what, code: reply.err?.code }).toEqual({ what, code: 'ACTOR_UNVERIFIED' });
      expect(reply.err?.detail).toMatch(detail);
    }
    expect(Registry.seen).toEqual([]);
  });

  it("takes a service's unsigned system actor only on subjects services call (ServiceRpcCalls)", async () => {
    const scoring = await service('scoring', { verifyKey: TEST_ACTOR_KEYS.verifyKey });
    const ctx = { correlationId: 'c', actor: SYSTEM_ACTOR };
    await expect(scoring.get(ServiceClient).call(Rpc.MinistryList, {}, ctx)).resolves.toMatchObject({
      items: [{ id: 'MDES' }],
    });
    // Unsigned, the actor is the system actor and nothing more: a person's id or roles beside it are dropped.
    const padded = { id: 'u-1', roles: ['system', 'dga_admin'], agencyId: '11111111-1111-4111-8111-111111111111' };
    await raw(Rpc.MinistryList, {}, { [Headers.Actor]: JSON.stringify(padded) });
    // registry.agency.create is the gateway's alone: a service may not create agencies as the system.
    const reply = await raw(Rpc.AgencyCreate, {}, { [Headers.Actor]: JSON.stringify(SYSTEM_ACTOR) });
    expect(reply.err).toMatchObject({ code: 'ACTOR_UNVERIFIED' });
    expect(reply.err?.detail).toMatch(/called by the gateway alone/);
    // A service's client without the signing key will not send a person's actor at all.
    await expect(
      scoring.get(ServiceClient).call(Rpc.MinistryList, {}, { correlationId: 'c', actor: admin }),
    ).rejects.toMatchObject({ code: 'ACTOR_UNVERIFIED' });
    expect(Registry.seen).toEqual([SYSTEM_ACTOR, SYSTEM_ACTOR]);
  });

  it('refuses to serve RPC without the public key', async () => {
    await expect(service('intake', {}, true)).rejects.toThrow(/ACTOR_VERIFY_KEY/);
  });
});

describe('actor keys in the configuration', () => {
  const keys = generateActorKeys();
  const options = (env: Record<string, string>, signsActors = false) =>
    natsOptionsOf(loadConfig(BaseEnv, env), { signsActors });

  it('refuses to boot in production without the public key, or the gateway without its private key', () => {
    expect(() => options({ NODE_ENV: 'production' })).toThrow(/ACTOR_VERIFY_KEY: required in production/);
    expect(() => options({ NODE_ENV: 'production', ACTOR_VERIFY_KEY: keys.verifyKey }, true)).toThrow(
      /ACTOR_SIGNING_KEY: required in production/,
    );
    expect(
      options({ NODE_ENV: 'production', ACTOR_VERIFY_KEY: keys.verifyKey, ACTOR_SIGNING_KEY: keys.signingKey }, true)
        .actorKeys,
    ).toEqual(keys);
  });

  it('refuses a key that is not Ed25519, and a pair that does not match', () => {
    expect(() => options({ ACTOR_VERIFY_KEY: 'c2VjcmV0' })).toThrow(ConfigError);
    expect(() => options({ ACTOR_VERIFY_KEY: 'c2VjcmV0' })).toThrow(/ACTOR_VERIFY_KEY: not an Ed25519 public key/);
    expect(() =>
      options({ ACTOR_VERIFY_KEY: generateActorKeys().verifyKey, ACTOR_SIGNING_KEY: keys.signingKey }),
    ).toThrow(/not a pair/);
  });
});
