import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type EventEnvelope, Events, Streams } from '@dg/contracts';
import { type AfterCommit, EventConsumer, Metrics, Nats } from '@dg/platform';
import { CampaignsService } from '../campaigns/campaigns.service';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { ConsentRepository } from '../consent/consent.repository';
import { AgencyDeadlinesRepository } from '../deadlines/agency-deadlines.repository';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { Dispatcher, type Recipient } from '../deliveries/dispatcher';
import { Sources } from '../sources/sources';

type IntakeEvent =
  | typeof Events.CycleOpened
  | typeof Events.CycleUpdated
  | typeof Events.CycleClosed
  | typeof Events.ResponseSubmitted
  | typeof Events.ResponseReturned
  | typeof Events.ResponseExtended;

/** Of the row's status and the incoming one, the later in intake's order open -> closed -> archived. */
const LATER_STATUS = `CASE WHEN array_position(ARRAY['open', 'closed', 'archived'], cycles.status)
  > array_position(ARRAY['open', 'closed', 'archived'], excluded.status) THEN cycles.status ELSE excluded.status END`;

/** Winners' contacts are fetched this many agencies at a time. */
const CONTACT_LOOKUPS = 10;

/**
 * The events that make messages: intake's (receipts, returns; cycles, submissions and each
 * agency's own deadline kept as projections for reminders), scoring's results, the awards'
 * announcement, and the registry's erasures. Durable consumers with an inbox: a redelivered event
 * finds its delivery rows already there and sends nothing new.
 */
@Injectable()
export class EventsConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: EventConsumer<never>[] = [];

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly nats: Nats,
    private readonly ds: DataSource,
    private readonly metrics: Metrics,
    private readonly sources: Sources,
    private readonly dispatcher: Dispatcher,
    private readonly campaigns: CampaignsService,
    private readonly consent: ConsentRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly deadlines: AgencyDeadlinesRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const intake = new EventConsumer<IntakeEvent>(
      {
        stream: Streams.INTAKE,
        durable: 'notifications',
        subjects: [
          Events.CycleOpened,
          Events.CycleUpdated,
          Events.CycleClosed,
          Events.ResponseSubmitted,
          Events.ResponseReturned,
          Events.ResponseExtended,
        ],
        handle: (e, m, after) => this.intake(e, m, after),
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
    const awards = new EventConsumer<typeof Events.AwardsAnnounced>(
      {
        stream: Streams.AWARDS,
        durable: 'notifications',
        subjects: [Events.AwardsAnnounced],
        handle: (e, m, after) => this.awards(e, m, after),
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
    for (const c of [intake, scoring, awards, registry] as EventConsumer<never>[]) {
      await c.start();
      this.consumers.push(c);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  private async intake(
    event: EventEnvelope<IntakeEvent>,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const ctx = { correlationId: event.correlationId, actor: event.actor };
    switch (event.type) {
      // The cycles projection (the deadline the reminders count from) moves only forward: a
      // snapshot (opened, updated) is applied only if its version is newer than the row's, and the
      // status never goes back (intake has no reopening: open -> closed -> archived).
      case Events.CycleOpened: {
        const p = (event as EventEnvelope<typeof Events.CycleOpened>).payload;
        const cycle = await this.sources.cycle(p.cycleId, ctx);
        await m.query(
          `INSERT INTO cycles (cycle_id, year_be, title_th, title_en, closes_at, status, version)
           VALUES ($1, $2, $3, $4, $5, 'open', $6)
           ON CONFLICT (cycle_id) DO UPDATE SET closes_at = excluded.closes_at, title_th = excluded.title_th,
             title_en = excluded.title_en, version = excluded.version, status = ${LATER_STATUS}
           WHERE coalesce(cycles.version, 0) < coalesce(excluded.version, 0)
              -- an opened event from before versions (a replay) still refreshes an unversioned row
              OR (excluded.version IS NULL AND cycles.version IS NULL)`,
          [p.cycleId, p.yearBE, cycle.title.th, cycle.title.en, p.closesAt, p.version ?? null],
        );
        return;
      }
      case Events.CycleUpdated: {
        const p = (event as EventEnvelope<typeof Events.CycleUpdated>).payload;
        // A draft's dates mean nothing here yet: the ones in force at opening come with
        // intake.cycle.opened (a later version), and a draft update arriving late is older still.
        if (p.status === 'draft') return;
        await m.query(
          `INSERT INTO cycles (cycle_id, year_be, title_th, title_en, closes_at, status, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (cycle_id) DO UPDATE SET closes_at = excluded.closes_at, title_th = excluded.title_th,
             title_en = excluded.title_en, version = excluded.version, status = ${LATER_STATUS}
           WHERE coalesce(cycles.version, 0) < excluded.version`,
          [p.cycleId, p.yearBE, p.title.th, p.title.en, p.closesAt, p.status, p.version],
        );
        return;
      }
      case Events.CycleClosed: {
        const p = (event as EventEnvelope<typeof Events.CycleClosed>).payload;
        await m.query(`UPDATE cycles SET status = 'closed' WHERE cycle_id = $1 AND status = 'open'`, [
          p.cycleId,
        ]);
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
          after,
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
        // Returned means not submitted, unless a resubmission (later than this return) arrived
        // first: a late return must not make a submitted agency look unsubmitted to reminders.
        await m.query(
          `DELETE FROM submitted_agencies WHERE cycle_id = $1 AND agency_id = $2 AND submitted_at <= $3`,
          [p.cycleId, p.agencyId, event.occurredAt],
        );
        // The correction deadline is the agency's own from now on, as an extension is.
        await this.deadlines.apply(m, {
          cycleId: p.cycleId,
          agencyId: p.agencyId,
          agencyCode: p.agencyCode,
          deadline: p.deadline,
          responseVersion: p.responseVersion ?? null,
          grantedAt: event.occurredAt,
        });
        await this.toAgency(
          m,
          after,
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
      // An agency's own deadline: kept (only forward) for its reminders; nothing is sent now.
      case Events.ResponseExtended: {
        const p = (event as EventEnvelope<typeof Events.ResponseExtended>).payload;
        await this.deadlines.apply(m, {
          cycleId: p.cycleId,
          agencyId: p.agencyId,
          agencyCode: p.agencyCode,
          deadline: p.deadline,
          responseVersion: p.responseVersion,
          grantedAt: event.occurredAt,
        });
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

  /**
   * awards.results.announced: one message to every active contact of each winning agency, listing
   * all the categories it won. The key is the cycle's (`award-<cycle>`), so the same announcement
   * redelivered, or published again under a new event id, finds its rows and sends nothing more.
   */
  private async awards(
    event: EventEnvelope<typeof Events.AwardsAnnounced>,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const p = event.payload;
    const ctx = { correlationId: event.correlationId, actor: event.actor };
    const winners = new Map<
      string,
      {
        agencyCode: string;
        agencyName: string;
        awards: { categoryName: { th: string; en: string }; rank: number }[];
      }
    >();
    for (const w of p.winners) {
      const agency = winners.get(w.agencyId) ?? {
        agencyCode: w.agencyCode,
        agencyName: w.agencyName,
        awards: [],
      };
      agency.awards.push({ categoryName: { th: w.categoryName.th, en: w.categoryName.en }, rank: w.rank });
      winners.set(w.agencyId, agency);
    }
    if (!winners.size) return;
    const cycle = await this.sources.cycle(p.cycleId, ctx);
    const recipients: Recipient[] = [];
    const agencies = [...winners.entries()];
    for (let i = 0; i < agencies.length; i += CONTACT_LOOKUPS) {
      const batch = agencies.slice(i, i + CONTACT_LOOKUPS);
      const contacts = await Promise.all(
        batch.map(([agencyId]) => this.sources.agencyContacts(agencyId, ctx)),
      );
      batch.forEach(([agencyId, a], j) =>
        recipients.push(
          ...contacts[j].map((contact) => ({
            agencyId,
            agencyCode: a.agencyCode,
            agencyName: a.agencyName,
            contact,
          })),
        ),
      );
    }
    const winnersLink = `${this.config.PORTAL_URL}/public/cycles/${encodeURIComponent(p.cycleId)}/awards`;
    const { queued } = await this.dispatcher.record(
      m,
      {
        key: `award-${p.cycleId}`,
        campaignId: null,
        cycleId: p.cycleId,
        templateKey: 'award_announced',
        channels: ['email', 'line'],
        variables: (r) => ({
          ...this.campaigns.baseVariables(cycle, r),
          awards: winners.get(r.agencyId)?.awards ?? [],
          announcedAt: p.announcedAt,
          winnersLink,
        }),
      },
      recipients,
    );
    // Queued once the rows are committed (a job never looks for a row not there yet); if Redis is
    // down then, the sweep re-queues them.
    after(() => this.dispatcher.enqueue(queued));
  }

  /** A message to every active contact of one agency, on both channels. */
  private async toAgency(
    m: EntityManager,
    after: AfterCommit,
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
    // Queued once the rows are committed (a job never looks for a row not there yet); if Redis is
    // down then, the sweep re-queues them.
    after(() => this.dispatcher.enqueue(queued));
  }
}
