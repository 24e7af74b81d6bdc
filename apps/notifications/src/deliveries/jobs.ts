import { z } from 'zod';
import type { Channel } from '@dg/contracts';

/**
 * Queues. One per channel, so each has its own BullMQ rate limiter; the sweep queue runs the
 * scheduled reminder check and re-queues stranded deliveries. WARNING: the names live in Redis.
 */
export const QUEUES = { email: 'email', line: 'line', sweep: 'notifications-sweep' } as const;
export const queueOf = (channel: Channel) => QUEUES[channel];

/** The job is the delivery row's id (also its BullMQ job id): everything else is read from the row. */
export const SendJob = z.object({ deliveryId: z.string() });
export type SendJob = z.infer<typeof SendJob>;

export const SWEEP_JOB = 'sweep';

export function sendJobOptions(
  config: { SEND_ATTEMPTS: number; SEND_BACKOFF_MS: number },
  deliveryId: string,
) {
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
