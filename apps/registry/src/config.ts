import { z } from 'zod';
import { BaseEnv, loadConfig } from '@dg/platform';

const RegistryEnv = BaseEnv.extend({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/registry'),
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3101),
});
export type RegistryConfig = z.output<typeof RegistryEnv>;

/** The registry's settings, read once from the environment; nothing else reads process.env. */
export function registryConfig(env: Record<string, string | undefined> = process.env): RegistryConfig {
  return loadConfig(RegistryEnv, env);
}
