import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type Provider } from '@nestjs/common';
import { type Job, RateLimitError, UnrecoverableError, type WorkerOptions } from 'bullmq';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Channel } from '@dg/contracts';
import { ChannelError } from '../channels/channel';
import { EmailChannel } from '../channels/email.channel';
import { LineChannel } from '../channels/line.channel';
import type { NotificationsConfig } from '../config';
import { ConsentRepository } from '../consent/consent.repository';
import { NotificationsMetrics } from '../notifications.metrics';
import { TemplatesService } from '../templates/templates.service';
import { DeliveriesRepository, type DeliveryRow } from './deliveries.repository';
import { payloadOf, QUEUES } from './jobs';

/** A job younger than this whose delivery row is missing is retried (see process()). */
const YOUNG_JOB_MS = 60_000;

/** LINE's X-Line-Retry-Key must be a UUID: derived from the delivery id, so a retry repeats the same key. */
export function retryKeyOf(id: string): string {
  const h = createHash('sha256').update(id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Sends one delivery: the job of the `email` and `line` queues (ADR 0008). A send checks consent
 * and, for reminders, submission once more just before it goes out; a permanent refusal (bad
 * address, blocked) stops retrying and is logged; a 429 pauses the channel's queue for the time
 * LINE asked without spending an attempt. The two workers, each with its concurrency and rate
 * limit, are `sendProcessors(config)` below.
 */
@Injectable()
export abstract class SendProcessor extends WorkerHost {
  protected abstract readonly channel: Channel;
  private readonly logger = new Logger(SendProcessor.name);
  private readonly attachments = new Map<
    string,
    { fileName: string; contentType: string; content: Buffer }[]
  >();

  constructor(
    private readonly ds: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly consent: ConsentRepository,
    private readonly templates: TemplatesService,
    private readonly email: EmailChannel,
    private readonly line: LineChannel,
    private readonly metrics: NotificationsMetrics,
  ) {
    super();
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job)
      this.logger.warn(
        `${this.channel} delivery ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`,
      );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error(`${this.channel} worker: ${error.message}`);
  }

  async process(job: Job): Promise<{ outcome: string }> {
    const channel = this.channel;
    const { deliveryId } = payloadOf(QUEUES[channel], job).data;
    const d = await this.deliveries.get(deliveryId);
    if (!d) {
      // Jobs are queued only after their rows commit. A release before that queued them inside the
      // transaction: during a rolling update such a job may come first, so a young one is retried.
      if (Date.now() - job.timestamp < YOUNG_JOB_MS)
        throw new Error(`delivery ${deliveryId} not committed yet (queued by an older release?)`);
      // Older: the row will not appear (a database restored to an earlier point); retrying would
      // only spend attempts.
      throw new UnrecoverableError(`delivery ${deliveryId} not found: nothing to send`);
    }
    if (d.status !== 'queued') return { outcome: `already ${d.status}` };
    const skip = await this.skipReason(d);
    if (skip) {
      await this.deliveries.markSkipped(d.id, skip);
      this.metrics.messages.inc({ channel, outcome: 'skipped' });
      return { outcome: `skipped: ${skip}` };
    }
    let message: Awaited<ReturnType<TemplatesService['render']>>;
    try {
      message = await this.templates.render(d.templateKey, d.variables);
    } catch (e) {
      // A template that cannot render will not render on retry either: failed, with the reason.
      const reason = `template ${d.templateKey} could not be rendered: ${e instanceof Error ? e.message : String(e)}`;
      await this.deliveries.markAttempt(d.id, reason, true);
      this.metrics.messages.inc({ channel, outcome: 'failed' });
      throw new UnrecoverableError(reason);
    }
    const end = this.metrics.sendDuration.startTimer({ channel });
    let providerResponse: string;
    try {
      const result =
        channel === 'email'
          ? await this.email.send({
              messageId: d.id,
              to: d.address!,
              subject: message.subject,
              html: message.html,
              text: message.text,
              attachments: d.campaignId ? await this.attachmentsOf(d.campaignId) : undefined,
            })
          : await this.line.send({ retryKey: retryKeyOf(d.id), to: d.address!, text: message.line });
      providerResponse = result.providerResponse;
    } catch (e) {
      if (e instanceof ChannelError && e.kind === 'rate_limited') {
        // The provider asked us to wait: pause this queue for that long; the job keeps its attempts.
        this.metrics.messages.inc({ channel, outcome: 'rate_limited' });
        await this.worker.rateLimit(e.retryAfterMs ?? 60_000);
        throw new RateLimitError();
      }
      const permanent = e instanceof ChannelError && e.kind === 'permanent';
      const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const response =
        e instanceof ChannelError
          ? (e.providerResponse ?? e.message)
          : e instanceof Error
            ? e.message
            : String(e);
      await this.deliveries.markAttempt(d.id, response, final);
      this.metrics.messages.inc({ channel, outcome: final ? 'failed' : 'retrying' });
      if (permanent) throw new UnrecoverableError(response);
      throw e;
    } finally {
      end();
    }
    // The provider has the message: from here on, never send it again. Recording it is retried
    // on its own; if the database stays away the job still completes (the row then stays queued
    // and the log says why), which is better than a second e-mail.
    await this.recordSent(d.id, providerResponse);
    this.metrics.messages.inc({ channel, outcome: 'sent' });
    return { outcome: 'sent' };
  }

  private async recordSent(id: string, providerResponse: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliveries.markSent(id, providerResponse);
        return;
      } catch (e) {
        if (attempt >= 5) {
          this.logger.error(
            `delivery ${id} was SENT but could not be recorded as sent (not retried to avoid a duplicate): ${String(e)}`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  private async skipReason(d: DeliveryRow): Promise<string | null> {
    if ((await this.consent.erased([d.contactId])).size) return 'erased';
    if ((await this.consent.optedOut([d.contactId])).has(`${d.contactId}/${d.channel}`)) return 'opted_out';
    if (d.templateKey === 'deadline_reminder' && d.cycleId && d.agencyId) {
      const rows = (await this.ds.query(
        `SELECT 1 FROM submitted_agencies WHERE cycle_id = $1 AND agency_id = $2`,
        [d.cycleId, d.agencyId],
      )) as unknown[];
      if (rows.length) return 'already_submitted';
    }
    return null;
  }

  private async attachmentsOf(campaignId: string) {
    let found = this.attachments.get(campaignId);
    if (!found) {
      const rows = (await this.ds.query(
        `SELECT file_name AS "fileName", content_type AS "contentType", content FROM campaign_attachments WHERE campaign_id = $1 ORDER BY index`,
        [campaignId],
      )) as { fileName: string; contentType: string; content: Buffer }[];
      found = rows;
      this.attachments.set(campaignId, found);
    }
    return found.length ? found : undefined;
  }
}

/**
 * The e-mail and LINE workers: SEND_CONCURRENCY sends at a time each, and each queue's own rate
 * limit (EMAIL_RATE_PER_SECOND, LINE_RATE_PER_SECOND), which BullMQ keeps in Redis and so shares
 * across every replica. @nestjs/bullmq reads worker options from `@Processor` when it starts the
 * workers, so the classes are decorated here with this deployment's configuration; the module
 * provides them only where workers run (ADR 0010).
 */
export function sendProcessors(config: NotificationsConfig): Provider[] {
  const options = (perSecond: number): Partial<WorkerOptions> => ({
    concurrency: config.SEND_CONCURRENCY,
    limiter: { max: perSecond, duration: 1000 },
  });

  @Processor(QUEUES.email, options(config.EMAIL_RATE_PER_SECOND))
  class EmailSendProcessor extends SendProcessor {
    protected readonly channel = 'email';
  }

  @Processor(QUEUES.line, options(config.LINE_RATE_PER_SECOND))
  class LineSendProcessor extends SendProcessor {
    protected readonly channel = 'line';
  }

  return [EmailSendProcessor, LineSendProcessor];
}
