import { run, serviceMain } from '@dg/platform';
import { RegistryModule } from './app.module';
import { registryConfig } from './config';

/** The registry serves NATS RPCs and publishes its events; HTTP carries health and metrics only. */
run(async () => {
  const config = registryConfig();
  await serviceMain({
    service: 'registry',
    module: RegistryModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
