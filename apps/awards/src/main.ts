import { run, serviceMain } from '@dg/platform';
import { AwardsModule } from './app.module';
import { awardsConfig } from './config';

/**
 * Awards serves NATS RPCs and its certificate worker; HTTP carries health and metrics only. ROLE
 * splits it in two (api: RPCs; worker: the certificate jobs; ADR 0010).
 */
run(async () => {
  const config = awardsConfig();
  await serviceMain({
    service: config.ROLE === 'all' ? 'awards' : `awards-${config.ROLE}`,
    module: AwardsModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
