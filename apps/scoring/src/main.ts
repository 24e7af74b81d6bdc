import { run, serviceMain } from '@dg/platform';
import { ScoringModule } from './app.module';
import { scoringConfig } from './config';

/**
 * Scoring serves NATS RPCs, consumes intake's events, runs its BullMQ worker; HTTP carries health and
 * metrics only. ROLE splits it in two (api: RPCs and events; worker: the jobs; ADR 0010).
 */
run(async () => {
  const config = scoringConfig();
  await serviceMain({
    service: config.ROLE === 'all' ? 'scoring' : `scoring-${config.ROLE}`,
    module: ScoringModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
