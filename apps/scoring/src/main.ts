import { run, serviceMain } from '@dg/platform';
import { ScoringModule } from './app.module';
import { scoringConfig } from './config';

/** Scoring serves NATS RPCs, consumes intake's events, runs its BullMQ worker; HTTP carries health and metrics only. */
run(async () => {
  const config = scoringConfig();
  await serviceMain({
    service: 'scoring',
    module: ScoringModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
