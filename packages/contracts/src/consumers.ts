import { EventSchemas } from './events';
import { Events, type EventSubject, type StreamName, Streams } from './subjects';

/**
 * One durable JetStream consumer: a service's `@EventPattern(subject, { durable })` handlers of one
 * stream. The durable name is the consumer's position in the stream and its inbox key: renaming it
 * makes a new consumer that reads the stream again from the start.
 */
export interface EventConsumer {
  stream: StreamName;
  durable: string;
  /** The events it handles: exactly the service's handlers of this durable (checked at boot). */
  subjects: readonly EventSubject[];
  /** How long a delivery may stay unacknowledged before JetStream redelivers it (default 30 s). */
  ackWaitMs?: number;
  /** Deliveries before JetStream gives up on an event (default 20). */
  maxDeliver?: number;
}

/**
 * The durable consumers of each service (ADR 0018). The release's migration Job of the service,
 * logged in as `<service>_setup`, creates or updates them as pull consumers; the running service
 * may only look them up and pull (production's NATS permissions, scripts/nats-permissions.mjs),
 * so it cannot point one at a deliver subject of its choosing. The service's JetStreamTransport
 * refuses to boot when its `@EventPattern` handlers differ from its lines here.
 */
export const EventConsumers = {
  scoring: [
    {
      stream: Streams.INTAKE,
      durable: 'scoring',
      subjects: [Events.ResponseSubmitted, Events.ResponseVerified],
    },
  ],
  notifications: [
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
        Events.ResponseApprovalRequested,
        Events.ResponseSentBack,
      ],
    },
    { stream: Streams.SCORING, durable: 'notifications', subjects: [Events.ResultsPublished] },
    { stream: Streams.AWARDS, durable: 'notifications', subjects: [Events.AwardsAnnounced] },
    { stream: Streams.REGISTRY, durable: 'notifications', subjects: [Events.ContactErased] },
  ],
} as const satisfies Record<string, readonly EventConsumer[]>;

/** A service's durable consumers; none for a service that reads no events. */
export function eventConsumersOf(service: string): readonly EventConsumer[] {
  return (EventConsumers as Record<string, readonly EventConsumer[]>)[service] ?? [];
}

/** Why a consumer's line is wrong (a subject of another stream, twice the same durable), or nothing. */
export function eventConsumerProblems(): string[] {
  const problems: string[] = [];
  for (const [service, consumers] of Object.entries(
    EventConsumers as Record<string, readonly EventConsumer[]>,
  )) {
    const seen = new Set<string>();
    for (const c of consumers) {
      const key = `${c.stream}/${c.durable}`;
      if (seen.has(key)) problems.push(`${service}: ${key} twice`);
      seen.add(key);
      if (!c.subjects.length) problems.push(`${service}: ${key} reads no subject`);
      for (const s of c.subjects)
        if (EventSchemas[s]?.stream !== c.stream)
          problems.push(`${service}: ${key}: ${s} is not on ${c.stream}`);
      if (!/^[\w-]+$/.test(c.durable)) problems.push(`${service}: durable name ${c.durable}`);
    }
  }
  return problems;
}
