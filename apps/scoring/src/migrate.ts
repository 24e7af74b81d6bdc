import { Streams } from '@dg/contracts';
import { dataSourceOptions, migrateMain, natsOptionsOf, run, setUpMessaging } from '@dg/platform';
import { scoringEntities } from './app.module';
import { scoringConfig } from './config';
import { scoringMigrations } from './migrations';

/**
 * Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). With a
 * NATS login (k8s: NATS_USER=scoring_setup) it also creates or updates the SCORING stream, the files
 * bucket and its durable consumer of INTAKE (waiting for intake's Job to make that stream), which
 * the service's own NATS user may not (ADR 0012, 0018). Without one (development, compose:
 * anonymous NATS) the service does that itself when it starts.
 */
run(async () => {
  const config = scoringConfig();
  const url = config.DATABASE_URL;
  await migrateMain('scoring', {
    ...dataSourceOptions({ url, entities: scoringEntities, migrations: scoringMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
  const nats = natsOptionsOf(config);
  if (nats.user) await setUpMessaging({ ...nats, service: nats.user }, [Streams.SCORING], 'scoring');
});
