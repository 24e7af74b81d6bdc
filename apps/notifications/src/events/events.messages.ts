import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type EventEnvelope, Events } from '@dg/contracts';
import type { CallContext, EventPatternExtras, JetStreamContext } from '@dg/platform';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ConsentRepository } from '../consent/consent.repository';
import { AgencyDeadlinesRepository } from '../deadlines/agency-deadlines.repository';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { Dispatcher, type Recipient } from '../deliveries/dispatcher';
import { Sources } from '../sources/sources';

/** Of the row's status and the incoming one, the later in intake's order open -> closed -> archived. */
const LATER_STATUS = `CASE WHEN array_position(ARRAY['open', 'closed', 'archived'], cycles.status)
  > array_position(ARRAY['open', 'closed', 'archived'], excluded.status) THEN cycles.status ELSE excluded.status END`;

/** Winners' contacts are fetched this many agencies at a time. */
const CONTACT_LOOKUPS = 10;

/**
 * The consumer of every stream these handlers read; its name is its position and inbox key.
 * (The `<string>` of the decorators: Nest's typed overload would type the handler's context as unknown.)
 */
const CONSUMER: EventPatternExtras = { durable: 'notifications' };

/** Messages about one agency's response (toAgency). */
type AgencyTemplate =
  | 'submission_receipt'
  | 'response_returned'
  | 'extension_granted'
  | 'approval_requested'
  | 'response_sent_back';

/** Who of an agency hears a message: its registry contacts, and its users holding these roles. */
interface People {
  contacts: boolean;
  roles: ('coordinator' | 'approver')[];
}

/** Receipts, returns and extensions: the contacts, and the coordinators and approvers. */
const EVERYONE: People = { contacts: true, roles: ['coordinator', 'approver'] };

const contextOf = (event: EventEnvelope): CallContext => ({
  correlationId: event.correlationId,
  actor: event.actor,
});

/**
 * The events that make messages: intake's (receipts, returns; cycles, submissions and each
 * agency's own deadline kept as projections for reminders), scoring's results, the awards'
 * announcement, and the registry's erasures. One durable consumer per stream, named
 * 'notifications', with an inbox: a redelivered event finds its delivery rows already there and
 * sends nothing new.
 */
@Controller()
export class EventsMessages {
  constructor(
    private readonly sources: Sources,
    private readonly dispatcher: Dispatcher,
    private readonly campaigns: CampaignsService,
    private readonly consent: ConsentRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly deadlines: AgencyDeadlinesRepository,
  ) {}

  // The cycles projection (the deadline the reminders count from) moves only forward: a snapshot
  // (opened, updated) is applied only if its version is newer than the row's, and the status
  // never goes back (intake has no reopening: open -> closed -> archived).
  @EventPattern<string>(Events.CycleOpened, CONSUMER)
  async cycleOpened(
    @Payload() event: EventEnvelope<typeof Events.CycleOpened>,
    @Ctx() { manager: m }: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    const cycle = await this.sources.cycle(p.cycleId, contextOf(event));
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
  }

  @EventPattern<string>(Events.CycleUpdated, CONSUMER)
  async cycleUpdated(
    @Payload() event: EventEnvelope<typeof Events.CycleUpdated>,
    @Ctx() { manager: m }: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
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
  }

  @EventPattern<string>(Events.CycleClosed, CONSUMER)
  async cycleClosed(
    @Payload() event: EventEnvelope<typeof Events.CycleClosed>,
    @Ctx() { manager: m }: JetStreamContext,
  ): Promise<void> {
    await m.query(`UPDATE cycles SET status = 'closed' WHERE cycle_id = $1 AND status = 'open'`, [
      event.payload.cycleId,
    ]);
  }

  @EventPattern<string>(Events.ResponseSubmitted, CONSUMER)
  async responseSubmitted(
    @Payload() event: EventEnvelope<typeof Events.ResponseSubmitted>,
    @Ctx() ctx: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    await ctx.manager.query(
      `INSERT INTO submitted_agencies (cycle_id, agency_id, submitted_at) VALUES ($1, $2, $3)
       ON CONFLICT (cycle_id, agency_id) DO UPDATE SET submitted_at = excluded.submitted_at`,
      [p.cycleId, p.agencyId, p.submittedAt],
    );
    await this.toAgency(
      ctx,
      contextOf(event),
      p.cycleId,
      p.agencyId,
      p.agencyCode,
      `receipt-${p.responseId}-${p.submission}`,
      'submission_receipt',
      {
        submission: p.submission,
        submittedAt: p.submittedAt,
      },
      EVERYONE,
    );
  }

  @EventPattern<string>(Events.ResponseReturned, CONSUMER)
  async responseReturned(
    @Payload() event: EventEnvelope<typeof Events.ResponseReturned>,
    @Ctx() ctx: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    // Returned means not submitted, unless a resubmission (later than this return) arrived
    // first: a late return must not make a submitted agency look unsubmitted to reminders.
    await ctx.manager.query(
      `DELETE FROM submitted_agencies WHERE cycle_id = $1 AND agency_id = $2 AND submitted_at <= $3`,
      [p.cycleId, p.agencyId, event.occurredAt],
    );
    // The correction deadline is the agency's own from now on, as an extension is.
    await this.deadlines.apply(ctx.manager, {
      cycleId: p.cycleId,
      agencyId: p.agencyId,
      agencyCode: p.agencyCode,
      deadline: p.deadline,
      responseVersion: p.responseVersion ?? null,
      grantedAt: event.occurredAt,
    });
    await this.toAgency(
      ctx,
      contextOf(event),
      p.cycleId,
      p.agencyId,
      p.agencyCode,
      `return-${event.id}`,
      'response_returned',
      {
        comment: p.comment,
        correctionDeadline: p.deadline,
        rejectedCount: p.rejectedQuestions.length,
        // Older events carry only the ids: listed by id, without text or remark.
        rejected:
          p.rejected ??
          p.rejectedQuestions.map((questionId) => ({
            questionId,
            textTh: questionId,
            textEn: null,
            comment: null,
          })),
      },
      EVERYONE,
    );
  }

  /**
   * An agency's own deadline: kept (only forward) for its reminders, and the agency is told (its
   * contacts, coordinators and approvers), once per granted version.
   */
  @EventPattern<string>(Events.ResponseExtended, CONSUMER)
  async responseExtended(
    @Payload() event: EventEnvelope<typeof Events.ResponseExtended>,
    @Ctx() ctx: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    await this.deadlines.apply(ctx.manager, {
      cycleId: p.cycleId,
      agencyId: p.agencyId,
      agencyCode: p.agencyCode,
      deadline: p.deadline,
      responseVersion: p.responseVersion,
      grantedAt: event.occurredAt,
    });
    await this.toAgency(
      ctx,
      contextOf(event),
      p.cycleId,
      p.agencyId,
      p.agencyCode,
      `extension-${p.responseId}-${p.responseVersion}`,
      'extension_granted',
      { extendedUntil: p.deadline, reason: p.reason },
      EVERYONE,
    );
  }

  /** A coordinator asked for approval: the agency's approvers (its heads) are told. */
  @EventPattern<string>(Events.ResponseApprovalRequested, CONSUMER)
  async approvalRequested(
    @Payload() event: EventEnvelope<typeof Events.ResponseApprovalRequested>,
    @Ctx() ctx: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    await this.toAgency(
      ctx,
      contextOf(event),
      p.cycleId,
      p.agencyId,
      p.agencyCode,
      `approval-${p.responseId}-${p.responseVersion}`,
      'approval_requested',
      { requestedAt: p.requestedAt, submission: p.submission },
      { contacts: false, roles: ['approver'] },
    );
  }

  /** The approver sent the response back: the agency's coordinators are told, with the comment. */
  @EventPattern<string>(Events.ResponseSentBack, CONSUMER)
  async sentBack(
    @Payload() event: EventEnvelope<typeof Events.ResponseSentBack>,
    @Ctx() ctx: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    await this.toAgency(
      ctx,
      contextOf(event),
      p.cycleId,
      p.agencyId,
      p.agencyCode,
      `sentback-${p.responseId}-${p.responseVersion}`,
      'response_sent_back',
      { comment: p.comment ?? '' },
      { contacts: false, roles: ['coordinator'] },
    );
  }

  @EventPattern<string>(Events.ResultsPublished, CONSUMER)
  async resultsPublished(event: EventEnvelope<typeof Events.ResultsPublished>): Promise<void> {
    await this.campaigns.resultsPublished(event.payload.cycleId, contextOf(event));
  }

  /** A contact erased in the registry (PDPA): no more messages, and none still queued. */
  @EventPattern<string>(Events.ContactErased, CONSUMER)
  async contactErased(
    @Payload() event: EventEnvelope<typeof Events.ContactErased>,
    @Ctx() { manager }: JetStreamContext,
  ): Promise<void> {
    await this.consent.markErased(manager, event.payload.contactId, event.payload.erasedAt);
    await this.deliveries.skipQueuedOf(manager, event.payload.contactId, 'erased');
  }

  /**
   * awards.results.announced: one message to every active contact of each winning agency, listing
   * all the categories it won. The key is the cycle's (`award-<cycle>`), so the same announcement
   * redelivered, or published again under a new event id, finds its rows and sends nothing more.
   */
  @EventPattern<string>(Events.AwardsAnnounced, CONSUMER)
  async awardsAnnounced(
    @Payload() event: EventEnvelope<typeof Events.AwardsAnnounced>,
    @Ctx() js: JetStreamContext,
  ): Promise<void> {
    const p = event.payload;
    const ctx = contextOf(event);
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
    const { queued } = await this.dispatcher.record(
      js.manager,
      {
        key: `award-${p.cycleId}`,
        campaignId: null,
        cycleId: p.cycleId,
        templateKey: 'award_announced',
        channels: ['email', 'line'],
        variables: (r) => ({
          ...this.campaigns.baseVariables(cycle, r, 'award_announced'),
          awards: winners.get(r.agencyId)?.awards ?? [],
          announcedAt: p.announcedAt,
        }),
      },
      recipients,
    );
    // Queued once the rows are committed (a job never looks for a row not there yet); if Redis is
    // down then, the sweep re-queues them.
    js.afterCommit(() => this.dispatcher.enqueue(queued));
  }

  /**
   * A message to the people of one agency: its active registry contacts (both channels) when
   * `people.contacts`, and its users with `people.roles` (e-mail). One address hears it once
   * (Dispatcher: a user who is also a contact, an e-mail entered twice).
   */
  private async toAgency(
    js: JetStreamContext,
    ctx: CallContext,
    cycleId: string,
    agencyId: string,
    agencyCode: string,
    key: string,
    templateKey: AgencyTemplate,
    extra: Record<string, unknown>,
    people: People,
  ): Promise<void> {
    const [cycle, registryContacts, users] = await Promise.all([
      this.sources.cycle(cycleId, ctx),
      this.sources.agencyContacts(agencyId, ctx),
      this.sources.agencyUsers(agencyId, people.roles, ctx),
    ]);
    const agencyName = (await this.sources.agencyName(agencyId, ctx)) ?? agencyCode;
    const contacts = registryContacts.map((contact) => ({ agencyId, agencyCode, agencyName, contact }));
    const { queued } = await this.dispatcher.record(
      js.manager,
      {
        key,
        campaignId: null,
        cycleId,
        templateKey,
        channels: ['email', 'line'],
        variables: (r) => ({ ...this.campaigns.baseVariables(cycle, r, templateKey), ...extra }),
      },
      [
        ...(people.contacts ? contacts : []),
        ...users.map((contact) => ({
          agencyId,
          agencyCode,
          agencyName,
          contact,
          channels: ['email' as const],
        })),
      ],
      // Not told, the contacts' opt-outs still hold for their addresses.
      people.contacts ? [] : contacts,
    );
    // Queued once the rows are committed (a job never looks for a row not there yet); if Redis is
    // down then, the sweep re-queues them.
    js.afterCommit(() => this.dispatcher.enqueue(queued));
  }
}
