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
 * Awards' queue of certificate PDFs (its name, job name and payload schema are in the contracts:
 * `Queues.Certificates`). WARNING: the queue name and the job id shape live in Redis.
 */
export const CERTIFICATE_QUEUE = Queues.Certificates.name;
export const CERTIFICATE_JOB: JobNameOf<typeof CERTIFICATE_QUEUE> = 'certificate';
export type CertificateJob = JobOf<typeof CERTIFICATE_QUEUE, typeof CERTIFICATE_JOB>;

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

/** One job per winner: queuing it again adds nothing. */
export const certificateJobId = (categoryId: string, agencyId: string) => `cert_${categoryId}_${agencyId}`;
