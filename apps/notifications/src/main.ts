import { run, serviceMain } from '@dg/platform';
import { NotificationsModule } from './app.module';
import { notificationsConfig } from './config';

/**
 * Notifications serves NATS RPCs, consumes events, runs its send workers; HTTP carries health and
 * metrics only. ROLE splits it in two (api: RPCs and events; worker: sends and the sweep; ADR 0010).
 */
run(async () => {
  const config = notificationsConfig();
  await serviceMain({
    service: config.ROLE === 'all' ? 'notifications' : `notifications-${config.ROLE}`,
    module: NotificationsModule.forRoot(config),
    databaseUrl: config.DATABASE_URL,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    migrateOnStart: config.MIGRATE_ON_START,
  });
});
