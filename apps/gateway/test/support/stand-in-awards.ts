import { Controller, INestApplicationContext, Module } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import type {
  AgencyGroup,
  Candidate,
  Category,
  CategoryInput,
  CategoryState,
  FieldError,
  RpcRequestParsed,
  RpcResponse,
  RpcSubject,
  StoredFile,
} from '@dg/contracts';
import { FileTransfer, PlatformModule, startService } from '@dg/platform';
import { TEST_ACTOR_KEYS } from '@dg/platform/testing';
import type { CallContext } from '@dg/platform';
import type { SeenCall } from './stand-in-registry';

type Overview = RpcResponse<typeof Rpc.AwardsOverview>;
type PublicWinners = RpcResponse<typeof Rpc.AwardsPublic>;
type Winner = CategoryState['awarded'][number];

/**
 * What the stand-in keeps per category. Not a CategoryState: the contract's CategoryState extends
 * Category and redefines `winners` (the NUMBER of winners there) as the list of winners, so the
 * number is kept in `category` and the list beside it.
 */
interface Stored {
  category: Category;
  candidates: Candidate[];
  decisions: CategoryState['decisions'];
  conflicts: Record<string, string[]>;
  winners: Winner[];
}

/**
 * The certificate the stand-in "renders": a PDF header, bytes of every value (high bytes, NULs,
 * CR/LF that a text transform would damage) and enough of them to span several object-store chunks.
 */
export const CERTIFICATE_PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n%'),
  Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x0d, 0x0a]),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  randomBytes(300 * 1024),
  Buffer.from('\n%%EOF\n'),
]);

/** A scored agency of a cycle, what candidates are computed from. */
export interface AwardScore {
  agencyId: string;
  agencyCode: string;
  group?: AgencyGroup;
  ministryId?: string | null;
  overall: number;
}

/**
 * A stand-in for the awards service, answering every `awards.*` RPC subject over the real NATS
 * (same prefix as the gateway under test) with contract-valid data and DomainErrors. It records
 * what it was asked (payload, actor, correlation id); keeps categories, candidates, decisions and
 * the announcement per cycle; checks roles, committee membership, the chair, quorum and conflicts
 * of interest (a member's own agency and its ministry, and declared ones) roughly like the awards
 * service; hides another agency's certificate from coordinators and approvers; and puts
 * certificates in the transfer bucket. `failNext(subject, error)` makes its next answer a given
 * DomainError. It is NOT the awards service: that one is tested in its own app, the two together in
 * the end-to-end suite.
 */
@Controller()
export class StandInAwards {
  readonly calls: SeenCall[] = [];
  readonly cycles = new Set<string>();
  readonly categories = new Map<string, Stored>();
  readonly scores = new Map<string, AwardScore[]>();
  readonly announced = new Map<string, string>();
  /** Certificates (`categoryId/agencyId`) still being made: CERTIFICATE_NOT_READY. */
  readonly notReady = new Set<string>();
  /** The last certificate put in the transfer bucket. */
  lastCertificate?: StoredFile;
  /** A broken awards service: answers with a certificate it never put in the transfer bucket. */
  certificateMissing = false;
  private readonly nextFailures = new Map<RpcSubject, DomainError>();

  constructor(private readonly files: FileTransfer) {}

  seen(subject: RpcSubject): SeenCall[] {
    return this.calls.filter((c) => c.subject === subject);
  }

  lastCall(subject: RpcSubject): SeenCall | undefined {
    return this.seen(subject).at(-1);
  }

  /** The next call of `subject` answers with `error` (once). */
  failNext(subject: RpcSubject, error: DomainError): void {
    this.nextFailures.set(subject, error);
  }

  addCycle(cycleId: string): void {
    this.cycles.add(cycleId);
  }

  addScore(cycleId: string, score: AwardScore): void {
    this.addCycle(cycleId);
    this.scores.set(cycleId, [...(this.scores.get(cycleId) ?? []), score]);
  }

  private enter(subject: RpcSubject, request: unknown, ctx: CallContext): void {
    this.calls.push({ subject, request, ctx });
    const failure = this.nextFailures.get(subject);
    if (failure) {
      this.nextFailures.delete(subject);
      throw failure;
    }
  }

  private requireRole(ctx: CallContext, ...roles: string[]): void {
    if (!ctx.actor.roles.some((r) => roles.includes(r))) throw new DomainError('FORBIDDEN');
  }

  private cycle(cycleId: string): string {
    if (!this.cycles.has(cycleId)) throw new DomainError('CYCLE_NOT_FOUND');
    return cycleId;
  }

  private notAnnounced(cycleId: string): void {
    if (this.announced.has(cycleId)) throw new DomainError('AWARDS_ANNOUNCED');
  }

  private stored(id: string): Stored {
    const stored = this.categories.get(id);
    if (!stored) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    return stored;
  }

  private ofCycle(cycleId: string): Stored[] {
    return [...this.categories.values()].filter((s) => s.category.cycleId === cycleId);
  }

  private state(s: Stored): CategoryState {
    return {
      ...s.category,
      candidates: s.candidates,
      candidateCount: s.candidates.length,
      eligibleCount: s.candidates.filter((c) => c.eligible).length,
      decisions: s.decisions,
      conflicts: s.conflicts,
      awarded: s.winners,
      nominations: [],
    };
  }

  private overview(cycleId: string): Overview {
    return {
      cycleId,
      announcedAt: this.announced.get(cycleId) ?? null,
      categories: this.ofCycle(cycleId).map((s) => this.state(s)),
    };
  }

  private publicWinners(cycleId: string): PublicWinners {
    return {
      cycleId,
      announcedAt: this.announced.get(cycleId)!,
      categories: this.ofCycle(cycleId).map(({ category: c, winners }) => ({
        id: c.id,
        key: c.key,
        name: c.name,
        // The stand-in makes no certificates.
        winners: winners.map((w) => ({ ...w, certificateNo: null })),
      })),
    };
  }

  /** The rules checks the awards service makes beyond the schema: every problem in `errors[]`. */
  private validate(category: CategoryInput, cycleId: string, id?: string): void {
    const errors: FieldError[] = [];
    if (category.metric === 'pillar' && category.pillar === undefined)
      errors.push({ path: 'pillar', code: 'REQUIRED', message: 'metric pillar needs the pillar number' });
    const members = category.committee.length;
    if (category.metric === 'committee' && members === 0)
      errors.push({ path: 'committee', code: 'REQUIRED', message: 'metric committee needs a committee' });
    if (members > 0 && category.quorum > members)
      errors.push({ path: 'quorum', code: 'QUORUM_TOO_LARGE', message: 'quorum exceeds the committee' });
    if (this.ofCycle(cycleId).some((s) => s.category.key === category.key && s.category.id !== id))
      errors.push({ path: 'key', code: 'DUPLICATE', message: `key ${category.key} is taken in this cycle` });
    if (errors.length) throw new DomainError('AWARD_CATEGORY_INVALID', undefined, errors);
  }

  private ministryOf(cycleId: string, agencyId: string | null): string | null {
    if (!agencyId) return null;
    return this.scores.get(cycleId)?.find((s) => s.agencyId === agencyId)?.ministryId ?? null;
  }

  /** Members excluded from judging `agencyId`: their own agency, the same ministry, or declared. */
  private excluded({ category, conflicts }: Stored, agencyId: string): string[] {
    const ministry = this.ministryOf(category.cycleId, agencyId);
    const automatic = category.committee
      .filter(
        (m) =>
          m.agencyId === agencyId ||
          (ministry !== null && this.ministryOf(category.cycleId, m.agencyId) === ministry),
      )
      .map((m) => m.userId);
    return [...new Set([...automatic, ...(conflicts[agencyId] ?? [])])];
  }

  private computeCandidates(category: Category): Candidate[] {
    const scores = (this.scores.get(category.cycleId) ?? []).filter(
      (s) => category.group === null || (s.group ?? 'department') === category.group,
    );
    const candidates: Candidate[] = scores.map((s) => {
      const reasons =
        category.eligibility.minOverall !== undefined && s.overall < category.eligibility.minOverall
          ? [{ code: 'BELOW_MIN_OVERALL', th: 'คะแนนรวมต่ำกว่าเกณฑ์', en: 'overall score below the minimum' }]
          : [];
      return {
        agencyId: s.agencyId,
        agencyCode: s.agencyCode,
        agencyName: `หน่วยงาน ${s.agencyCode}`,
        group: s.group ?? 'department',
        eligible: reasons.length === 0,
        reasons,
        value: s.overall,
        overall: s.overall,
        pillars: { '1': s.overall },
        change: null,
        committeeScore: null,
        rank: null,
        tied: false,
      };
    });
    const ranked = candidates.filter((c) => c.eligible).sort((a, b) => b.overall - a.overall);
    for (const c of ranked) {
      c.rank = ranked.findIndex((o) => o.overall === c.overall) + 1;
      c.tied = ranked.filter((o) => o.overall === c.overall).length > 1;
    }
    return [...ranked, ...candidates.filter((c) => !c.eligible)];
  }

  private winner(stored: Stored, agencyId: string, rank: number): Winner {
    const c = stored.candidates.find((x) => x.agencyId === agencyId);
    if (!c) {
      throw new DomainError('VALIDATION_FAILED', undefined, [
        { path: 'decision.winners', code: 'NOT_A_CANDIDATE', message: `${agencyId} is not a candidate` },
      ]);
    }
    return { agencyId, agencyCode: c.agencyCode, agencyName: c.agencyName, rank, shared: false };
  }

  // ---- categories -----------------------------------------------------------------------------

  @MessagePattern(Rpc.AwardCategoryList)
  list(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCategoryList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.AwardCategoryList> {
    this.enter(Rpc.AwardCategoryList, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator', 'committee');
    // Like the awards service: a cycle it knows nothing of has no categories (no CYCLE_NOT_FOUND).
    return { items: this.ofCycle(req.cycleId).map((s) => s.category) };
  }

  @MessagePattern(Rpc.AwardCategoryCreate)
  create(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCategoryCreate>,
    @Ctx() ctx: CallContext,
  ): Category {
    this.enter(Rpc.AwardCategoryCreate, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    this.cycle(req.cycleId);
    this.notAnnounced(req.cycleId);
    this.validate(req.category, req.cycleId);
    const now = new Date().toISOString();
    const category: Category = {
      ...req.category,
      id: randomUUID(),
      cycleId: req.cycleId,
      status: 'draft',
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.categories.set(category.id, { category, candidates: [], decisions: [], conflicts: {}, winners: [] });
    return category;
  }

  @MessagePattern(Rpc.AwardCategoryUpdate)
  update(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCategoryUpdate>,
    @Ctx() ctx: CallContext,
  ): Category {
    this.enter(Rpc.AwardCategoryUpdate, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    const stored = this.stored(req.id);
    const { category } = stored;
    this.notAnnounced(category.cycleId);
    const { version, ...changes } = req.patch;
    if (version !== category.version) {
      throw new DomainError('AWARD_CATEGORY_VERSION_CONFLICT', undefined, undefined, {
        currentVersion: category.version,
      });
    }
    if (category.status === 'decided') throw new DomainError('AWARD_CATEGORY_DECIDED');
    const next: Category = { ...category, ...changes };
    this.validate(next, category.cycleId, category.id);
    next.version = category.version + 1;
    next.updatedAt = new Date().toISOString();
    stored.category = next;
    return next;
  }

  // ---- candidates, overview, decisions ----------------------------------------------------------

  @MessagePattern(Rpc.AwardCandidatesCompute)
  candidates(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCandidatesCompute>,
    @Ctx() ctx: CallContext,
  ): Overview {
    this.enter(Rpc.AwardCandidatesCompute, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator');
    this.cycle(req.cycleId);
    this.notAnnounced(req.cycleId);
    for (const stored of this.ofCycle(req.cycleId)) {
      if (stored.category.status === 'decided') continue;
      stored.candidates = this.computeCandidates(stored.category);
      stored.category = { ...stored.category, status: 'candidates' };
      stored.conflicts = Object.fromEntries(
        stored.candidates.map((c) => [c.agencyId, this.excluded(stored, c.agencyId)]),
      );
    }
    return this.overview(req.cycleId);
  }

  @MessagePattern(Rpc.AwardsOverview)
  getOverview(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardsOverview>,
    @Ctx() ctx: CallContext,
  ): Overview {
    this.enter(Rpc.AwardsOverview, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator', 'committee');
    this.cycle(req.cycleId);
    return this.overview(req.cycleId);
  }

  @MessagePattern(Rpc.AwardNominationAdd)
  nominate(@Payload() req: RpcRequestParsed<typeof Rpc.AwardNominationAdd>, @Ctx() ctx: CallContext) {
    this.enter(Rpc.AwardNominationAdd, req, ctx);
    this.stored(req.categoryId);
    return {
      ...req.nomination,
      id: '1',
      categoryId: req.categoryId,
      agencyCode: null,
      by: ctx.actor.id,
      at: new Date().toISOString(),
    };
  }

  @MessagePattern(Rpc.AwardDecisionAdd)
  decide(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardDecisionAdd>,
    @Ctx() ctx: CallContext,
  ): CategoryState {
    this.enter(Rpc.AwardDecisionAdd, req, ctx);
    this.requireRole(ctx, 'committee', 'dga_admin');
    const stored = this.stored(req.categoryId);
    const { category } = stored;
    this.notAnnounced(category.cycleId);
    if (category.status === 'draft') throw new DomainError('AWARD_CANDIDATES_NOT_COMPUTED');
    if (category.status !== 'candidates') throw new DomainError('AWARD_CATEGORY_DECIDED');
    const member = category.committee.find((m) => m.userId === ctx.actor.id);
    if (!member) throw new DomainError('AWARD_NOT_A_MEMBER');
    const decision = req.decision;
    if ((decision.type === 'confirm' || decision.type === 'override') && !member.chair)
      throw new DomainError('AWARD_NOT_A_MEMBER', 'only the chair confirms or overrides');

    if (decision.type === 'conflict') {
      stored.conflicts[decision.agencyId] = [
        ...new Set([...(stored.conflicts[decision.agencyId] ?? []), member.userId]),
      ];
    } else if (decision.type === 'vote') {
      for (const { agencyId } of decision.scores) {
        if (this.excluded(stored, agencyId).includes(member.userId))
          throw new DomainError(
            'AWARD_CONFLICT_OF_INTEREST',
            `กรรมการมีส่วนได้ส่วนเสียกับหน่วยงาน ${agencyId} (member has a conflict with it)`,
          );
      }
    } else if (decision.type === 'confirm') {
      const voters = new Set(stored.decisions.filter((d) => d.type === 'vote').map((d) => d.by));
      if (voters.size < category.quorum)
        throw new DomainError(
          'AWARD_QUORUM_NOT_REACHED',
          `quorum not reached (${voters.size} of ${category.quorum})`,
        );
      stored.winners = stored.candidates
        .filter((c) => c.rank !== null && c.rank <= category.winners)
        .map((c) => ({ ...this.winner(stored, c.agencyId, c.rank!), shared: c.tied }));
      stored.category = { ...category, status: 'decided' };
    } else {
      stored.winners = decision.winners.map((id, i) => this.winner(stored, id, i + 1));
      stored.category = { ...category, status: 'decided' };
    }
    stored.decisions = [
      ...stored.decisions,
      {
        id: randomUUID(),
        type: decision.type,
        by: ctx.actor.id,
        at: new Date().toISOString(),
        details: decision,
      },
    ];
    return this.state(stored);
  }

  // ---- announcement, public winners, certificates ---------------------------------------------

  @MessagePattern(Rpc.AwardsAnnounce)
  announce(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardsAnnounce>,
    @Ctx() ctx: CallContext,
  ): PublicWinners {
    this.enter(Rpc.AwardsAnnounce, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    this.cycle(req.cycleId);
    this.notAnnounced(req.cycleId);
    const categories = this.ofCycle(req.cycleId);
    const open = categories.filter((s) => s.category.status !== 'decided');
    if (!categories.length) throw new DomainError('AWARD_NO_CATEGORIES');
    if (open.length) {
      const undecided = open.map((s) => s.category.key);
      throw new DomainError('AWARD_CATEGORIES_UNDECIDED', `not decided: ${undecided.join(', ')}`, undefined, {
        undecided,
      });
    }
    this.announced.set(req.cycleId, new Date().toISOString());
    for (const s of categories) s.category = { ...s.category, status: 'announced' };
    return this.publicWinners(req.cycleId);
  }

  @MessagePattern(Rpc.AwardsPublic)
  publicList(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardsPublic>,
    @Ctx() ctx: CallContext,
  ): PublicWinners {
    this.enter(Rpc.AwardsPublic, req, ctx);
    this.cycle(req.cycleId);
    if (!this.announced.has(req.cycleId)) throw new DomainError('AWARDS_NOT_ANNOUNCED');
    return this.publicWinners(req.cycleId);
  }

  /** A page of one category's candidates; agency people get their own row only. */
  @MessagePattern(Rpc.AwardCandidateList)
  candidatePage(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCandidateList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.AwardCandidateList> {
    this.enter(Rpc.AwardCandidateList, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator', 'committee', 'coordinator', 'approver');
    const stored = this.categories.get(req.categoryId);
    if (!stored) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    const scoped = ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
    const only = scoped ? ctx.actor.agencyId : req.agencyId;
    const rows = stored.candidates.filter((c) => !only || c.agencyId === only);
    const from = (req.page - 1) * req.pageSize;
    return {
      items: rows.slice(from, from + req.pageSize),
      total: rows.length,
      page: req.page,
      pageSize: req.pageSize,
      categoryId: req.categoryId,
      eligibleCount: rows.filter((c) => c.eligible).length,
    };
  }

  /** Certificate numbers it knows (`certificates.set(number, check)`); any other is not found. */
  readonly certificateNumbers = new Map<string, RpcResponse<typeof Rpc.AwardCertificateCheck>>();

  @MessagePattern(Rpc.AwardCertificateCheck)
  checkCertificate(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCertificateCheck>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.AwardCertificateCheck> {
    this.enter(Rpc.AwardCertificateCheck, req, ctx);
    const found = this.certificateNumbers.get(req.number);
    if (!found) throw new DomainError('CERTIFICATE_NOT_FOUND');
    return found;
  }

  /** Like the awards service: coordinators and approvers get their own agency's certificate only. */
  @MessagePattern(Rpc.AwardCertificateGet)
  async certificate(
    @Payload() req: RpcRequestParsed<typeof Rpc.AwardCertificateGet>,
    @Ctx() ctx: CallContext,
  ): Promise<StoredFile> {
    this.enter(Rpc.AwardCertificateGet, req, ctx);
    this.cycle(req.cycleId);
    if (!this.announced.has(req.cycleId)) throw new DomainError('AWARDS_NOT_ANNOUNCED');
    const stored = this.categories.get(req.categoryId);
    if (!stored || stored.category.cycleId !== req.cycleId) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    const { category } = stored;
    const scoped = ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
    const winner = stored.winners.find((w) => w.agencyId === req.agencyId);
    if (!winner || (scoped && ctx.actor.agencyId !== req.agencyId)) throw new DomainError('NOT_FOUND');
    if (this.notReady.has(`${req.categoryId}/${req.agencyId}`))
      throw new DomainError('CERTIFICATE_NOT_READY');
    const file = {
      objectName: `certificate/${randomUUID()}.pdf`,
      fileName: `เกียรติบัตร ${category.name.th} ${winner.agencyCode}.pdf`,
      contentType: 'application/pdf',
    };
    this.lastCertificate = this.certificateMissing
      ? { ...file, size: CERTIFICATE_PDF.length }
      : await this.files.put(file, CERTIFICATE_PDF);
    return this.lastCertificate;
  }
}

/**
 * Starts the stand-in as its own Nest application with its own NATS connection (service "awards"),
 * after the gateway (it needs the gateway's NATS prefix); built with NestFactory for the reason
 * given in stand-in-scoring.ts.
 */
export async function startStandInAwards(
  natsUrl: string,
  prefix: string,
): Promise<{ app: INestApplicationContext; awards: StandInAwards }> {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'awards',
        logLevel: 'silent',
        nats: { url: natsUrl, prefix, actorKeys: { verifyKey: TEST_ACTOR_KEYS.verifyKey } },
        outbox: false,
      }),
    ],
    controllers: [StandInAwards],
  })
  class StandInAwardsModule {}

  const app = await startService(
    await NestFactory.create(StandInAwardsModule, new FastifyAdapter(), { logger: false }),
  );
  return { app, awards: app.get(StandInAwards) };
}
