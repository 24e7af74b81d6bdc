import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ensureDatabase, runMigrations } from './database';
import { createHttpApp, listen } from './http';
import { startService } from './transports';

export interface ServiceMainOptions {
  service: string;
  module: DynamicModule;
  databaseUrl: string;
  port: number;
  host: string;
  /** Development only: migrate in the serving process (production runs the migration Job). */
  migrateOnStart?: boolean;
}

/**
 * Starts a NATS service the same way everywhere: its NATS transports serve its `@MessagePattern`
 * and `@EventPattern` handlers; its HTTP side carries only /health/live,
 * /health/ready and /metrics; SIGTERM is a graceful stop (exitGracefullyOnSignals in http.ts).
 */
export async function serviceMain(opts: ServiceMainOptions): Promise<void> {
  if (opts.migrateOnStart) await ensureDatabase(opts.databaseUrl);
  const app = await createHttpApp(opts.module);
  if (opts.migrateOnStart) await runMigrations(app.get(DataSource));
  await startService(app);
  const url = await listen(app, opts.port, opts.host);
  console.log(
    JSON.stringify({
      level: 30,
      service: opts.service,
      msg: `${opts.service} ready; health and metrics at ${url}`,
    }),
  );
}

/** `node dist/migrate.js`: creates the database if needed, runs pending migrations, exits. */
export async function migrateMain(
  service: string,
  options: DataSourceOptions & { url: string },
): Promise<void> {
  await ensureDatabase(options.url);
  const ds = new DataSource(options);
  await ds.initialize();
  try {
    const applied = await runMigrations(ds);
    console.log(JSON.stringify({ service, msg: 'migrations done', applied }));
  } finally {
    await ds.destroy();
  }
}

/** Runs a main function, printing a failure clearly and exiting non-zero. */
export function run(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
