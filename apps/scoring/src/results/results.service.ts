import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DomainError,
  Events,
  publicationRefusal,
  type PublishedCycles,
  type PublishSummary,
  type Results,
  type RpcRequestParsed,
  Rpc,
  type ScorecardRecord,
} from '@dg/contracts';
import {
  addToOutbox,
  agencyScope,
  type CallContext,
  FileTransfer,
  OutboxRelay,
  requireRole,
} from '@dg/platform';
import type { Questionnaire, StandardisedScore } from '@dg/survey-model';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { lockCycle, publicationOf } from '../cycle-lock';
import { FailuresRepository } from '../jobs/failures.repository';
import { RulesRepository } from '../rules/rules.repository';
import { ScoresRepository } from '../scorecards/scores.repository';
import { IntakeSource } from '../sources/intake.source';
import { RegistrySource } from '../sources/registry.source';
import { type CohortResults, cohortResults } from './cohort-results';
import { readPreviousResults } from './previous-results.reader';
import { type PublishedRow, ResultsRepository } from './results.repository';

type Query = RpcRequestParsed<typeof Rpc.ResultsGet>;

/** The cycle before this one: a B.E. year's predecessor (2565 -> 2564); other ids have none. */
export function previousCycleOf(cycleId: string): string | null {
  return /^\d{4}$/.test(cycleId) ? String(Number(cycleId) - 1) : null;
}

/**
 * Cohort results: provisional (computed from the current scorecards on each read) until published,
 * then frozen rows that never change again. Year-over-year change compares with the previous
 * cycle's published results, whether published here or imported from a CSV.
 */
@Injectable()
export class ResultsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    private readonly scores: ScoresRepository,
    private readonly rules: RulesRepository,
    private readonly results: ResultsRepository,
    private readonly failures: FailuresRepository,
    private readonly intake: IntakeSource,
    private readonly registry: RegistrySource,
    private readonly files: FileTransfer,
    private readonly outbox: OutboxRelay,
  ) {}

  async get(query: Query, ctx: CallContext): Promise<Results> {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee');
    return (await publicationOf(this.ds.manager, query.cycleId))
      ? this.published(query)
      : this.provisional(query, ctx);
  }

  /** No login: published results only. */
  async public(query: Query): Promise<Results> {
    if (!(await publicationOf(this.ds.manager, query.cycleId)))
      throw new DomainError('RESULTS_NOT_PUBLISHED');
    return this.published(query);
  }

  /**
   * No login: the cycles whose results are published here, with their B.E. year and title from
   * intake (asked as the system: anyone may read a published cycle's name).
   */
  async publishedCycles(ctx: CallContext): Promise<PublishedCycles> {
    const published = await this.results.publishedCycles();
    const items = await Promise.all(
      published.map(async ({ cycleId, publishedAt }) => {
        const cycle = await this.intake.cycle(cycleId, ctx).catch((e: unknown) => {
          if (e instanceof DomainError && e.code === 'CYCLE_NOT_FOUND') return null;
          throw e;
        });
        return {
          id: cycleId,
          yearBE: cycle?.yearBE ?? null,
          title: cycle?.title ?? null,
          publishedAt: new Date(publishedAt).toISOString(),
        };
      }),
    );
    return { items };
  }

  /**
   * No login: one agency's published scorecard by its code, exactly as its own people read it
   * once published (every point explained). Before publication 404 RESULTS_NOT_PUBLISHED; an
   * agency without a published card (not in the cohort, not scored, an unknown code) 404
   * SCORECARD_NOT_FOUND.
   */
  async publicScorecard(cycleId: string, agencyCode: string): Promise<ScorecardRecord> {
    if (!(await publicationOf(this.ds.manager, cycleId))) throw new DomainError('RESULTS_NOT_PUBLISHED');
    const published = await this.results.oneByCode(cycleId, agencyCode);
    const stored = published?.scorecardId ? await this.scores.scorecard(published.scorecardId) : null;
    if (!published || !stored) throw new DomainError('SCORECARD_NOT_FOUND');
    return recordOf(stored, cycleId, published.agencyId, true, published.standardised);
  }

  async publish(cycleId: string, ctx: CallContext): Promise<PublishSummary> {
    requireRole(ctx.actor, 'dga_admin');
    const summary = await this.ds.transaction(async (m) => {
      await lockCycle(m, cycleId);
      if (await publicationOf(m, cycleId)) throw new DomainError('RESULTS_PUBLISHED');
      // The real order: the cycle closed, every submitted response verified or set aside by DGA.
      // Otherwise agencies that answer later never get a published card, and unverified scores go out.
      const refusal = publicationRefusal(await this.intake.readiness(cycleId, ctx), {
        th: 'ประกาศผลคะแนน',
        en: 'results are published',
      });
      if (refusal) throw new DomainError(refusal.code, refusal.detail, undefined, refusal.meta);
      const running = (await m.query(`SELECT 1 FROM rescores WHERE cycle_id = $1 AND finished_at IS NULL`, [
        cycleId,
      ])) as unknown[];
      if (running.length) throw new DomainError('RESCORE_RUNNING');
      const rules = await this.rules.current(cycleId, m);
      if (!rules) throw new DomainError('SCORING_RULES_MISSING');
      const computed = await this.compute(cycleId, ctx);
      if (!computed.results.rows.length) throw new DomainError('NOTHING_SCORED');
      await this.results.freeze(m, cycleId, computed.results.rows);
      const publishedAt = new Date();
      await m.query(
        `INSERT INTO scoring_cycles (cycle_id, published_at, published_by, published_rules_version, published_statistics, method)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (cycle_id) DO UPDATE SET published_at = $2, published_by = $3, published_rules_version = $4,
           published_statistics = $5, method = $6`,
        [
          cycleId,
          publishedAt,
          ctx.actor.id,
          rules.version,
          JSON.stringify(computed.results.statistics),
          rules.method,
        ],
      );
      const byGroup: PublishSummary['byGroup'] = {};
      for (const r of computed.results.rows) byGroup[r.group] = (byGroup[r.group] ?? 0) + 1;
      const summary: PublishSummary = {
        cycleId,
        publishedAt: publishedAt.toISOString(),
        publishedBy: ctx.actor.id,
        rulesVersion: rules.version,
        scored: computed.results.rows.length,
        byGroup,
      };
      await addToOutbox(m, Events.ResultsPublished, { ...summary }, ctx);
      return summary;
    });
    this.outbox.kick();
    return summary;
  }

  /**
   * An agency's scorecard. Operators see the latest card; an agency's own people see the published
   * card only (or the latest, when SCORECARD_BEFORE_PUBLISH allows), and another agency's card is
   * "not found" so its existence is not revealed.
   */
  async scorecard(cycleId: string, agencyId: string, ctx: CallContext): Promise<ScorecardRecord> {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee', 'coordinator', 'approver');
    const scope = agencyScope(ctx.actor);
    if (scope !== null && scope !== agencyId) throw new DomainError('SCORECARD_NOT_FOUND');
    const publication = await publicationOf(this.ds.manager, cycleId);
    const published = publication ? await this.results.one(cycleId, agencyId) : null;
    let id: string | null;
    if (scope !== null && !publication) {
      if (!this.config.SCORECARD_BEFORE_PUBLISH) throw new DomainError('SCORECARD_NOT_FOUND');
      id = await this.scores.currentScorecardId(cycleId, agencyId);
    } else if (scope !== null) {
      id = published?.scorecardId ?? null;
    } else {
      id = await this.scores.currentScorecardId(cycleId, agencyId);
    }
    const stored = id ? await this.scores.scorecard(id) : null;
    if (!stored) throw new DomainError('SCORECARD_NOT_FOUND');
    const isPublished = published?.scorecardId === stored.id;
    let standardised = isPublished ? (published?.standardised ?? null) : null;
    if (!isPublished && stored.card.method === 'standardised') {
      standardised =
        (await this.compute(cycleId, ctx)).results.rows.find((r) => r.agencyId === agencyId)?.standardised ??
        null;
    }
    return recordOf(stored, cycleId, agencyId, isPublished, standardised);
  }

  async importPrevious(req: RpcRequestParsed<typeof Rpc.ResultsImport>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin');
    const bytes = await this.files.get(req.file.objectName);
    if (!bytes)
      throw new DomainError(
        'VALIDATION_FAILED',
        'ไฟล์หมดอายุหรือไม่พบ กรุณาอัปโหลดใหม่ (file expired; upload again)',
      );
    const rows = readPreviousResults(bytes);
    const replaced = await this.ds
      .transaction(async (m) => {
        await lockCycle(m, req.cycleId);
        if (await this.results.hasPlatformResults(m, req.cycleId)) {
          throw new DomainError(
            'RESULTS_PUBLISHED',
            'รอบนี้ประกาศผลในระบบแล้ว นำเข้าทับไม่ได้ (published here; cannot be replaced by an import)',
          );
        }
        const n = await this.results.replaceImported(m, req.cycleId, rows);
        // A dry run does the whole import and rolls it back, so it reports exactly what would happen.
        if (req.dryRun) throw new DryRunDone(n);
        return n;
      })
      .catch((e: unknown) => {
        if (e instanceof DryRunDone) return e.replaced;
        throw e;
      });
    return { cycleId: req.cycleId, imported: rows.length, replaced, dryRun: req.dryRun };
  }

  async failuresOf(cycleId: string, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    return { items: await this.failures.open(cycleId) };
  }

  private async provisional(query: Query, ctx: CallContext): Promise<Results> {
    const { results, rulesVersion, method } = await this.compute(query.cycleId, ctx);
    const q = query.q?.trim().toLocaleLowerCase('th');
    const filtered = results.rows.filter(
      (r) =>
        (!query.group || r.group === query.group) &&
        (!query.ministryId || r.ministryId === query.ministryId) &&
        (!query.province || r.provinceCode === query.province) &&
        (!q ||
          r.agencyCode.toLocaleLowerCase('th').includes(q) ||
          r.agencyName.toLocaleLowerCase('th').includes(q)),
    );
    const start = (query.page - 1) * query.pageSize;
    return {
      cycleId: query.cycleId,
      status: 'provisional',
      publishedAt: null,
      rulesVersion,
      method,
      previousCycleId: previousCycleOf(query.cycleId),
      scored: results.rows.length,
      failed: (await this.failures.open(query.cycleId)).length,
      statistics: results.statistics,
      rankings: {
        items: filtered.slice(start, start + query.pageSize).map(publicRow),
        total: filtered.length,
        page: query.page,
        pageSize: query.pageSize,
      },
    };
  }

  private async published(query: Query): Promise<Results> {
    const publication = (await publicationOf(this.ds.manager, query.cycleId))!;
    const page = await this.results.page(
      query.cycleId,
      { group: query.group, ministryId: query.ministryId, provinceCode: query.province, q: query.q },
      query.page,
      query.pageSize,
    );
    const all = await this.results.page(query.cycleId, {}, 1, 1);
    const [{ method }] = (await this.ds.query(`SELECT method FROM scoring_cycles WHERE cycle_id = $1`, [
      query.cycleId,
    ])) as {
      method: 'raw' | 'standardised';
    }[];
    return {
      cycleId: query.cycleId,
      status: 'published',
      publishedAt: new Date(publication.publishedAt!).toISOString(),
      rulesVersion: publication.publishedRulesVersion,
      method,
      previousCycleId: previousCycleOf(query.cycleId),
      scored: all.total,
      failed: 0,
      statistics: publication.publishedStatistics as Results['statistics'],
      rankings: {
        items: page.items.map(publicRow),
        total: page.total,
        page: query.page,
        pageSize: query.pageSize,
      },
    };
  }

  /** Everything results need, computed from the current scorecards. */
  private async compute(
    cycleId: string,
    ctx: CallContext,
  ): Promise<{ results: CohortResults; rulesVersion: number | null; method: 'raw' | 'standardised' | null }> {
    const rules = await this.rules.current(cycleId);
    const rows = await this.scores.cohort(cycleId);
    const previousCycle = previousCycleOf(cycleId);
    const previous = previousCycle
      ? await this.results.overallByCode(previousCycle)
      : new Map<string, number>();
    let questionnaire: Questionnaire | null = null;
    if (rules?.method === 'standardised') {
      const cycle = await this.intake.cycle(cycleId, ctx);
      if (cycle.questionnaireId) questionnaire = await this.intake.questionnaire(cycle.questionnaireId, ctx);
    }
    const names = await this.registry.referenceNames(ctx);
    return {
      results: cohortResults(rows, rules?.rules ?? null, questionnaire, previous, names),
      rulesVersion: rules?.version ?? null,
      method: rules?.method ?? null,
    };
  }
}

type Stored = NonNullable<Awaited<ReturnType<ScoresRepository['scorecard']>>>;

/** A stored scorecard on the wire, with its inputs and, when standardised, its index. */
function recordOf(
  stored: Stored,
  cycleId: string,
  agencyId: string,
  published: boolean,
  standardised: StandardisedScore | null,
): ScorecardRecord {
  const i = stored.input;
  return {
    id: stored.id,
    cycleId,
    agencyId,
    agencyCode: i.agencyCode,
    agencyName: i.agencyName,
    group: i.group,
    responseId: i.responseId,
    responseVersion: i.responseVersion,
    submission: i.submission,
    questionnaireId: i.questionnaireId,
    questionnaireVersion: i.questionnaireVersion,
    rulesVersion: stored.rulesVersion,
    engineVersion: stored.engineVersion,
    verified: i.verified,
    computedAt: new Date(stored.computedAt).toISOString(),
    standardised: standardised ? { index: standardised.index, pillars: standardised.pillars } : null,
    published,
    card: stored.card,
  };
}

class DryRunDone extends Error {
  constructor(readonly replaced: number) {
    super('dry run');
  }
}

function publicRow(r: PublishedRow | CohortResults['rows'][number]) {
  const { scorecardId: _s, standardised: _z, ...row } = r;
  return row;
}
