import { MessagePattern } from '@nestjs/microservices';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  Actor,
  AgencyGroup,
  DomainError,
  Rpc,
  RpcRequest,
  type RpcRequestParsed,
  RpcResponse,
  RpcSubject,
} from '@dg/contracts';
import { FileTransfer, PlatformModule, ServiceClient, runMigrations, startService } from '@dg/platform';
import {
  createTestDatabase,
  deleteNatsPrefix,
  NATS_TEST_URL,
  TestDatabase,
  testPrefix,
  TEST_ACTOR_ENV,
  TEST_ACTOR_KEYS,
} from '@dg/platform/testing';
import { IntakeModule } from '../src/app.module';
import { intakeConfig } from '../src/config';

export const admin: Actor = { id: 'admin-1', roles: ['dga_admin'] };
export const operator: Actor = { id: 'operator-1', roles: ['operator'] };
export const coordinator = (agencyId: string, n = 1): Actor => ({
  id: `coord-${n}-${agencyId.slice(0, 8)}`,
  roles: ['coordinator'],
  agencyId,
});
export const approver = (agencyId: string): Actor => ({
  id: `approver-${agencyId.slice(0, 8)}`,
  roles: ['approver'],
  agencyId,
});

export interface CohortAgency {
  agencyId: string;
  agencyCode: string;
  nameTh: string;
  kind: 'department' | 'regional_unit' | 'special_local';
  group: AgencyGroup;
  ministryId?: string | null;
  provinceCode?: string | null;
}

/**
 * Stands in for the registry's cohort RPC (a separate service): answers `registry.cohort.get` over
 * the same real NATS, from a list the test sets.
 */
@Controller()
export class CohortStandIn {
  cohorts = new Map<string, CohortAgency[]>();

  @MessagePattern(Rpc.CohortGet)
  get(req: RpcRequestParsed<typeof Rpc.CohortGet>) {
    const all = this.cohorts.get(req.cycleId);
    if (!all) throw new DomainError('NOT_FOUND');
    const items = all.slice((req.page - 1) * req.pageSize, req.page * req.pageSize);
    const byGroup: Partial<Record<AgencyGroup, number>> = {};
    for (const a of all) byGroup[a.group] = (byGroup[a.group] ?? 0) + 1;
    return {
      items,
      total: all.length,
      page: req.page,
      pageSize: req.pageSize,
      summary: {
        cycleId: req.cycleId,
        announcedCount: all.length,
        finalCount: all.length,
        byGroup,
        byKind: {},
        version: 1,
      },
    };
  }
}

export interface IntakeHarness {
  app: INestApplication;
  ds: DataSource;
  prefix: string;
  cohort: CohortStandIn;
  files: FileTransfer;
  call<S extends RpcSubject>(subject: S, req: RpcRequest<S>, actor?: Actor): Promise<RpcResponse<S>>;
  /** Stops the service and starts a fresh instance on the same database (empty caches), as after a deploy. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startIntake(label: string, env: Record<string, string> = {}): Promise<IntakeHarness> {
  const db: TestDatabase = await createTestDatabase(label);
  const prefix = testPrefix(label);
  const evidenceDir = mkdtempSync(join(tmpdir(), 'evidence-'));
  const natsUrl = env.NATS_URL ?? NATS_TEST_URL;
  const config = intakeConfig({
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    ...TEST_ACTOR_ENV,
    LOG_LEVEL: 'warn',
    EVIDENCE_DIR: evidenceDir,
    ...env,
  });

  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'registry',
        logLevel: 'silent',
        nats: { url: natsUrl, prefix, actorKeys: TEST_ACTOR_KEYS },
        outbox: false,
      }),
    ],
    controllers: [CohortStandIn],
  })
  class RegistryStandInModule {}
  const registryRef = await Test.createTestingModule({ imports: [RegistryStandInModule] }).compile();
  const registry = registryRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  await startService(registry);

  const boot = async () => {
    const moduleRef = await Test.createTestingModule({ imports: [IntakeModule.forRoot(config)] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: ['error'],
    });
    await runMigrations(app.get(DataSource));
    await startService(app);
    return app;
  };
  const harness: IntakeHarness = {
    app: await boot(),
    get ds() {
      return this.app.get(DataSource);
    },
    prefix,
    cohort: registry.get(CohortStandIn),
    get files() {
      return this.app.get(FileTransfer);
    },
    call(subject, req, actor = admin) {
      return this.app
        .get(ServiceClient)
        .call(subject, req, { correlationId: `test-${label}`, actor }, 60_000);
    },
    async restart() {
      await this.app.close();
      this.app = await boot();
    },
    async close() {
      await this.app.close();
      await registry.close();
      rmSync(evidenceDir, { recursive: true, force: true });
      await Promise.all([
        db.drop(),
        natsUrl === NATS_TEST_URL ? deleteNatsPrefix(prefix) : Promise.resolve(),
      ]);
    },
  };
  return harness;
}
