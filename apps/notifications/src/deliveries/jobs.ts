import { type Job, type JobsOptions, type Queue, UnrecoverableError } from 'bullmq';
import {
  type Channel,
  checkJob,
  type JobItemOf,
  type JobNameOf,
  type JobProducer,
  type QueueName,
  Queues,
} from '@dg/contracts';

/**
 * Notifications' queues (names, job names and payload schemas are in the contracts): one per
 * channel, so each has its own BullMQ rate limiter, and the sweep queue that runs the scheduled
 * reminder check and re-queues stranded deliveries. WARNING: the names live in Redis.
 */
export const QUEUES = {
  email: Queues.Email.name,
  line: Queues.Line.name,
  sweep: Queues.NotificationsSweep.name,
} as const satisfies Record<Channel | 'sweep', QueueName>;

export const SEND_JOB: JobNameOf<typeof QUEUES.email | typeof QUEUES.line> = 'send';
export const SWEEP_JOB: JobNameOf<typeof QUEUES.sweep> = 'sweep';

/** BullMQ's Queue, whose `add` and `addBulk` take only queue Q's job names and their payloads. */
export type JobQueue<Q extends QueueName> = Omit<Queue, 'add' | 'addBulk'> & JobProducer<Q, JobsOptions, Job>;

/**
 * A job's name and payload checked against the contracts. A job that does not match fails for good
 * (UnrecoverableError): retrying would not change it.
 */
export function payloadOf<Q extends QueueName>(queue: Q, job: Job): JobItemOf<Q> {
  const checked = checkJob(queue, job);
  if (!checked.ok) throw new UnrecoverableError(checked.problem);
  return checked.job;
}

/** The job id is the delivery row's id: the same delivery is never queued twice. */
export function sendJobOptions(
  config: { SEND_ATTEMPTS: number; SEND_BACKOFF_MS: number },
  deliveryId: string,
): JobsOptions {
  return {
    jobId: deliveryId,
    attempts: config.SEND_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.SEND_BACKOFF_MS },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Delivery ids are deterministic: the same message to the same contact on the same channel is one row. */
export const deliveryId = (messageKey: string, contactId: string, channel: Channel) =>
  `${messageKey}_${contactId}_${channel}`;
