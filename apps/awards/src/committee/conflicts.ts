import type { CategoryInput } from '@dg/contracts';
import type { CallContext } from '@dg/platform';
import type { DecisionRow } from '../awards.repository';
import type { Sources } from '../sources/sources';

/**
 * Members who may not judge each agency: automatically their own agency and agencies of the same
 * ministry, plus every conflict a member declared. agency id -> member user ids.
 */
export async function conflictsOf(
  spec: CategoryInput,
  agencyIds: string[],
  decisions: DecisionRow[],
  sources: Sources,
  ctx: CallContext,
): Promise<Map<string, Set<string>>> {
  const conflicts = new Map<string, Set<string>>();
  const add = (agencyId: string, member: string) => {
    if (!conflicts.has(agencyId)) conflicts.set(agencyId, new Set());
    conflicts.get(agencyId)!.add(member);
  };
  const withAgency = spec.committee.filter((m) => m.agencyId);
  if (withAgency.length) {
    const memberMinistries = new Map(
      await Promise.all(
        withAgency.map(async (m) => [m.userId, await sources.ministryOf(m.agencyId!, ctx)] as const),
      ),
    );
    for (const agencyId of agencyIds) {
      const ministry = await sources.ministryOf(agencyId, ctx);
      for (const m of withAgency) {
        if (m.agencyId === agencyId || (ministry && memberMinistries.get(m.userId) === ministry))
          add(agencyId, m.userId);
      }
    }
  }
  for (const d of decisions) if (d.type === 'conflict') add(String(d.details.agencyId), d.by);
  return conflicts;
}

/**
 * The mean committee score per agency: each current member's latest score, conflicted members
 * left out (a member removed from the committee no longer counts).
 */
export function meanCommitteeScores(
  decisions: DecisionRow[],
  conflicts: Map<string, Set<string>>,
  members: string[],
): Map<string, number> {
  const current = new Set(members);
  const latest = new Map<string, Map<string, number>>(); // agency -> member -> score
  for (const d of decisions) {
    if (d.type !== 'vote' || !current.has(d.by)) continue;
    for (const s of (d.details.scores as { agencyId: string; score: number }[]) ?? []) {
      if (conflicts.get(s.agencyId)?.has(d.by)) continue;
      if (!latest.has(s.agencyId)) latest.set(s.agencyId, new Map());
      latest.get(s.agencyId)!.set(d.by, s.score);
    }
  }
  const means = new Map<string, number>();
  for (const [agency, byMember] of latest) {
    const scores = [...byMember.values()];
    means.set(agency, Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10_000) / 10_000);
  }
  return means;
}

/** Current members who have voted (for the quorum). */
export function voters(decisions: DecisionRow[], members: string[]): Set<string> {
  return new Set(decisions.filter((d) => d.type === 'vote' && members.includes(d.by)).map((d) => d.by));
}

/**
 * Votes that carry a committee's decision: never the chair's alone. A committee has one chair and
 * at least one other member, so asking for two voters at the least means someone besides the chair.
 */
export const MIN_VOTERS = 2;

/**
 * What is missing for the committee's votes to carry a decision (the confirmation of a
 * committee-ranked list, or any override), or null: `quorum` members and at least MIN_VOTERS.
 */
export function quorumShortfall(
  spec: { committee: { userId: string }[]; quorum: number },
  decisions: DecisionRow[],
): { voted: number; quorum: number } | null {
  const voted = voters(
    decisions,
    spec.committee.map((m) => m.userId),
  ).size;
  const quorum = Math.max(spec.quorum, MIN_VOTERS);
  return voted >= quorum ? null : { voted, quorum };
}
