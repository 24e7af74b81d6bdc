import { dataSourceOptions, migrateMain, run } from '@dg/platform';
import { notificationsEntities } from './app.module';
import { notificationsConfig } from './config';
import { notificationsMigrations } from './migrations';

/** Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). */
run(async () => {
  const url = notificationsConfig().DATABASE_URL;
  await migrateMain('notifications', {
    ...dataSourceOptions({
      url,
      entities: notificationsEntities,
      migrations: notificationsMigrations,
      poolSize: 2,
    }),
    url,
  } as Parameters<typeof migrateMain>[1]);
});
