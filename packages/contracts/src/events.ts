import { z } from 'zod';
import { Actor } from './common';
import { CycleStatus } from './intake';
import { Agency, AgencyGroup } from './registry';
import { Events, EventSubject, StreamName, Streams } from './subjects';

/** Payload schema, schema version and owning stream of every event subject. */
export const EventSchemas = {
  [Events.AgencyCreated]: {
    stream: Streams.REGISTRY,
    schemaVersion: 1,
    payload: z.object({ agency: Agency }),
  },
  [Events.AgencyUpdated]: {
    stream: Streams.REGISTRY,
    schemaVersion: 1,
    payload: z.object({ agency: Agency, changed: z.array(z.string()) }),
  },
  [Events.CohortUpdated]: {
    stream: Streams.REGISTRY,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      announcedCount: z.number().int().nullable(),
      finalCount: z.number().int(),
      byGroup: z.partialRecord(AgencyGroup, z.number().int()),
      version: z.number().int(),
    }),
  },
  [Events.ContactErased]: {
    stream: Streams.REGISTRY,
    schemaVersion: 1,
    /** Only ids: the event must not carry the personal data that was just erased. */
    payload: z.object({ contactId: z.string().uuid(), agencyId: z.string().uuid(), erasedAt: z.string() }),
  },
  [Events.CycleOpened]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      yearBE: z.number().int(),
      opensAt: z.string(),
      closesAt: z.string(),
      questionnaireId: z.string().uuid(),
      questionnaireVersion: z.number().int(),
      agencyCount: z.number().int(),
      /**
       * The cycle's version once open, so a consumer can tell this snapshot of the dates from a
       * later `intake.cycle.updated`. Optional: events written before it was added lack it.
       */
      version: z.number().int().optional(),
    }),
  },
  [Events.CycleUpdated]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    /**
     * The cycle as it is after the change (not a diff), so a consumer that missed an update still
     * ends up right. `version` only grows: apply an update only if it is newer than what you hold.
     */
    payload: z.object({
      cycleId: z.string(),
      yearBE: z.number().int(),
      title: z.object({ th: z.string(), en: z.string() }),
      status: CycleStatus,
      opensAt: z.string(),
      closesAt: z.string(),
      version: z.number().int(),
      /** What this change touched. */
      changed: z.array(z.enum(['title', 'opensAt', 'closesAt', 'status'])).min(1),
    }),
  },
  [Events.CycleClosed]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      closedAt: z.string(),
      submitted: z.number().int(),
      total: z.number().int(),
    }),
  },
  [Events.ResponseSubmitted]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      responseId: z.string().uuid(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      group: AgencyGroup,
      /** 1 for the first submission, 2+ for resubmissions after a return. */
      submission: z.number().int(),
      responseVersion: z.number().int(),
      questionnaireId: z.string().uuid(),
      questionnaireVersion: z.number().int(),
      submittedAt: z.string(),
      /**
       * The user who sent it for approval (the event's actor is the approver who submitted it).
       * Optional: events written before it was added lack it.
       */
      submittedBy: z.string().optional(),
    }),
  },
  [Events.ResponseApprovalRequested]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    /** The actor is the coordinator who asked; the agency's approvers are told. */
    payload: z.object({
      cycleId: z.string(),
      responseId: z.string().uuid(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      responseVersion: z.number().int(),
      /** The submission it will be once approved (1, then 2+ after a return). */
      submission: z.number().int(),
      requestedAt: z.string(),
    }),
  },
  [Events.ResponseSentBack]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    /** The actor is the approver; the coordinators are told, with the approver's comment. */
    payload: z.object({
      cycleId: z.string(),
      responseId: z.string().uuid(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      responseVersion: z.number().int(),
      comment: z.string().nullable(),
      /** The coordinator who had sent it for approval, when known. */
      submittedBy: z.string().nullable(),
    }),
  },
  [Events.ResponseReturned]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      responseId: z.string().uuid(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      comment: z.string(),
      rejectedQuestions: z.array(z.string()),
      /**
       * The questions to fix, in questionnaire order, with their Thai and English text and the
       * verifier's remark, for the message to the agency. Optional: older events lack it.
       */
      rejected: z
        .array(
          z.object({
            questionId: z.string(),
            textTh: z.string(),
            textEn: z.string().nullable(),
            comment: z.string().nullable(),
          }),
        )
        .optional(),
      /** The agency's correction deadline (its own deadline from now on, like an extension). */
      deadline: z.string(),
      /**
       * The response's version after the return, in the same order as `intake.response.extended`'s:
       * a consumer that keeps the agency's deadline applies whichever is newer. Optional: events
       * written before it was added lack it (order those by `occurredAt`).
       */
      responseVersion: z.number().int().optional(),
    }),
  },
  [Events.ResponseExtended]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    /**
     * One agency's own deadline, set by an operator (the reason is the operator's). `responseVersion`
     * is the response's version after the change: it only grows (a return bumps it too), so apply
     * a deadline only if its version is newer than the one you hold; a duplicate or a late event
     * then changes nothing.
     */
    payload: z.object({
      cycleId: z.string(),
      responseId: z.string().uuid(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      deadline: z.string().datetime({ offset: true }),
      reason: z.string(),
      responseVersion: z.number().int(),
    }),
  },
  [Events.ResponseVerified]: {
    stream: Streams.INTAKE,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      responseId: z.string().uuid(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      submission: z.number().int(),
      responseVersion: z.number().int(),
      questionnaireId: z.string().uuid(),
      questionnaireVersion: z.number().int(),
      verdicts: z.array(z.object({ questionId: z.string(), verdict: z.enum(['accepted', 'rejected']) })),
    }),
  },
  [Events.ScorecardComputed]: {
    stream: Streams.SCORING,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      agencyId: z.string().uuid(),
      agencyCode: z.string(),
      group: AgencyGroup,
      responseId: z.string().uuid(),
      responseVersion: z.number().int(),
      rulesVersion: z.number().int(),
      engineVersion: z.string(),
      verified: z.boolean(),
      overall: z.number(),
      level: z.number().int().nullable(),
      band: z.string().nullable(),
      pillars: z.record(z.string(), z.number()),
    }),
  },
  [Events.ResultsPublished]: {
    stream: Streams.SCORING,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      publishedAt: z.string(),
      rulesVersion: z.number().int(),
      scored: z.number().int(),
      byGroup: z.partialRecord(AgencyGroup, z.number().int()),
    }),
  },
  [Events.AwardsAnnounced]: {
    stream: Streams.AWARDS,
    schemaVersion: 1,
    payload: z.object({
      cycleId: z.string(),
      announcedAt: z.string(),
      winners: z.array(
        z.object({
          categoryId: z.string().uuid(),
          categoryKey: z.string(),
          categoryName: z.object({ th: z.string(), en: z.string() }),
          agencyId: z.string().uuid(),
          agencyCode: z.string(),
          agencyName: z.string(),
          rank: z.number().int(),
        }),
      ),
    }),
  },
} as const satisfies Record<EventSubject, { stream: StreamName; schemaVersion: number; payload: z.ZodType }>;

export type PayloadOf<S extends EventSubject> = z.output<(typeof EventSchemas)[S]['payload']>;

/** The envelope every event travels in. */
export const EventEnvelope = z.object({
  id: z.string().uuid(),
  type: z.string(),
  schemaVersion: z.number().int().min(1),
  occurredAt: z.string().datetime({ offset: true }),
  correlationId: z.string().min(1),
  actor: Actor,
  payload: z.unknown(),
});
export type EventEnvelope<S extends EventSubject = EventSubject> = Omit<
  z.output<typeof EventEnvelope>,
  'payload'
> & {
  type: S;
  payload: PayloadOf<S>;
};

/** Subjects of one stream (a stream captures exactly its event subjects, never RPC subjects). */
export function eventSubjectsOf(stream: StreamName): EventSubject[] {
  return (Object.keys(EventSchemas) as EventSubject[]).filter((s) => EventSchemas[s].stream === stream);
}

/** Parses an envelope and its payload against the subject's schema; throws a ZodError when bad. */
export function parseEvent<S extends EventSubject>(subject: S, data: unknown): EventEnvelope<S> {
  const envelope = EventEnvelope.parse(data);
  const spec = EventSchemas[subject];
  if (envelope.type !== subject) throw new Error(`event type ${envelope.type} arrived on ${subject}`);
  const payload = spec.payload.parse(envelope.payload) as PayloadOf<S>;
  return { ...envelope, type: subject, payload };
}
