import { z } from 'zod';
import { BaseEnv, loadConfig } from '@dg/platform';

const AwardsEnv = BaseEnv.extend({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/awards'),
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3105),
  /**
   * What this process runs (ADR 0010): \`all\` (default: one process does everything, as \`npm start\`
   * and the tests run it), \`api\` (NATS RPC, JetStream consumers, outbox relay, job producers: no
   * BullMQ worker) or \`worker\` (the BullMQ workers only: no RPC, no event consumer).
   */
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  BULL_PREFIX: z.string().min(1).default('dg:awards'),
  CERTIFICATE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  CERTIFICATE_BACKOFF_MS: z.coerce.number().int().min(10).default(2_000),
});
export type AwardsConfig = z.output<typeof AwardsEnv>;

export const AWARDS_CONFIG = Symbol('AWARDS_CONFIG');

/** The awards service's settings, read once; nothing else reads process.env. */
export function awardsConfig(env: Record<string, string | undefined> = process.env): AwardsConfig {
  return loadConfig(AwardsEnv, env);
}
