import { dataSourceOptions, migrateMain, natsOptionsOf, run, setUpEventConsumers } from '@dg/platform';
import { notificationsEntities } from './app.module';
import { notificationsConfig } from './config';
import { notificationsMigrations } from './migrations';

/**
 * Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). With a
 * NATS login (k8s: NATS_USER=notifications_setup) it also creates or updates the service's durable
 * consumers of INTAKE, SCORING, AWARDS and REGISTRY (EventConsumers in the contracts), waiting for
 * a stream whose owner's Job has not made it yet; the service's own NATS user may only read them
 * (ADR 0018). Without one (development, compose: anonymous NATS) the service makes them at start.
 */
run(async () => {
  const config = notificationsConfig();
  const url = config.DATABASE_URL;
  await migrateMain('notifications', {
    ...dataSourceOptions({
      url,
      entities: notificationsEntities,
      migrations: notificationsMigrations,
      poolSize: 2,
    }),
    url,
  } as Parameters<typeof migrateMain>[1]);
  const nats = natsOptionsOf(config);
  if (nats.user) await setUpEventConsumers({ ...nats, service: nats.user }, 'notifications');
});
