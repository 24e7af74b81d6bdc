import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { DomainError } from '@dg/contracts';
import type { StoredFile } from '@dg/contracts';
import type { FileTransfer } from '@dg/platform';

/**
 * Files between HTTP and the services travel through the platform's transfer bucket (they exceed
 * NATS's message size), never through an RPC payload. These helpers are the gateway's two moves:
 * put an upload in before the call, and stream a service's file out after it.
 */

const logger = new Logger('FileTransfer');

/** Stores an upload in the transfer bucket; a bucket that cannot take it is a 503, not a 500. */
export async function putUpload(
  files: FileTransfer,
  file: Omit<StoredFile, 'size'>,
  bytes: Uint8Array,
): Promise<StoredFile> {
  try {
    return await files.put(file, bytes);
  } catch (e) {
    logger.error({ err: e }, 'could not store the upload in the transfer bucket');
    throw new DomainError('SERVICE_UNAVAILABLE');
  }
}

/**
 * A stream of a file a service put in the transfer bucket; the object is deleted once the stream
 * closes (fully sent, or the client went away). A file that is not there is a 503: the service said
 * it stored it, so it is a fault on the way, worth a retry.
 */
export async function openDownload(files: FileTransfer, file: StoredFile): Promise<Readable> {
  const web = await files.stream(file.objectName);
  if (!web) {
    throw new DomainError(
      'SERVICE_UNAVAILABLE',
      'ไฟล์ไม่พร้อมให้ดาวน์โหลด กรุณาลองใหม่ (file not found in the transfer area)',
    );
  }
  const stream = Readable.fromWeb(web as NodeReadableStream<Uint8Array>);
  stream.once('close', () => void files.delete(file.objectName));
  return stream;
}

/** A file name safe to keep and to show: no path, no control characters, at most 200 characters. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch > '\u001f' && ch !== '\u007f' && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || fallback;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 8187), for Thai names too. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const MEDIA_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}(\s*;\s*[a-z0-9_-]+=[a-z0-9_.+-]+)*$/i;

/** A content type fit for a response header; anything odd becomes `application/octet-stream`. */
export function safeContentType(type: string | undefined): string {
  return type && MEDIA_TYPE.test(type.trim()) ? type.trim() : 'application/octet-stream';
}
