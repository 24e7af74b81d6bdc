import { DataSource, DataSourceOptions } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@dg/platform';
import { RefreshTokenEntity, SessionEntity } from './auth/session.entity';
import { gatewayMigrations } from './migrations';
import { UserEntity } from './users/user.entity';

export const gatewayEntities = [UserEntity, SessionEntity, RefreshTokenEntity];

/** The gateway's TypeORM options: its own `gateway` database, migrations only, never synchronize. */
export function gatewayDataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    ...dataSourceOptions({
      url: databaseUrl,
      entities: gatewayEntities,
      migrations: gatewayMigrations,
      poolSize,
    }),
  } as DataSourceOptions;
}

/**
 * Creates the database if needed and applies pending migrations (under the platform's advisory
 * lock, so replicas or a release Job never run one twice). Returns the names applied.
 */
export async function migrateGatewayDatabase(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const ds = new DataSource(gatewayDataSourceOptions(databaseUrl, 2));
  await ds.initialize();
  try {
    return await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}
