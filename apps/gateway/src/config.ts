import { Inject } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { allQueues } from '@dg/contracts';
import { BaseEnv, ConfigError, loadConfig, natsOptionsOf, type NatsOptions } from '@dg/platform';

/** Development-only fallbacks. Refused when NODE_ENV=production, so they can never reach a real deployment. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';
export const DEV_ADMIN_PASSWORD = 'admin-2565';

const MiB = 1024 * 1024;

/**
 * The queues the dashboard at /admin/queues shows by default, as `<BullMQ prefix>/<queue name>`:
 * every queue of the contracts (`allQueues`) under its service's default BULL_PREFIX, `dg:<service>`.
 * A deployment that changes a service's BULL_PREFIX sets BULL_BOARD_QUEUES to match.
 */
export const DEFAULT_BOARD_QUEUES = allQueues.map((q) => `dg:${q.service}/${q.name}`).join(',');

/** One queue of the dashboard: BullMQ keys live under `<prefix>:<name>:*`. */
export interface BoardQueue {
  prefix: string;
  name: string;
}

/**
 * Reads `BULL_BOARD_QUEUES`: comma-separated `<prefix>/<name>` (split at the last `/`). Names must
 * be unique, since the dashboard finds a queue by its name alone.
 */
export function parseBoardQueues(value: string): { queues: BoardQueue[]; problems: string[] } {
  const queues: BoardQueue[] = [];
  const problems: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const slash = entry.lastIndexOf('/');
    const prefix = entry.slice(0, Math.max(slash, 0));
    const name = entry.slice(slash + 1);
    if (slash < 1 || !/^\S+$/.test(prefix) || !/^[^\s:/]+$/.test(name)) {
      problems.push(`"${entry}" is not <prefix>/<queue name> (no spaces; no ":" in the name)`);
    } else if (queues.some((q) => q.name === name)) {
      problems.push(`queue name "${name}" is listed twice`);
    } else {
      queues.push({ prefix, name });
    }
  }
  return { queues, problems };
}

/** `8h`, `30m`, `3600s`, `1d` or plain seconds, turned into seconds. */
export function ttlSeconds(value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new ConfigError(`Invalid duration "${value}": use e.g. 3600, 30m, 8h, 1d`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * Where the built portal is when WEB_DIR is unset: the repository's `apps/web/dist`, found from
 * this file (`apps/gateway/dist` when built, `apps/gateway/src` under ts-jest); the image keeps the
 * same layout under /app.
 */
export const DEFAULT_WEB_DIR = resolve(__dirname, '../../web/dist');

/** The portal the gateway serves at `/`: its directory, or null, and why (logged once at boot). */
export interface PortalConfig {
  dir: string | null;
  reason: string;
}

/**
 * Reads WEB_DIR: unset, the default directory if it holds an index.html (a checkout where the
 * portal was never built serves the API alone); empty or `off`, no portal; a path, that directory,
 * which must hold an index.html (a deployment that names a portal and lacks it is a mistake).
 */
export function portalOf(value: string | undefined): PortalConfig | string {
  if (value === undefined) {
    return existsSync(join(DEFAULT_WEB_DIR, 'index.html'))
      ? { dir: DEFAULT_WEB_DIR, reason: `WEB_DIR unset: the built portal at ${DEFAULT_WEB_DIR}` }
      : { dir: null, reason: `WEB_DIR unset and no index.html in ${DEFAULT_WEB_DIR} (build apps/web to serve it)` };
  }
  const v = value.trim();
  if (v === '' || v === 'off') return { dir: null, reason: 'WEB_DIR is off' };
  const dir = resolve(v);
  if (!existsSync(join(dir, 'index.html'))) return `no index.html in ${dir} (the built portal, apps/web/dist)`;
  return { dir, reason: `WEB_DIR=${dir}` };
}

const Duration = z.string().regex(/^\d+\s*(s|m|h|d)?$/, 'a duration such as 3600, 30m, 8h or 1d');

/** Fastify's `trustProxy`: false (trust nothing), a hop count, or the proxies' addresses/CIDRs. */
export type TrustProxy = false | number | string[];

/** Reads TRUST_PROXY; answers the problem as a string when it is not valid. */
export function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const names = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const bad = entries.filter((e) => {
    if (names.has(e)) return false;
    const [address, bits, extra] = e.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  if (v === 'true') return 'true would trust anyone to set X-Forwarded-For: name the proxies or a hop count';
  if (bad.length) return `not an address, CIDR or hop count: ${bad.join(', ')}`;
  return entries;
}

export const GatewayEnv = BaseEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** /metrics, on a port of its own that the Ingress does not publish (0: any free port, tests). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/gateway'),
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Lifetime of an access token; short, since the refresh token renews it (ADR 0016). */
  JWT_TTL: Duration.default('15m'),
  /** How long a session lasts from login: its refresh tokens work until then, then one logs in again. */
  SESSION_TTL: Duration.default('12h'),
  /** A session nobody refreshed for this long ends (a screen left open at lunch, a lost laptop). */
  SESSION_IDLE: Duration.default('2h'),
  /**
   * Which proxies may tell the client's address (X-Forwarded-For): a hop count (`1`: the Ingress)
   * or comma-separated addresses/CIDRs. Unset: none, the client address is the TCP peer.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value ?? '');
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      return typeof parsed === 'string' ? false : parsed;
    }),
  ADMIN_EMAIL: z.string().trim().toLowerCase().email().default('admin@dga.or.th'),
  ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').optional(),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(512 * MiB)
    .default(20 * MiB),
  /** Login attempts (and other password checks) per minute from one client address, before 429 RATE_LIMITED. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Attempts on one e-mail without a success before each further one must wait (doubling, up to LOGIN_MAX_DELAY). */
  LOGIN_FREE_ATTEMPTS: z.coerce.number().int().min(1).max(100_000).default(5),
  /** The longest wait between two attempts on one e-mail: a slow-down, never a lockout. */
  LOGIN_MAX_DELAY: Duration.default('60s'),
  /** Redis key prefix of the login counters, shared by every replica of one deployment. */
  LOGIN_THROTTLE_PREFIX: z.string().regex(/^\S+$/, 'no spaces').default('dg:gateway:login'),
  /** bcrypt work factor; lower it only in tests. */
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  /** Redis of the services' BullMQ queues: the queue dashboard and the login counters. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** The queue dashboard at /admin/queues (dga_admin only). */
  BULL_BOARD_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The built portal served at `/` (see portalOf): a directory with index.html; empty or `off`: none. */
  WEB_DIR: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const portal = portalOf(value);
      if (typeof portal === 'string') ctx.addIssue({ code: 'custom', message: portal });
      return typeof portal === 'string' ? { dir: null, reason: portal } : portal;
    }),
  BULL_BOARD_QUEUES: z
    .string()
    .default(DEFAULT_BOARD_QUEUES)
    .transform((value, ctx) => {
      const { queues, problems } = parseBoardQueues(value);
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
      return queues;
    }),
}).superRefine((env, ctx) => {
  if (env.BULL_BOARD_ENABLED && !env.BULL_BOARD_QUEUES.length) {
    ctx.addIssue({ code: 'custom', path: ['BULL_BOARD_QUEUES'], message: 'lists no queue' });
  }
  if (env.NODE_ENV !== 'production') return;
  if (!env.JWT_SECRET || env.JWT_SECRET === DEV_JWT_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_SECRET'],
      message: 'required in production (and not the dev default)',
    });
  }
  if (!env.ADMIN_PASSWORD || env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_PASSWORD'],
      message: 'required in production (and not the dev default)',
    });
  }
  if (env.BCRYPT_COST < 10) {
    ctx.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'at least 10 in production' });
  }
});

export interface GatewayConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  port: number;
  metricsPort: number;
  databaseUrl: string;
  databasePoolSize: number;
  nats: Omit<NatsOptions, 'service'>;
  /**
   * `ttl`: the access token's lifetime; `sessionTtlSeconds`: a session's (and its refresh tokens');
   * `sessionIdleSeconds`: how long a session may go without a refresh.
   */
  jwt: { secret: string; ttl: string; ttlSeconds: number; sessionTtlSeconds: number; sessionIdleSeconds: number };
  /** Who may set the client address (Fastify's trustProxy); false: nobody. */
  trustProxy: TrustProxy;
  admin: { email: string; password: string };
  importMaxBytes: number;
  bcryptCost: number;
  /** Login throttling in Redis (ADR 0016): per client address a minute, and a slow-down per e-mail. */
  loginThrottle: {
    redisUrl: string;
    keyPrefix: string;
    perAddressPerMinute: number;
    freeAttempts: number;
    maxDelaySeconds: number;
  };
  migrateOnStart: boolean;
  /** The BullMQ dashboard at /admin/queues: on or off, the Redis it reads and the queues it shows. */
  queueBoard: { enabled: boolean; redisUrl: string; queues: BoardQueue[] };
  /** The web portal (apps/web's build) served at `/`, or not. */
  portal: PortalConfig;
}

/**
 * The gateway's settings, read once at boot and checked all together (every problem is named in
 * one error). Nothing else in the gateway reads `process.env`.
 */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const e = loadConfig(GatewayEnv, env);
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HTTP_HOST,
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    // With NATS_STREAM_REPLICAS like every service: the gateway may be the first to create the
    // files bucket, which must then have as many copies as the streams.
    nats: natsOptionsOf(e, { signsActors: true }),
    jwt: {
      secret: e.JWT_SECRET ?? DEV_JWT_SECRET,
      ttl: e.JWT_TTL,
      ttlSeconds: ttlSeconds(e.JWT_TTL),
      sessionTtlSeconds: ttlSeconds(e.SESSION_TTL),
      sessionIdleSeconds: ttlSeconds(e.SESSION_IDLE),
    },
    trustProxy: e.TRUST_PROXY,
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD ?? DEV_ADMIN_PASSWORD },
    importMaxBytes: e.IMPORT_MAX_BYTES,
    bcryptCost: e.BCRYPT_COST,
    loginThrottle: {
      redisUrl: e.REDIS_URL,
      keyPrefix: e.LOGIN_THROTTLE_PREFIX,
      perAddressPerMinute: e.LOGIN_RATE_LIMIT,
      freeAttempts: e.LOGIN_FREE_ATTEMPTS,
      maxDelaySeconds: ttlSeconds(e.LOGIN_MAX_DELAY),
    },
    migrateOnStart: e.MIGRATE_ON_START,
    queueBoard: { enabled: e.BULL_BOARD_ENABLED, redisUrl: e.REDIS_URL, queues: e.BULL_BOARD_QUEUES },
    portal: e.WEB_DIR,
  };
}

/** Injection token of the loaded {@link GatewayConfig}. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const InjectConfig = () => Inject(GATEWAY_CONFIG);
