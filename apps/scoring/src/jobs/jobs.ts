import { type Job, type JobsOptions, type Queue, UnrecoverableError } from 'bullmq';
import {
  checkJob,
  type JobItemOf,
  type JobNameOf,
  type JobOf,
  type JobProducer,
  type QueueName,
  Queues,
} from '@dg/contracts';

/**
 * Scoring's queues: `Queues.Scoring` (score jobs and rescore flows) and `Queues.ScoringSweep`. Their
 * names, job names and payload schemas are in the contracts; the job id shapes below are stored in
 * Redis too: changing one needs a plan for the jobs already queued.
 */
export const SCORING_QUEUE = Queues.Scoring.name;
export const SCORING_SWEEP_QUEUE = Queues.ScoringSweep.name;
/** The flow producer (a Nest token, not a queue) that adds rescore flows to SCORING_QUEUE. */
export const SCORING_FLOW = 'scoring-flow';
export const SWEEP_JOB: JobNameOf<typeof SCORING_SWEEP_QUEUE> = 'sweep';

export const JobName = {
  /** Score one submitted (or verified) version of a response. */
  Score: 'score',
  /** Score a slice of a cycle again with one rules version (a child of a rescore flow). */
  RescoreBatch: 'rescore-batch',
  /** The parent of a rescore flow: runs once every batch is done. */
  RescoreDone: 'rescore-done',
} as const satisfies Record<string, JobNameOf<typeof SCORING_QUEUE>>;
export type JobName = JobNameOf<typeof SCORING_QUEUE>;

export type ScoreJob = JobOf<typeof SCORING_QUEUE, 'score'>;
export type RescoreBatchJob = JobOf<typeof SCORING_QUEUE, 'rescore-batch'>;
export type RescoreDoneJob = JobOf<typeof SCORING_QUEUE, 'rescore-done'>;

/** BullMQ's Queue, whose `add` and `addBulk` take only queue Q's job names and their payloads. */
export type JobQueue<Q extends QueueName> = Omit<Queue, 'add' | 'addBulk'> &
  JobProducer<Q, JobsOptions, Job>;

/**
 * A job's name and payload checked against the contracts. A job that does not match fails for good
 * (UnrecoverableError): retrying would not change it.
 */
export function payloadOf<Q extends QueueName>(queue: Q, job: Job): JobItemOf<Q> {
  const checked = checkJob(queue, job);
  if (!checked.ok) throw new UnrecoverableError(checked.problem);
  return checked.job;
}

/** Deterministic ids (BullMQ forbids ':' in custom ids): the same work is never queued twice. */
export const scoreJobId = (responseId: string, responseVersion: number) => `score_${responseId}_${responseVersion}`;
export const rescoreJobId = (cycleId: string, rescoreId: string) => `rescore_${cycleId}_${rescoreId}`;
export const rescoreBatchJobId = (cycleId: string, rescoreId: string, batch: number) =>
  `rescore_${cycleId}_${rescoreId}_${batch}`;

/** Retries with exponential backoff; failed jobs are kept (operators see them), done ones for a week. */
export function jobOptions(config: { SCORING_ATTEMPTS: number; SCORING_BACKOFF_MS: number }) {
  return {
    attempts: config.SCORING_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.SCORING_BACKOFF_MS },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: false,
  };
}
