import { Logger } from '@nestjs/common';
import {
  BaseRpcContext,
  type CustomTransportStrategy,
  type MessageHandler,
  Server,
} from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type EventConsumer,
  eventConsumersOf,
  type EventEnvelope,
  EventSchemas,
  type EventSubject,
  type StreamName,
} from '@dg/contracts';
import { type AfterCommit, DurableConsumer } from './jetstream';
import { Metrics } from './metrics';
import { Nats } from './nats';

/** The transport id of JetStream events, beside Nest's own NATS transport (request/reply). */
export const JETSTREAM_TRANSPORT = Symbol('JETSTREAM');

/**
 * What an `@EventPattern(subject, extras)` handler says about its consumer. Handlers that name the
 * same durable on the same stream share one consumer (and one inbox: an event is handled once).
 * The name is the consumer's position in the stream and its inbox key: renaming it makes a new
 * consumer that reads the stream again from the start. The consumer itself (its subjects, ack
 * wait and deliveries) is the service's line of `EventConsumers` in the contracts, which the
 * migration Job creates it from (ADR 0018); the boot fails when the handlers differ from it.
 */
export interface EventPatternExtras {
  durable: string;
}

/**
 * The second argument of an `@EventPattern` handler (`@Ctx()`): the transaction that records the
 * event in the consumer's inbox, and where to register work that must wait for its commit.
 */
export class JetStreamContext extends BaseRpcContext<[EntityManager, AfterCommit, EventEnvelope]> {
  /** The handler's writes go through this manager: they commit with the inbox row, or not at all. */
  get manager(): EntityManager {
    return this.args[0];
  }

  /**
   * Work that reads what the handler wrote (queueing a job for a row just inserted) runs after the
   * commit, before the acknowledgement; once only, so the service's sweep must recover a failure.
   */
  afterCommit(work: () => Promise<unknown>): void {
    this.args[1](work);
  }

  get event(): EventEnvelope {
    return this.args[2];
  }
}

const streamOf = (subject: EventSubject): StreamName => EventSchemas[subject].stream;

interface ConsumerGroup {
  stream: StreamName;
  durable: string;
  handlers: Map<EventSubject, MessageHandler>;
}

/**
 * The contracts' consumer of each group of `service`'s handlers. Fails, naming what to change,
 * when a group has no line in `EventConsumers` or handles other subjects than its line: the
 * consumer the migration Job makes would not deliver what the handlers expect (production's NATS
 * user may not make another). A line without handlers is allowed: a role (the worker) may not
 * consume.
 */
export function consumersOfGroups(
  service: string,
  groups: { stream: StreamName; durable: string; subjects: EventSubject[] }[],
): EventConsumer[] {
  const table = eventConsumersOf(service);
  return groups.map((g) => {
    const line = table.find((c) => c.stream === g.stream && c.durable === g.durable);
    const where = `@EventPattern handlers of ${service} with { durable: '${g.durable}' } on ${g.stream}`;
    if (!line)
      throw new Error(
        `${where} (${g.subjects.join(', ')}): no such consumer of ${service} in EventConsumers ` +
          `(packages/contracts/src/consumers.ts); add it there, then regenerate the NATS permissions ` +
          `(node scripts/nats-permissions.mjs --write)`,
      );
    const missing = line.subjects.filter((s) => !g.subjects.includes(s));
    const extra = g.subjects.filter((s) => !line.subjects.includes(s));
    if (missing.length || extra.length)
      throw new Error(
        `${where} differ from its line in EventConsumers (packages/contracts/src/consumers.ts): ` +
          [
            extra.length ? `handled but not listed: ${extra.join(', ')}` : '',
            missing.length ? `listed but not handled: ${missing.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; '),
      );
    return line;
  });
}

/**
 * JetStream events as a Nest transport: every `@EventPattern(subject, { durable })` handler of the
 * service's controllers is served by a durable consumer with an inbox (DurableConsumer): the
 * handler runs in the transaction that records the event, the event is acknowledged only after
 * the commit and the `afterCommit` work, a redelivery changes nothing, a malformed event is
 * terminated. Request/reply handlers (`@MessagePattern`) are left to NatsRpcTransport.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;
  private readonly log = new Logger('JetStreamTransport');
  private readonly consumers: DurableConsumer<EventSubject>[] = [];

  constructor(
    private readonly nats: Nats,
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const groups = this.groups();
      const lines = consumersOfGroups(
        this.nats.options.service,
        groups.map((g) => ({ stream: g.stream, durable: g.durable, subjects: [...g.handlers.keys()] })),
      );
      for (const [i, group] of groups.entries()) {
        const line = lines[i];
        const consumer = new DurableConsumer<EventSubject>(
          {
            stream: line.stream,
            durable: line.durable,
            subjects: [...line.subjects],
            ackWaitMs: line.ackWaitMs,
            maxDeliver: line.maxDeliver,
            handle: (event, manager, afterCommit) =>
              this.dispatch(group.handlers.get(event.type)!, event, manager, afterCommit),
          },
          this.nats,
          this.dataSource,
          this.metrics,
        );
        await consumer.start();
        this.consumers.push(consumer);
      }
      if (this.consumers.length) this.log.log(`consuming with ${this.consumers.length} durable consumers`);
      callback();
    } catch (e) {
      callback(e);
    }
  }

  /** The event handlers grouped by stream and durable name, each group one consumer. */
  private groups(): ConsumerGroup[] {
    const groups = new Map<string, ConsumerGroup>();
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) continue;
      const subject = pattern as EventSubject;
      if (!(subject in EventSchemas))
        throw new Error(`@EventPattern('${pattern}') is not an event subject of the contracts`);
      // Nest chains a second handler of the same subject behind the first (`next`); one consumer
      // runs one handler per event, so a subject has one handler per service.
      if (handler.next)
        throw new Error(
          `two @EventPattern handlers for '${pattern}' in one service: keep one (it may call the other)`,
        );
      const extras = handler.extras as EventPatternExtras | undefined;
      if (!extras?.durable)
        throw new Error(`@EventPattern('${pattern}') needs { durable } (its consumer's name)`);
      const stream = streamOf(subject);
      const key = `${stream}/${extras.durable}`;
      const group = groups.get(key) ?? { stream, durable: extras.durable, handlers: new Map() };
      group.handlers.set(subject, handler);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private async dispatch(
    handler: MessageHandler,
    event: EventEnvelope,
    manager: EntityManager,
    afterCommit: AfterCommit,
  ): Promise<void> {
    const ctx = new JetStreamContext([manager, afterCommit, event]);
    await lastValueFrom(this.transformToObservable(await handler(event, ctx)), { defaultValue: undefined });
  }

  /** Stops taking events and finishes the one in hand; what is not acknowledged is redelivered. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.stop()));
  }

  on(): void {
    throw new Error('JetStreamTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.nats.nc as T;
  }
}
