import { ConfigError } from '@dg/platform';
import { loadGatewayConfig } from './config';
import { migrateGatewayDatabase } from './database';

/** `node dist/migrate.js`: applies pending migrations to the gateway database and exits (release step). */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const applied = await migrateGatewayDatabase(config.databaseUrl);
  console.log(JSON.stringify({ service: 'gateway', msg: 'migrations applied', applied }));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
