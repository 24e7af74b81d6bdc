import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect, NatsConnection, type ConnectionOptions } from '@nats-io/transport-node';
import type { ActorKeys } from './actor-assertion';

export const NATS_OPTIONS = Symbol('NATS_OPTIONS');

export interface NatsOptions {
  url: string;
  /** Prefix of every subject and stream; empty in production, unique per test file. */
  prefix: string;
  /** Service name: the connection name and the RPC queue group. */
  service: string;
  /** Replicas of the streams this service creates (NATS_STREAM_REPLICAS); 1 when not given. */
  streamReplicas?: number;
  /** NATS_USER / NATS_PASSWORD: the service's own NATS user in production; none in development. */
  user?: string;
  password?: string;
  /** NATS_TLS_*: files of the CA that signed the server's certificate, and of a client certificate. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /**
   * ACTOR_VERIFY_KEY / ACTOR_SIGNING_KEY: the gateway's Ed25519 keys of signed actors (ADR 0017).
   * Every service that answers RPCs needs the public key; only the gateway has the private one.
   */
  actorKeys?: ActorKeys;
}

/**
 * Where a service's replies and JetStream deliveries arrive: `_INBOX_<service>.>`. Production's
 * permissions (k8s/infra/nats/nats.conf) let each service subscribe to its own inboxes only, so
 * no service can read the answers another one gets.
 */
export function inboxPrefixOf(service: string): string {
  return `_INBOX_${service}`;
}

/** A failed connection, said in terms of the settings that fix it (never the password). */
export class NatsConnectError extends Error {}

function describeConnectError(e: unknown, options: NatsOptions): string {
  // (An error from node:tls may come from another realm: read its message, not `instanceof`.)
  const reason = String((e as { message?: unknown } | undefined)?.message ?? e);
  // A URL may carry credentials (nats://user:pass@host): never print them.
  const where = options.url.replace(/\/\/[^@/,]*@/g, '//');
  const as = options.user ? ` as user "${options.user}"` : '';
  if (/authorization violation|authentication/i.test(reason))
    return options.user
      ? `NATS at ${where} refused the credentials of user "${options.user}" (${reason}): check NATS_USER and NATS_PASSWORD against the server's users (k8s: Secret nats-users)`
      : `NATS at ${where} requires credentials (${reason}): set NATS_USER and NATS_PASSWORD`;
  // With TLS set, anything but a network failure (a file missing, a handshake cut) is its doing.
  // (nats.js says "connection refused" for ECONNREFUSED; the code may also be on the cause.)
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const code = typeof cause === 'string' ? cause : '';
  const network =
    /connection refused|timeout|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET/i.test(
      `${reason} ${code}`,
    );
  if (/tls|certificate|self.signed|ssl/i.test(reason) || (options.tls && !network))
    return `cannot open a TLS connection to NATS at ${where}${as} (${reason}): check NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE against the server's tls settings`;
  return `cannot connect to NATS at ${where}${as}: ${reason}`;
}

/** The service's single NATS connection, shared by RPC, JetStream and the object store. */
@Injectable()
export class Nats implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connection?: NatsConnection;

  constructor(@Inject(NATS_OPTIONS) readonly options: NatsOptions) {}

  /**
   * Connects once. The first connection fails at once when the server refuses it (bad or missing
   * credentials, TLS), with a NatsConnectError naming the settings to check: the boot stops
   * instead of retrying in silence. Later losses are retried for ever, a refusal too (credentials
   * being rotated), each problem logged.
   */
  async connect(): Promise<NatsConnection> {
    if (this.connection) return this.connection;
    try {
      this.connection = await connect(this.connectionOptions());
    } catch (e) {
      throw new NatsConnectError(describeConnectError(e, this.options), { cause: e });
    }
    void this.watchStatus(this.connection);
    return this.connection;
  }

  /**
   * Every service connects at boot, callers too (the gateway serves no NATS subject): refused
   * credentials stop the boot at once, and /health/ready reports NATS from the start.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  private connectionOptions(): ConnectionOptions {
    const { url, service, user, password, tls } = this.options;
    return {
      servers: url.split(','),
      name: service,
      inboxPrefix: inboxPrefixOf(service),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // The client would otherwise close for good after two refusals in a row while reconnecting.
      ignoreAuthErrorAbort: true,
      ...(user ? { user, pass: password } : {}),
      ...(tls ? { tls } : {}),
    };
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
    let last = { message: '', at: 0 };
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnecting') this.reconnecting = true;
      if (s.type === 'reconnect') this.reconnecting = false;
      if (s.type === 'disconnect' || s.type === 'reconnect') this.logger.warn(`NATS ${s.type}`);
      if (s.type === 'error') {
        // A permissions violation (a subject the server's permissions do not give this service) or
        // a refused reconnect. The same message is logged once a minute, not at every retry.
        const message = s.error.message;
        if (message !== last.message || Date.now() - last.at > 60_000) {
          this.logger.error(`NATS: ${message}`);
          last = { message, at: Date.now() };
        }
      }
    }
  }

  /** Drain: stop taking new messages, let in-flight handlers reply, then close. */
  async onApplicationShutdown(): Promise<void> {
    const nc = this.connection;
    this.connection = undefined;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }
}
