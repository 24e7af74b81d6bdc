import { Logger as NestLogger } from '@nestjs/common';
import { DataSource, DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@dg/platform';
import { gatewayMigrations } from './migrations';
import { UserEntity } from './users/user.entity';

export const gatewayEntities = [UserEntity];

/**
 * TypeORM's console logger prints a failed query WITH its parameters: for the users table that is
 * e-mails and password hashes. This one logs the failure and the SQL, never the parameters, and
 * expected constraint violations (handled by the repository, e.g. a duplicate e-mail) as warnings.
 */
export class RedactingTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('TypeORM');

  logQuery(): void {}
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query }, 'slow query');
  }
  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: string }).code : undefined;
    const message = typeof error === 'string' ? error : error.message;
    const entry = { code, error: message, query };
    if (code?.startsWith('23')) this.logger.warn(entry, 'constraint violation');
    else this.logger.error(entry, 'query failed');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
  }
}

/** The gateway's TypeORM options: its own `gateway` database, migrations only, never synchronize. */
export function gatewayDataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    ...dataSourceOptions({
      url: databaseUrl,
      entities: gatewayEntities,
      migrations: gatewayMigrations,
      poolSize: 10,
    }),
    logger: new RedactingTypeOrmLogger(),
    logging: ['error', 'warn', 'migration'],
  } as DataSourceOptions;
}

/**
 * Creates the database if needed and applies pending migrations (under the platform's advisory
 * lock, so replicas or a release Job never run one twice). Returns the names applied.
 */
export async function migrateGatewayDatabase(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const ds = new DataSource(gatewayDataSourceOptions(databaseUrl));
  await ds.initialize();
  try {
    return await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}
