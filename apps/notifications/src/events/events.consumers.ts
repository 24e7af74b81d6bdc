import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type EventEnvelope, Events, Streams } from '@dg/contracts';
import { EventConsumer, Metrics, Nats } from '@dg/platform';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ConsentRepository } from '../consent/consent.repository';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { Dispatcher } from '../deliveries/dispatcher';
import { Sources } from '../sources/sources';

type IntakeEvent =
  | typeof Events.CycleOpened
  | typeof Events.CycleClosed
  | typeof Events.ResponseSubmitted
  | typeof Events.ResponseReturned;

/**
 * The events that make messages: intake's (receipts, returns; cycles and submissions kept as
 * projections for reminders), scoring's results, and the registry's erasures. Durable consumers
 * with an inbox: a redelivered event finds its delivery rows already there and sends nothing new.
 */
@Injectable()
export class EventsConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: EventConsumer<never>[] = [];

  constructor(
    private readonly nats: Nats,
    private readonly ds: DataSource,
    private readonly metrics: Metrics,
    private readonly sources: Sources,
    private readonly dispatcher: Dispatcher,
    private readonly campaigns: CampaignsService,
    private readonly consent: ConsentRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const intake = new EventConsumer<IntakeEvent>(
      {
        stream: Streams.INTAKE,
        durable: 'notifications',
        subjects: [Events.CycleOpened, Events.CycleClosed, Events.ResponseSubmitted, Events.ResponseReturned],
        handle: (e, m) => this.intake(e, m),
      },
      this.nats,
      this.ds,
      this.metrics,
    );
    const scoring = new EventConsumer<typeof Events.ResultsPublished>(
      {
        stream: Streams.SCORING,
        durable: 'notifications',
        subjects: [Events.ResultsPublished],
        handle: (e) => this.results(e),
      },
      this.nats,
      this.ds,
      this.metrics,
    );
    const registry = new EventConsumer<typeof Events.ContactErased>(
      {
        stream: Streams.REGISTRY,
        durable: 'notifications',
        subjects: [Events.ContactErased],
        handle: async (e, m) => {
          await this.consent.markErased(m, e.payload.contactId, e.payload.erasedAt);
          await this.deliveries.skipQueuedOf(m, e.payload.contactId, 'erased');
        },
      },
      this.nats,
      this.ds,
      this.metrics,
    );
    for (const c of [intake, scoring, registry] as EventConsumer<never>[]) {
      await c.start();
      this.consumers.push(c);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  private async intake(event: EventEnvelope<IntakeEvent>, m: EntityManager): Promise<void> {
    const ctx = { correlationId: event.correlationId, actor: event.actor };
    switch (event.type) {
      case Events.CycleOpened: {
        const p = (event as EventEnvelope<typeof Events.CycleOpened>).payload;
        const cycle = await this.sources.cycle(p.cycleId, ctx);
        await m.query(
          `INSERT INTO cycles (cycle_id, year_be, title_th, title_en, closes_at, status) VALUES ($1, $2, $3, $4, $5, 'open')
           ON CONFLICT (cycle_id) DO UPDATE SET closes_at = excluded.closes_at, status = 'open', title_th = excluded.title_th, title_en = excluded.title_en`,
          [p.cycleId, p.yearBE, cycle.title.th, cycle.title.en, p.closesAt],
        );
        return;
      }
      case Events.CycleClosed: {
        const p = (event as EventEnvelope<typeof Events.CycleClosed>).payload;
        await m.query(`UPDATE cycles SET status = 'closed' WHERE cycle_id = $1`, [p.cycleId]);
        return;
      }
      case Events.ResponseSubmitted: {
        const p = (event as EventEnvelope<typeof Events.ResponseSubmitted>).payload;
        await m.query(
          `INSERT INTO submitted_agencies (cycle_id, agency_id, submitted_at) VALUES ($1, $2, $3)
           ON CONFLICT (cycle_id, agency_id) DO UPDATE SET submitted_at = excluded.submitted_at`,
          [p.cycleId, p.agencyId, p.submittedAt],
        );
        await this.toAgency(
          m,
          ctx,
          p.cycleId,
          p.agencyId,
          p.agencyCode,
          `receipt-${p.responseId}-${p.submission}`,
          'submission_receipt',
          {
            submission: p.submission,
            submittedAt: p.submittedAt,
          },
        );
        return;
      }
      case Events.ResponseReturned: {
        const p = (event as EventEnvelope<typeof Events.ResponseReturned>).payload;
        await m.query(`DELETE FROM submitted_agencies WHERE cycle_id = $1 AND agency_id = $2`, [
          p.cycleId,
          p.agencyId,
        ]);
        await this.toAgency(
          m,
          ctx,
          p.cycleId,
          p.agencyId,
          p.agencyCode,
          `return-${event.id}`,
          'response_returned',
          {
            comment: p.comment,
            correctionDeadline: p.deadline,
            rejectedCount: p.rejectedQuestions.length,
          },
        );
        return;
      }
    }
  }

  private async results(event: EventEnvelope<typeof Events.ResultsPublished>): Promise<void> {
    await this.campaigns.resultsPublished(event.payload.cycleId, {
      correlationId: event.correlationId,
      actor: event.actor,
    });
  }

  /** A message to every active contact of one agency, on both channels. */
  private async toAgency(
    m: EntityManager,
    ctx: { correlationId: string; actor: EventEnvelope['actor'] },
    cycleId: string,
    agencyId: string,
    agencyCode: string,
    key: string,
    templateKey: 'submission_receipt' | 'response_returned',
    extra: Record<string, unknown>,
  ): Promise<void> {
    const [cycle, contacts] = await Promise.all([
      this.sources.cycle(cycleId, ctx),
      this.sources.agencyContacts(agencyId, ctx),
    ]);
    const agencyName = (await this.sources.agencyName(agencyId, ctx)) ?? agencyCode;
    const { queued } = await this.dispatcher.record(
      m,
      {
        key,
        campaignId: null,
        cycleId,
        templateKey,
        channels: ['email', 'line'],
        variables: (r) => ({ ...this.campaigns.baseVariables(cycle, r), ...extra }),
      },
      contacts.map((contact) => ({ agencyId, agencyCode, agencyName, contact })),
    );
    // Queued before the inbox transaction commits: a job that runs first finds no row and is
    // retried; the sweep re-queues anything left behind.
    await this.dispatcher.enqueue(queued);
  }
}
