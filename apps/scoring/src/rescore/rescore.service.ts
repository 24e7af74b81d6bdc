import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FlowProducer } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainError, type RescoreStatus } from '@dg/contracts';
import { type CallContext, requireRole } from '@dg/platform';
import { SCORING_CONFIG, type ScoringConfig } from '../config';
import { lockCycle, publicationOf } from '../cycle-lock';
import { FailuresRepository } from '../jobs/failures.repository';
import {
  JobName,
  jobOptions,
  type JobQueue,
  type RescoreBatchJob,
  rescoreBatchJobId,
  type RescoreDoneJob,
  rescoreJobId,
  SCORING_FLOW,
  SCORING_QUEUE,
} from '../jobs/jobs';
import { RulesRepository } from '../rules/rules.repository';
import { ScoresRepository } from '../scorecards/scores.repository';

interface RescoreRow {
  id: string;
  cycleId: string;
  jobId: string;
  rulesVersion: number;
  total: number;
  state: RescoreStatus['state'];
  startedAt: Date;
  finishedAt: Date | null;
}

/**
 * Scores a whole cycle again (after a rules change) as a BullMQ flow: one child job per batch of
 * responses, a parent that completes when every batch has. Progress is read from the batches
 * recorded in the database, so it survives restarts.
 */
@Injectable()
export class RescoreService {
  private readonly logger = new Logger(RescoreService.name);

  constructor(
    private readonly ds: DataSource,
    @Inject(SCORING_CONFIG) private readonly config: ScoringConfig,
    private readonly scores: ScoresRepository,
    private readonly rules: RulesRepository,
    private readonly failures: FailuresRepository,
    @InjectQueue(SCORING_QUEUE) private readonly queue: JobQueue<typeof SCORING_QUEUE>,
    @InjectFlowProducer(SCORING_FLOW) private readonly flows: FlowProducer,
  ) {}

  async start(cycleId: string, ctx: CallContext): Promise<RescoreStatus> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const { row, keys } = await this.ds.transaction(async (m) => {
      await lockCycle(m, cycleId);
      if (await publicationOf(m, cycleId)) throw new DomainError('RESULTS_PUBLISHED');
      const last = await this.latest(cycleId, m);
      if (last && (await this.isRunning(last))) throw new DomainError('RESCORE_RUNNING', undefined, undefined, { jobId: last.jobId });
      const rules = await this.rules.current(cycleId, m);
      if (!rules) throw new DomainError('SCORING_RULES_MISSING');
      const keys = await this.scores.latestInputs(cycleId, m);
      const [{ id }] = (await m.query(`SELECT nextval('rescores_id_seq')::text AS id`)) as { id: string }[];
      const jobId = rescoreJobId(cycleId, id);
      await m.query(
        `INSERT INTO rescores (id, cycle_id, job_id, rules_version, total, state, started_by) VALUES ($1, $2, $3, $4, $5, 'queued', $6)`,
        [id, cycleId, jobId, rules.version, keys.length, ctx.actor.id],
      );
      return { row: (await this.latest(cycleId, m))!, keys };
    });
    const traced = { correlationId: ctx.correlationId, actor: ctx.actor };
    const size = this.config.RESCORE_BATCH;
    const children = [];
    for (let batch = 0; batch * size < keys.length; batch++) {
      const data: RescoreBatchJob = {
        rescoreId: row.id,
        cycleId,
        rulesVersion: row.rulesVersion,
        batch,
        keys: keys.slice(batch * size, (batch + 1) * size),
        ...traced,
      };
      children.push({
        name: JobName.RescoreBatch,
        queueName: SCORING_QUEUE,
        data,
        opts: { jobId: rescoreBatchJobId(cycleId, row.id, batch), failParentOnFailure: true, ...jobOptions(this.config) },
      });
    }
    const done: RescoreDoneJob = { rescoreId: row.id, cycleId, ...traced };
    await this.flows.add({
      name: JobName.RescoreDone,
      queueName: SCORING_QUEUE,
      data: done,
      opts: { jobId: row.jobId, ...jobOptions(this.config) },
      children,
    });
    await this.retryFailedScores(cycleId);
    return this.toStatus(row);
  }

  async status(cycleId: string, ctx: CallContext): Promise<RescoreStatus> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const row = await this.latest(cycleId);
    if (!row) throw new DomainError('NOT_FOUND', 'ยังไม่เคยคำนวณคะแนนใหม่ทั้งรอบ (no rescore of this cycle yet)');
    return this.toStatus(row);
  }

  async markRunning(rescoreId: string): Promise<void> {
    await this.ds.query(`UPDATE rescores SET state = 'running' WHERE id = $1 AND state = 'queued'`, [rescoreId]);
  }

  async markFinished(rescoreId: string, state: 'completed' | 'failed'): Promise<void> {
    await this.ds.query(`UPDATE rescores SET state = $2, finished_at = now() WHERE id = $1 AND finished_at IS NULL`, [rescoreId, state]);
  }

  /** Score jobs that gave up (e.g. no rules yet) get another go now that someone acted. */
  private async retryFailedScores(cycleId: string): Promise<void> {
    for (const jobId of await this.failures.openFinalJobIds(cycleId)) {
      const job = await this.queue.getJob(jobId);
      if (job && (await job.isFailed())) await job.retry('failed').catch((e: unknown) => this.logger.warn(`retry ${jobId}: ${String(e)}`));
    }
  }

  private async latest(cycleId: string, m = this.ds.manager): Promise<RescoreRow | null> {
    const rows = (await m.query(
      `SELECT id::text, cycle_id AS "cycleId", job_id AS "jobId", rules_version AS "rulesVersion", total, state,
              started_at AS "startedAt", finished_at AS "finishedAt"
         FROM rescores WHERE cycle_id = $1 ORDER BY id DESC LIMIT 1`,
      [cycleId],
    )) as RescoreRow[];
    return rows[0] ?? null;
  }

  /** A rescore whose flow vanished (crash before it was queued) or failed is not running any more. */
  private async isRunning(row: RescoreRow): Promise<boolean> {
    if (row.finishedAt) return false;
    const state = await this.queue.getJobState(row.jobId);
    if (state === 'unknown' || state === 'failed') {
      await this.markFinished(row.id, 'failed');
      return false;
    }
    return state !== 'completed';
  }

  private async toStatus(row: RescoreRow): Promise<RescoreStatus> {
    const running = await this.isRunning(row);
    const [{ done, failed }] = (await this.ds.query(
      `SELECT (SELECT coalesce(sum(size), 0)::int FROM rescore_batches WHERE rescore_id = $1) AS done,
              (SELECT count(*)::int FROM scoring_failures WHERE job_id LIKE $2 AND resolved_at IS NULL) AS failed`,
      [row.id, `${row.jobId}\\_%`],
    )) as { done: number; failed: number }[];
    const fresh = (await this.latest(row.cycleId)) ?? row;
    const state = fresh.id === row.id ? fresh.state : row.state;
    return {
      cycleId: row.cycleId,
      jobId: row.jobId,
      rulesVersion: row.rulesVersion,
      state: running && state === 'completed' ? 'running' : state,
      total: row.total,
      done,
      failed,
      startedAt: new Date(row.startedAt).toISOString(),
      finishedAt: fresh.finishedAt ? new Date(fresh.finishedAt).toISOString() : null,
    };
  }
}
