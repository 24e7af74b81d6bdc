import { Streams } from '@dg/contracts';
import { dataSourceOptions, migrateMain, natsOptionsOf, run, setUpMessaging } from '@dg/platform';
import { intakeEntities } from './app.module';
import { intakeConfig } from './config';
import { intakeMigrations } from './migrations';

/**
 * Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). With a
 * NATS login (k8s: NATS_USER=intake_setup) it also creates or updates the INTAKE stream and the files
 * bucket, which the service's own NATS user may not (ADR 0012). Without one (development, compose:
 * anonymous NATS) the service does that itself when it starts.
 */
run(async () => {
  const config = intakeConfig();
  const url = config.DATABASE_URL;
  await migrateMain('intake', {
    ...dataSourceOptions({ url, entities: intakeEntities, migrations: intakeMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
  const nats = natsOptionsOf(config);
  if (nats.user) await setUpMessaging({ ...nats, service: nats.user }, [Streams.INTAKE]);
});
