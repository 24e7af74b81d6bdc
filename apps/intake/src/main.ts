import { run, serviceMain } from '@dg/platform';
import { IntakeModule } from './app.module';
import { intakeConfig } from './config';

/** Intake serves NATS RPCs and publishes its events; HTTP carries health and metrics only. */
run(async () => {
  const config = intakeConfig();
  await serviceMain({
    service: 'intake',
    module: IntakeModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
