import { z } from 'zod';
import { Actor } from '@dg/contracts';

/**
 * The scoring queue and its jobs. WARNING: queue and job names and the job id shapes are stored in
 * Redis; changing one needs a plan for the jobs already queued.
 */
export const SCORING_QUEUE = 'scoring';
/** Adds rescore flows (a parent with one child per batch) to SCORING_QUEUE. */
export const SCORING_FLOW = 'scoring-flow';
/** Runs the scheduled sweep that re-queues score jobs Redis lost (one at a time across replicas). */
export const SCORING_SWEEP_QUEUE = 'scoring-sweep';
export const SWEEP_JOB = 'sweep';

export const JobName = {
  /** Score one submitted (or verified) version of a response. */
  Score: 'score',
  /** Score a slice of a cycle again with one rules version (a child of a rescore flow). */
  RescoreBatch: 'rescore-batch',
  /** The parent of a rescore flow: runs once every batch is done. */
  RescoreDone: 'rescore-done',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

const Traced = { correlationId: z.string(), actor: Actor };

export const ScoreJob = z.object({
  cycleId: z.string(),
  responseId: z.string().uuid(),
  responseVersion: z.number().int(),
  submission: z.number().int(),
  /** Verdicts of a verification; null for a plain submission. */
  verdicts: z.array(z.object({ questionId: z.string(), verdict: z.enum(['accepted', 'rejected']) })).nullable(),
  ...Traced,
});
export type ScoreJob = z.infer<typeof ScoreJob>;

export const RescoreBatchJob = z.object({
  rescoreId: z.string(),
  cycleId: z.string(),
  rulesVersion: z.number().int(),
  batch: z.number().int(),
  keys: z.array(z.object({ responseId: z.string().uuid(), responseVersion: z.number().int() })),
  ...Traced,
});
export type RescoreBatchJob = z.infer<typeof RescoreBatchJob>;

export const RescoreDoneJob = z.object({ rescoreId: z.string(), cycleId: z.string(), ...Traced });
export type RescoreDoneJob = z.infer<typeof RescoreDoneJob>;

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
