import { Inject } from '@nestjs/common';
import { z } from 'zod';
import { BaseEnv, ConfigError, loadConfig } from '@dg/platform';

/** Development-only fallbacks. Refused when NODE_ENV=production, so they can never reach a real deployment. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';
export const DEV_ADMIN_PASSWORD = 'admin-2565';

const MiB = 1024 * 1024;

/** `8h`, `30m`, `3600s`, `1d` or plain seconds, turned into seconds. */
export function ttlSeconds(value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new ConfigError(`Invalid duration "${value}": use e.g. 3600, 30m, 8h, 1d`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export const GatewayEnv = BaseEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/gateway'),
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  JWT_TTL: z
    .string()
    .regex(/^\d+\s*(s|m|h|d)?$/, 'a duration such as 3600, 30m, 8h or 1d')
    .default('8h'),
  ADMIN_EMAIL: z.string().trim().toLowerCase().email().default('admin@dga.or.th'),
  ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').optional(),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(512 * MiB)
    .default(20 * MiB),
  /** Login attempts per minute for one client address and e-mail, before 429 RATE_LIMITED. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** bcrypt work factor; lower it only in tests. */
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
}).superRefine((env, ctx) => {
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
  databaseUrl: string;
  nats: { url: string; prefix: string };
  jwt: { secret: string; ttl: string; ttlSeconds: number };
  admin: { email: string; password: string };
  importMaxBytes: number;
  bcryptCost: number;
  loginRateLimit: number;
  migrateOnStart: boolean;
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
    databaseUrl: e.DATABASE_URL,
    nats: { url: e.NATS_URL, prefix: e.NATS_PREFIX },
    jwt: { secret: e.JWT_SECRET ?? DEV_JWT_SECRET, ttl: e.JWT_TTL, ttlSeconds: ttlSeconds(e.JWT_TTL) },
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD ?? DEV_ADMIN_PASSWORD },
    importMaxBytes: e.IMPORT_MAX_BYTES,
    bcryptCost: e.BCRYPT_COST,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    migrateOnStart: e.MIGRATE_ON_START,
  };
}

/** Injection token of the loaded {@link GatewayConfig}. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const InjectConfig = () => Inject(GATEWAY_CONFIG);
