import { dataSourceOptions, migrateMain, run } from '@dg/platform';
import { scoringEntities } from './app.module';
import { scoringConfig } from './config';
import { scoringMigrations } from './migrations';

/** Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). */
run(async () => {
  const url = scoringConfig().DATABASE_URL;
  await migrateMain('scoring', {
    ...dataSourceOptions({ url, entities: scoringEntities, migrations: scoringMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
});
