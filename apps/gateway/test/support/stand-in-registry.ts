import { Controller, INestApplicationContext } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import type { Agency, RpcRequestParsed, RpcResponse, RpcSubject } from '@dg/contracts';
import { FileTransfer, PlatformModule, startService } from '@dg/platform';
import { TEST_ACTOR_KEYS } from '@dg/platform/testing';
import type { CallContext } from '@dg/platform';

export interface SeenCall {
  subject: RpcSubject;
  request: unknown;
  ctx: CallContext;
}

export const EXPORT_CSV = 'code,nameTh,kind\nDEP-001,กรมทดสอบ,department\n';

/**
 * A stand-in for the registry service, answering the registry's RPC subjects over the real NATS
 * (same prefix as the gateway under test) with contract-valid data and DomainErrors. It keeps what
 * it was asked, so tests can check payloads, actors and correlation ids. It is NOT the registry:
 * end-to-end tests against the real one live in apps/registry.
 */
@Controller()
export class StandInRegistry {
  readonly calls: SeenCall[] = [];
  readonly agencies = new Map<string, Agency>();
  /** Bytes of the last import, read back through FileTransfer as the registry would. */
  lastImport?: { request: RpcRequestParsed<typeof Rpc.AgencyImport>; bytes: Uint8Array | null };
  lastExport?: RpcResponse<typeof Rpc.AgencyExport>;
  /** When set, AgencyImport answers IMPORT_INVALID with these row errors. */
  importErrors?: DomainError;

  constructor(private readonly files: FileTransfer) {}

  seen<S extends RpcSubject>(subject: S): SeenCall[] {
    return this.calls.filter((c) => c.subject === subject);
  }

  lastCall<S extends RpcSubject>(subject: S): SeenCall | undefined {
    return this.seen(subject).at(-1);
  }

  addAgency(input: Partial<Agency> & { code: string }): Agency {
    const now = new Date().toISOString();
    const agency: Agency = {
      id: randomUUID(),
      nameTh: `หน่วยงาน ${input.code}`,
      nameEn: null,
      kind: 'department',
      orgType: 'government_agency',
      parentId: null,
      parentCode: null,
      ministryId: null,
      provinceCode: null,
      status: 'active',
      effectiveFrom: null,
      effectiveTo: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...input,
    };
    this.agencies.set(agency.id, agency);
    return agency;
  }

  private record(subject: RpcSubject, request: unknown, ctx: CallContext): void {
    this.calls.push({ subject, request, ctx });
  }

  private visible(id: string, ctx: CallContext): Agency {
    const agency = this.agencies.get(id);
    const scoped = ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
    if (!agency || (scoped && ctx.actor.agencyId !== id)) throw new DomainError('AGENCY_NOT_FOUND');
    return agency;
  }

  @MessagePattern(Rpc.MinistryList)
  ministries(@Payload() req: object, @Ctx() ctx: CallContext): RpcResponse<typeof Rpc.MinistryList> {
    this.record(Rpc.MinistryList, req, ctx);
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
  provinces(@Payload() req: object, @Ctx() ctx: CallContext): RpcResponse<typeof Rpc.ProvinceList> {
    this.record(Rpc.ProvinceList, req, ctx);
    return { items: [{ code: 'TH-10', nameTh: 'กรุงเทพมหานคร', nameEn: 'Bangkok', region: 'central' }] };
  }

  @MessagePattern(Rpc.AgencyGet)
  get(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyGet>, @Ctx() ctx: CallContext): Agency {
    this.record(Rpc.AgencyGet, req, ctx);
    return this.visible(req.id, ctx);
  }

  @MessagePattern(Rpc.AgencyList)
  list(
    @Payload() req: RpcRequestParsed<typeof Rpc.AgencyList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.AgencyList> {
    this.record(Rpc.AgencyList, req, ctx);
    let items = [...this.agencies.values()];
    if (req.kind) items = items.filter((a) => a.kind === req.kind);
    if (req.q) items = items.filter((a) => a.nameTh.includes(req.q!) || a.code.includes(req.q!));
    return { items, total: items.length, page: req.page, pageSize: req.pageSize };
  }

  @MessagePattern(Rpc.AgencyCreate)
  create(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyCreate>, @Ctx() ctx: CallContext): Agency {
    this.record(Rpc.AgencyCreate, req, ctx);
    if (!ctx.actor.roles.includes('dga_admin')) throw new DomainError('FORBIDDEN');
    if ([...this.agencies.values()].some((a) => a.code === req.code))
      throw new DomainError('AGENCY_CODE_TAKEN');
    return this.addAgency({
      code: req.code,
      nameTh: req.nameTh,
      nameEn: req.nameEn ?? null,
      kind: req.kind,
      orgType: req.orgType,
      parentCode: req.parentCode ?? null,
      ministryId: req.ministryId ?? null,
      provinceCode: req.provinceCode ?? null,
      status: req.status,
      effectiveFrom: req.effectiveFrom ?? null,
      effectiveTo: req.effectiveTo ?? null,
    });
  }

  @MessagePattern(Rpc.AgencyUpdate)
  update(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyUpdate>, @Ctx() ctx: CallContext): Agency {
    this.record(Rpc.AgencyUpdate, req, ctx);
    const agency = this.visible(req.id, ctx);
    if (req.patch.version !== agency.version) {
      throw new DomainError('AGENCY_VERSION_CONFLICT', undefined, undefined, {
        currentVersion: agency.version,
      });
    }
    const { version: _v, ...changes } = req.patch;
    const updated: Agency = {
      ...agency,
      ...(Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<Agency>),
      version: agency.version + 1,
      updatedAt: new Date().toISOString(),
    };
    this.agencies.set(agency.id, updated);
    return updated;
  }

  @MessagePattern(Rpc.AgencyImport)
  async import(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyImport>, @Ctx() ctx: CallContext) {
    this.record(Rpc.AgencyImport, req, ctx);
    this.lastImport = { request: req, bytes: await this.files.get(req.file.objectName) };
    if (this.importErrors) throw this.importErrors;
    const rows = Math.max(
      0,
      Buffer.from(this.lastImport.bytes ?? [])
        .toString('utf8')
        .trim()
        .split('\n').length - 1,
    );
    return {
      dryRun: req.dryRun,
      format: req.file.objectName.endsWith('.xlsx') ? ('xlsx' as const) : ('csv' as const),
      encoding: 'utf-8',
      rows,
      created: req.dryRun ? 0 : rows,
      updated: 0,
      unchanged: 0,
    };
  }

  @MessagePattern(Rpc.AgencyExport)
  async export(@Payload() req: RpcRequestParsed<typeof Rpc.AgencyExport>, @Ctx() ctx: CallContext) {
    this.record(Rpc.AgencyExport, req, ctx);
    const file = await this.files.put(
      {
        objectName: `export/${randomUUID()}.${req.format}`,
        fileName: `agencies-2565.${req.format}`,
        contentType:
          req.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      Buffer.from(EXPORT_CSV, 'utf8'),
    );
    this.lastExport = file;
    return file;
  }

  @MessagePattern(Rpc.ContactList)
  contacts(
    @Payload() req: RpcRequestParsed<typeof Rpc.ContactList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ContactList> {
    this.record(Rpc.ContactList, req, ctx);
    this.visible(req.agencyId, ctx);
    return { items: [] };
  }

  @MessagePattern(Rpc.ContactCreate)
  addContact(
    @Payload() req: RpcRequestParsed<typeof Rpc.ContactCreate>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ContactCreate> {
    this.record(Rpc.ContactCreate, req, ctx);
    this.visible(req.agencyId, ctx);
    const c = req.contact;
    return {
      id: randomUUID(),
      agencyId: req.agencyId,
      fullName: c.fullName,
      position: c.position ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      lineId: c.lineId ?? null,
      purpose: c.purpose,
      legalBasis: c.legalBasis,
      erasedAt: null,
      createdAt: new Date().toISOString(),
    };
  }

  @MessagePattern(Rpc.ContactErase)
  erase(
    @Payload() req: RpcRequestParsed<typeof Rpc.ContactErase>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ContactErase> {
    this.record(Rpc.ContactErase, req, ctx);
    const agencyId = [...this.agencies.keys()][0];
    if (!agencyId) throw new DomainError('CONTACT_NOT_FOUND');
    const now = new Date().toISOString();
    return {
      id: req.id,
      agencyId,
      fullName: null,
      position: null,
      email: null,
      phone: null,
      lineId: null,
      purpose: 'survey coordination',
      legalBasis: 'public_task',
      erasedAt: now,
      createdAt: now,
    };
  }

  @MessagePattern(Rpc.CohortPut)
  putCohort(
    @Payload() req: RpcRequestParsed<typeof Rpc.CohortPut>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.CohortPut> {
    this.record(Rpc.CohortPut, req, ctx);
    return {
      cycleId: req.cycleId,
      announcedCount: req.cohort.announcedCount ?? null,
      finalCount: req.cohort.members.length,
      byGroup: { department: req.cohort.members.length },
      byKind: { department: req.cohort.members.length },
      version: 1,
    };
  }

  @MessagePattern(Rpc.CohortGet)
  getCohort(
    @Payload() req: RpcRequestParsed<typeof Rpc.CohortGet>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.CohortGet> {
    this.record(Rpc.CohortGet, req, ctx);
    return {
      items: [],
      total: 0,
      page: req.page,
      pageSize: req.pageSize,
      summary: {
        cycleId: req.cycleId,
        announcedCount: null,
        finalCount: 0,
        byGroup: {},
        byKind: {},
        version: 0,
      },
    };
  }
}

/** Starts the stand-in as its own Nest application with its own NATS connection (service "registry"). */
export async function startStandInRegistry(
  natsUrl: string,
  prefix: string,
): Promise<{ app: INestApplicationContext; registry: StandInRegistry }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'registry',
        logLevel: 'silent',
        nats: { url: natsUrl, prefix, actorKeys: { verifyKey: TEST_ACTOR_KEYS.verifyKey } },
        outbox: false,
      }),
    ],
    controllers: [StandInRegistry],
  }).compile();
  const app = await startService(moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }));
  return { app, registry: app.get(StandInRegistry) };
}
