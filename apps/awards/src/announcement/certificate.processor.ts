import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { SYSTEM_ACTOR } from '@dg/contracts';
import { runInContext } from '@dg/platform';
import { AwardsRepository } from '../awards.repository';
import { renderCertificate } from '../certificates/certificate.pdf';
import { Sources } from '../sources/sources';
import { CERTIFICATE_QUEUE, payloadOf } from './jobs';
import { AwardsMetrics } from '../awards.metrics';

/**
 * Makes one winner's certificate PDF and stores it (once: a retried job finds it there). One PDF
 * at a time per worker (rendering is CPU-bound; scale the worker Deployment for more).
 */
@Processor(CERTIFICATE_QUEUE, { concurrency: 1 })
export class CertificateProcessor extends WorkerHost {
  private readonly logger = new Logger(CertificateProcessor.name);

  constructor(
    private readonly repo: AwardsRepository,
    private readonly sources: Sources,
    private readonly metrics: AwardsMetrics,
  ) {
    super();
  }

  async process(job: Job): Promise<{ certificateNo: string }> {
    const { data } = payloadOf(CERTIFICATE_QUEUE, job);
    return runInContext({ correlationId: data.correlationId, actor: SYSTEM_ACTOR }, async () => {
      const existing = await this.repo.certificate(data.categoryId, data.agencyId);
      if (existing) return { certificateNo: existing.no };
      const category = (await this.repo.category(data.categoryId))!;
      const winners = (await this.repo.winners(category.cycleId)).filter(
        (w) => w.categoryId === data.categoryId,
      );
      const index = winners.findIndex((w) => w.agencyId === data.agencyId);
      const winner = winners[index];
      const announcedAt = (await this.repo.announcedAt(category.cycleId))!;
      const cycle = await this.sources
        .cycle(category.cycleId, { correlationId: data.correlationId, actor: SYSTEM_ACTOR })
        .catch(() => null);
      const certificateNo = `DGA-${category.cycleId}-${category.key}-${String(index + 1).padStart(3, '0')}`;
      const pdf = await renderCertificate({
        agencyName: winner.agencyName,
        categoryName: category.spec.name,
        cycleYearBE: cycle?.yearBE ?? Number(category.cycleId),
        rank: winner.rank,
        announcedAt: new Date(announcedAt),
        certificateNo,
      });
      await this.repo.saveCertificate(data.categoryId, data.agencyId, certificateNo, pdf);
      this.metrics.certificates.inc();
      return { certificateNo };
    });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job)
      this.logger.warn(`certificate job ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error(`certificate worker: ${error.message}`);
  }
}
