import { Logger } from '@nestjs/common';
import {
  AckPolicy,
  ConsumerMessages,
  DeliverPolicy,
  JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  EventEnvelope,
  EventSubject,
  eventSubjectsOf,
  parseEvent,
  StreamName,
} from '@dg/contracts';
import { runInContext } from './context';
import { claimInbox } from './inbox';
import { Metrics } from './metrics';
import { Nats } from './nats';

/** JetStream drops a second publish of the same Nats-Msg-Id inside this window. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/**
 * Creates or updates the service's stream with its event subjects. Subjects are only ever added:
 * during a rolling update an old pod that restarts must not take a new event's subject off the
 * stream (the new pods' publishes would fail until one of them restarted).
 */
export async function ensureStream(nats: Nats, stream: StreamName): Promise<void> {
  const jsm = await jetstreamManager(await nats.connect());
  const name = nats.stream(stream);
  const config = {
    name,
    subjects: eventSubjectsOf(stream).map((s) => nats.subject(s)),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    // R3 on a 3-node cluster; an update from 1 to 3 replicates an existing stream in place.
    num_replicas: nats.options.streamReplicas ?? 1,
  };
  try {
    const existing = await jsm.streams.info(name);
    const subjects = [...new Set([...(existing.config.subjects ?? []), ...config.subjects])];
    await jsm.streams.update(name, { ...config, subjects });
  } catch (e) {
    if (!/stream not found/i.test(e instanceof Error ? e.message : '')) throw e;
    await jsm.streams.add(config);
  }
}

/**
 * Registers work to run once the handler's transaction has committed, before the event is
 * acknowledged. It runs once: a failure is logged, not retried (a redelivery finds the event in
 * the inbox), so the service must be able to recover it from what was committed (a sweep).
 */
export type AfterCommit = (work: () => Promise<unknown>) => void;

export interface ConsumerSpec<S extends EventSubject> {
  stream: StreamName;
  /** Durable name: the position survives restarts; also the inbox key. */
  durable: string;
  subjects: S[];
  /**
   * Runs inside the transaction that records the event in the inbox. Work that must wait for the
   * commit (queueing a job that reads the rows just written) goes to `afterCommit`.
   */
  handle: (event: EventEnvelope<S>, manager: EntityManager, afterCommit: AfterCommit) => Promise<void>;
  ackWaitMs?: number;
  maxDeliver?: number;
}

/**
 * A durable JetStream consumer with an inbox: the handler and the inbox row commit together and
 * the message is acknowledged only after that commit, so a redelivery (crash before the ack,
 * ack lost) changes nothing. A malformed event is terminated and logged, never retried forever.
 */
export class EventConsumer<S extends EventSubject> {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly spec: ConsumerSpec<S>,
    private readonly nats: Nats,
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {
    this.logger = new Logger(`Consumer:${spec.durable}`);
  }

  /**
   * Starts consuming. When the owning service has not created its stream yet (it starts later),
   * this keeps trying every 2 s in the background instead of failing the boot: being durable, the
   * consumer then reads every event from the start, so nothing is missed.
   */
  async start(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.open();
    } catch (e) {
      if (!/stream not found/i.test(e instanceof Error ? e.message : String(e))) throw e;
      this.logger.warn(
        `stream ${this.spec.stream} does not exist yet (its service not started?); retrying in 2 s`,
      );
      this.retry = setTimeout(
        () => void this.start().catch((err: unknown) => this.logger.error(String(err))),
        2_000,
      );
    }
  }

  private async open(): Promise<void> {
    const nc = await this.nats.connect();
    const jsm = await jetstreamManager(nc);
    const stream = this.nats.stream(this.spec.stream);
    const durable = this.nats.options.prefix
      ? `${this.nats.options.prefix}_${this.spec.durable}`
      : this.spec.durable;
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // nats-server 2.9 (Debian 12) takes one filter subject; with several, the consumer reads the
      // whole stream and acknowledges the subjects it does not want.
      ...(this.spec.subjects.length === 1
        ? { filter_subject: this.nats.subject(this.spec.subjects[0]) }
        : {}),
      ack_wait: nanos(this.spec.ackWaitMs ?? 30_000),
      max_deliver: this.spec.maxDeliver ?? 20,
    };
    try {
      await jsm.consumers.info(stream, durable);
      await jsm.consumers.update(stream, durable, config);
    } catch {
      await jsm.consumers.add(stream, config);
    }
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    this.messages = await consumer.consume({ max_messages: 64 });
    this.loop = this.run(this.messages);
    // Its backlog is read from NATS when Prometheus scrapes (jetstream_consumer_pending_messages).
    this.metrics.watchConsumer({
      consumer: this.spec.durable,
      stream: this.spec.stream,
      info: () => jsm.consumers.info(stream, durable),
    });
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) await this.handle(msg);
  }

  /** Handles one message; exposed so tests can drive redelivery paths precisely. */
  async handle(msg: JsMsg): Promise<'handled' | 'duplicate' | 'rejected' | 'failed'> {
    const subject = this.unprefixed(msg.subject) as S;
    if (!this.spec.subjects.includes(subject)) {
      msg.ack();
      return 'duplicate';
    }
    let event: EventEnvelope<S>;
    try {
      event = parseEvent(subject, msg.json());
    } catch (e) {
      this.logger.error(
        `rejecting malformed event on ${msg.subject} (seq ${msg.seq}): ${String(e).slice(0, 500)}`,
      );
      msg.term('malformed event');
      this.metrics.eventsConsumed.inc({ consumer: this.spec.durable, outcome: 'rejected' });
      return 'rejected';
    }
    try {
      const context = { correlationId: event.correlationId, actor: event.actor };
      const committed: (() => Promise<unknown>)[] = [];
      const fresh = await runInContext(context, () =>
        this.dataSource.transaction(async (manager) => {
          committed.length = 0; // a retried transaction registers its work again
          if (!(await claimInbox(manager, this.spec.durable, event.id))) return false;
          await this.spec.handle(event, manager, (work) => committed.push(work));
          return true;
        }),
      );
      for (const work of committed) {
        await runInContext(context, work).catch((e: unknown) =>
          this.logger.warn(
            `event ${event.id}: work after the commit failed (recovered by its sweep): ${String(e)}`,
          ),
        );
      }
      msg.ack();
      const outcome = fresh ? 'handled' : 'duplicate';
      this.metrics.eventsConsumed.inc({ consumer: this.spec.durable, outcome });
      return outcome;
    } catch (e) {
      // A refusal will not change on retry; an unavailable dependency (another service restarting)
      // or an internal error will: those are retried like any other failure.
      if (e instanceof DomainError && e.code !== 'SERVICE_UNAVAILABLE' && e.code !== 'INTERNAL') {
        // A domain refusal will not change on retry: stop redelivery and say so loudly.
        this.logger.error(`event ${event.id} refused by the handler (${e.code}); terminated: ${e.message}`);
        msg.term(e.code);
        this.metrics.eventsConsumed.inc({ consumer: this.spec.durable, outcome: 'rejected' });
        return 'rejected';
      }
      const delay = Math.min(60_000, 1_000 * 2 ** Math.min(msg.info.deliveryCount, 6));
      this.logger.warn(
        `event ${event.id} failed (delivery ${msg.info.deliveryCount}), retry in ${delay} ms: ${String(e)}`,
      );
      msg.nak(delay);
      this.metrics.eventsConsumed.inc({ consumer: this.spec.durable, outcome: 'failed' });
      return 'failed';
    }
  }

  private unprefixed(subject: string): string {
    const p = this.nats.options.prefix;
    return p && subject.startsWith(`${p}.`) ? subject.slice(p.length + 1) : subject;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.metrics.unwatchConsumer(this.spec.stream, this.spec.durable);
    await this.messages?.close();
    await this.loop;
  }
}
