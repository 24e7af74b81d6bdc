import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel, Contact, TemplateKey } from '@dg/contracts';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { ConsentRepository } from '../consent/consent.repository';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository';
import { deliveryId, type JobQueue, QUEUES, SEND_JOB, sendJobOptions } from './jobs';

export interface Recipient {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  /** A registry contact, or a user of the agency in the same shape (its id is the user's). */
  contact: Contact;
  /** Only these of the message's channels (a user account has an e-mail address, no LINE id). */
  channels?: Channel[];
}

export interface Message {
  /** Deterministic: names the message, e.g. `announce-2565-ab12cd` or `receipt-<response>-2`. */
  key: string;
  campaignId: string | null;
  cycleId: string | null;
  templateKey: TemplateKey;
  channels: Channel[];
  /** Template variables for one recipient. */
  variables: (r: Recipient) => Record<string, unknown>;
}

const addressOf = (c: Contact, channel: Channel) => (channel === 'email' ? c.email : c.lineId);

/**
 * Turns a message and its recipients into delivery rows — queued, or skipped with the reason
 * (no address, opted out, erased) so the log says why someone got nothing — inside the caller's
 * transaction, then queues a send job per new queued row. The row id is the job id.
 */
@Injectable()
export class Dispatcher {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly consent: ConsentRepository,
    @InjectQueue(QUEUES.email) private readonly email: JobQueue<typeof QUEUES.email>,
    @InjectQueue(QUEUES.line) private readonly line: JobQueue<typeof QUEUES.line>,
  ) {}

  /**
   * `consentOf`: the agency's other contacts, not recipients of this message, whose opt-outs still
   * hold for their addresses (a user who is also an opted-out contact is not reached as a user).
   */
  async record(
    m: EntityManager,
    message: Message,
    recipients: Recipient[],
    consentOf: Recipient[] = [],
  ): Promise<{ queued: { id: string; channel: Channel }[]; skipped: number }> {
    const contactIds = [...recipients, ...consentOf].map((r) => r.contact.id);
    const [optedOut, erased] = await Promise.all([
      this.consent.optedOut(contactIds, m),
      this.consent.erased(contactIds, m),
    ]);
    const rows: NewDelivery[] = [];
    // One address of one agency hears a message once (an e-mail entered as two contacts, or a
    // user who is also a contact); if any holder of it opted out of the channel, none hears it.
    const sameAddress = (r: Recipient, channel: Channel) =>
      `${r.agencyId}/${channel}/${(addressOf(r.contact, channel) ?? '').trim().toLowerCase()}`;
    const refused = new Set(
      [...recipients, ...consentOf].flatMap((r) =>
        message.channels
          .filter((ch) => optedOut.has(`${r.contact.id}/${ch}`) && addressOf(r.contact, ch))
          .map((ch) => sameAddress(r, ch)),
      ),
    );
    const taken = new Set<string>();
    for (const r of recipients) {
      for (const channel of message.channels.filter((ch) => !r.channels || r.channels.includes(ch))) {
        const address = addressOf(r.contact, channel);
        const key = sameAddress(r, channel);
        const skipReason =
          erased.has(r.contact.id) || r.contact.erasedAt
            ? 'erased'
            : optedOut.has(`${r.contact.id}/${channel}`) || (address && refused.has(key))
              ? 'opted_out'
              : !address
                ? 'no_address'
                : taken.has(key)
                  ? 'duplicate'
                  : null;
        if (!skipReason) taken.add(key);
        rows.push({
          id: deliveryId(message.key, r.contact.id, channel),
          campaignId: message.campaignId,
          cycleId: message.cycleId,
          agencyId: r.agencyId,
          agencyCode: r.agencyCode,
          contactId: r.contact.id,
          channel,
          templateKey: message.templateKey,
          // Erased or opted-out contacts: the address is not kept in the log either.
          address: skipReason && skipReason !== 'no_address' ? null : address,
          variables: message.variables(r),
          status: skipReason ? 'skipped' : 'queued',
          skipReason,
        });
      }
    }
    const inserted = new Set(await this.deliveries.insert(m, rows));
    const fresh = rows.filter((r) => inserted.has(r.id));
    return {
      queued: fresh.filter((r) => r.status === 'queued').map((r) => ({ id: r.id, channel: r.channel })),
      skipped: fresh.filter((r) => r.status === 'skipped').length,
    };
  }

  /** Queues send jobs; a job id that exists already is ignored by BullMQ. Call after the rows committed. */
  async enqueue(items: { id: string; channel: Channel }[]): Promise<void> {
    for (const channel of ['email', 'line'] as const) {
      const ids = items.filter((i) => i.channel === channel).map((i) => i.id);
      const queue = channel === 'email' ? this.email : this.line;
      for (let i = 0; i < ids.length; i += 1000) {
        await queue.addBulk(
          ids.slice(i, i + 1000).map((id) => ({
            name: SEND_JOB,
            data: { deliveryId: id },
            opts: sendJobOptions(this.config, id),
          })),
        );
      }
    }
  }
}
