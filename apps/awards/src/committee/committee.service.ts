import { Injectable } from '@nestjs/common';
import { type CategoryState, DomainError, type DecisionInput } from '@dg/contracts';
import { type CallContext, hasRole } from '@dg/platform';
import { AwardsRepository, type DecisionRow } from '../awards.repository';
import { computeCandidates } from '../categories/candidates';
import { CategoriesService } from '../categories/categories.service';
import { Sources } from '../sources/sources';
import { conflictsOf, meanCommitteeScores, quorumShortfall } from './conflicts';

/**
 * The committee's work on a category: declared conflicts, votes, and the chair's confirmation or
 * override (with a reason). Every decision is appended, never changed; a member may not judge an
 * agency they are conflicted with, nor one whose response they verified.
 */
@Injectable()
export class CommitteeService {
  constructor(
    private readonly repo: AwardsRepository,
    private readonly categories: CategoriesService,
    private readonly sources: Sources,
  ) {}

  async decide(categoryId: string, decision: DecisionInput, ctx: CallContext): Promise<CategoryState> {
    const category = await this.repo.category(categoryId);
    if (!category) throw new DomainError('AWARD_CATEGORY_NOT_FOUND');
    const member = category.spec.committee.find((m) => m.userId === ctx.actor.id);
    if (!member) throw new DomainError('AWARD_NOT_A_MEMBER');
    // Being listed is not enough: the account must hold the committee role (an admin who listed
    // themself as chair does not).
    if (!hasRole(ctx.actor, 'committee')) throw new DomainError('AWARD_COMMITTEE_ROLE_REQUIRED');
    if (decision.type === 'confirm' || decision.type === 'override') {
      if (!member.chair) throw new DomainError('FORBIDDEN', 'เฉพาะประธานกรรมการ (the chair only)');
    }
    const candidates = await this.repo.candidates(categoryId);
    if (!candidates.length) throw new DomainError('AWARD_CANDIDATES_NOT_COMPUTED');
    const byAgency = new Map(candidates.map((c) => [c.agencyId, c]));
    const decisions = await this.repo.decisions(categoryId);
    const conflicts = await conflictsOf(
      category.spec,
      candidates.map((c) => c.agencyId),
      decisions,
      this.sources,
      ctx,
    );

    const judged: string[] =
      decision.type === 'vote'
        ? decision.scores.map((s) => s.agencyId)
        : decision.type === 'override'
          ? decision.winners
          : decision.type === 'confirm'
            ? this.proposed(category.spec, candidates, decisions, conflicts).map((w) => w.agencyId)
            : [];
    for (const agencyId of judged) {
      const c = byAgency.get(agencyId);
      if (!c)
        throw new DomainError(
          'AWARD_NOT_A_CANDIDATE',
          `หน่วยงาน ${agencyId} ไม่ใช่ผู้มีสิทธิ์ในประเภทนี้ (not a candidate of this category)`,
        );
      if (conflicts.get(agencyId)?.has(member.userId)) {
        throw new DomainError(
          'AWARD_CONFLICT_OF_INTEREST',
          `กรรมการมีส่วนได้ส่วนเสียกับ ${c.agencyName} (conflict with ${c.agencyCode})`,
        );
      }
      if ((await this.sources.verifiers(category.cycleId, agencyId, ctx)).has(member.userId)) {
        throw new DomainError(
          'AWARD_CONFLICT_OF_INTEREST',
          `ท่านเป็นผู้ตรวจสอบคำตอบของ ${c.agencyName} จึงพิจารณาไม่ได้ (you verified ${c.agencyCode}'s response: segregation of duties)`,
        );
      }
      if (decision.type === 'override' && !c.eligible) {
        throw new DomainError(
          'AWARD_NOT_ELIGIBLE',
          `${c.agencyName} ไม่มีสิทธิ์: ${c.reasons.map((r) => r.th).join(', ')} (${c.agencyCode} is not eligible)`,
        );
      }
    }

    await this.repo.transaction(async (m) => {
      await this.repo.lockCycle(m, category.cycleId);
      if (await this.repo.announcedAt(category.cycleId, m)) throw new DomainError('AWARDS_ANNOUNCED');
      const current = (await this.repo.category(categoryId, m, true))!;
      if (current.status === 'decided' && decision.type !== 'conflict') {
        throw new DomainError('AWARD_CATEGORY_DECIDED');
      }
      // A confirmation or override stands on the votes and rules read above: if either moved in
      // between (another member voted, the rules were edited), the chair decides again on fresh data.
      if (
        (decision.type === 'confirm' || decision.type === 'override') &&
        (current.version !== category.version ||
          (await this.repo.decisions(categoryId, m)).length !== decisions.length)
      ) {
        throw new DomainError('AWARD_DECISION_STALE');
      }
      switch (decision.type) {
        case 'conflict':
          if (!byAgency.has(decision.agencyId))
            throw new DomainError(
              'AWARD_NOT_A_CANDIDATE',
              `หน่วยงาน ${decision.agencyId} ไม่ใช่ผู้มีสิทธิ์ในประเภทนี้ (not a candidate of this category)`,
            );
          await this.repo.addDecision(m, categoryId, 'conflict', member.userId, {
            agencyId: decision.agencyId,
            reason: decision.reason,
          });
          return;
        case 'vote':
          await this.repo.addDecision(m, categoryId, 'vote', member.userId, { scores: decision.scores });
          return;
        case 'confirm': {
          if (category.spec.metric === 'committee') requireQuorum(category.spec, decisions);
          const winners = this.proposed(category.spec, candidates, decisions, conflicts);
          if (!winners.length) throw new DomainError('AWARD_NO_ELIGIBLE_CANDIDATE');
          await this.repo.addDecision(m, categoryId, 'confirm', member.userId, { winners });
          await this.repo.setStatus(m, categoryId, 'decided');
          return;
        }
        case 'override': {
          // Naming other winners than the ranking is the committee's decision, not the chair's alone.
          requireQuorum(category.spec, decisions);
          const winners = decision.winners.map((id, i) => {
            const c = byAgency.get(id)!;
            return {
              agencyId: id,
              agencyCode: c.agencyCode,
              agencyName: c.agencyName,
              rank: i + 1,
              shared: false,
            };
          });
          await this.repo.addDecision(m, categoryId, 'override', member.userId, {
            winners,
            reason: decision.reason,
          });
          await this.repo.setStatus(m, categoryId, 'decided');
          return;
        }
      }
    });
    if (decision.type === 'vote' && category.spec.metric === 'committee') {
      await this.categories.recompute((await this.repo.category(categoryId))!, null, ctx);
    }
    const overview = await this.categories.overview(category.cycleId, ctx, false);
    return overview.categories.find((c) => c.id === categoryId)!;
  }

  /** The ranked proposal the chair confirms, from the candidates and the latest votes. */
  private proposed(
    spec: Parameters<typeof computeCandidates>[0],
    candidates: Awaited<ReturnType<AwardsRepository['candidates']>>,
    decisions: Awaited<ReturnType<AwardsRepository['decisions']>>,
    conflicts: Map<string, Set<string>>,
  ) {
    // Only the eligible compete (their eligibility was settled when the candidates were computed).
    const rows = candidates.filter((c) => c.eligible).map((c) => ({ ...c, verified: true }));
    const { proposed } = computeCandidates({ ...spec, kinds: undefined, nominated: false }, rows, {
      previousWinners: new Set(),
      committeeScores: meanCommitteeScores(
        decisions,
        conflicts,
        spec.committee.map((m) => m.userId),
      ),
    });
    return proposed;
  }
}

function requireQuorum(spec: { committee: { userId: string }[]; quorum: number }, decisions: DecisionRow[]): void {
  const short = quorumShortfall(spec, decisions);
  if (!short) return;
  throw new DomainError(
    'AWARD_QUORUM_NOT_REACHED',
    `ยังไม่ครบองค์ประชุม: ลงคะแนน ${short.voted} จาก ${short.quorum} คน (quorum not reached: ${short.voted} of ${short.quorum} voted)`,
    undefined,
    short,
  );
}
