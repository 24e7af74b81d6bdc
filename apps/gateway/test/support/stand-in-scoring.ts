import { Controller, INestApplicationContext, Module } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import type {
  AgencyGroup,
  FieldError,
  Methodology,
  RankingRow,
  RescoreStatus,
  Results,
  RpcRequestParsed,
  RpcResponse,
  RpcSubject,
  ScorecardRecord,
  SliceStats,
  Stats,
} from '@dg/contracts';
import { FileTransfer, PlatformModule, startService } from '@dg/platform';
import { TEST_ACTOR_KEYS } from '@dg/platform/testing';
import type { CallContext } from '@dg/platform';
import type { SeenCall } from './stand-in-registry';

type RuleSet = RpcResponse<typeof Rpc.ScoringRulesGet>;
type Failure = RpcResponse<typeof Rpc.ScoringFailureList>['items'][number];

/** The pillars of the stand-in's questionnaire: rules naming any other pillar do not fit it. */
export const PILLARS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] as const;

/** What the stand-in keeps per scored agency (the card plus what rankings filter on). */
export interface ScoredAgency {
  record: ScorecardRecord;
  ministryId: string | null;
  provinceCode: string | null;
}

const keyOf = (cycleId: string, agencyId: string) => `${cycleId}/${agencyId}`;
const text = (th: string, en: string) => ({ th, en });

function statsOf(values: number[]): Stats {
  if (!values.length) return { n: 0, mean: null, median: null, q1: null, q3: null, min: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
  return {
    n: sorted.length,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    median: at(0.5),
    q1: at(0.25),
    q3: at(0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** A contract-valid methodology of one pillar, one indicator and one yes/no question. */
export function methodologyOf(cycleId: string): Methodology {
  const unanswered = { counted: true, points: 'zero' as const };
  return {
    cycleId,
    engineVersion: '1.0.0',
    questionnaire: { id: 'dg-2565', version: 1, title: text('แบบสำรวจ', 'Questionnaire'), sample: true },
    rules: { id: 'dg-2565-rules', version: 1, title: text('เกณฑ์', 'Rules'), sample: true },
    method: 'raw',
    scoreScale: { min: 0, max: 100 },
    classifyScale: { min: 0, max: 100 },
    general: { title: text('ข้อมูลทั่วไป', 'General'), questions: 3 },
    pillars: [
      {
        id: 'P1',
        number: 1,
        title: text('แนวนโยบาย', 'Policy'),
        weight: 100,
        weightFrom: 'rules',
        indicators: [
          {
            id: 'P1.1',
            title: text('แผน', 'Plan'),
            weight: 1,
            weightFrom: 'default',
            scoredQuestions: 1,
            questions: [
              {
                id: 'P1.Q1',
                type: 'yes_no',
                text: text('มีแผนดิจิทัลหรือไม่', 'Is there a digital plan?'),
                help: null,
                required: true,
                visibleIf: null,
                options: null,
                unit: null,
                min: null,
                max: null,
                integer: false,
                fields: null,
                evidence: null,
                scored: true,
                excluded: false,
                rubric: { kind: 'yes_no', yes: 1, no: 0 },
                maxPoints: 1,
                weight: 1,
                weightFrom: 'default',
              },
            ],
          },
        ],
      },
    ],
    totals: { pillars: 1, indicators: 1, questions: 1, scoredQuestions: 1, excludedQuestions: 0 },
    defaultWeights: { pillar: 1, indicator: 1, question: 1 },
    hiddenQuestions: 'zero',
    outcomes: {
      earned: { counted: true, points: 'rubric' },
      unanswered,
      hidden: unanswered,
      not_applicable: { counted: false, points: 'zero' },
      excluded: { counted: false, points: 'zero' },
      rejected: unanswered,
      awaiting_acceptance: unanswered,
    },
    answers: {
      blankIsUnanswered: true,
      duplicatesCountOnce: true,
      malformedIsUnanswered: true,
      lastVerdictCounts: true,
    },
    conditions: {
      strictComparison: true,
      multipleChoiceContains: true,
      hiddenQuestionHidesDependents: true,
      unansweredIsFalse: true,
    },
    aggregation: {
      indicator: 'weighted_mean_of_points_over_max',
      pillar: 'weighted_mean_of_indicators',
      overall: 'weighted_mean_of_pillars',
      emptyIndicatorScoresZeroAndWeighs: true,
      multipleChoice: 'sum_capped',
      range: 'first_band_min_inclusive_max_exclusive',
      count: 'per_item_capped',
    },
    rounding: {
      mode: 'half_away_from_zero',
      fromExactValues: true,
      scores: 2,
      points: 6,
      statistics: { decimals: 2, from: 'reported_scores' },
      change: { decimals: 4, from: 'reported_scores' },
      standardised: null,
    },
    levels: [1, 2, 3, 4, 5].map((level) => ({
      level,
      name: text(`ระดับ ${level}`, `Level ${level}`),
      min: (level - 1) * 20,
      below: level === 5 ? null : level * 20,
    })),
    bands: [{ id: 'all', name: text('ทั้งหมด', 'All'), min: 0, below: null }],
    classifiedBy: 'reported_overall',
    ranking: {
      within: 'group',
      by: 'overall',
      order: 'descending',
      ties: 'shared_rank_skip_next',
      tiesListedBy: 'agency_code',
    },
    standardised: null,
  };
}

/**
 * A stand-in for the scoring service, answering every `scoring.*` RPC subject over the real NATS
 * (same prefix as the gateway under test) with contract-valid data and DomainErrors. It records
 * what it was asked (payload, actor, correlation id); keeps scorecards, rules, rescores and the
 * published state per cycle; scopes coordinators and approvers to their own agency's card once
 * published (404 otherwise), like the scoring service; reads result imports back through
 * FileTransfer; and `failNext(subject, error)` makes its next answer a given DomainError. It is NOT
 * the scoring service: that one is tested in its own app, the two together in the end-to-end suite.
 */
@Controller()
export class StandInScoring {
  readonly calls: SeenCall[] = [];
  readonly cycles = new Set<string>();
  readonly scored = new Map<string, ScoredAgency>();
  readonly rules = new Map<string, RuleSet>();
  readonly rescores = new Map<string, RescoreStatus>();
  readonly published = new Map<string, { at: string; by: string }>();
  readonly failures = new Map<string, Failure[]>();
  /** Bytes of the last results import, read back through FileTransfer as the scoring service would. */
  lastImport?: { request: RpcRequestParsed<typeof Rpc.ResultsImport>; bytes: Uint8Array | null };
  /** A broken scoring service: `scoring.results.public` answers provisional results. */
  publicAnswersProvisional = false;
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

  /** A scored agency of `cycleId` with a one-pillar card worth `overall`. */
  addScore(
    cycleId: string,
    input: {
      agencyId?: string;
      agencyCode: string;
      group?: AgencyGroup;
      overall: number;
      ministryId?: string | null;
      provinceCode?: string | null;
    },
  ): ScorecardRecord {
    this.addCycle(cycleId);
    const agencyId = input.agencyId ?? randomUUID();
    const level = Math.min(5, Math.max(1, Math.ceil(input.overall / 20)));
    const record: ScorecardRecord = {
      id: randomUUID(),
      cycleId,
      agencyId,
      agencyCode: input.agencyCode,
      agencyName: `หน่วยงาน ${input.agencyCode}`,
      group: input.group ?? 'department',
      responseId: randomUUID(),
      responseVersion: 3,
      submission: 1,
      questionnaireId: randomUUID(),
      questionnaireVersion: 1,
      rulesVersion: 1,
      engineVersion: '1.0.0',
      verified: true,
      computedAt: new Date().toISOString(),
      standardised: null,
      published: this.published.has(cycleId),
      card: {
        engineVersion: '1.0.0',
        questionnaire: { id: 'dg-2565', version: 1 },
        rules: { id: 'dg-2565-rules', version: 1 },
        method: 'raw',
        decimals: 2,
        overall: input.overall,
        level: { level, name: text(`ระดับ ${level}`, `Level ${level}`) },
        band: null,
        pillars: [
          {
            id: 'P1',
            number: 1,
            title: text('ด้านนโยบาย', 'Policy'),
            weight: 1,
            score: input.overall,
            indicators: [
              {
                id: 'P1.I1',
                title: text('แผนดิจิทัล', 'Digital plan'),
                weight: 1,
                score: input.overall,
                questions: [
                  {
                    questionId: 'P1.Q1',
                    kind: 'single_choice',
                    weight: 1,
                    points: input.overall,
                    maxPoints: 100,
                    outcome: 'earned',
                    capped: false,
                    verdict: 'accepted',
                    answer: 'yes',
                    reason: text('มีแผนดิจิทัลที่อนุมัติแล้ว', 'An approved digital plan'),
                  },
                ],
              },
            ],
          },
        ],
        totals: { scoredQuestions: 1, answered: 1, earning: 1, rejected: 0 },
      },
    };
    this.scored.set(keyOf(cycleId, agencyId), {
      record,
      ministryId: input.ministryId ?? null,
      provinceCode: input.provinceCode ?? null,
    });
    return record;
  }

  addFailure(cycleId: string, failure: Partial<Failure> = {}): Failure {
    const item: Failure = {
      jobId: `score:${randomUUID()}:2`,
      cycleId,
      responseId: randomUUID(),
      responseVersion: 2,
      agencyCode: 'DEP-FAIL',
      code: 'ANSWERS_INVALID',
      message: 'answer of P1.Q1 does not fit the questionnaire',
      attempts: 5,
      failedAt: new Date().toISOString(),
      ...failure,
    };
    this.failures.set(cycleId, [...(this.failures.get(cycleId) ?? []), item]);
    return item;
  }

  /** Marks the cycle's running rescore as completed. */
  finishRescore(cycleId: string): RescoreStatus | undefined {
    const status = this.rescores.get(cycleId);
    if (!status) return undefined;
    const done = {
      ...status,
      state: 'completed' as const,
      done: status.total,
      finishedAt: new Date().toISOString(),
    };
    this.rescores.set(cycleId, done);
    return done;
  }

  private record(subject: RpcSubject, request: unknown, ctx: CallContext): void {
    this.calls.push({ subject, request, ctx });
  }

  /** Throws the failure set with failNext for `subject`, if any. */
  private maybeFail(subject: RpcSubject): void {
    const failure = this.nextFailures.get(subject);
    if (failure) {
      this.nextFailures.delete(subject);
      throw failure;
    }
  }

  private enter(subject: RpcSubject, request: unknown, ctx: CallContext): void {
    this.record(subject, request, ctx);
    this.maybeFail(subject);
  }

  private requireRole(ctx: CallContext, ...roles: string[]): void {
    if (!ctx.actor.roles.some((r) => roles.includes(r))) throw new DomainError('FORBIDDEN');
  }

  private cycle(cycleId: string): string {
    if (!this.cycles.has(cycleId)) throw new DomainError('CYCLE_NOT_FOUND');
    return cycleId;
  }

  private notFrozen(cycleId: string): void {
    if (this.published.has(cycleId)) throw new DomainError('RESULTS_PUBLISHED');
  }

  private running(cycleId: string): boolean {
    const state = this.rescores.get(cycleId)?.state;
    return state === 'queued' || state === 'running';
  }

  private results(req: RpcRequestParsed<typeof Rpc.ResultsGet>): Results {
    const published = this.published.get(req.cycleId);
    const all = [...this.scored.values()].filter((s) => s.record.cycleId === req.cycleId);
    const slice = (key: string, of: ScoredAgency[]): SliceStats => ({
      key,
      name: null,
      overall: statsOf(of.map((s) => s.record.card.overall)),
      pillars: { P1: statsOf(of.map((s) => s.record.card.pillars[0].score)) },
      levels: Object.fromEntries(
        ['1', '2', '3', '4', '5'].map((l) => [
          l,
          of.filter((s) => String(s.record.card.level?.level) === l).length,
        ]),
      ),
      change: { n: 0, mean: null },
    });
    const groups = [...new Set(all.map((s) => s.record.group))];
    const rows: RankingRow[] = all
      .filter((s) => !req.group || s.record.group === req.group)
      .filter((s) => !req.ministryId || s.ministryId === req.ministryId)
      .filter((s) => !req.province || s.provinceCode === req.province)
      .sort((a, b) => b.record.card.overall - a.record.card.overall)
      .map((s, i, sorted) => {
        const first = sorted.findIndex((o) => o.record.card.overall === s.record.card.overall);
        const tied = sorted.filter((o) => o.record.card.overall === s.record.card.overall).length > 1;
        return {
          rank: (first === -1 ? i : first) + 1,
          tied,
          agencyId: s.record.agencyId,
          agencyCode: s.record.agencyCode,
          agencyName: s.record.agencyName,
          group: s.record.group,
          ministryId: s.ministryId,
          provinceCode: s.provinceCode,
          value: s.record.card.overall,
          overall: s.record.card.overall,
          pillars: { P1: s.record.card.pillars[0].score },
          level: s.record.card.level?.level ?? null,
          band: null,
          verified: s.record.verified,
          previous: null,
          change: null,
        };
      });
    return {
      cycleId: req.cycleId,
      status: published ? 'published' : 'provisional',
      publishedAt: published?.at ?? null,
      rulesVersion: this.rules.get(req.cycleId)?.version ?? null,
      method: this.rules.get(req.cycleId)?.method ?? null,
      previousCycleId: null,
      scored: all.length,
      failed: this.failures.get(req.cycleId)?.length ?? 0,
      statistics: {
        all: slice('all', all),
        byGroup: groups.map((g) =>
          slice(
            g,
            all.filter((s) => s.record.group === g),
          ),
        ),
        byMinistry: [],
        byProvince: [],
      },
      rankings: {
        items: rows.slice((req.page - 1) * req.pageSize, req.page * req.pageSize),
        total: rows.length,
        page: req.page,
        pageSize: req.pageSize,
      },
    };
  }

  // ---- rules ----------------------------------------------------------------------------------

  @MessagePattern(Rpc.ScoringRulesPut)
  putRules(@Payload() req: RpcRequestParsed<typeof Rpc.ScoringRulesPut>, @Ctx() ctx: CallContext): RuleSet {
    this.enter(Rpc.ScoringRulesPut, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    this.cycle(req.cycleId);
    this.notFrozen(req.cycleId);
    const rules = (req.rules ?? {}) as { id?: unknown; method?: unknown; weights?: unknown };
    const errors: FieldError[] = [];
    if (typeof rules.id !== 'string')
      errors.push({ path: 'id', code: 'REQUIRED', message: 'id is required' });
    if (rules.method !== 'raw' && rules.method !== 'standardised')
      errors.push({ path: 'method', code: 'INVALID_VALUE', message: 'method is raw or standardised' });
    const weights = typeof rules.weights === 'object' && rules.weights !== null ? rules.weights : {};
    for (const pillar of Object.keys(weights)) {
      if (!(PILLARS as readonly string[]).includes(pillar))
        errors.push({
          path: `weights.${pillar}`,
          code: 'UNKNOWN_PILLAR',
          message: `pillar ${pillar} is not in the questionnaire`,
        });
    }
    if (errors.length) throw new DomainError('SCORING_RULES_INVALID', undefined, errors);
    const record: RuleSet = {
      cycleId: req.cycleId,
      version: (this.rules.get(req.cycleId)?.version ?? 0) + 1,
      rulesId: rules.id as string,
      questionnaireKey: 'dg-2565',
      questionnaireVersion: 1,
      method: rules.method as 'raw' | 'standardised',
      sample: false,
      rules: req.rules,
      createdBy: ctx.actor.id,
      createdAt: new Date().toISOString(),
    };
    this.rules.set(req.cycleId, record);
    return record;
  }

  @MessagePattern(Rpc.ScoringRulesGet)
  getRules(@Payload() req: RpcRequestParsed<typeof Rpc.ScoringRulesGet>, @Ctx() ctx: CallContext): RuleSet {
    this.enter(Rpc.ScoringRulesGet, req, ctx);
    this.cycle(req.cycleId);
    const record = this.rules.get(req.cycleId);
    if (!record) throw new DomainError('SCORING_RULES_MISSING');
    return record;
  }

  // ---- scorecards and results -----------------------------------------------------------------

  /** Like the scoring service: coordinators and approvers see their own agency's card, once published. */
  @MessagePattern(Rpc.ScorecardGet)
  scorecard(
    @Payload() req: RpcRequestParsed<typeof Rpc.ScorecardGet>,
    @Ctx() ctx: CallContext,
  ): ScorecardRecord {
    this.enter(Rpc.ScorecardGet, req, ctx);
    // Like the scoring service: an unknown cycle has no scorecard (SCORECARD_NOT_FOUND, not CYCLE_NOT_FOUND).
    const scored = this.scored.get(keyOf(req.cycleId, req.agencyId));
    const scoped = ctx.actor.roles.every((r) => r === 'coordinator' || r === 'approver');
    if (!scored || (scoped && (ctx.actor.agencyId !== req.agencyId || !this.published.has(req.cycleId)))) {
      throw new DomainError('SCORECARD_NOT_FOUND');
    }
    return { ...scored.record, published: this.published.has(req.cycleId) };
  }

  @MessagePattern(Rpc.ResultsGet)
  getResults(@Payload() req: RpcRequestParsed<typeof Rpc.ResultsGet>, @Ctx() ctx: CallContext): Results {
    this.enter(Rpc.ResultsGet, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator', 'committee');
    this.cycle(req.cycleId);
    return this.results(req);
  }

  @MessagePattern(Rpc.ResultsPublic)
  publicResults(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResultsPublic>,
    @Ctx() ctx: CallContext,
  ): Results {
    this.enter(Rpc.ResultsPublic, req, ctx);
    this.cycle(req.cycleId);
    if (!this.published.has(req.cycleId) && !this.publicAnswersProvisional)
      throw new DomainError('RESULTS_NOT_PUBLISHED');
    return this.results(req);
  }

  @MessagePattern(Rpc.ResultsPublishedCycles)
  publishedCycles(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResultsPublishedCycles>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ResultsPublishedCycles> {
    this.enter(Rpc.ResultsPublishedCycles, req, ctx);
    return {
      items: [...this.published.entries()].reverse().map(([id, p]) => ({
        id,
        yearBE: /^\d{4}$/.test(id) ? Number(id) : null,
        title: text(`รอบ ${id}`, `Cycle ${id}`),
        publishedAt: p.at,
      })),
    };
  }

  @MessagePattern(Rpc.ScorecardPublic)
  publicScorecard(
    @Payload() req: RpcRequestParsed<typeof Rpc.ScorecardPublic>,
    @Ctx() ctx: CallContext,
  ): ScorecardRecord {
    this.enter(Rpc.ScorecardPublic, req, ctx);
    // A broken scoring service hands over the card before publication (publicAnswersProvisional).
    if (!this.published.has(req.cycleId) && !this.publicAnswersProvisional)
      throw new DomainError('RESULTS_NOT_PUBLISHED');
    const scored = [...this.scored.values()].find(
      (s) => s.record.cycleId === req.cycleId && s.record.agencyCode === req.agencyCode,
    );
    if (!scored) throw new DomainError('SCORECARD_NOT_FOUND');
    return { ...scored.record, published: this.published.has(req.cycleId) };
  }

  @MessagePattern(Rpc.MethodologyPublic)
  methodology(
    @Payload() req: RpcRequestParsed<typeof Rpc.MethodologyPublic>,
    @Ctx() ctx: CallContext,
  ): Methodology {
    this.enter(Rpc.MethodologyPublic, req, ctx);
    this.cycle(req.cycleId);
    if (!this.rules.has(req.cycleId)) throw new DomainError('METHODOLOGY_NOT_READY');
    return methodologyOf(req.cycleId);
  }

  @MessagePattern(Rpc.ResultsPublish)
  publish(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResultsPublish>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ResultsPublish> {
    this.enter(Rpc.ResultsPublish, req, ctx);
    this.requireRole(ctx, 'dga_admin');
    this.cycle(req.cycleId);
    this.notFrozen(req.cycleId);
    const rules = this.rules.get(req.cycleId);
    if (!rules) throw new DomainError('SCORING_RULES_MISSING');
    if (this.running(req.cycleId)) throw new DomainError('RESCORE_RUNNING');
    const at = new Date().toISOString();
    this.published.set(req.cycleId, { at, by: ctx.actor.id });
    const cards = [...this.scored.values()].filter((s) => s.record.cycleId === req.cycleId);
    const byGroup: Partial<Record<AgencyGroup, number>> = {};
    for (const s of cards) byGroup[s.record.group] = (byGroup[s.record.group] ?? 0) + 1;
    return {
      cycleId: req.cycleId,
      publishedAt: at,
      publishedBy: ctx.actor.id,
      rulesVersion: rules.version,
      scored: cards.length,
      byGroup,
    };
  }

  @MessagePattern(Rpc.ResultsImport)
  async importResults(
    @Payload() req: RpcRequestParsed<typeof Rpc.ResultsImport>,
    @Ctx() ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.ResultsImport>> {
    this.record(Rpc.ResultsImport, req, ctx);
    // Read first, as the service would, so a test can see the file was there even when it fails.
    this.lastImport = { request: req, bytes: await this.files.get(req.file.objectName) };
    this.maybeFail(Rpc.ResultsImport);
    this.requireRole(ctx, 'dga_admin');
    this.cycle(req.cycleId);
    if (!this.lastImport.bytes)
      throw new DomainError('VALIDATION_FAILED', 'the uploaded file is gone from the transfer area');
    const rows = Buffer.from(this.lastImport.bytes).toString('utf8').trim().split(/\r?\n/).length - 1;
    return { cycleId: req.cycleId, imported: Math.max(0, rows), replaced: 0, dryRun: req.dryRun };
  }

  // ---- rescoring ------------------------------------------------------------------------------

  @MessagePattern(Rpc.RescoreStart)
  startRescore(
    @Payload() req: RpcRequestParsed<typeof Rpc.RescoreStart>,
    @Ctx() ctx: CallContext,
  ): RescoreStatus {
    this.enter(Rpc.RescoreStart, req, ctx);
    this.requireRole(ctx, 'dga_admin', 'operator');
    this.cycle(req.cycleId);
    this.notFrozen(req.cycleId);
    const rules = this.rules.get(req.cycleId);
    if (!rules) throw new DomainError('SCORING_RULES_MISSING');
    if (this.running(req.cycleId)) throw new DomainError('RESCORE_RUNNING');
    const status: RescoreStatus = {
      cycleId: req.cycleId,
      jobId: `rescore:${req.cycleId}:${rules.version}:${randomUUID()}`,
      rulesVersion: rules.version,
      state: 'queued',
      total: [...this.scored.values()].filter((s) => s.record.cycleId === req.cycleId).length,
      done: 0,
      failed: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.rescores.set(req.cycleId, status);
    return status;
  }

  @MessagePattern(Rpc.RescoreGet)
  getRescore(
    @Payload() req: RpcRequestParsed<typeof Rpc.RescoreGet>,
    @Ctx() ctx: CallContext,
  ): RescoreStatus {
    this.enter(Rpc.RescoreGet, req, ctx);
    this.cycle(req.cycleId);
    const status = this.rescores.get(req.cycleId);
    if (!status) throw new DomainError('NOT_FOUND', 'no rescore of this cycle yet');
    return status;
  }

  @MessagePattern(Rpc.ScoringFailureList)
  listFailures(
    @Payload() req: RpcRequestParsed<typeof Rpc.ScoringFailureList>,
    @Ctx() ctx: CallContext,
  ): RpcResponse<typeof Rpc.ScoringFailureList> {
    this.enter(Rpc.ScoringFailureList, req, ctx);
    this.cycle(req.cycleId);
    return { items: this.failures.get(req.cycleId) ?? [] };
  }
}

/**
 * Starts the stand-in as its own Nest application with its own NATS connection (service "scoring").
 * Unlike the registry and intake stand-ins it starts AFTER the gateway (it needs the gateway's NATS
 * prefix), so it is built with NestFactory rather than Test.createTestingModule: compiling a testing
 * module replaces Nest's process-wide logger, and the gateway's error logs would then reach the
 * console whatever LOG_LEVEL says.
 */
export async function startStandInScoring(
  natsUrl: string,
  prefix: string,
): Promise<{ app: INestApplicationContext; scoring: StandInScoring }> {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'scoring',
        logLevel: 'silent',
        nats: { url: natsUrl, prefix, actorKeys: { verifyKey: TEST_ACTOR_KEYS.verifyKey } },
        outbox: false,
      }),
    ],
    controllers: [StandInScoring],
  })
  class StandInScoringModule {}

  const app = await startService(
    await NestFactory.create(StandInScoringModule, new FastifyAdapter(), { logger: false }),
  );
  return { app, scoring: app.get(StandInScoring) };
}
