import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, Events, publicationRefusal, type RpcRequestParsed, Rpc } from '@dg/contracts';
import {
  addToOutbox,
  agencyScope,
  type CallContext,
  FileTransfer,
  OutboxRelay,
  requireRole,
} from '@dg/platform';
import { AWARDS_CONFIG, type AwardsConfig } from '../config';
import { AwardsRepository, type WinnerRow, toWinner } from '../awards.repository';
import { Sources } from '../sources/sources';
import {
  CERTIFICATE_JOB,
  CERTIFICATE_QUEUE,
  certificateJobId,
  type CertificateJob,
  type JobQueue,
} from './jobs';

/**
 * Announcing a cycle's awards: every category must be decided, the cycle closed and every
 * submitted response verified or set aside (intake's `intake.cycle.readiness`); the winners are frozen, the
 * `awards.results.announced` event leaves through the outbox (notifications sends the news), and a
 * certificate job is queued per winner. Afterwards the winners are public.
 */
@Injectable()
export class AnnouncementService {
  constructor(
    @Inject(AWARDS_CONFIG) private readonly config: AwardsConfig,
    private readonly repo: AwardsRepository,
    private readonly outbox: OutboxRelay,
    private readonly files: FileTransfer,
    private readonly sources: Sources,
    @InjectQueue(CERTIFICATE_QUEUE) private readonly certificates: JobQueue<typeof CERTIFICATE_QUEUE>,
  ) {}

  async announce(cycleId: string, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin');
    const winners = await this.repo.transaction(async (m) => {
      await this.repo.lockCycle(m, cycleId);
      if (await this.repo.announcedAt(cycleId, m)) throw new DomainError('AWARDS_ANNOUNCED');
      const categories = await this.repo.categories(cycleId, m);
      if (!categories.length) throw new DomainError('AWARD_NO_CATEGORIES');
      const undecided = categories.filter((c) => c.status !== 'decided');
      if (undecided.length) {
        throw new DomainError(
          'AWARD_CATEGORIES_UNDECIDED',
          `ยังไม่ได้ตัดสิน: ${undecided.map((c) => c.key).join(', ')} (categories not decided yet)`,
          undefined,
          { undecided: undecided.map((c) => c.key) },
        );
      }
      // As for the results: the cycle closed and every submitted response verified or set aside
      // (an extension granted after publication would otherwise be announced over).
      const refusal = publicationRefusal(await this.sources.readiness(cycleId, ctx), {
        th: 'ประกาศรางวัล',
        en: 'awards are announced',
      });
      if (refusal) throw new DomainError(refusal.code, refusal.detail, undefined, refusal.meta);
      const rows: WinnerRow[] = [];
      for (const c of categories) {
        const final = (await this.repo.decisions(c.id, m))
          .filter((d) => d.type === 'confirm' || d.type === 'override')
          .at(-1)!;
        for (const w of final.details.winners as Omit<
          WinnerRow,
          'categoryId' | 'cycleId' | 'categoryKey'
        >[]) {
          rows.push({ ...w, categoryId: c.id, cycleId, categoryKey: c.key });
        }
      }
      const at = new Date();
      await this.repo.insertWinners(m, rows);
      await this.repo.markAnnounced(m, cycleId, ctx.actor.id, at);
      const names = new Map(categories.map((c) => [c.id, c.spec.name]));
      await addToOutbox(
        m,
        Events.AwardsAnnounced,
        {
          cycleId,
          announcedAt: at.toISOString(),
          winners: rows.map((w) => ({
            categoryId: w.categoryId,
            categoryKey: w.categoryKey,
            categoryName: names.get(w.categoryId)!,
            agencyId: w.agencyId,
            agencyCode: w.agencyCode,
            agencyName: w.agencyName,
            rank: w.rank,
          })),
        },
        ctx,
      );
      return rows;
    });
    this.outbox.kick();
    await this.queueCertificates(winners, ctx);
    return this.public(cycleId);
  }

  /** One job per winner (id = category + agency): queuing again adds nothing. */
  async queueCertificates(winners: WinnerRow[], ctx: CallContext): Promise<void> {
    await this.certificates.addBulk(
      winners.map((w) => {
        const data: CertificateJob = {
          categoryId: w.categoryId,
          agencyId: w.agencyId,
          correlationId: ctx.correlationId,
        };
        return {
          name: CERTIFICATE_JOB,
          data,
          opts: {
            jobId: certificateJobId(w.categoryId, w.agencyId),
            attempts: this.config.CERTIFICATE_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.config.CERTIFICATE_BACKOFF_MS },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: false,
          },
        };
      }),
    );
  }

  async public(cycleId: string) {
    const at = await this.repo.announcedAt(cycleId);
    if (!at) throw new DomainError('AWARDS_NOT_ANNOUNCED');
    const winners = await this.repo.winners(cycleId);
    const categories = await this.repo.categories(cycleId);
    // The number printed on each certificate, so the public page links every winner to its check.
    const numbers = await this.repo.certificateNumbers(cycleId);
    return {
      cycleId,
      announcedAt: new Date(at).toISOString(),
      categories: categories.map((c) => ({
        id: c.id,
        key: c.key,
        name: c.spec.name,
        winners: winners
          .filter((w) => w.categoryId === c.id)
          .map((w) => ({ ...toWinner(w), certificateNo: numbers.get(`${w.categoryId}|${w.agencyId}`) ?? null })),
      })),
    };
  }

  /**
   * The public check of a certificate number: who won what, in which year. A number never issued
   * (or not made yet) is CERTIFICATE_NOT_FOUND; nothing else of the awards leaves here.
   */
  async checkCertificate(number: string, ctx: CallContext) {
    const row = await this.repo.certificateByNumber(number);
    if (!row) throw new DomainError('CERTIFICATE_NOT_FOUND');
    const cycle = await this.sources.cycle(row.cycleId, ctx).catch(() => null);
    return {
      number: row.no,
      genuine: true as const,
      agencyCode: row.agencyCode,
      agencyName: row.agencyName,
      category: { key: row.categoryKey, name: row.categoryName },
      cycleId: row.cycleId,
      cycleYearBE: cycle?.yearBE ?? Number(row.cycleId),
      rank: row.rank,
      shared: row.shared,
      announcedAt: new Date(row.announcedAt).toISOString(),
      issuedAt: new Date(row.issuedAt).toISOString(),
    };
  }

  /** A winner's certificate, through the transfer bucket; an agency's own people see their own only. */
  async certificate(req: RpcRequestParsed<typeof Rpc.AwardCertificateGet>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator', 'committee', 'coordinator', 'approver');
    const scope = agencyScope(ctx.actor);
    if (scope !== null && scope !== req.agencyId) throw new DomainError('NOT_FOUND');
    if (!(await this.repo.announcedAt(req.cycleId))) throw new DomainError('AWARDS_NOT_ANNOUNCED');
    const winner = (await this.repo.winners(req.cycleId)).find(
      (w) => w.categoryId === req.categoryId && w.agencyId === req.agencyId,
    );
    if (!winner)
      throw new DomainError('NOT_FOUND', 'หน่วยงานนี้ไม่ได้รับรางวัลประเภทนี้ (not a winner of this category)');
    const cert = await this.repo.certificate(req.categoryId, req.agencyId);
    if (!cert) {
      // Queued at announcement; if that never reached Redis, or the job gave up, this queues it again.
      const job = await this.certificates.getJob(certificateJobId(req.categoryId, req.agencyId));
      if (!job) await this.queueCertificates([winner], ctx);
      else if (await job.isFailed()) await job.retry('failed');
      throw new DomainError('CERTIFICATE_NOT_READY');
    }
    return this.files.put(
      {
        objectName: `certificate/${cert.no}`,
        fileName: `เกียรติบัตร-${winner.agencyCode}-${winner.categoryKey}.pdf`,
        contentType: 'application/pdf',
      },
      cert.pdf,
    );
  }
}
