import { Injectable } from '@nestjs/common';
import { DomainError, Rpc, SYSTEM_ACTOR } from '@dg/contracts';
import { type CallContext, ServiceClient } from '@dg/platform';
import type { ResultRow } from '../categories/candidates';

const PAGE = 500;

/** What awards asks scoring, the registry and intake (never their tables). */
@Injectable()
export class Sources {
  private readonly ministries = new Map<string, Promise<string | null>>();

  constructor(private readonly rpc: ServiceClient) {}

  private system(ctx: CallContext): CallContext {
    return { correlationId: ctx.correlationId, actor: SYSTEM_ACTOR };
  }

  /** The published results of a cycle, every row; candidates come only from published results. */
  async publishedResults(cycleId: string, ctx: CallContext): Promise<ResultRow[]> {
    const rows: ResultRow[] = [];
    for (let page = 1; ; page++) {
      const res = await this.rpc.call(
        Rpc.ResultsGet,
        { cycleId, page, pageSize: PAGE },
        this.system(ctx),
        30_000,
      );
      if (res.status !== 'published') {
        throw new DomainError('AWARD_RESULTS_NOT_PUBLISHED');
      }
      rows.push(
        ...res.rankings.items.map((r) => ({
          agencyId: r.agencyId,
          agencyCode: r.agencyCode,
          agencyName: r.agencyName,
          group: r.group,
          overall: r.overall,
          pillars: r.pillars,
          change: r.change,
          verified: r.verified,
        })),
      );
      if (page * PAGE >= res.rankings.total || !res.rankings.items.length) return rows;
    }
  }

  /** Pillar numbers of the cycle's questionnaire (to refuse categories naming a pillar that does not exist). */
  async pillarNumbers(cycleId: string, ctx: CallContext): Promise<number[]> {
    const cycle = await this.rpc.call(Rpc.CycleGet, { cycleId }, this.system(ctx));
    if (!cycle.questionnaireId) return [];
    const q = await this.rpc.call(Rpc.QuestionnaireGet, { id: cycle.questionnaireId }, this.system(ctx));
    const pillars = (q.definition as { pillars?: { number: number }[] }).pillars ?? [];
    return pillars.map((p) => p.number);
  }

  /** Whether intake lets the cycle's outcome be announced (closed, every submission dealt with). */
  readiness(cycleId: string, ctx: CallContext) {
    return this.rpc.call(Rpc.CycleReadiness, { cycleId }, this.system(ctx));
  }

  cycle(cycleId: string, ctx: CallContext) {
    return this.rpc.call(Rpc.CycleGet, { cycleId }, this.system(ctx));
  }

  async agency(id: string, ctx: CallContext) {
    return this.rpc.call(Rpc.AgencyGet, { id }, this.system(ctx));
  }

  /** An agency's ministry, cached for the process (conflict-of-interest checks ask often). */
  ministryOf(agencyId: string, ctx: CallContext): Promise<string | null> {
    let found = this.ministries.get(agencyId);
    if (!found) {
      found = this.agency(agencyId, ctx).then((a) => a.ministryId);
      found.catch(() => this.ministries.delete(agencyId));
      this.ministries.set(agencyId, found);
    }
    return found;
  }

  /** Who verified an agency's response (segregation of duties: they may not judge it). */
  async verifiers(cycleId: string, agencyId: string, ctx: CallContext): Promise<Set<string>> {
    try {
      const audit = await this.rpc.call(Rpc.ResponseAudit, { cycleId, agencyId }, this.system(ctx));
      return new Set(audit.items.filter((a) => a.action.startsWith('verify.')).map((a) => a.actorId));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'RESPONSE_NOT_FOUND') return new Set();
      throw e;
    }
  }
}
