import { z } from 'zod';
import { BaseEnv, loadConfig } from '@dg/platform';
import { EVIDENCE_LIMITS } from '@dg/survey-model';

const IntakeEnv = BaseEnv.extend({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/intake'),
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3102),
  /** Where evidence files are kept by the local storage (a volume in production, or S3 later). */
  EVIDENCE_DIR: z.string().default('.data/evidence'),
  /** One file; the default is survey-model's, which the portal checks a file against before sending it. */
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1).default(EVIDENCE_LIMITS.maxFileBytes),
  /** Total evidence one agency may keep in one cycle. */
  EVIDENCE_QUOTA_BYTES: z.coerce.number().int().min(1).default(EVIDENCE_LIMITS.quotaBytes),
  /** Days an agency gets to correct a returned response when the operator gives no date. */
  CORRECTION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
});
export type IntakeConfig = z.output<typeof IntakeEnv>;

export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');

/** The intake service's settings, read once; nothing else reads process.env. */
export function intakeConfig(env: Record<string, string | undefined> = process.env): IntakeConfig {
  return loadConfig(IntakeEnv, env);
}
