import { z } from 'zod';
import { BaseEnv, loadConfig } from '@dg/platform';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const ScoringEnv = BaseEnv.extend({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/scoring'),
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3103),
  /**
   * What this process runs (ADR 0010): \`all\` (default: one process does everything, as \`npm start\`
   * and the tests run it), \`api\` (NATS RPC, JetStream consumers, outbox relay, job producers: no
   * BullMQ worker) or \`worker\` (the BullMQ workers only: no RPC, no event consumer).
   */
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** BullMQ keys live under this Redis prefix, so services (and test runs) never share queues. */
  BULL_PREFIX: z.string().min(1).default('dg:scoring'),
  /** Scoring jobs one replica runs at once. */
  SCORING_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Attempts of a scoring job before it is left failed (and listed in the failures). */
  SCORING_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay; each next one doubles. */
  SCORING_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
  /** Responses per rescore child job (one transaction each). */
  RESCORE_BATCH: z.coerce.number().int().min(1).max(5_000).default(250),
  /** How often the sweep looks for score requests whose job Redis lost (a BullMQ job scheduler). */
  SWEEP_MS: z.coerce.number().int().min(100).default(300_000),
  /** A request not done this long after it was made is checked against Redis (and re-queued if its job is gone). */
  SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(600_000),
  /** Whether an agency sees its own scorecard before the results are published (operators always do). */
  SCORECARD_BEFORE_PUBLISH: flag.default(false),
});
export type ScoringConfig = z.output<typeof ScoringEnv>;

export const SCORING_CONFIG = Symbol('SCORING_CONFIG');

/** The scoring service's settings, read once; nothing else reads process.env. */
export function scoringConfig(env: Record<string, string | undefined> = process.env): ScoringConfig {
  return loadConfig(ScoringEnv, env);
}
