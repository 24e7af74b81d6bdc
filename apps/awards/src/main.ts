import { run, serviceMain } from '@dg/platform';
import { AwardsModule } from './app.module';
import { awardsConfig } from './config';

/** Awards serves NATS RPCs and its certificate worker; HTTP carries health and metrics only. */
run(async () => {
  const config = awardsConfig();
  await serviceMain({
    service: 'awards',
    module: AwardsModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
