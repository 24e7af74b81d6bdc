import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type Category,
  type CategoryInput,
  type CategoryState,
  DomainError,
  type FieldError,
  type RpcRequestParsed,
  Rpc,
} from '@dg/contracts';
import { agencyScope, type CallContext, requireRole } from '@dg/platform';
import { AwardsRepository, type CategoryRow, toWinner } from '../awards.repository';
import { Sources } from '../sources/sources';
import { computeCandidates } from './candidates';
import { servableEvidence } from './nomination-links';
import { conflictsOf, meanCommitteeScores, MIN_VOTERS } from '../committee/conflicts';

/** Candidates shown per category in the overview (ranked first). */
export const CANDIDATES_SHOWN = 100;

const problem = (path: string, code: string, message: string, messageTh: string): FieldError => ({
  path,
  code,
  message,
  messageTh,
});

/** Award categories of a cycle, their candidates, and the overview the committee works from. */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly repo: AwardsRepository,
    private readonly sources: Sources,
  ) {}

  async list(cycleId: string, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee');
    return { items: (await this.repo.categories(cycleId)).map(toCategory) };
  }

  async create(cycleId: string, spec: CategoryInput, ctx: CallContext): Promise<Category> {
    requireRole(ctx.actor, 'dga_admin');
    await this.validate(cycleId, spec, ctx);
    const id = randomUUID();
    await this.repo.transaction(async (m) => {
      await this.repo.lockCycle(m, cycleId);
      if (await this.repo.announcedAt(cycleId, m)) throw new DomainError('AWARDS_ANNOUNCED');
      if (!(await this.repo.insertCategory(m, id, cycleId, spec))) {
        throw new DomainError('AWARD_CATEGORY_INVALID', undefined, [
          problem(
            'key',
            'DUPLICATE_KEY',
            `a category "${spec.key}" exists in this cycle`,
            `มีประเภทรางวัล "${spec.key}" ในรอบนี้แล้ว`,
          ),
        ]);
      }
    });
    return toCategory((await this.repo.category(id))!);
  }

  async update(
    id: string,
    patch: RpcRequestParsed<typeof Rpc.AwardCategoryUpdate>['patch'],
    ctx: CallContext,
  ): Promise<Category> {
    requireRole(ctx.actor, 'dga_admin');
    const current = await this.repo.category(id);
    if (!current) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    const { version, ...changes } = patch;
    const spec: CategoryInput = {
      ...current.spec,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    };
    await this.validate(current.cycleId, spec, ctx);
    await this.repo.transaction(async (m) => {
      await this.repo.lockCycle(m, current.cycleId);
      const row = (await this.repo.category(id, m, true))!;
      if (row.version !== version) {
        throw new DomainError('AWARD_CATEGORY_VERSION_CONFLICT', undefined, undefined, {
          currentVersion: row.version,
        });
      }
      if (row.status === 'announced') throw new DomainError('AWARDS_ANNOUNCED');
      if (row.status === 'decided')
        throw new DomainError('AWARD_CATEGORY_DECIDED', 'ตัดสินแล้ว แก้ไขเกณฑ์ไม่ได้ (already decided)');
      // New rules: candidates must be computed again.
      await this.repo.updateCategory(m, id, spec, 'draft');
      await this.repo.replaceCandidates(m, id, []);
    });
    return toCategory((await this.repo.category(id))!);
  }

  /** Candidates of every undecided category, from the published results. */
  async computeAll(cycleId: string, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    if (await this.repo.announcedAt(cycleId)) throw new DomainError('AWARDS_ANNOUNCED');
    const results = await this.sources.publishedResults(cycleId, ctx);
    for (const category of await this.repo.categories(cycleId)) {
      if (category.status === 'decided' || category.status === 'announced') continue;
      await this.recompute(category, results, ctx);
    }
    return this.overview(cycleId, ctx, false);
  }

  /** Recomputes one category's candidates (after votes too, for committee-ranked categories). */
  async recompute(
    category: CategoryRow,
    results: Awaited<ReturnType<Sources['publishedResults']>> | null,
    ctx: CallContext,
  ) {
    const rows = results ?? (await this.sources.publishedResults(category.cycleId, ctx));
    const previousCycle = /^\d{4}$/.test(category.cycleId) ? String(Number(category.cycleId) - 1) : null;
    const spec = category.spec;
    const kinds = spec.kinds?.length
      ? new Map(
          await Promise.all(
            rows.map(
              async (r) =>
                [r.agencyId, (await this.sources.agency(r.agencyId, ctx)).kind] as [string, string],
            ),
          ),
        )
      : undefined;
    const decisions = await this.repo.decisions(category.id);
    const conflicts = await conflictsOf(
      spec,
      rows.map((r) => r.agencyId),
      decisions,
      this.sources,
      ctx,
    );
    const { candidates } = computeCandidates(spec, rows, {
      previousWinners: previousCycle ? await this.repo.winnersOfKey(previousCycle, spec.key) : new Set(),
      committeeScores: meanCommitteeScores(
        decisions,
        conflicts,
        spec.committee.map((m) => m.userId),
      ),
      kinds,
      nominated: new Set((await this.repo.nominations(category.id)).map((n) => n.agencyId)),
    });
    await this.repo.transaction(async (m) => {
      await this.repo.lockCycle(m, category.cycleId);
      // Decided, or its rules changed while this ran: these candidates no longer belong to it.
      const now = await this.repo.category(category.id, m, true);
      if (!now || now.version !== category.version || now.status === 'decided' || now.status === 'announced')
        return;
      await this.repo.replaceCandidates(m, category.id, candidates);
      if (now.status === 'draft') await this.repo.setStatus(m, category.id, 'candidates');
    });
  }

  /**
   * One page of a category's candidates with their reasons. DGA staff and the committee read every
   * row; an agency's coordinator and approver read their own agency's row only (an empty page when
   * it is not a candidate).
   */
  async candidatesPage(req: RpcRequestParsed<typeof Rpc.AwardCandidateList>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee', 'coordinator', 'approver');
    const category = await this.repo.category(req.categoryId);
    if (!category) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    const scope = agencyScope(ctx.actor);
    const agencyId = scope ?? req.agencyId;
    if (scope !== null && req.agencyId && req.agencyId !== scope) {
      return { items: [], total: 0, page: req.page, pageSize: req.pageSize, categoryId: category.id, eligibleCount: 0 };
    }
    const found = await this.repo.candidatesPage(category.id, { page: req.page, pageSize: req.pageSize, agencyId });
    return { ...found, page: req.page, pageSize: req.pageSize, categoryId: category.id };
  }

  async overview(cycleId: string, ctx: CallContext, check = true) {
    if (check) requireRole(ctx.actor, 'dga_admin', 'operator', 'committee');
    const announcedAt = await this.repo.announcedAt(cycleId);
    const winners = await this.repo.winners(cycleId);
    const categories: CategoryState[] = [];
    for (const row of await this.repo.categories(cycleId)) {
      const candidates = await this.repo.candidates(row.id);
      const decisions = await this.repo.decisions(row.id);
      const conflicts = await conflictsOf(
        row.spec,
        candidates.map((c) => c.agencyId),
        decisions,
        this.sources,
        ctx,
      );
      categories.push({
        ...toCategory(row),
        // The whole list would not fit one NATS message for the provincial or local group.
        candidates: candidates.slice(0, CANDIDATES_SHOWN),
        candidateCount: candidates.length,
        eligibleCount: candidates.filter((c) => c.eligible).length,
        decisions: decisions.map((d) => ({
          id: d.id,
          type: d.type,
          by: d.by,
          at: new Date(d.at).toISOString(),
          details: d.details,
        })),
        conflicts: Object.fromEntries([...conflicts].map(([agency, members]) => [agency, [...members]])),
        nominations: (await this.repo.nominations(row.id)).map((n) => ({
          ...(n.data as Omit<
            CategoryState['nominations'][number],
            'id' | 'categoryId' | 'agencyCode' | 'by' | 'at'
          >),
          evidence: servableEvidence((n.data as { evidence?: unknown }).evidence).links,
          id: n.id,
          agencyId: n.agencyId,
          categoryId: n.categoryId,
          agencyCode: n.agencyCode,
          by: n.by,
          at: new Date(n.at).toISOString(),
        })),
        awarded: winners.filter((w) => w.categoryId === row.id).map(toWinner),
      });
    }
    return { cycleId, announcedAt: announcedAt ? new Date(announcedAt).toISOString() : null, categories };
  }

  /** Rules that do not fit the cycle are refused with every problem named. */
  private async validate(cycleId: string, spec: CategoryInput, ctx: CallContext): Promise<void> {
    const problems: FieldError[] = [];
    const pillars = new Set(await this.sources.pillarNumbers(cycleId, ctx));
    const unknownPillar = (path: string, n: number) =>
      problems.push(
        problem(
          path,
          'UNKNOWN_PILLAR',
          `the cycle's questionnaire has no pillar ${n}`,
          `แบบสำรวจของรอบนี้ไม่มีตัวชี้วัดที่ ${n}`,
        ),
      );
    if (spec.metric === 'pillar') {
      if (spec.pillar === undefined)
        problems.push(
          problem('pillar', 'PILLAR_REQUIRED', 'metric pillar needs a pillar number', 'ต้องระบุตัวชี้วัด'),
        );
      else if (!pillars.has(spec.pillar)) unknownPillar('pillar', spec.pillar);
    }
    spec.tieBreaks.forEach((t, i) => {
      const n = /^pillar:([1-6])$/.exec(t)?.[1];
      if (n && !pillars.has(Number(n))) unknownPillar(`tieBreaks.${i}`, Number(n));
      if (t === 'committee' && !spec.committee.length) {
        problems.push(
          problem(
            `tieBreaks.${i}`,
            'NO_COMMITTEE',
            'a committee tie-break needs a committee',
            'ต้องมีคณะกรรมการ',
          ),
        );
      }
    });
    for (const n of Object.keys(spec.eligibility.minPillar ?? {}))
      if (!pillars.has(Number(n))) unknownPillar(`eligibility.minPillar.${n}`, Number(n));
    const chairs = spec.committee.filter((m) => m.chair).length;
    if (spec.committee.length && chairs !== 1) {
      problems.push(
        problem(
          'committee',
          'ONE_CHAIR',
          `a committee has exactly one chair (${chairs} given)`,
          `คณะกรรมการต้องมีประธาน 1 คน (ระบุ ${chairs})`,
        ),
      );
    }
    if (spec.committee.length === 1) {
      problems.push(
        problem(
          'committee',
          'COMMITTEE_TOO_SMALL',
          'a committee has its chair and at least one other member: the chair never decides alone',
          'คณะกรรมการต้องมีประธานและกรรมการอื่นอย่างน้อย 1 คน ประธานตัดสินคนเดียวไม่ได้',
        ),
      );
    }
    if (spec.metric === 'committee' && spec.quorum < MIN_VOTERS) {
      problems.push(
        problem(
          'quorum',
          'QUORUM_TOO_LOW',
          `a committee-ranked category needs at least ${MIN_VOTERS} members voting (quorum ${spec.quorum})`,
          `ประเภทที่คณะกรรมการให้คะแนนต้องมีองค์ประชุมอย่างน้อย ${MIN_VOTERS} คน`,
        ),
      );
    }
    if (spec.metric === 'committee' && !spec.committee.length) {
      problems.push(
        problem('committee', 'NO_COMMITTEE', 'metric committee needs a committee', 'ต้องมีคณะกรรมการให้คะแนน'),
      );
    }
    if (spec.committee.length && spec.quorum > spec.committee.length) {
      problems.push(
        problem(
          'quorum',
          'QUORUM_TOO_HIGH',
          `quorum ${spec.quorum} is more than the ${spec.committee.length} members`,
          'องค์ประชุมมากกว่าจำนวนกรรมการ',
        ),
      );
    }
    const ids = spec.committee.map((m) => m.userId);
    if (new Set(ids).size !== ids.length)
      problems.push(problem('committee', 'DUPLICATE_MEMBER', 'a member is listed twice', 'มีกรรมการซ้ำ'));
    if (problems.length) throw new DomainError('AWARD_CATEGORY_INVALID', undefined, problems);
  }
}

export function toCategory(row: CategoryRow): Category {
  return {
    ...row.spec,
    id: row.id,
    cycleId: row.cycleId,
    status: row.status,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
