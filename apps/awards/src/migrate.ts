import { Streams } from '@dg/contracts';
import { dataSourceOptions, migrateMain, natsOptionsOf, run, setUpMessaging } from '@dg/platform';
import { awardsEntities } from './app.module';
import { awardsConfig } from './config';
import { awardsMigrations } from './migrations';

/**
 * Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). With a
 * NATS login (k8s: NATS_USER=awards_setup) it also creates or updates the AWARDS stream and the files
 * bucket, which the service's own NATS user may not (ADR 0012). Without one (development, compose:
 * anonymous NATS) the service does that itself when it starts.
 */
run(async () => {
  const config = awardsConfig();
  const url = config.DATABASE_URL;
  await migrateMain('awards', {
    ...dataSourceOptions({ url, entities: awardsEntities, migrations: awardsMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
  const nats = natsOptionsOf(config);
  if (nats.user) await setUpMessaging({ ...nats, service: nats.user }, [Streams.AWARDS]);
});
