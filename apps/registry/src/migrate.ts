import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@dg/platform';
import { registryEntities } from './app.module';
import { registryConfig } from './config';
import { registryMigrations } from './migrations';

/** Runs pending migrations and exits: `node dist/migrate.js` (a Kubernetes Job per release). */
async function migrate(): Promise<void> {
  const config = registryConfig();
  await ensureDatabase(config.DATABASE_URL);
  const ds = new DataSource(
    dataSourceOptions({ url: config.DATABASE_URL, entities: registryEntities, migrations: registryMigrations, poolSize: 2 }),
  );
  await ds.initialize();
  try {
    const applied = await runMigrations(ds);
    console.log(JSON.stringify({ service: 'registry', msg: 'migrations done', applied }));
  } finally {
    await ds.destroy();
  }
}

migrate().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
