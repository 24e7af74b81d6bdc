import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { jetstream, JetStreamClient } from '@nats-io/jetstream';
import { Column, DataSource, Entity, EntityManager, Index, PrimaryColumn } from 'typeorm';
import { EventEnvelope, EventSchemas, EventSubject, PayloadOf } from '@dg/contracts';
import { CallContext } from './context';
import { Metrics } from './metrics';
import { Nats } from './nats';

/** An event waiting to leave: written in the same transaction as the change it describes. */
@Entity('outbox')
@Index('outbox_pending', ['nextAttemptAt'], { where: 'published_at IS NULL' })
export class OutboxEvent {
  @PrimaryColumn('uuid') id: string;
  @Column('text') subject: string;
  @Column('jsonb') envelope: EventEnvelope;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' }) nextAttemptAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  @Column('int', { default: 0 }) attempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
}

function envelopeOf<S extends EventSubject>(subject: S, payload: PayloadOf<S>, ctx: CallContext): EventEnvelope<S> {
  const spec = EventSchemas[subject];
  return {
    id: randomUUID(),
    type: subject,
    schemaVersion: spec.schemaVersion,
    occurredAt: new Date().toISOString(),
    correlationId: ctx.correlationId,
    actor: ctx.actor,
    payload: spec.payload.parse(payload) as PayloadOf<S>,
  };
}

/** Writes an event into the outbox table inside the caller's transaction. */
export async function addToOutbox<S extends EventSubject>(
  manager: EntityManager,
  subject: S,
  payload: PayloadOf<S>,
  ctx: CallContext,
): Promise<EventEnvelope<S>> {
  const [envelope] = await addManyToOutbox(manager, subject, [payload], ctx);
  return envelope;
}

/** Writes many events of one subject in a few statements (bulk imports emit thousands). */
export async function addManyToOutbox<S extends EventSubject>(
  manager: EntityManager,
  subject: S,
  payloads: PayloadOf<S>[],
  ctx: CallContext,
): Promise<EventEnvelope<S>[]> {
  const envelopes = payloads.map((p) => envelopeOf(subject, p, ctx));
  for (let i = 0; i < envelopes.length; i += 1000) {
    await manager.insert(
      OutboxEvent,
      envelopes.slice(i, i + 1000).map((envelope) => ({ id: envelope.id, subject, envelope })),
    );
  }
  return envelopes;
}

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
export interface OutboxRelayOptions {
  /** How often to look for events when nobody kicked the relay. */
  pollMs?: number;
  batchSize?: number;
  maxBackoffMs?: number;
}

/**
 * Publishes outbox rows to JetStream with the event id as `Nats-Msg-Id` (JetStream drops a
 * duplicate inside its window). Rows are claimed with FOR UPDATE SKIP LOCKED so several replicas
 * share the work; a failed publish is retried with exponential backoff and its error recorded.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private js?: JetStreamClient;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: Nats,
    private readonly metrics: Metrics,
    @Inject(OUTBOX_OPTIONS) options: OutboxRelayOptions,
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.batchSize = options.batchSize ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.js = jetstream(await this.nats.connect(), { timeout: 5_000 });
    this.schedule(0);
  }

  /** Ask for a publish pass now (after a commit), instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        const more = this.again;
        this.again = false;
        this.schedule(more ? 0 : this.pollMs);
      });
    }, ms);
  }

  /** One pass: publish due rows until none are left or a batch fails. Exposed for tests. */
  async pass(): Promise<void> {
    try {
      let published: number;
      do published = await this.publishBatch();
      while (published === this.batchSize && !this.stopped);
      await this.measureLag();
    } catch (e) {
      this.logger.error(`outbox pass failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async publishBatch(): Promise<number> {
    const js = this.js;
    if (!js) return 0;
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .createQueryBuilder(OutboxEvent, 'o')
        // Oldest first, and a row waiting out its backoff holds back the rows behind it, so one
        // replica publishes in commit order even across a NATS outage.
        .where('o.published_at IS NULL')
        .orderBy('o.created_at')
        .addOrderBy('o.id')
        .limit(this.batchSize)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      let ok = 0;
      const now = Date.now();
      for (const row of rows) {
        if (new Date(row.nextAttemptAt).getTime() > now) return -1;
        try {
          await js.publish(this.nats.subject(row.subject), JSON.stringify(row.envelope), { msgID: row.id });
          await manager.update(OutboxEvent, row.id, { publishedAt: new Date(), attempts: row.attempts + 1 });
          this.metrics.outboxPublished.inc({ outcome: 'published' });
          ok++;
        } catch (e) {
          const attempts = row.attempts + 1;
          const delay = Math.min(this.maxBackoffMs, 250 * 2 ** Math.min(attempts, 16));
          await manager.update(OutboxEvent, row.id, {
            attempts,
            lastError: e instanceof Error ? e.message : String(e),
            nextAttemptAt: new Date(Date.now() + delay),
          });
          this.metrics.outboxPublished.inc({ outcome: 'failed' });
          this.logger.warn(`publish ${row.subject} ${row.id} failed (attempt ${attempts}), retry in ${delay} ms`);
          // NATS is likely down: leave the rest of the batch for the next pass, in order.
          break;
        }
      }
      return ok === rows.length ? ok : -1;
    });
  }

  private async measureLag(): Promise<void> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS pending,
              coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS lag
         FROM outbox WHERE published_at IS NULL`,
    )) as { pending: number; lag: number }[];
    this.metrics.outboxPending.set(row.pending);
    this.metrics.outboxLag.set(row.lag);
  }

  /** Before the database pool closes: finish the pass in flight, start no other. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
