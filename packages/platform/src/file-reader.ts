import type { JetStreamManager, MsgRequest } from '@nats-io/jetstream';
import { Base64UrlPaddedCodec, type ObjectInfo } from '@nats-io/obj';
import { createHash } from 'node:crypto';

/** An object of the store that cannot be read as it says it is (size, chunks or digest differ). */
export class CorruptObjectError extends Error {}

const DIGEST = 'SHA-256=';

/**
 * Reads objects of a NATS object store bucket (as nats.js writes them: metadata on
 * `$O.<bucket>.M.<name, base64url>`, chunks on `$O.<bucket>.C.<nuid>`) without a consumer:
 * every message is fetched with `$JS.API.STREAM.MSG.GET` (ADR 0018). nats.js' own get makes a
 * push consumer, whose deliver subject its caller chooses: a permission to create one lets a
 * service make JetStream publish a stream anywhere. A get is request/reply: one stored message per
 * request, answered to the reply subject the caller sets (ours: its inbox; ADR 0018 says what is
 * still open). Size, chunk count and SHA-256 digest are checked as nats.js checks them.
 */
export class ObjectReader {
  constructor(
    private readonly jsm: JetStreamManager,
    /** The bucket's name (its stream is OBJ_<bucket>). */
    private readonly bucket: string,
  ) {}

  private get streamName(): string {
    return `OBJ_${this.bucket}`;
  }

  /** The object's metadata; null when there is none or it was deleted. */
  async info(name: string): Promise<ObjectInfo | null> {
    const meta = `$O.${this.bucket}.M.${Base64UrlPaddedCodec.encode(name)}`;
    const m = await this.jsm.streams.getMessage(this.streamName, { last_by_subj: meta });
    if (!m) return null;
    const info = m.json<ObjectInfo>();
    if (info.deleted) return null;
    // Links (an object naming another) are never made by this platform.
    if (info.options?.link) throw new CorruptObjectError(`object ${name} is a link, which is not read here`);
    return info;
  }

  /** The object's content, chunk by chunk; null when there is no such object. */
  async stream(name: string): Promise<ReadableStream<Uint8Array> | null> {
    const info = await this.info(name);
    if (!info) return null;
    const expected = digestOf(info);
    const subject = `$O.${this.bucket}.C.${info.nuid}`;
    const hash = createHash('sha256');
    let seq = 1;
    let chunks = 0;
    let size = 0;
    const jsm = this.jsm;
    const stream = this.streamName;
    const check = () => {
      const digest = hash.digest();
      if (chunks !== info.chunks || size !== info.size || !digest.equals(expected))
        throw new CorruptObjectError(
          `object ${name} is corrupt: ${chunks} chunks, ${size} bytes, digest ${digest.toString('base64url')}; ` +
            `its metadata says ${info.chunks} chunks, ${info.size} bytes, ${info.digest}`,
        );
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (chunks >= info.chunks) {
          check();
          controller.close();
          return;
        }
        // The next chunk at or after `seq` (nats-server 2.9's next_by_subj, with the sequence).
        const request = { seq, next_by_subj: subject } as unknown as MsgRequest;
        const m = await jsm.streams.getMessage(stream, request);
        if (!m || m.subject !== subject) {
          check(); // fewer chunks than announced: throws
          controller.close();
          return;
        }
        seq = m.seq + 1;
        chunks++;
        size += m.data.length;
        hash.update(m.data);
        controller.enqueue(m.data);
      },
    });
  }

  /** The whole object in memory; null when there is no such object. */
  async get(name: string): Promise<Uint8Array | null> {
    const stream = await this.stream(name);
    if (!stream) return null;
    const parts: Uint8Array[] = [];
    for await (const part of stream) parts.push(part);
    return new Uint8Array(Buffer.concat(parts));
  }
}

/** The SHA-256 the metadata announces (nats.js writes base64url; older clients hex). */
function digestOf(info: ObjectInfo): Buffer {
  if (!info.digest.startsWith(DIGEST)) throw new CorruptObjectError(`unknown digest type: ${info.digest}`);
  const value = info.digest.slice(DIGEST.length);
  const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (bytes.length !== 32) throw new CorruptObjectError(`unable to parse digest: ${info.digest}`);
  return bytes;
}
