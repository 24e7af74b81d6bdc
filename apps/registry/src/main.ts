import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createHttpApp, ensureDatabase, listen, runMigrations } from '@dg/platform';
import { RegistryModule } from './app.module';
import { registryConfig } from './config';

/**
 * The registry serves NATS RPCs and publishes its events; its HTTP port only carries
 * /health/live, /health/ready and /metrics.
 */
async function main(): Promise<void> {
  const config = registryConfig();
  if (config.MIGRATE_ON_START) await ensureDatabase(config.DATABASE_URL);
  const app = await createHttpApp(RegistryModule.forRoot(config));
  if (config.MIGRATE_ON_START) await runMigrations(app.get(DataSource));
  const url = await listen(app, config.HTTP_PORT, config.HTTP_HOST);
  app.get(DataSource); // fail early if the database is unreachable
  console.log(JSON.stringify({ level: 30, service: 'registry', msg: `registry ready; health and metrics at ${url}` }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
