import { z } from 'zod';

/** WARNING: the queue name and job id shape live in Redis. */
export const CERTIFICATE_QUEUE = 'certificates';
export const CertificateJob = z.object({
  categoryId: z.string().uuid(),
  agencyId: z.string().uuid(),
  correlationId: z.string(),
});
export type CertificateJob = z.infer<typeof CertificateJob>;
export const certificateJobId = (categoryId: string, agencyId: string) => `cert_${categoryId}_${agencyId}`;
