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
  DomainError,
  Events,
  type PayloadOf,
  type PublicationReadiness,
  Rpc,
  type RpcRequest,
  type RpcRequestParsed,
  type RpcResponse,
  type RpcSubject,
  Streams,
  type Submission,
} from '@dg/contracts';
import { FileTransfer, Nats, PlatformModule, ServiceClient, runMigrations, startService } from '@dg/platform';
import {
  createTestDatabase,
  deleteNatsPrefix,
  NATS_TEST_URL,
  type TestDatabase,
  testPrefix,
  TEST_ACTOR_ENV,
  TEST_ACTOR_KEYS,
} from '@dg/platform/testing';
import type { Questionnaire } from '@dg/survey-model';
import { ScoringModule } from '../src/app.module';
import { scoringConfig } from '../src/config';
import { SCORING_QUEUE, SCORING_SWEEP_QUEUE } from '../src/jobs/jobs';
import { tinyQuestionnaire } from './fixtures';

export const admin: Actor = { id: 'admin-1', roles: ['dga_admin'] };
export const operator: Actor = { id: 'operator-1', roles: ['operator'] };
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
  ministryId: string | null;
  provinceCode: string | null;
}

/**
 * Stands in for intake and the registry (separate services) over the same real NATS: submissions,
 * questionnaires, cycles and agencies come from maps the test fills. It also owns the INTAKE stream,
 * so tests publish intake's events exactly as intake's outbox relay does.
 */
@Controller()
export class OthersStandIn {
  submissions = new Map<string, Submission>();
  questionnaires = new Map<string, Questionnaire>();
  cycles = new Map<string, { questionnaireId: string | null }>();
  agencies = new Map<string, TestAgency>();
  /** What intake says of a cycle's publication readiness (default: closed, nothing blocking). */
  readiness = new Map<string, PublicationReadiness>();
  /** Failures to answer with before answering normally (a flaky intake). */
  failNextSubmissionGets = 0;
  submissionGets = 0;

  @MessagePattern(Rpc.SubmissionGet)
  submission(req: RpcRequestParsed<typeof Rpc.SubmissionGet>) {
    this.submissionGets++;
    if (this.failNextSubmissionGets > 0) {
      this.failNextSubmissionGets--;
      throw new DomainError('SERVICE_UNAVAILABLE', 'stand-in intake is down');
    }
    const s = this.submissions.get(`${req.responseId}/${req.submission}`);
    if (!s) throw new DomainError('SUBMISSION_NOT_FOUND');
    return s;
  }

  @MessagePattern(Rpc.QuestionnaireGet)
  questionnaire(req: RpcRequestParsed<typeof Rpc.QuestionnaireGet>) {
    const q = this.questionnaires.get(req.id);
    if (!q) throw new DomainError('QUESTIONNAIRE_NOT_FOUND');
    return {
      id: req.id,
      key: q.id,
      version: q.version,
      title: q.title,
      questionCount: 4,
      sample: false,
      createdAt: new Date().toISOString(),
      definition: q,
    };
  }

  @MessagePattern(Rpc.CycleReadiness)
  cycleReadiness(req: RpcRequestParsed<typeof Rpc.CycleReadiness>): PublicationReadiness {
    return (
      this.readiness.get(req.cycleId) ?? {
        cycleId: req.cycleId,
        cycleStatus: 'closed',
        closed: true,
        ready: true,
        blocking: { total: 0, byReason: {}, items: [] },
        setAside: 0,
      }
    );
  }

  @MessagePattern(Rpc.CycleGet)
  cycle(req: RpcRequestParsed<typeof Rpc.CycleGet>) {
    const c = this.cycles.get(req.cycleId);
    if (!c) throw new DomainError('CYCLE_NOT_FOUND');
    const now = new Date().toISOString();
    return {
      id: req.cycleId,
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      status: 'open' as const,
      opensAt: now,
      closesAt: now,
      questionnaireId: c.questionnaireId,
      questionnaireVersion: c.questionnaireId ? this.questionnaires.get(c.questionnaireId)!.version : null,
      agencyCount: this.agencies.size,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  @MessagePattern(Rpc.AgencyGet)
  agency(req: RpcRequestParsed<typeof Rpc.AgencyGet>) {
    const a = this.agencies.get(req.id);
    if (!a) throw new DomainError('AGENCY_NOT_FOUND');
    const now = new Date().toISOString();
    return {
      id: a.id,
      code: a.code,
      nameTh: a.nameTh,
      nameEn: null,
      kind: a.group === 'department' ? ('department' as const) : ('regional_unit' as const),
      orgType: 'government_agency' as const,
      parentId: null,
      parentCode: null,
      ministryId: a.ministryId,
      provinceCode: a.provinceCode,
      status: 'active' as const,
      effectiveFrom: null,
      effectiveTo: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  @MessagePattern(Rpc.MinistryList)
  ministries() {
    return {
      items: [
        {
          id: 'MDES',
          nameTh: 'กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม',
          nameEn: 'Ministry of Digital Economy and Society',
        },
      ],
    };
  }

  @MessagePattern(Rpc.ProvinceList)
  provinces() {
    return { items: [{ code: 'TH-50', nameTh: 'เชียงใหม่', nameEn: 'Chiang Mai', region: 'north' }] };
  }
}

export interface ScoringHarness {
  app: INestApplication;
  readonly ds: DataSource;
  readonly queue: Queue;
  others: OthersStandIn;
  prefix: string;
  /** The intake questionnaire row id of the tiny questionnaire, attached to cycle 2565. */
  questionnaireId: string;
  call<S extends RpcSubject>(subject: S, req: RpcRequest<S>, actor?: Actor): Promise<RpcResponse<S>>;
  /** Registers an agency and its submitted answers with intake, and publishes intake.response.submitted. */
  submit(
    agency: TestAgency,
    answers: Record<string, unknown>,
    opts?: { responseId?: string; submission?: number; responseVersion?: number; publish?: boolean },
  ): Promise<{ responseId: string; responseVersion: number; eventId: string }>;
  /** Publishes an intake event (with its id as Nats-Msg-Id, like the outbox relay). */
  publish<S extends typeof Events.ResponseSubmitted | typeof Events.ResponseVerified>(
    subject: S,
    payload: PayloadOf<S>,
    eventId?: string,
  ): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startScoring(label: string, env: Record<string, string> = {}): Promise<ScoringHarness> {
  const db: TestDatabase = await createTestDatabase(label);
  const prefix = testPrefix(label);
  const config = scoringConfig({
    DATABASE_URL: db.url,
    NATS_URL: NATS_TEST_URL,
    NATS_PREFIX: prefix,
    ...TEST_ACTOR_ENV,
    BULL_PREFIX: `test:${prefix}`,
    LOG_LEVEL: 'warn',
    SCORING_ATTEMPTS: '3',
    SCORING_BACKOFF_MS: '50',
    RESCORE_BATCH: '2',
    ...env,
  });

  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'intake',
        logLevel: 'silent',
        nats: { url: NATS_TEST_URL, prefix, actorKeys: TEST_ACTOR_KEYS },
        outbox: false,
        streams: [Streams.INTAKE],
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
  const others = othersApp.get(OthersStandIn);
  const questionnaireId = randomUUID();
  others.questionnaires.set(questionnaireId, tinyQuestionnaire);
  others.cycles.set('2565', { questionnaireId });

  const boot = async () => {
    const ref = await Test.createTestingModule({ imports: [ScoringModule.forRoot(config)] }).compile();
    const app = ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: ['error'],
    });
    await runMigrations(app.get(DataSource));
    await startService(app);
    return app;
  };

  let app: INestApplication | null = await boot();
  const h: ScoringHarness = {
    get app() {
      if (!app) throw new Error('scoring is stopped');
      return app;
    },
    get ds() {
      return this.app.get(DataSource);
    },
    get queue() {
      return this.app.get<Queue>(getQueueToken(SCORING_QUEUE));
    },
    others,
    prefix,
    questionnaireId,
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
        actor: coordinatorOf(payload.agencyId),
        payload,
      };
      await jetstream(await nats.connect()).publish(nats.subject(subject), JSON.stringify(envelope), {
        msgID: eventId,
      });
      return eventId;
    },
    async submit(agency, answers, opts = {}) {
      others.agencies.set(agency.id, agency);
      const responseId = opts.responseId ?? randomUUID();
      const submission = opts.submission ?? 1;
      const responseVersion = opts.responseVersion ?? 4;
      others.submissions.set(`${responseId}/${submission}`, {
        responseId,
        cycleId: '2565',
        agencyId: agency.id,
        agencyCode: agency.code,
        agencyName: agency.nameTh,
        group: agency.group,
        submission,
        responseVersion,
        questionnaireId,
        questionnaireVersion: 1,
        answers,
        submittedAt: new Date().toISOString(),
      });
      const eventId =
        opts.publish === false
          ? ''
          : await this.publish(Events.ResponseSubmitted, {
              cycleId: '2565',
              responseId,
              agencyId: agency.id,
              agencyCode: agency.code,
              group: agency.group,
              submission,
              responseVersion,
              questionnaireId,
              questionnaireVersion: 1,
              submittedAt: new Date().toISOString(),
            });
      return { responseId, responseVersion, eventId };
    },
    async stop() {
      await app?.close();
      app = null;
    },
    async start() {
      app = await boot();
    },
    async close() {
      if (!app) app = await boot();
      await this.queue.obliterate({ force: true }).catch(() => undefined);
      await app
        .get<Queue>(getQueueToken(SCORING_SWEEP_QUEUE))
        .obliterate({ force: true })
        .catch(() => undefined);
      await app.close();
      await othersApp.close();
      await Promise.all([db.drop(), deleteNatsPrefix(prefix)]);
    },
  };
  return h;
}

export function agency(
  code: string,
  group: AgencyGroup = 'department',
  extra: Partial<TestAgency> = {},
): TestAgency {
  return {
    id: randomUUID(),
    code,
    nameTh: `หน่วยงาน ${code}`,
    group,
    ministryId: 'MDES',
    provinceCode: 'TH-50',
    ...extra,
  };
}

/** Scorecards stored for a response (all rules versions). */
export async function scorecardsOf(
  ds: DataSource,
  responseId: string,
): Promise<{ id: string; rules_version: number; overall: string; response_version: number }[]> {
  return (await ds.query(
    `SELECT id::text, rules_version, overall::text, response_version FROM scorecards WHERE response_id = $1 ORDER BY id`,
    [responseId],
  )) as { id: string; rules_version: number; overall: string; response_version: number }[];
}

/** scoring.scorecard.computed events written to the outbox for a response. */
export async function computedEventsOf(ds: DataSource, responseId: string): Promise<number> {
  const [{ n }] = (await ds.query(
    `SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND envelope->'payload'->>'responseId' = $2`,
    [Events.ScorecardComputed, responseId],
  )) as { n: number }[];
  return n;
}

export { FileTransfer };
