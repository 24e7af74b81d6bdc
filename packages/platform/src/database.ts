import { Client, types } from 'pg';
import { Logger as NestLogger } from '@nestjs/common';
import { DataSource, DataSourceOptions, EntitySchema, Logger as TypeOrmLogger, MixedList } from 'typeorm';

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
types.setTypeParser(types.builtins.DATE, (v: string) => v);

export interface DatabaseOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Pool size; the default suits one pod with a few concurrent RPCs. */
  poolSize?: number;
}

/**
 * TypeORM's console logger prints a failed query WITH its parameters: for users and contacts that is
 * e-mails, phones and password hashes (PDPA). This one logs the failure and the SQL, never the parameters, and
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

/** The one way a service builds its TypeORM data source: migrations only, never `synchronize`. */
export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logger: new RedactingTypeOrmLogger(),
    logging: ['error', 'warn', 'migration'],
    // A connection that cannot be had in 10 s fails the request (503) instead of waiting forever.
    extra: { max: opts.poolSize ?? 10, application_name: 'dg', connectionTimeoutMillis: 10_000 },
  };
}

/**
 * Whether an error says the database could not be reached or would not take the work, rather than
 * that the statement was wrong: no connection from the pool within its timeout, a connection lost,
 * refused (nothing listening) or turned away (SQLSTATE class 08, `53300` too many connections,
 * `57P01`-`57P03` shutting down or starting up). Such a failure is worth a retry: callers answer
 * 503 SERVICE_UNAVAILABLE, not 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { code, syscall, message } = e as { code?: unknown; syscall?: unknown; message?: unknown };
  if (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  )
    return true;
  if (
    typeof code === 'string' &&
    (/^08[0-9A-Z]{3}$/.test(code) || ['53300', '57P01', '57P02', '57P03'].includes(code))
  )
    return true;
  // Node's own errors of net.connect (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH...).
  return syscall === 'connect';
}

/** What the service's connection pool holds and who waits for it (pg-pool's counters). */
export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** The pool of an initialised PostgreSQL data source; undefined for any other. */
export function poolStatsOf(dataSource: DataSource): PoolStats | undefined {
  const pool = (dataSource.driver as { master?: unknown }).master as
    | { totalCount?: number; idleCount?: number; waitingCount?: number; options?: { max?: number } }
    | undefined;
  if (!pool || typeof pool.totalCount !== 'number') return undefined;
  return {
    max: pool.options?.max ?? 0,
    total: pool.totalCount,
    idle: pool.idleCount ?? 0,
    waiting: pool.waitingCount ?? 0,
  };
}

/** Creates the database named in `url` if it does not exist (first start, test files). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04' && e.code !== '23505') throw e; // created meanwhile by a sibling
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations under a Postgres advisory lock, so replicas or a release Job starting
 * together never run the same migration twice. Returns the names of the migrations applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('dg-migrations:' || current_database()))`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtext('dg-migrations:' || current_database()))`).catch(() => {});
    await lock.release();
  }
}
