import { Logger } from '@nestjs/common';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  DeliverPolicy,
  type JetStreamManager,
  jetstreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { type EventConsumer, eventConsumersOf } from '@dg/contracts';
import { Nats, type NatsOptions } from './nats';

/** The migration Job that sets up `service`'s streams and durable consumers (ADR 0012, 0018). */
export const setupJobOf = (service: string) =>
  `${service}-migrate (k8s/base/${service}/migrate-job.yaml, as NATS user ${service}_setup)`;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
export const isStreamMissing = (e: unknown) => /stream not found/i.test(messageOf(e));
const isConsumerMissing = (e: unknown) => /consumer not found/i.test(messageOf(e));

/** A durable consumer as JetStream names and configures it, with this run's prefix. */
export interface ConsumerTarget {
  stream: string;
  durable: string;
  config: Partial<ConsumerConfig> & { durable_name: string };
}

/**
 * The one configuration of a durable consumer, used by the migration Jobs (setUpConsumers) and by
 * development's services (DurableConsumer) alike: a pull consumer (no deliver subject: JetStream
 * pushes nothing on its own, the service asks for each batch), explicit acks, from the start.
 */
export function consumerTargetOf(
  nats: Nats,
  c: Omit<EventConsumer, 'subjects'> & { subjects: readonly string[] },
): ConsumerTarget {
  const durable = nats.options.prefix ? `${nats.options.prefix}_${c.durable}` : c.durable;
  return {
    stream: nats.stream(c.stream),
    durable,
    config: {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // nats-server 2.9 (Debian 12) takes one filter subject; with several, the consumer reads the
      // whole stream and acknowledges the subjects it does not want.
      ...(c.subjects.length === 1 ? { filter_subject: nats.subject(c.subjects[0]) } : {}),
      ack_wait: nanos(c.ackWaitMs ?? 30_000),
      max_deliver: c.maxDeliver ?? 20,
    },
  };
}

/** The consumer's current state, or undefined when it does not exist (a missing stream throws). */
export async function consumerInfoOf(
  jsm: JetStreamManager,
  t: ConsumerTarget,
): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(t.stream, t.durable);
  } catch (e) {
    if (isConsumerMissing(e)) return undefined;
    throw e;
  }
}

/** What differs between an existing consumer and the wanted one, in words; empty when none. */
export function consumerShortfall(existing: ConsumerConfig, t: ConsumerTarget): string[] {
  const differs: string[] = [];
  if (existing.deliver_subject)
    differs.push(`is a push consumer (deliver subject ${existing.deliver_subject})`);
  if ((existing.filter_subject ?? '') !== (t.config.filter_subject ?? ''))
    differs.push(`filters "${existing.filter_subject ?? ''}", not "${t.config.filter_subject ?? ''}"`);
  if (existing.ack_wait !== t.config.ack_wait) differs.push('has another ack wait');
  if (existing.max_deliver !== t.config.max_deliver) differs.push('has another max deliver');
  if (existing.ack_policy !== t.config.ack_policy) differs.push('has another ack policy');
  return differs;
}

/** A setup Job found a durable it cannot put right by an update: someone must look at it. */
export class ConsumerSetupError extends Error {}

/**
 * Creates the consumer, or updates one that differs from its configuration, then reads it back.
 * An update merges into the existing configuration: it cannot take away a deliver subject (a push
 * consumer, which JetStream would publish to wherever it points) or a filter, so such a durable
 * fails the Job with what to do instead of being left as it is. Whatever still differs after the
 * update fails the Job too: a Job that exits 0 has left every durable as the contracts say.
 */
export async function applyConsumer(
  jsm: JetStreamManager,
  t: ConsumerTarget,
  existing?: ConsumerInfo,
  /** Development (anonymous NATS): delete and make anew what an update cannot fix, instead of failing. */
  recreate = false,
): Promise<void> {
  const where = `durable consumer ${t.durable} on ${t.stream}`;
  const repair =
    `delete it as the NATS admin (nats consumer rm ${t.stream} ${t.durable}) and run this Job again: ` +
    'it is made anew and reads the stream from the start, which its inbox makes harmless';
  if (!existing) await jsm.consumers.add(t.stream, t.config);
  else {
    const pushed = existing.config.deliver_subject;
    const filter = existing.config.filter_subject ?? '';
    const unfixable = pushed
      ? `is a push consumer (deliver subject ${pushed})`
      : filter !== (t.config.filter_subject ?? '')
        ? `filters "${filter}"`
        : null;
    if (unfixable && !recreate)
      throw new ConsumerSetupError(`${where} ${unfixable}, which an update cannot undo: ${repair}`);
    if (unfixable) {
      await jsm.consumers.delete(t.stream, t.durable);
      await jsm.consumers.add(t.stream, t.config);
    } else if (consumerShortfall(existing.config, t).length)
      await jsm.consumers.update(t.stream, t.durable, t.config);
  }
  const left = consumerShortfall((await jsm.consumers.info(t.stream, t.durable)).config, t);
  if (left.length) throw new ConsumerSetupError(`${where} still ${left.join('; ')} after the setup: ${repair}`);
}

export interface SetUpConsumersOptions {
  /** How long to wait for a stream another service's Job has not created yet (10 min). */
  waitForStreamMs?: number;
  /** Between two looks at a missing stream (5 s). */
  retryMs?: number;
}

/**
 * The migration Job's part for a service that reads events (as `<service>_setup`, ADR 0018):
 * creates or updates each of its durable consumers (EventConsumers in the contracts). The stream
 * read may belong to a service whose Job has not run yet: it waits for it, for a bounded time,
 * saying which Job it waits for, and fails the Job after that (Kubernetes runs it again).
 */
export async function setUpConsumers(
  nats: Nats,
  service: string,
  options: SetUpConsumersOptions = {},
): Promise<void> {
  const logger = new Logger(`SetUp:${service}`);
  const jsm = await jetstreamManager(await nats.connect());
  const waitMs = options.waitForStreamMs ?? 10 * 60_000;
  const retryMs = options.retryMs ?? 5_000;
  for (const c of eventConsumersOf(service)) {
    const target = consumerTargetOf(nats, c);
    const started = Date.now();
    for (;;) {
      try {
        await applyConsumer(jsm, target, await consumerInfoOf(jsm, target));
        break;
      } catch (e) {
        if (!isStreamMissing(e)) throw e;
        const owner = c.stream.toLowerCase();
        const waiting =
          `stream ${target.stream} (for durable consumer ${target.durable}) does not exist yet: ` +
          `it is made by ${setupJobOf(owner)}`;
        if (Date.now() - started >= waitMs)
          throw new Error(
            `${waiting}; waited ${Math.round(waitMs / 1000)} s, giving up: run that Job, then this one again`,
            {
              cause: e,
            },
          );
        logger.warn(`${waiting}; retrying in ${Math.round(retryMs / 1000)} s`);
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  }
}

/**
 * What a consumer-only service's migration Job does on NATS (apps/notifications/src/migrate.ts),
 * logged in as `<service>_setup`: its durable consumers. Stream owners that also read events
 * call setUpMessaging (files.ts), which does this too.
 */
export async function setUpEventConsumers(
  options: NatsOptions,
  service: string,
  setup: SetUpConsumersOptions = {},
): Promise<void> {
  const nats = new Nats(options);
  try {
    await setUpConsumers(nats, service, setup);
  } finally {
    await nats.onApplicationShutdown();
  }
}
