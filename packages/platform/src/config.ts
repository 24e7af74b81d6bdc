import { z } from 'zod';
import { ActorSigner, ActorVerifier } from './actor-assertion';
import type { NatsOptions } from './nats';
import { productionSecretProblems } from './secrets';

/** An optional setting where an empty value (`NATS_USER=`) means unset, as an absent one does. */
const optionalText = z
  .string()
  .optional()
  .transform((v) => v || undefined);

/** Settings every service has. Each service extends this in its own `config.ts`. */
export const BaseEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  /**
   * Connections of the service's pool. Every replica takes up to this many of PostgreSQL's
   * `max_connections` (100 by default, shared with the other services): size them together.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Prefix of every subject and stream name; tests use a unique one per file so runs never collide. */
  NATS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]*$/, 'lower-case letters, digits and _')
    .default(''),
  /**
   * Replicas of the JetStream streams a service creates: 1 on a single server (development, tests),
   * 3 on a 3-node NATS cluster (k8s/infra/nats), so a stream survives the loss of a node.
   */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /**
   * The service's NATS user and password (production: k8s/infra/nats/nats.conf, one user per
   * service with its own permissions; ADR 0012). Unset: no credentials, as development and the
   * tests run NATS.
   */
  NATS_USER: optionalText,
  NATS_PASSWORD: optionalText,
  /**
   * TLS to NATS: the CA that signed the server's certificate (on: the connection is refused
   * unless it is TLS), and a client certificate and key if the server asks for one.
   */
  NATS_TLS_CA_FILE: optionalText,
  NATS_TLS_CERT_FILE: optionalText,
  NATS_TLS_KEY_FILE: optionalText,
  /**
   * The gateway's Ed25519 public key (SPKI, PEM or base64 DER): every RPC server verifies the
   * actor of a request with it (ADR 0017). Required in production; tests and `npm start` make a
   * key pair of their own.
   */
  ACTOR_VERIFY_KEY: optionalText,
  /** The gateway's private key (PKCS#8, PEM or base64 DER): signs the actor of every RPC it sends. */
  ACTOR_SIGNING_KEY: optionalText,
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  /** Development only: migrate in the serving process (production runs the migration Job). */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export class ConfigError extends Error {}

/**
 * Parses the environment once at boot and fails fast with every problem named, so a wrong
 * deployment stops with a clear message instead of misbehaving later.
 */
export function loadConfig<T extends z.ZodObject>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.output<T> {
  const result = schema.safeParse(env);
  const lines = result.success
    ? []
    : result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
  // Production refuses committed, short and placeholder secrets of every variable the service
  // reads (its schema's keys), whatever the service: one rule, here.
  if (env.NODE_ENV === 'production') {
    const read = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, env[name]]));
    lines.push(...productionSecretProblems(read).map((p) => `  - ${p}`));
  }
  if (!result.success || lines.length) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  return result.data;
}

/** The NATS settings of a parsed {@link BaseEnv}. */
type NatsEnv = Pick<
  z.output<typeof BaseEnv>,
  | 'NATS_URL'
  | 'ACTOR_VERIFY_KEY'
  | 'ACTOR_SIGNING_KEY'
  | 'NATS_PREFIX'
  | 'NATS_STREAM_REPLICAS'
  | 'NATS_USER'
  | 'NATS_PASSWORD'
  | 'NATS_TLS_CA_FILE'
  | 'NATS_TLS_CERT_FILE'
  | 'NATS_TLS_KEY_FILE'
>;

/**
 * The `nats` options of PlatformModule from the environment, the same in every service. Settings
 * that only make sense together are checked here, at boot: a user without a password (or a
 * certificate without its key) fails with a ConfigError instead of an obscure refusal later.
 */
export function natsOptionsOf(
  env: NatsEnv & { NODE_ENV?: string },
  { signsActors = false }: { signsActors?: boolean } = {},
): Omit<NatsOptions, 'service'> {
  const problems = actorKeyProblems(env, signsActors);
  if (!!env.NATS_USER !== !!env.NATS_PASSWORD)
    problems.push('  - NATS_USER, NATS_PASSWORD: set both or neither');
  if (!!env.NATS_TLS_CERT_FILE !== !!env.NATS_TLS_KEY_FILE)
    problems.push('  - NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE: set both or neither');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const tls = {
    ...(env.NATS_TLS_CA_FILE ? { caFile: env.NATS_TLS_CA_FILE } : {}),
    ...(env.NATS_TLS_CERT_FILE ? { certFile: env.NATS_TLS_CERT_FILE, keyFile: env.NATS_TLS_KEY_FILE } : {}),
  };
  return {
    url: env.NATS_URL,
    prefix: env.NATS_PREFIX,
    streamReplicas: env.NATS_STREAM_REPLICAS,
    ...(env.NATS_USER ? { user: env.NATS_USER, password: env.NATS_PASSWORD } : {}),
    ...(Object.keys(tls).length ? { tls } : {}),
    ...(env.ACTOR_VERIFY_KEY || env.ACTOR_SIGNING_KEY
      ? {
          actorKeys: {
            ...(env.ACTOR_VERIFY_KEY ? { verifyKey: env.ACTOR_VERIFY_KEY } : {}),
            ...(env.ACTOR_SIGNING_KEY ? { signingKey: env.ACTOR_SIGNING_KEY } : {}),
          },
        }
      : {}),
  };
}

/**
 * The actor keys (ADR 0017), checked at boot: each must be an Ed25519 key, the pair must match,
 * and production must have the public key everywhere and the private key where actors are signed
 * (the gateway). Without them every RPC would be refused, or worse, trusted.
 */
function actorKeyProblems(env: NatsEnv & { NODE_ENV?: string }, signsActors: boolean): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  let verifier: ActorVerifier | undefined;
  let signer: ActorSigner | undefined;
  if (env.ACTOR_VERIFY_KEY) {
    try {
      verifier = new ActorVerifier(env.ACTOR_VERIFY_KEY);
    } catch {
      problems.push('  - ACTOR_VERIFY_KEY: not an Ed25519 public key (SPKI, PEM or base64 DER)');
    }
  } else if (production) problems.push("  - ACTOR_VERIFY_KEY: required in production (the gateway's public key)");
  if (env.ACTOR_SIGNING_KEY) {
    try {
      signer = new ActorSigner(env.ACTOR_SIGNING_KEY);
    } catch {
      problems.push('  - ACTOR_SIGNING_KEY: not an Ed25519 private key (PKCS#8, PEM or base64 DER)');
    }
  } else if (production && signsActors)
    problems.push('  - ACTOR_SIGNING_KEY: required in production (the key the gateway signs actors with)');
  if (signer && verifier) {
    const probe = { id: 'key-check', roles: ['dga_admin' as const] };
    try {
      verifier.actorOf('key.check', {}, signer.sign('key.check', {}, probe, 'key-check'), undefined);
    } catch {
      problems.push('  - ACTOR_SIGNING_KEY, ACTOR_VERIFY_KEY: not a pair (the public key does not match)');
    }
  }
  return problems;
}
