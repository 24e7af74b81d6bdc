import { Logger } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import {
  DatabasePoolWatch,
  dataSourceOptions,
  errorBodyOf,
  isDatabaseUnavailable,
  Metrics,
  toDomainError,
} from '../src';
import { createTestDatabase, freePort, type TestDatabase } from '../src/testing';

/** The error a promise rejects with (it must reject). */
async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('database: an unreachable or exhausted PostgreSQL is SERVICE_UNAVAILABLE, and an exhausted pool is reported', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const logger = new Logger('test');

  beforeAll(async () => {
    db = await createTestDatabase('pool');
    ds = new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations: [], poolSize: 1 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('answers 503, not 500, when PostgreSQL refuses, turns away or cannot be reached', async () => {
    // Nothing listens there: what pg reports when PostgreSQL is down or restarting.
    const refused = await failureOf(
      new Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/x` }).connect(),
    );
    // The pool's own timeout: every connection taken for longer than connectionTimeoutMillis.
    const pool = new Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 100 });
    const held = await pool.connect();
    const exhausted = await failureOf(pool.connect());
    held.release();
    await pool.end();
    // PostgreSQL out of connection slots answers FATAL 53300 ("sorry, too many clients already").
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    const startingUp = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    for (const e of [refused, exhausted, tooMany, startingUp]) {
      expect([isDatabaseUnavailable(e), errorBodyOf(e, 'intake.response.save', logger)]).toEqual([
        true,
        { code: 'SERVICE_UNAVAILABLE' },
      ]);
      // The same at the HTTP edge (the gateway's own database: sessions, users).
      expect(toDomainError(e)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    }
    // A statement PostgreSQL refused is the handler's fault: still INTERNAL.
    const wrong = await failureOf(ds.query('SELECT no_such_column FROM pg_class'));
    expect([isDatabaseUnavailable(wrong), errorBodyOf(wrong, 'intake.response.save', logger)]).toEqual([
      false,
      { code: 'INTERNAL' },
    ]);
    expect(toDomainError(wrong)).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('says when requests have waited for a connection for 5 s, shows it on /metrics, and says when it clears', async () => {
    const metrics = new Metrics();
    const watch = new DatabasePoolWatch(metrics, ds);
    const t0 = Date.now();
    expect(watch.check(t0)).toBeUndefined();
    // The pool's one connection is taken by a transaction; a second request waits for it.
    const holder: QueryRunner = ds.createQueryRunner();
    await holder.startTransaction();
    const waiting = ds.query('SELECT 1 AS n');
    await new Promise((r) => setTimeout(r, 50));
    expect(watch.check(t0)).toBeUndefined(); // waiting from now on
    expect(watch.check(t0 + 4_000)).toBeUndefined(); // not long enough to say so
    expect(watch.check(t0 + 5_000)).toBe(
      'database pool exhausted for 5 s: 1 of 1 connections in use, 1 requests waiting (at most 1); ' +
        'a request that waits 10 s fails with SERVICE_UNAVAILABLE',
    );
    expect(watch.check(t0 + 6_000)).toBeUndefined(); // said once, not at every look
    expect(watch.check(t0 + 65_000)).toMatch(/^database pool exhausted for 65 s/); // and again a minute later
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('db_pool_waiting_requests 1');
    expect(exposition).toContain('db_pool_connections{state="in_use"} 1');
    expect(exposition).toContain('db_pool_connections{state="max"} 1');

    await holder.commitTransaction();
    await holder.release();
    expect(await waiting).toEqual([{ n: 1 }]);
    expect(watch.check(t0 + 70_000)).toBe('database pool has no waiting requests again, after 70 s');
    expect(watch.check(t0 + 71_000)).toBeUndefined();
    expect(await metrics.registry.metrics()).toContain('db_pool_waiting_requests 0');
  });
});
