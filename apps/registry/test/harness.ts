import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { Actor, RpcRequest, RpcResponse, RpcSubject } from '@dg/contracts';
import { ServiceClient, runMigrations, startService } from '@dg/platform';
import {
  createTestDatabase,
  deleteNatsPrefix,
  NATS_TEST_URL,
  TestDatabase,
  testPrefix,
  TEST_ACTOR_ENV,
} from '@dg/platform/testing';
import { RegistryModule } from '../src/app.module';
import { registryConfig } from '../src/config';

export const admin: Actor = { id: 'admin-1', roles: ['dga_admin'] };
export const operator: Actor = { id: 'operator-1', roles: ['operator'] };
export const coordinatorOf = (agencyId: string): Actor => ({
  id: `coord-${agencyId}`,
  roles: ['coordinator'],
  agencyId,
});

/** A registry on its own database and NATS prefix, called through real NATS request/reply. */
export interface RegistryHarness {
  app: INestApplication;
  ds: DataSource;
  prefix: string;
  call<S extends RpcSubject>(subject: S, req: RpcRequest<S>, actor?: Actor): Promise<RpcResponse<S>>;
  close(): Promise<void>;
}

export async function startRegistry(label: string): Promise<RegistryHarness> {
  const db: TestDatabase = await createTestDatabase(label);
  const prefix = testPrefix(label);
  const config = registryConfig({
    DATABASE_URL: db.url,
    NATS_URL: NATS_TEST_URL,
    NATS_PREFIX: prefix,
    ...TEST_ACTOR_ENV,
    LOG_LEVEL: 'warn',
  });
  const moduleRef = await Test.createTestingModule({ imports: [RegistryModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: ['error'],
  });
  const ds = app.get(DataSource);
  await runMigrations(ds);
  await startService(app);
  const rpc = app.get(ServiceClient);
  return {
    app,
    ds,
    prefix,
    call: (subject, req, actor = admin) =>
      rpc.call(subject, req, { correlationId: `test-${label}`, actor }, 60_000),
    async close() {
      await app.close();
      await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
    },
  };
}
