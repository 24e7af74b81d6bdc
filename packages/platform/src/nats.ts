import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, NatsConnection } from '@nats-io/transport-node';

export const NATS_OPTIONS = Symbol('NATS_OPTIONS');

export interface NatsOptions {
  url: string;
  /** Prefix of every subject and stream; empty in production, unique per test file. */
  prefix: string;
  /** Service name: the connection name and the RPC queue group. */
  service: string;
  /** Replicas of the streams this service creates (NATS_STREAM_REPLICAS); 1 when not given. */
  streamReplicas?: number;
}

/** The service's single NATS connection, shared by RPC, JetStream and the object store. */
@Injectable()
export class Nats implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connection?: NatsConnection;

  constructor(@Inject(NATS_OPTIONS) readonly options: NatsOptions) {}

  async connect(): Promise<NatsConnection> {
    if (this.connection) return this.connection;
    this.connection = await connect({
      servers: this.options.url.split(','),
      name: this.options.service,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    void this.watchStatus(this.connection);
    return this.connection;
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  /** Subject or stream name with the run's prefix. */
  subject(name: string): string {
    return this.options.prefix ? `${this.options.prefix}.${name}` : name;
  }

  stream(name: string): string {
    return this.options.prefix ? `${this.options.prefix.toUpperCase()}_${name}` : name;
  }

  isConnected(): boolean {
    return !!this.connection && !this.connection.isClosed() && !this.reconnecting;
  }

  private reconnecting = false;

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnecting') this.reconnecting = true;
      if (s.type === 'reconnect') this.reconnecting = false;
      if (s.type === 'disconnect' || s.type === 'reconnect') this.logger.warn(`NATS ${s.type}`);
    }
  }

  /** Drain: stop taking new messages, let in-flight handlers reply, then close. */
  async onApplicationShutdown(): Promise<void> {
    const nc = this.connection;
    this.connection = undefined;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }
}
