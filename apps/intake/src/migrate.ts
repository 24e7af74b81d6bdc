import { dataSourceOptions, migrateMain, run } from '@dg/platform';
import { intakeEntities } from './app.module';
import { intakeConfig } from './config';
import { intakeMigrations } from './migrations';

/** Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). */
run(async () => {
  const url = intakeConfig().DATABASE_URL;
  await migrateMain('intake', {
    ...dataSourceOptions({ url, entities: intakeEntities, migrations: intakeMigrations, poolSize: 2 }),
    url,
  } as Parameters<typeof migrateMain>[1]);
});
