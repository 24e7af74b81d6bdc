import { Logger } from '@nestjs/common';
import {
  ConsumerMessages,
  JetStreamManager,
  JsMsg,
  jetstream,
  jetstreamManager,
  StreamConfig,
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
import {
  applyConsumer,
  consumerInfoOf,
  consumerShortfall,
  consumerTargetOf,
  isStreamMissing,
  setupJobOf,
} from './consumers';
import { runInContext } from './context';
import { claimInbox } from './inbox';
import { Metrics } from './metrics';
import { Nats } from './nats';

/** JetStream drops a second publish of the same Nats-Msg-Id inside this window. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/** A stream or the files bucket is missing or lacks what the contracts give it, and may not be fixed from here. */
export class StreamSetupError extends Error {}

/** The durable consumer does not exist, and this service's NATS user may not create it (production). */
class ConsumerMissing extends Error {}

/** The server refused the request for this user's permissions (nats.js rejects it at once, not by timeout). */
export const isPermissionRefusal = (e: unknown) =>
  /permissions violation/i.test(e instanceof Error ? e.message : String(e));

/** What a stream needs that `existing` lacks, in words; empty when it is as wanted. */
function shortfallOf(existing: StreamConfig | undefined, wanted: Partial<StreamConfig>): string[] {
  if (!existing) return ['does not exist'];
  const missing: string[] = [];
  const subjects = (wanted.subjects ?? []).filter((s) => !(existing.subjects ?? []).includes(s));
  if (subjects.length) missing.push(`lacks the subjects ${subjects.join(', ')}`);
  if (existing.num_replicas < (wanted.num_replicas ?? 1))
    missing.push(`has ${existing.num_replicas} replicas, not ${wanted.num_replicas}`);
  if (wanted.duplicate_window !== undefined && existing.duplicate_window !== wanted.duplicate_window)
    missing.push('has another duplicate window');
  return missing;
}

/** The stream's configuration, or undefined when there is none. */
async function configOf(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (e) {
    if (!/stream not found/i.test(e instanceof Error ? e.message : '')) throw e;
    return undefined;
  }
}

/**
 * Creates `config`'s stream or updates the existing one. Subjects and replicas are only ever added:
 * during a rolling update an old pod that restarts must not take a new event's subject off the
 * stream (the new pods' publishes would fail until one of them restarted).
 */
async function applyStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
  existing: StreamConfig | undefined,
): Promise<void> {
  if (!existing) {
    await jsm.streams.add(config);
    return;
  }
  await jsm.streams.update(config.name, {
    ...config,
    subjects: [...new Set([...(existing.subjects ?? []), ...(config.subjects ?? [])])],
    num_replicas: Math.max(existing.num_replicas, config.num_replicas ?? 1),
  });
}

function streamConfigOf(nats: Nats, stream: StreamName) {
  return {
    name: nats.stream(stream),
    subjects: eventSubjectsOf(stream).map((s) => nats.subject(s)),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    // R3 on a 3-node cluster; an update from 1 to 3 replicates an existing stream in place.
    num_replicas: nats.options.streamReplicas ?? 1,
  };
}

/**
 * At a service's start: makes sure its stream exists with every event subject of the contracts
 * and its replicas. A stream that already has them is left as it is (only looked up); otherwise
 * it is created or updated. In production the service's NATS user may not do that (a stream
 * update can set any subjects: ADR 0012), the release's migration Job does it before the pods
 * roll; when the server refuses, the boot fails with a StreamSetupError naming that Job.
 * Development, compose and the tests (anonymous NATS) create and update streams here.
 */
export async function ensureStream(nats: Nats, stream: StreamName): Promise<void> {
  const jsm = await jetstreamManager(await nats.connect());
  const config = streamConfigOf(nats, stream);
  const existing = await configOf(jsm, config.name);
  const shortfall = shortfallOf(existing, config);
  if (!shortfall.length) return;
  try {
    await applyStream(jsm, config, existing);
  } catch (e) {
    if (!isPermissionRefusal(e)) throw e;
    throw new StreamSetupError(
      `JetStream stream ${config.name} ${shortfall.join('; ')}, and NATS user "${nats.options.user ?? ''}" ` +
        `may not create or change streams: run this release's migration Job ` +
        `${setupJobOf(stream.toLowerCase())} before the service starts`,
      { cause: e },
    );
  }
}

/**
 * The release's migration Job, logged in as `<service>_setup`: creates or updates the service's
 * streams, always (an update also puts back settings changed by hand), before the Deployment
 * rolls. With the files bucket: setUpMessaging (files.ts).
 */
export async function setUpStreams(nats: Nats, streams: StreamName[]): Promise<void> {
  const jsm = await jetstreamManager(await nats.connect());
  for (const stream of streams) {
    const config = streamConfigOf(nats, stream);
    await applyStream(jsm, config, await configOf(jsm, config.name));
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
 * Services do not build these: `JetStreamTransport` (event-transport.ts) runs one per durable for
 * their `@EventPattern` handlers; tests use it directly to watch a stream as a consumer would.
 */
export class DurableConsumer<S extends EventSubject> {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  private attempts = 0;
  private lastWarning = '';

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
   * or, in production, this service's migration Job has not created its durable consumer yet,
   * this keeps trying every 2 s in the background instead of failing the boot: being durable, the
   * consumer then reads every event from the start, so nothing is missed.
   */
  async start(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.open();
    } catch (e) {
      if (!isStreamMissing(e) && !(e instanceof ConsumerMissing)) throw e;
      const warning =
        e instanceof ConsumerMissing
          ? e.message
          : `stream ${this.spec.stream} does not exist yet (its service not started?); retrying every 2 s`;
      // Said when it changes, else once a minute: the wait may be long (another release's Job).
      if (warning !== this.lastWarning || this.attempts % 30 === 0) this.logger.warn(warning);
      this.lastWarning = warning;
      this.attempts++;
      this.retry = setTimeout(
        () => void this.start().catch((err: unknown) => this.logger.error(String(err))),
        2_000,
      );
    }
  }

  /**
   * Looks the durable consumer up and pulls from it. Without a NATS login (development, compose,
   * the tests) it creates or updates it first. With one (production) the service's user may not
   * (ADR 0018: a consumer's deliver subject would let it make JetStream publish anywhere), so the
   * consumer is the migration Job's (setUpConsumers, same configuration): a missing one is waited
   * for, one that differs is used as it is, with a warning naming the Job.
   */
  private async open(): Promise<void> {
    const nc = await this.nats.connect();
    const jsm = await jetstreamManager(nc);
    const target = consumerTargetOf(this.nats, this.spec);
    const { stream, durable } = target;
    const existing = await consumerInfoOf(jsm, target);
    const job = setupJobOf(this.nats.options.service);
    if (!this.nats.options.user) await applyConsumer(jsm, target, existing, true);
    else if (!existing)
      throw new ConsumerMissing(
        `durable consumer ${durable} on ${stream} does not exist, and NATS user "${this.nats.options.user}" ` +
          `may not create it: run this release's migration Job ${job}; retrying every 2 s`,
      );
    else {
      const differs = consumerShortfall(existing.config, target);
      if (differs.length)
        this.logger.warn(
          `durable consumer ${durable} on ${stream} ${differs.join('; ')}: used as it is; ` +
            `this release's migration Job ${job} updates it`,
        );
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
        // (Promise.resolve().then: a work that throws before returning its promise is caught too.)
        await Promise.resolve()
          .then(() => runInContext(context, work))
          .catch((e: unknown) =>
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
