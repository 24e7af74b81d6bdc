import { Streams } from '@dg/contracts';
import { dataSourceOptions, migrateMain, natsOptionsOf, run, setUpMessaging } from '@dg/platform';
import { registryEntities } from './app.module';
import { registryConfig } from './config';
import { registryMigrations } from './migrations';

/**
 * Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). With a
 * NATS login (k8s: NATS_USER=registry_setup) it also creates or updates the REGISTRY stream and the files
 * bucket, which the service's own NATS user may not (ADR 0012). Without one (development, compose:
 * anonymous NATS) the service does that itself when it starts.
 */
run(async () => {
  const config = registryConfig();
  const url = config.DATABASE_URL;
  await migrateMain('registry', {
    ...dataSourceOptions({ url, entities: registryEntities, migrations: registryMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
  const nats = natsOptionsOf(config);
  if (nats.user) await setUpMessaging({ ...nats, service: nats.user }, [Streams.REGISTRY]);
});
