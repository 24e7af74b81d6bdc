import { dataSourceOptions, migrateMain, run } from '@dg/platform';
import { awardsEntities } from './app.module';
import { awardsConfig } from './config';
import { awardsMigrations } from './migrations';

/** Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). */
run(async () => {
  const url = awardsConfig().DATABASE_URL;
  await migrateMain('awards', {
    ...dataSourceOptions({ url, entities: awardsEntities, migrations: awardsMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
});
