import { z } from 'zod';

/** Settings every service has. Each service extends this in its own `config.ts`. */
export const BaseEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
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
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
