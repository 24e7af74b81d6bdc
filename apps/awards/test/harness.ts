import { MessagePattern } from '@nestjs/microservices';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  type Actor,
  DomainError,
  type PublicationReadiness,
  type RankingRow,
  Rpc,
  type RpcRequest,
  type RpcRequestParsed,
  type RpcResponse,
  type RpcSubject,
} from '@dg/contracts';
import { FileTransfer, PlatformModule, ServiceClient, runMigrations, startService } from '@dg/platform';
import {
  createTestDatabase,
  deleteNatsPrefix,
  NATS_TEST_URL,
  type TestDatabase,
  testPrefix,
  TEST_ACTOR_ENV,
  TEST_ACTOR_KEYS,
} from '@dg/platform/testing';
import { AwardsModule } from '../src/app.module';
import { CERTIFICATE_QUEUE } from '../src/announcement/jobs';
import { awardsConfig } from '../src/config';

export const admin: Actor = { id: 'admin-1', roles: ['dga_admin'] };
export const member = (id: string): Actor => ({ id, roles: ['committee'] });

export interface TestAgency {
  row: RankingRow;
  ministryId: string | null;
  verifiedBy: string | null;
}

/** Stands in for scoring (published results), the registry (ministries) and intake (pillars, audit) over NATS. */
@Controller()
export class OthersStandIn {
  agencies: TestAgency[] = [];
  published = true;
  questionnaireId = randomUUID();
  /** What intake says of the cycle's readiness (default: closed, nothing blocking). */
  readiness: PublicationReadiness | null = null;

  @MessagePattern(Rpc.CycleReadiness)
  cycleReadiness(req: RpcRequestParsed<typeof Rpc.CycleReadiness>): PublicationReadiness {
    return (
      this.readiness ?? {
        cycleId: req.cycleId,
        cycleStatus: 'closed',
        closed: true,
        ready: true,
        blocking: { total: 0, byReason: {}, items: [] },
        setAside: 0,
      }
    );
  }

  @MessagePattern(Rpc.ResultsGet)
  results(req: RpcRequestParsed<typeof Rpc.ResultsGet>) {
    const items = this.agencies.map((a) => a.row);
    const empty = { n: 0, mean: null, median: null, q1: null, q3: null, min: null, max: null };
    const slice = {
      key: 'all',
      name: null,
      overall: empty,
      pillars: {},
      levels: {},
      change: { n: 0, mean: null },
    };
    return {
      cycleId: req.cycleId,
      status: this.published ? ('published' as const) : ('provisional' as const),
      publishedAt: this.published ? new Date().toISOString() : null,
      rulesVersion: 1,
      method: 'raw' as const,
      previousCycleId: '2564',
      scored: items.length,
      failed: 0,
      statistics: { all: slice, byGroup: [], byMinistry: [], byProvince: [] },
      rankings: {
        items: items.slice((req.page - 1) * req.pageSize, req.page * req.pageSize),
        total: items.length,
        page: req.page,
        pageSize: req.pageSize,
      },
    };
  }

  @MessagePattern(Rpc.CycleGet)
  cycle(req: RpcRequestParsed<typeof Rpc.CycleGet>) {
    const now = new Date().toISOString();
    return {
      id: req.cycleId,
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      status: 'closed' as const,
      opensAt: now,
      closesAt: now,
      questionnaireId: this.questionnaireId,
      questionnaireVersion: 1,
      agencyCount: this.agencies.length,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  @MessagePattern(Rpc.QuestionnaireGet)
  questionnaire(req: RpcRequestParsed<typeof Rpc.QuestionnaireGet>) {
    return {
      id: req.id,
      key: 'q',
      version: 1,
      title: { th: 'ท', en: 'T' },
      questionCount: 1,
      sample: true,
      createdAt: new Date().toISOString(),
      definition: { pillars: [1, 2, 3, 4, 5].map((number) => ({ id: `p${number}`, number })) },
    };
  }

  @MessagePattern(Rpc.AgencyGet)
  agency(req: RpcRequestParsed<typeof Rpc.AgencyGet>) {
    const a = this.agencies.find((x) => x.row.agencyId === req.id);
    const now = new Date().toISOString();
    return {
      id: req.id,
      code: a?.row.agencyCode ?? 'OTHER',
      nameTh: a?.row.agencyName ?? 'หน่วยงานอื่น',
      nameEn: null,
      kind: 'department' as const,
      orgType: 'government_agency' as const,
      parentId: null,
      parentCode: null,
      ministryId: a ? a.ministryId : 'MOI',
      provinceCode: null,
      status: 'active' as const,
      effectiveFrom: null,
      effectiveTo: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  @MessagePattern(Rpc.ResponseAudit)
  audit(req: RpcRequestParsed<typeof Rpc.ResponseAudit>) {
    const a = this.agencies.find((x) => x.row.agencyId === req.agencyId);
    if (!a) throw new DomainError('RESPONSE_NOT_FOUND');
    return {
      items: a.verifiedBy
        ? [
            {
              at: new Date().toISOString(),
              actorId: a.verifiedBy,
              action: 'verify.complete',
              fromStatus: 'submitted',
              toStatus: 'verified',
              version: 6,
              changes: {},
            },
          ]
        : [],
    };
  }
}

export interface AwardsHarness {
  readonly app: INestApplication;
  readonly ds: DataSource;
  others: OthersStandIn;
  files: FileTransfer;
  certificates: Queue;
  call<S extends RpcSubject>(subject: S, req: RpcRequest<S>, actor?: Actor): Promise<RpcResponse<S>>;
  close(): Promise<void>;
}

export async function startAwards(label: string): Promise<AwardsHarness> {
  const db: TestDatabase = await createTestDatabase(label);
  const prefix = testPrefix(label);
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'others',
        logLevel: 'silent',
        nats: { url: NATS_TEST_URL, prefix, actorKeys: TEST_ACTOR_KEYS },
        outbox: false,
      }),
    ],
    controllers: [OthersStandIn],
  })
  class OthersModule {}
  const othersRef = await Test.createTestingModule({ imports: [OthersModule] }).compile();
  const othersApp = othersRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  await startService(othersApp);
  const config = awardsConfig({
    DATABASE_URL: db.url,
    NATS_URL: NATS_TEST_URL,
    NATS_PREFIX: prefix,
    ...TEST_ACTOR_ENV,
    BULL_PREFIX: `test:${prefix}`,
    LOG_LEVEL: 'warn',
  });
  const ref = await Test.createTestingModule({ imports: [AwardsModule.forRoot(config)] }).compile();
  const app = ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: ['error'] });
  await runMigrations(app.get(DataSource));
  await startService(app);
  return {
    app,
    get ds() {
      return app.get(DataSource);
    },
    others: othersApp.get(OthersStandIn),
    files: othersApp.get(FileTransfer),
    certificates: app.get<Queue>(getQueueToken(CERTIFICATE_QUEUE)),
    call(subject, req, actor = admin) {
      return othersApp
        .get(ServiceClient)
        .call(subject, req, { correlationId: `test-${label}`, actor }, 30_000);
    },
    async close() {
      await app
        .get<Queue>(getQueueToken(CERTIFICATE_QUEUE))
        .obliterate({ force: true })
        .catch(() => undefined);
      await app.close();
      await othersApp.close();
      await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
    },
  };
}

export function agency(
  n: number,
  overall: number,
  opts: {
    change?: number | null;
    pillar3?: number;
    verified?: boolean;
    ministryId?: string | null;
    verifiedBy?: string | null;
    group?: 'department' | 'provincial';
  } = {},
): TestAgency {
  return {
    row: {
      rank: 0,
      tied: false,
      agencyId: randomUUID(),
      agencyCode: `DEP-${String(n).padStart(3, '0')}`,
      agencyName: `กรมทดสอบที่ ${n}`,
      group: opts.group ?? 'department',
      ministryId: opts.ministryId ?? 'MOF',
      provinceCode: null,
      value: overall,
      overall,
      pillars: { '1': overall, '3': opts.pillar3 ?? overall },
      level: 4,
      band: null,
      verified: opts.verified ?? true,
      previous: null,
      change: opts.change === undefined ? null : opts.change,
    },
    ministryId: opts.ministryId === undefined ? 'MOF' : opts.ministryId,
    verifiedBy: opts.verifiedBy ?? null,
  };
}
