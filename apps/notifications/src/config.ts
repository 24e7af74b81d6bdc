import { z } from 'zod';
import { BaseEnv, ConfigError, loadConfig } from '@dg/platform';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const NotificationsEnv = BaseEnv.extend({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/notifications'),
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3104),
  /**
   * What this process runs (ADR 0010): \`all\` (default: one process does everything, as \`npm start\`
   * and the tests run it), \`api\` (NATS RPC, JetStream consumers, outbox relay, job producers: no
   * BullMQ worker) or \`worker\` (the BullMQ workers only: no RPC, no event consumer).
   */
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  BULL_PREFIX: z.string().min(1).default('dg:notifications'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: flag.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  MAIL_FROM: z.string().default('DGA Digital Government Survey <no-reply@dga.or.th>'),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().default('development'),
  LINE_API_BASE_URL: z.string().url().default('https://api.line.me'),
  /**
   * The public portal's base URL: every link in a message is one of its addresses (docs/API.md,
   * "Portal addresses"), never a path on the API's host. Production: https.
   */
  PORTAL_URL: z.string().url().default('http://localhost:3000'),
  /** Per-channel send rates (BullMQ limiter, shared by every replica). */
  EMAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  LINE_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  SEND_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  /** First retry delay; doubles each time (12 attempts from 5 s span about 3 hours). */
  SEND_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
  /** Days before a cycle's deadline when reminders go out by themselves. */
  REMINDER_OFFSETS_DAYS: z
    .string()
    .default('14,7,1')
    .transform((v, ctx) => {
      const days = v.split(',').map((d) => Number(d.trim()));
      if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 365)) {
        ctx.addIssue({ code: 'custom', message: 'comma-separated whole days, e.g. 14,7,1' });
        return z.NEVER;
      }
      return [...new Set(days)].sort((a, b) => b - a);
    }),
  /** How often due reminders and stranded deliveries are looked for. */
  SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
});
export type NotificationsConfig = z.output<typeof NotificationsEnv>;

export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');

/** The notifications service's settings, read once; nothing else reads process.env. */
export function notificationsConfig(
  env: Record<string, string | undefined> = process.env,
): NotificationsConfig {
  const config = loadConfig(NotificationsEnv, env);
  if (config.NODE_ENV === 'production' && !config.PORTAL_URL.startsWith('https://'))
    throw new ConfigError(
      'Invalid configuration:\n  - PORTAL_URL: the public portal address, https:// in production (links in messages)',
    );
  return config;
}
