import { dataSourceOptions, migrateMain, run } from '@dg/platform';
import { registryEntities } from './app.module';
import { registryConfig } from './config';
import { registryMigrations } from './migrations';

/** Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). */
run(async () => {
  const url = registryConfig().DATABASE_URL;
  await migrateMain('registry', {
    ...dataSourceOptions({ url, entities: registryEntities, migrations: registryMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
});
