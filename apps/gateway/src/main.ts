import { Logger } from '@nestjs/common';
import { ConfigError, listen, startTransports } from '@dg/platform';
import { AppModule } from './app.module';
import { createGatewayApp } from './bootstrap';
import { loadGatewayConfig } from './config';
import { migrateGatewayDatabase } from './database';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = new Logger('Gateway');
  if (config.migrateOnStart) {
    const applied = await migrateGatewayDatabase(config.databaseUrl);
    logger.log(`migrations applied: ${applied.length ? applied.join(', ') : 'none pending'}`);
  }
  const app = await createGatewayApp(AppModule.forRoot(config), config);
  const url = await listen(app, config.port, config.host);
  // The one RPC the gateway answers: services asking for an agency's users (gateway.user.agency).
  await startTransports(app);
  logger.log(`gateway listening on ${url} (API under /api/v1, docs at /docs)`);
}

main().catch((e: unknown) => {
  // Before the app's logger exists (bad configuration, database down): plain stderr, then exit.
  console.error(e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
