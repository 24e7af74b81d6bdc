import { MessagePattern } from '@nestjs/microservices';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import { jetstream } from '@nats-io/jetstream';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  type Actor,
  type AgencyGroup,
  type Contact,
  DomainError,
  type EventSubject,
  type PayloadOf,
  Rpc,
  type RpcRequest,
  type RpcRequestParsed,
  type RpcResponse,
  type RpcSubject,
  type ResponseStatus,
  Streams,
} from '@dg/contracts';
import { Nats, PlatformModule, ServiceClient, runMigrations, startService } from '@dg/platform';
import {
  createTestDatabase,
  deleteNatsPrefix,
  NATS_TEST_URL,
  type TestDatabase,
  testPrefix,
  TEST_ACTOR_ENV,
  TEST_ACTOR_KEYS,
} from '@dg/platform/testing';
import { NotificationsModule } from '../src/app.module';
import { notificationsConfig } from '../src/config';
import { QUEUES } from '../src/deliveries/jobs';
import { LineStandIn } from './support/line-stand-in';
import { SmtpCatcher } from './support/smtp-catcher';

export const admin: Actor = { id: 'admin-1', roles: ['dga_admin'] };
export const coordinatorOf = (agencyId: string): Actor => ({
  id: `coord-${agencyId.slice(0, 8)}`,
  roles: ['coordinator'],
  agencyId,
});

export interface TestAgency {
  id: string;
  code: string;
  nameTh: string;
  group: AgencyGroup;
  contacts: Contact[];
  status: ResponseStatus;
  /** The agency's own deadline in intake (an extension or a correction period); else the cycle's. */
  deadline?: string;
  /** The response's version in intake's list; 1 when not given. */
  version?: number;
  /** Ministry code and ISO 3166-2:TH province, for intake's list filters. */
  ministryId?: string;
  province?: string;
  /** Its user accounts as the gateway lists them (`gateway.user.agency`); none when not given. */
  users?: { id: string; email: string; displayName?: string; roles: ('coordinator' | 'approver')[] }[];
}

export function contact(agencyId: string, email: string | null, lineId: string | null = null): Contact {
  return {
    id: randomUUID(),
    agencyId,
    fullName: 'คุณทดสอบ ระบบ',
    position: 'ผู้ประสานงาน',
    email,
    phone: null,
    lineId,
    purpose: 'ประสานงานการสำรวจ',
    legalBasis: 'public_task',
    erasedAt: null,
    createdAt: new Date().toISOString(),
  };
}

export function testAgency(
  code: string,
  contacts: (agencyId: string) => Contact[],
  status: ResponseStatus = 'in_progress',
): TestAgency {
  const id = randomUUID();
  return { id, code, nameTh: `หน่วยงาน ${code}`, group: 'department', contacts: contacts(id), status };
}

/**
 * Stands in for intake and the registry over the same real NATS (cycles, response statuses,
 * cohort contacts) and owns their streams and the scoring and awards ones, so tests publish their
 * events as the outbox relays do.
 */
@Controller()
export class OthersStandIn {
  agencies: TestAgency[] = [];
  closesAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  cycleStatus: 'open' | 'closed' = 'open';

  @MessagePattern(Rpc.CycleGet)
  cycle(req: RpcRequestParsed<typeof Rpc.CycleGet>) {
    if (req.cycleId !== '2565') throw new DomainError('CYCLE_NOT_FOUND');
    const now = new Date().toISOString();
    return {
      id: '2565',
      yearBE: 2565,
      title: { th: 'การสำรวจระดับความพร้อมรัฐบาลดิจิทัล ปี 2565', en: 'Digital Government Readiness Survey 2565' },
      status: this.cycleStatus,
      opensAt: now,
      closesAt: this.closesAt,
      questionnaireId: null,
      questionnaireVersion: null,
      agencyCount: this.agencies.length,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  private summary(cycleId: string, a: TestAgency) {
    return {
      id: randomUUID(),
      cycleId,
      agencyId: a.id,
      agencyCode: a.code,
      agencyName: a.nameTh,
      group: a.group,
      status: a.status,
      version: a.version ?? 1,
      // Submitted at least once: the statuses a response reaches only through an approval.
      submissionCount: ['submitted', 'resubmitted', 'verified', 'returned'].includes(a.status) ? 1 : 0,
      deadline: a.deadline ?? this.closesAt,
      updatedAt: new Date().toISOString(),
      submittedAt: null,
      setAside: null,
    };
  }

  @MessagePattern(Rpc.ResponseList)
  responses(req: RpcRequestParsed<typeof Rpc.ResponseList>) {
    // Intake's own filters, as the list applies them (group, ministry, province).
    const items = this.agencies
      .filter(
        (a) =>
          (!req.group || a.group === req.group) &&
          (!req.ministryId || a.ministryId === req.ministryId) &&
          (!req.province || a.province === req.province),
      )
      .map((a) => this.summary(req.cycleId, a));
    return {
      items: items.slice((req.page - 1) * req.pageSize, req.page * req.pageSize),
      total: items.length,
      page: req.page,
      pageSize: req.pageSize,
    };
  }

  @MessagePattern(Rpc.ResponseGet)
  response(req: RpcRequestParsed<typeof Rpc.ResponseGet>) {
    const a = this.agencies.find((x) => x.id === req.agencyId);
    if (req.cycleId !== '2565' || !a) throw new DomainError('RESPONSE_NOT_FOUND');
    return {
      ...this.summary(req.cycleId, a),
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      answers: {},
      verdicts: [],
      returnComment: null,
      sentBack: null,
    };
  }

  @MessagePattern(Rpc.CohortContacts)
  cohortContacts(req: RpcRequestParsed<typeof Rpc.CohortContacts>) {
    const all = this.agencies.flatMap((a) =>
      a.contacts.map((c) => ({
        agencyId: a.id,
        agencyCode: a.code,
        agencyName: a.nameTh,
        group: a.group,
        contact: c,
      })),
    );
    return {
      items: all.slice((req.page - 1) * req.pageSize, req.page * req.pageSize),
      total: all.length,
      page: req.page,
      pageSize: req.pageSize,
    };
  }

  @MessagePattern(Rpc.ContactOwner)
  contactOwner(req: RpcRequestParsed<typeof Rpc.ContactOwner>) {
    for (const a of this.agencies) {
      const c = a.contacts.find((x) => x.id === req.id);
      if (c) return { id: c.id, agencyId: a.id, erased: c.erasedAt !== null };
    }
    throw new DomainError('CONTACT_NOT_FOUND');
  }

  @MessagePattern(Rpc.ContactList)
  contacts(req: RpcRequestParsed<typeof Rpc.ContactList>) {
    return { items: this.agencies.find((a) => a.id === req.agencyId)?.contacts ?? [] };
  }

  /** The gateway's `gateway.user.agency`: the test agencies' users (`TestAgency.users`). */
  @MessagePattern(Rpc.AgencyUsers)
  agencyUsers(req: RpcRequestParsed<typeof Rpc.AgencyUsers>) {
    const a = this.agencies.find((x) => x.id === req.agencyId);
    return {
      items: (a?.users ?? [])
        .filter((u) => u.roles.some((r) => req.roles.includes(r)))
        .map((u) => ({ ...u, displayName: u.displayName ?? 'ผู้ใช้' })),
    };
  }

  @MessagePattern(Rpc.AgencyGet)
  agency(req: RpcRequestParsed<typeof Rpc.AgencyGet>) {
    const a = this.agencies.find((x) => x.id === req.id);
    if (!a) throw new DomainError('AGENCY_NOT_FOUND');
    const now = new Date().toISOString();
    return {
      id: a.id,
      code: a.code,
      nameTh: a.nameTh,
      nameEn: null,
      kind: 'department' as const,
      orgType: 'government_agency' as const,
      parentId: null,
      parentCode: null,
      ministryId: null,
      provinceCode: null,
      status: 'active' as const,
      effectiveFrom: null,
      effectiveTo: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }
}

export interface NotificationsHarness {
  readonly app: INestApplication;
  readonly ds: DataSource;
  others: OthersStandIn;
  smtp: SmtpCatcher;
  line: LineStandIn;
  queue(channel: 'email' | 'line'): Queue;
  call<S extends RpcSubject>(subject: S, req: RpcRequest<S>, actor?: Actor): Promise<RpcResponse<S>>;
  publish<S extends EventSubject>(subject: S, payload: PayloadOf<S>, eventId?: string): Promise<string>;
  deliveries(
    where?: string,
    params?: unknown[],
  ): Promise<
    {
      id: string;
      status: string;
      skip_reason: string | null;
      attempts: number;
      channel: string;
      contact_id: string;
      template_key: string;
      provider_response: string | null;
    }[]
  >;
  close(): Promise<void>;
}

export async function startNotifications(
  label: string,
  env: Record<string, string> = {},
): Promise<NotificationsHarness> {
  const db: TestDatabase = await createTestDatabase(label);
  const prefix = testPrefix(label);
  const smtp = await SmtpCatcher.start();
  const line = await LineStandIn.start();

  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'others',
        logLevel: 'silent',
        nats: { url: NATS_TEST_URL, prefix, actorKeys: TEST_ACTOR_KEYS },
        outbox: false,
        streams: [Streams.INTAKE, Streams.SCORING, Streams.REGISTRY, Streams.AWARDS],
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

  const config = notificationsConfig({
    DATABASE_URL: db.url,
    NATS_URL: NATS_TEST_URL,
    NATS_PREFIX: prefix,
    ...TEST_ACTOR_ENV,
    BULL_PREFIX: `test:${prefix}`,
    LOG_LEVEL: 'warn',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    LINE_API_BASE_URL: line.url,
    LINE_CHANNEL_ACCESS_TOKEN: line.token,
    SEND_ATTEMPTS: '8',
    SEND_BACKOFF_MS: '100',
    SWEEP_MS: '3600000',
    PORTAL_URL: 'https://survey.example.go.th',
    ...env,
  });
  const ref = await Test.createTestingModule({ imports: [NotificationsModule.forRoot(config)] }).compile();
  const app = ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: ['error'] });
  await runMigrations(app.get(DataSource));
  await startService(app);

  return {
    app,
    get ds() {
      return app.get(DataSource);
    },
    others: othersApp.get(OthersStandIn),
    smtp,
    line,
    queue: (channel) => app.get<Queue>(getQueueToken(QUEUES[channel])),
    call(subject, req, actor = admin) {
      return othersApp
        .get(ServiceClient)
        .call(subject, req, { correlationId: `test-${label}`, actor }, 30_000);
    },
    async publish(subject, payload, eventId = randomUUID()) {
      const nats = othersApp.get(Nats);
      const envelope = {
        id: eventId,
        type: subject,
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: `test-${label}`,
        actor: admin,
        payload,
      };
      await jetstream(await nats.connect()).publish(nats.subject(subject), JSON.stringify(envelope), {
        msgID: eventId,
      });
      return eventId;
    },
    async deliveries(where = 'true', params = []) {
      return (await app
        .get(DataSource)
        .query(
          `SELECT id, status, skip_reason, attempts, channel, contact_id, template_key, provider_response FROM deliveries WHERE ${where} ORDER BY id`,
          params,
        )) as Awaited<ReturnType<NotificationsHarness['deliveries']>>;
    },
    async close() {
      for (const c of ['email', 'line'] as const)
        await app
          .get<Queue>(getQueueToken(QUEUES[c]))
          .obliterate({ force: true })
          .catch(() => undefined);
      await app
        .get<Queue>(getQueueToken(QUEUES.sweep))
        .obliterate({ force: true })
        .catch(() => undefined);
      await app.close();
      await othersApp.close();
      await smtp.close();
      await line.close();
      await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
    },
  };
}
