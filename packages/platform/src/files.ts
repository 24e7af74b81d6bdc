import { Injectable, Logger } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { Objm, ObjectStore } from '@nats-io/obj';
import { FILES_BUCKET, StoredFile, type StreamName } from '@dg/contracts';
import { ObjectReader } from './file-reader';
import { setupJobOf, setUpConsumers, type SetUpConsumersOptions } from './consumers';
import { isPermissionRefusal, setUpStreams, StreamSetupError } from './jetstream';
import { Nats, type NatsOptions } from './nats';

/** Files older than this are removed from the transfer bucket by JetStream itself. */
export const FILE_TTL_MS = 60 * 60 * 1000;

/** The bucket's name (its stream is OBJ_<name>). */
const bucketNameOf = (nats: Nats) => nats.stream(FILES_BUCKET).toLowerCase();

/**
 * The migration Job's part (as `<service>_setup`): creates the files bucket, or updates it with
 * its TTL and NATS_STREAM_REPLICAS copies (never fewer than it has).
 */
export async function setUpFilesBucket(nats: Nats): Promise<void> {
  const nc = await nats.connect();
  const replicas = nats.options.streamReplicas ?? 1;
  const name = bucketNameOf(nats);
  // Creates it when missing; for an existing bucket Objm only looks it up.
  await new Objm(nc).create(name, { ttl: FILE_TTL_MS * 1e6, replicas });
  const jsm = await jetstreamManager(nc);
  const { config } = await jsm.streams.info(`OBJ_${name}`);
  await jsm.streams.update(config.name, {
    ...config,
    max_age: FILE_TTL_MS * 1e6,
    num_replicas: Math.max(config.num_replicas, replicas),
  });
}

/**
 * What a stream owner's migration Job does on NATS (apps/<service>/src/migrate.ts), logged in as
 * `<service>_setup` (ADR 0012): its streams, then the files bucket, then (ADR 0018) the durable
 * consumers of a service that also reads events, before the Deployment rolls.
 */
export async function setUpMessaging(
  options: NatsOptions,
  streams: StreamName[],
  /** The service whose durable consumers (EventConsumers) the Job also creates, if it reads events. */
  consumersOf?: string,
  setup: SetUpConsumersOptions = {},
): Promise<void> {
  const nats = new Nats(options);
  try {
    await setUpStreams(nats, streams);
    await setUpFilesBucket(nats);
    if (consumersOf) await setUpConsumers(nats, consumersOf, setup);
  } finally {
    await nats.onApplicationShutdown();
  }
}

/**
 * Moves files between services (uploads to import, exports to download) through a NATS object
 * store bucket: files are chunked, so they are not bound by NATS's 1 MB message limit, and they
 * expire on their own. It is a transfer area, not where evidence is kept.
 */
@Injectable()
export class FileTransfer {
  private readonly logger = new Logger('FileTransfer');
  private store?: Promise<ObjectStore>;
  private reader?: ObjectReader;

  constructor(private readonly nats: Nats) {}

  private bucket(): Promise<ObjectStore> {
    this.store ??= this.open().catch((e: unknown) => {
      this.store = undefined;
      throw e;
    });
    return this.store;
  }

  /**
   * Opens the bucket: looks it up, and creates it only when it does not exist (development: the
   * first service to use it; production: the migration Jobs did, the services may not). The
   * bucket has NATS_STREAM_REPLICAS copies like the event streams, so an upload or export in
   * transit survives losing a node; one made with fewer is replicated in place where this user
   * may (development), else left to the next migration Job with a warning: it still works.
   */
  private async open(): Promise<ObjectStore> {
    const nc = await this.nats.connect();
    const replicas = this.nats.options.streamReplicas ?? 1;
    const name = bucketNameOf(this.nats);
    const jsm = await jetstreamManager(nc);
    const existing = await jsm.streams.info(`OBJ_${name}`).catch((e: unknown) => {
      if (/stream not found/i.test(e instanceof Error ? e.message : '')) return undefined;
      throw e;
    });
    this.reader = new ObjectReader(jsm, name);
    if (!existing)
      return new Objm(nc).create(name, { ttl: FILE_TTL_MS * 1e6, replicas }).catch((e: unknown) => {
        if (!isPermissionRefusal(e)) throw e;
        throw new StreamSetupError(
          `the files bucket OBJ_${name} does not exist, and NATS user "${this.nats.options.user ?? ''}" may ` +
            `not create it: run this release's migration Jobs (each stream owner's sets it up, e.g. ` +
            `${setupJobOf('registry')})`,
          { cause: e },
        );
      });
    if (existing.config.num_replicas < replicas)
      await jsm.streams
        .update(existing.config.name, { ...existing.config, num_replicas: replicas })
        .catch((e: unknown) => {
          if (!isPermissionRefusal(e)) throw e;
          this.logger.warn(
            `the files bucket OBJ_${name} has ${existing.config.num_replicas} replicas, not ${replicas}: ` +
              `the next migration Job replicates it (this NATS user may not)`,
          );
        });
    return new Objm(nc).open(name, false);
  }

  /** Reads without a consumer (ADR 0018): production's NATS users may create none on the bucket. */
  private async objectReader(): Promise<ObjectReader> {
    await this.bucket();
    return this.reader!;
  }

  async put(file: Omit<StoredFile, 'size'>, data: Uint8Array): Promise<StoredFile> {
    const os = await this.bucket();
    await os.putBlob({ name: file.objectName, description: `${file.contentType};${file.fileName}` }, data);
    return { ...file, size: data.byteLength };
  }

  /** Stores a stream chunk by chunk: an export of millions of rows never sits in memory whole. */
  async putStream(file: Omit<StoredFile, 'size'>, data: ReadableStream<Uint8Array>): Promise<StoredFile> {
    const os = await this.bucket();
    const info = await os.put(
      { name: file.objectName, description: `${file.contentType};${file.fileName}` },
      data,
    );
    return { ...file, size: info.size };
  }

  /** The whole object (size and digest checked); null when there is none. */
  async get(objectName: string): Promise<Uint8Array | null> {
    return (await this.objectReader()).get(objectName);
  }

  /**
   * A web stream of the object, for answering a download without holding it all in memory; it
   * fails (CorruptObjectError) at its end when the size or digest differs from the metadata.
   */
  async stream(objectName: string): Promise<ReadableStream<Uint8Array> | null> {
    return (await this.objectReader()).stream(objectName);
  }

  async delete(objectName: string): Promise<void> {
    await (await this.bucket()).delete(objectName).catch(() => undefined);
  }
}
