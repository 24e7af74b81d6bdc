import { z } from 'zod';
import { Actor } from './common';

/**
 * BullMQ queues: every queue of the platform, the service that owns it (its Redis prefix is that
 * service's BULL_PREFIX, `dg:<service>` by default), its job names and each job's payload schema.
 * Producers add only these names with these payloads (`JobQueue<Q>` in each service), processors
 * check every payload with the same schema (`checkJob`), and the gateway's queue dashboard lists
 * these queues.
 *
 * WARNING: queue names, job names and payloads are stored in Redis, and a job queued by one release
 * may be run by the next one (ADR 0010). Renaming a queue or a job needs a plan for the jobs
 * already queued; a payload may gain optional fields, never lose or repurpose one.
 */

/** Jobs carry the correlation id and the actor of the request or event that caused them. */
const Traced = { correlationId: z.string(), actor: Actor };

/** Score one submitted (or verified) version of a response. Job id `score_<responseId>_<version>`. */
export const ScoreJob = z.object({
  cycleId: z.string(),
  responseId: z.string().uuid(),
  responseVersion: z.number().int(),
  submission: z.number().int(),
  /** Verdicts of a verification; null for a plain submission. */
  verdicts: z
    .array(z.object({ questionId: z.string(), verdict: z.enum(['accepted', 'rejected']) }))
    .nullable(),
  ...Traced,
});

/** Score a slice of a cycle again with one rules version (a child of a rescore flow). */
export const RescoreBatchJob = z.object({
  rescoreId: z.string(),
  cycleId: z.string(),
  rulesVersion: z.number().int(),
  batch: z.number().int(),
  keys: z.array(z.object({ responseId: z.string().uuid(), responseVersion: z.number().int() })),
  ...Traced,
});

/** The parent of a rescore flow: runs once every batch is done. */
export const RescoreDoneJob = z.object({ rescoreId: z.string(), cycleId: z.string(), ...Traced });

/** A scheduled sweep (a BullMQ job scheduler makes these): no data. */
export const SweepJob = z.object({});

/** Send one delivery: everything else is read from the delivery row, whose id is also the job id. */
export const SendJob = z.object({ deliveryId: z.string() });

/** Render one winner's certificate PDF. Job id `cert_<categoryId>_<agencyId>`. */
export const CertificateJob = z.object({
  categoryId: z.string().uuid(),
  agencyId: z.string().uuid(),
  correlationId: z.string(),
});

/** The services that own queues; each keeps its queues under its own BullMQ prefix. */
export type QueueOwner = 'scoring' | 'notifications' | 'awards';

interface QueueSpec {
  name: string;
  service: QueueOwner;
  /** Job name → payload schema. */
  jobs: Record<string, z.ZodType>;
}

export const Queues = {
  /** Score jobs (from intake's events) and rescore flows. */
  Scoring: {
    name: 'scoring',
    service: 'scoring',
    jobs: { score: ScoreJob, 'rescore-batch': RescoreBatchJob, 'rescore-done': RescoreDoneJob },
  },
  /** Scoring's scheduled sweep that re-queues score jobs Redis lost (one at a time across replicas). */
  ScoringSweep: { name: 'scoring-sweep', service: 'scoring', jobs: { sweep: SweepJob } },
  /** E-mail sends: a queue per channel, so each has its own rate limit. */
  Email: { name: 'email', service: 'notifications', jobs: { send: SendJob } },
  /** LINE sends. */
  Line: { name: 'line', service: 'notifications', jobs: { send: SendJob } },
  /** Notifications' scheduled sweep: due reminders, stranded deliveries (one at a time). */
  NotificationsSweep: { name: 'notifications-sweep', service: 'notifications', jobs: { sweep: SweepJob } },
  /** Winners' certificate PDFs. */
  Certificates: { name: 'certificates', service: 'awards', jobs: { certificate: CertificateJob } },
} as const satisfies Record<string, QueueSpec>;

type AnyQueue = (typeof Queues)[keyof typeof Queues];
export type QueueName = AnyQueue['name'];
/** A queue's entry in `Queues`, by its name. */
export type QueueOf<Q extends QueueName> = Extract<AnyQueue, { name: Q }>;
export type JobNameOf<Q extends QueueName> = keyof QueueOf<Q>['jobs'] & string;
/** The payload of job `N` of queue `Q`, e.g. `JobOf<'scoring', 'score'>`. */
export type JobOf<Q extends QueueName, N extends JobNameOf<Q>> = z.output<QueueOf<Q>['jobs'][N]>;
/** Any job of queue `Q` as `{ name, data }`: a union discriminated by the job name. */
export type JobItemOf<Q extends QueueName> = {
  [N in JobNameOf<Q>]: { name: N; data: JobOf<Q, N> };
}[JobNameOf<Q>];

/**
 * The producer side of queue `Q`: BullMQ's `add` and `addBulk` narrowed to the queue's job names
 * and their payloads (`Opts` and `Job` are BullMQ's; the contracts do not depend on BullMQ).
 */
export interface JobProducer<Q extends QueueName, Opts, Job> {
  add<N extends JobNameOf<Q>>(name: N, data: JobOf<Q, N>, opts?: Opts): Promise<Job>;
  addBulk(jobs: (JobItemOf<Q> & { opts?: Opts })[]): Promise<Job[]>;
}

/** Every queue, e.g. for the gateway's queue dashboard. */
export const allQueues: readonly AnyQueue[] = Object.values(Queues);

/**
 * Checks a job taken from queue `Q` against its schema. A job whose name the queue does not have,
 * or whose payload does not match, gets the reason: retrying it would not help.
 */
export function checkJob<Q extends QueueName>(
  queue: Q,
  job: { name: string; data: unknown },
): { ok: true; job: JobItemOf<Q> } | { ok: false; problem: string } {
  const jobs: Record<string, z.ZodType> = allQueues.find((q) => q.name === queue)?.jobs ?? {};
  const schema = Object.hasOwn(jobs, job.name) ? jobs[job.name] : undefined;
  if (!schema) return { ok: false, problem: `queue ${queue} has no job named "${job.name}"` };
  const parsed = schema.safeParse(job.data);
  if (!parsed.success)
    return {
      ok: false,
      problem: `job "${job.name}" of queue ${queue} does not match its schema: ${z.prettifyError(parsed.error)}`,
    };
  return { ok: true, job: { name: job.name, data: parsed.data } as JobItemOf<Q> };
}
