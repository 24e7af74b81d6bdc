import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { type Channel, SYSTEM_ACTOR } from '@dg/contracts';
import { newCorrelationId } from '@dg/platform';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { AgencyDeadlinesRepository } from '../deadlines/agency-deadlines.repository';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { Dispatcher } from '../deliveries/dispatcher';
import { type JobQueue, QUEUES, SWEEP_JOB } from '../deliveries/jobs';
import { SUBMITTED, Sources } from '../sources/sources';
import { CampaignsService } from './campaigns.service';

const DAY_MS = 86_400_000;
const STRANDED_MS = 10 * 60_000;
/** How often the agency deadlines are checked against intake's list (a safety net for events). */
const RECONCILE_MS = 15 * 60_000;

/** `T-<days>-<deadline's day in Bangkok>`: the scheduled reminder `days` before that deadline. */
export function reminderLabel(days: number, closesAt: Date): string {
  return `T-${days}-${closesAt.toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' })}`;
}

/**
 * The scheduled reminders due before `deadline` at `now`, by label: `send`, the latest offset due
 * (null when it has run already or none is due), and `passed`, earlier offsets that came while
 * nobody was sending, to be recorded, not sent late one after another. Offsets whose moment came
 * before `grantedAt` (an agency's deadline given later) do not count. `ran`: labels already run.
 */
export function dueReminderLabels(
  offsets: readonly number[],
  deadline: Date,
  now: Date,
  ran: ReadonlySet<string>,
  grantedAt?: Date,
): { send: string | null; passed: string[] } {
  const due = offsets.filter((d) => {
    const at = deadline.getTime() - d * DAY_MS;
    return now.getTime() >= at && (!grantedAt || at > grantedAt.getTime());
  });
  if (!due.length) return { send: null, passed: [] };
  const latest = Math.min(...due);
  const passed = due.filter((d) => d !== latest).map((d) => reminderLabel(d, deadline));
  const send = reminderLabel(latest, deadline);
  return { send: ran.has(send) ? null : send, passed: passed.filter((l) => !ran.has(l)) };
}

/**
 * A BullMQ job scheduler runs the sweep on one replica at a time: it sends the scheduled deadline
 * reminders that are due (14, 7 and 1 days before by default, before the cycle's deadline and
 * before each agency's own later one) and re-queues deliveries whose job never reached Redis.
 * Every role keeps the schedule in Redis (an idempotent upsert); only a process that runs workers
 * runs the sweep (SweepProcessor; ADR 0010).
 */
@Injectable()
export class Sweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Sweeper.name);
  private timer?: NodeJS.Timeout;
  private reconciledAt = 0;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly ds: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly deliveries: DeliveriesRepository,
    private readonly dispatcher: Dispatcher,
    private readonly deadlines: AgencyDeadlinesRepository,
    private readonly sources: Sources,
    @InjectQueue(QUEUES.sweep) private readonly queue: JobQueue<typeof QUEUES.sweep>,
    @InjectQueue(QUEUES.email) private readonly email: JobQueue<typeof QUEUES.email>,
    @InjectQueue(QUEUES.line) private readonly line: JobQueue<typeof QUEUES.line>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule();
    // A Redis that lost its data loses the schedule too: put it back, or reminders and the
    // re-queueing of stranded deliveries would stop until the next restart.
    this.timer = setInterval(() => void this.ensureScheduled(), this.config.SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private schedule(): Promise<unknown> {
    return this.queue.upsertJobScheduler(
      SWEEP_JOB,
      { every: this.config.SWEEP_MS },
      { name: SWEEP_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /** Exposed for tests. */
  async ensureScheduled(): Promise<boolean> {
    try {
      if (await this.queue.getJobScheduler(SWEEP_JOB)) return false;
      await this.schedule();
      this.logger.warn('the sweep schedule was missing from Redis (data lost?): registered again');
      // Redis lost its data: the send jobs of every delivery still queued went with it. Queue them
      // again now rather than after STRANDED_MS (job ids are the deliveries': one still in Redis is
      // not added twice, and a delivery already sent is not sent again).
      const requeued = await this.requeueStranded(0);
      if (requeued) this.logger.warn(`Redis lost its data: re-queued ${requeued} deliveries at once`);
      return true;
    } catch (e) {
      this.logger.warn(`could not check the sweep schedule, will retry: ${String(e)}`);
      return false;
    }
  }

  /**
   * What the scheduled job runs: the sweep, and every RECONCILE_MS first a reconciliation of the
   * agency deadlines with intake's own list.
   */
  async scheduledSweep(
    now = new Date(),
    job?: Job,
  ): Promise<{ reminders: string[]; requeued: number; skipped?: 'another sweep is running' }> {
    // BullMQ queues the next scheduled sweep when one starts: a sweep longer than SWEEP_MS would
    // run beside the next on another replica (no message twice, but twice the work and the load
    // on intake). The later one steps aside; the next schedule tries again.
    if (job && (await this.earlierSweepRunning(job)))
      return { reminders: [], requeued: 0, skipped: 'another sweep is running' };
    if (now.getTime() - this.reconciledAt >= RECONCILE_MS) {
      try {
        await this.reconcileDeadlines(now);
        this.reconciledAt = now.getTime();
      } catch (e) {
        this.logger.warn(`could not reconcile agency deadlines with intake, will retry: ${String(e)}`);
      }
    }
    return this.sweep(now);
  }

  /** Whether another sweep job started before `job` and is still running (on any replica). */
  private async earlierSweepRunning(job: Job): Promise<boolean> {
    const started = job.processedOn ?? Date.now();
    const active = await this.queue.getActive();
    return active.some(
      (other) =>
        other.id !== job.id &&
        ((other.processedOn ?? 0) < started ||
          (other.processedOn === started && String(other.id) < String(job.id))),
    );
  }

  /**
   * Agency deadlines that notifications never heard of: extensions given before this service
   * followed them, or whose event an older release acknowledged unread during a rolling update
   * (it acks subjects it does not know). Intake's response list is the truth: a deadline later
   * than the cycle's that the projection lacks or holds differently is applied (forward only, by
   * response version), counted as given now, so only reminders still ahead are sent.
   * Exposed for tests; returns how many it applied.
   */
  async reconcileDeadlines(now = new Date()): Promise<number> {
    const cycles = (await this.ds.query(
      `SELECT cycle_id AS id, closes_at AS "closesAt" FROM cycles WHERE status IN ('open', 'closed')`,
    )) as { id: string; closesAt: Date }[];
    const ctx = { correlationId: newCorrelationId(), actor: SYSTEM_ACTOR };
    let applied = 0;
    for (const c of cycles) {
      const known = await this.deadlines.laterThan(c.id, c.closesAt);
      for (const r of await this.sources.responses(c.id, ctx)) {
        const deadline = new Date(r.deadline);
        if (SUBMITTED.includes(r.status) || deadline <= new Date(c.closesAt)) continue;
        if (known.get(r.agencyId)?.getTime() === deadline.getTime()) continue;
        const fresh = await this.deadlines.apply(this.ds.manager, {
          cycleId: c.id,
          agencyId: r.agencyId,
          agencyCode: r.agencyCode,
          deadline: r.deadline,
          responseVersion: r.version,
          grantedAt: now.toISOString(),
        });
        if (fresh) applied++;
      }
    }
    if (applied) this.logger.warn(`took ${applied} agency deadlines from intake that no event had brought`);
    return applied;
  }

  /** Exposed for tests. */
  async sweep(now = new Date()): Promise<{ reminders: string[]; requeued: number }> {
    const reminders = [...(await this.dueReminders(now)), ...(await this.dueAgencyReminders(now))];
    const requeued = await this.requeueStranded();
    return { reminders, requeued };
  }

  /**
   * Reminders belong to a deadline: a run is labelled with the offset and the deadline's day in
   * Bangkok (`T-7-2022-07-31`), and that label also names its campaign. So a reminder is never
   * sent twice for the same deadline, and a deadline moved by `intake.cycle.updated` gets its own
   * 14/7/1 reminders counted from the new date (a later one repeats the offsets already sent for
   * the old date; an earlier one sends the offset now due at once). Agencies whose own deadline
   * is later than the cycle's are left out: they get their own (`dueAgencyReminders`).
   */
  private async dueReminders(now: Date): Promise<string[]> {
    const cycles = (await this.ds.query(
      `SELECT cycle_id AS id, closes_at AS "closesAt" FROM cycles WHERE status = 'open' AND closes_at > $1`,
      [now],
    )) as { id: string; closesAt: Date }[];
    const sent: string[] = [];
    for (const c of cycles) {
      const closesAt = new Date(c.closesAt);
      const done = (await this.ds.query(`SELECT label FROM reminder_runs WHERE cycle_id = $1`, [c.id])) as {
        label: string;
      }[];
      const { send: label, passed } = dueReminderLabels(
        this.config.REMINDER_OFFSETS_DAYS,
        closesAt,
        now,
        new Set(done.map((r) => r.label)),
      );
      for (const passedLabel of passed) {
        await this.ds.query(
          `INSERT INTO reminder_runs (cycle_id, label) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
          [c.id, passedLabel],
        );
      }
      if (!label) continue;
      try {
        await this.campaigns.remind(
          c.id,
          { label, channels: ['email', 'line'] },
          {
            correlationId: newCorrelationId(),
            actor: SYSTEM_ACTOR,
          },
          { scheduled: true },
        );
        sent.push(`${c.id}/${label}`);
      } catch (e) {
        this.logger.error(`scheduled reminder ${label} of cycle ${c.id} failed, will retry: ${String(e)}`);
      }
    }
    return sent;
  }

  /**
   * Reminders before each agency's own deadline when it is later than the cycle's (an extension,
   * a correction period), also after the cycle has closed: the same offsets and labels as the
   * cycle's, counted from the agency's deadline, recorded per agency so none goes twice for the
   * same deadline. Only offsets whose moment comes after the deadline was given count: a 3-day
   * extension hears T-1, not a T-7 the minute it is granted. Agencies that have submitted hear
   * nothing (the projection, intake's answer when the reminder is made, and the send job).
   */
  private async dueAgencyReminders(now: Date): Promise<string[]> {
    const byCycle = new Map<string, { agencyId: string; deadline: Date; label: string }[]>();
    for (const a of await this.deadlines.pending(now)) {
      const { send: label, passed } = dueReminderLabels(
        this.config.REMINDER_OFFSETS_DAYS,
        a.deadline,
        now,
        a.labels,
        a.grantedAt,
      );
      for (const passedLabel of passed) {
        await this.deadlines.recordRun(this.ds.manager, {
          cycleId: a.cycleId,
          agencyId: a.agencyId,
          label: passedLabel,
          campaignId: null,
        });
      }
      if (!label) continue;
      byCycle.set(a.cycleId, [
        ...(byCycle.get(a.cycleId) ?? []),
        { agencyId: a.agencyId, deadline: a.deadline, label },
      ]);
    }
    const sent: string[] = [];
    for (const [cycleId, targets] of byCycle) {
      const labelOf = new Map(targets.map((t) => [t.agencyId, t.label]));
      try {
        const reminded = await this.campaigns.remindAgencies(cycleId, targets, now, {
          correlationId: newCorrelationId(),
          actor: SYSTEM_ACTOR,
        });
        sent.push(...reminded.map((agencyId) => `${cycleId}/${agencyId}/${labelOf.get(agencyId)}`));
      } catch (e) {
        this.logger.error(
          `reminders of ${targets.length} agencies' own deadlines (cycle ${cycleId}) failed, will retry: ${String(e)}`,
        );
      }
    }
    return sent;
  }

  private async requeueStranded(olderThanMs = STRANDED_MS): Promise<number> {
    const stranded = await this.deliveries.stranded(olderThanMs);
    const missing: { id: string; channel: Channel }[] = [];
    for (const s of stranded) {
      const job = await (s.channel === 'email' ? this.email : this.line).getJob(s.id);
      if (!job) missing.push(s);
      else if (await job.isFailed()) await job.retry('failed').catch(() => undefined);
    }
    await this.dispatcher.enqueue(missing);
    await this.deliveries.touch(stranded.map((s) => s.id));
    if (missing.length) this.logger.warn(`re-queued ${missing.length} deliveries whose job was missing`);
    return missing.length;
  }
}
