import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@dg/contracts';

export interface Upload {
  fileName: string | undefined;
  bytes: Buffer;
}

/** Room for multipart boundaries and part headers on top of the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

const missing = (message: string) =>
  new DomainError('VALIDATION_FAILED', undefined, [
    { path: 'file', code: 'REQUIRED', message, messageTh: 'ต้องแนบไฟล์ในช่อง file (multipart/form-data)' },
  ]);

const tooLarge = (maxBytes: number) =>
  new DomainError('PAYLOAD_TOO_LARGE', `ไฟล์มีขนาดเกิน ${maxBytes} ไบต์ (file larger than ${maxBytes} bytes)`);

/**
 * Reads the one file of a multipart request into memory, refusing it past `maxBytes` (413) and
 * when absent or empty (400). A declared Content-Length over the limit is refused before reading.
 */
export async function readSingleFile(req: FastifyRequest, field: string, maxBytes: number): Promise<Upload> {
  if (!req.isMultipart()) throw missing(`send multipart/form-data with the file in field "${field}"`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw tooLarge(maxBytes);

  let part: MultipartFile | undefined;
  try {
    part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
  } catch (e) {
    throw asClientError(e);
  }
  if (!part) throw missing(`no file in field "${field}"`);
  if (part.fieldname !== field) {
    part.file.resume();
    throw missing(`the file must be sent in field "${field}", not "${part.fieldname}"`);
  }
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw asClientError(e);
  }
  if (part.file.truncated) throw tooLarge(maxBytes);
  if (bytes.length === 0) throw missing('the file is empty');
  return { fileName: part.filename, bytes };
}

/**
 * Busboy reports a broken multipart body (no boundary, truncated form) as a plain Error: that is
 * the client's input, not a server fault. Errors that already carry a 4xx status keep it.
 */
function asClientError(e: unknown): unknown {
  const status = (e as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new DomainError(
    'VALIDATION_FAILED',
    `ข้อมูล multipart ไม่ถูกต้อง (malformed multipart body: ${reason})`,
    [{ path: 'file', code: 'MALFORMED', message: reason, messageTh: 'รูปแบบข้อมูลที่ส่งไม่ถูกต้อง' }],
  );
}
