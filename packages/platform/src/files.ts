import { Injectable } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { Objm, ObjectStore } from '@nats-io/obj';
import { FILES_BUCKET, StoredFile } from '@dg/contracts';
import { Nats } from './nats';

/** Files older than this are removed from the transfer bucket by JetStream itself. */
export const FILE_TTL_MS = 60 * 60 * 1000;

/**
 * Moves files between services (uploads to import, exports to download) through a NATS object
 * store bucket: files are chunked, so they are not bound by NATS's 1 MB message limit, and they
 * expire on their own. It is a transfer area, not where evidence is kept.
 */
@Injectable()
export class FileTransfer {
  private store?: Promise<ObjectStore>;

  constructor(private readonly nats: Nats) {}

  private bucket(): Promise<ObjectStore> {
    this.store ??= this.open().catch((e: unknown) => {
      this.store = undefined;
      throw e;
    });
    return this.store;
  }

  /**
   * The bucket has NATS_STREAM_REPLICAS copies like the event streams, so an upload or export in
   * transit survives losing a node; a bucket made with fewer (before the setting) is replicated
   * in place.
   */
  private async open(): Promise<ObjectStore> {
    const nc = await this.nats.connect();
    const replicas = this.nats.options.streamReplicas ?? 1;
    const name = this.nats.stream(FILES_BUCKET).toLowerCase();
    const store = await new Objm(nc).create(name, { ttl: FILE_TTL_MS * 1e6, replicas });
    const jsm = await jetstreamManager(nc);
    const stream = `OBJ_${name}`;
    const info = await jsm.streams.info(stream);
    if (info.config.num_replicas < replicas)
      await jsm.streams.update(stream, { ...info.config, num_replicas: replicas });
    return store;
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

  async get(objectName: string): Promise<Uint8Array | null> {
    return (await this.bucket()).getBlob(objectName);
  }

  /** A web stream of the object, for answering a download without holding it all in memory. */
  async stream(objectName: string): Promise<ReadableStream<Uint8Array> | null> {
    const result = await (await this.bucket()).get(objectName);
    return result ? result.data : null;
  }

  async delete(objectName: string): Promise<void> {
    await (await this.bucket()).delete(objectName).catch(() => undefined);
  }
}
