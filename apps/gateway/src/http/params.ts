import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { ApiHeader, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CycleId, DomainError, ErrorCode, Uuid } from '@dg/contracts';

/**
 * Validates an `:id` path segment as a UUID. A malformed id cannot name an existing resource, so
 * it is answered like a missing one (404 with the resource's code), never a 5xx.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly notFound: ErrorCode = 'NOT_FOUND') {}

  /** For the OpenAPI document (ProblemSource). */
  get problemCodes(): readonly ErrorCode[] {
    return [this.notFound];
  }

  transform(value: unknown): string {
    const parsed = Uuid.safeParse(value);
    if (!parsed.success) throw new DomainError(this.notFound);
    return parsed.data;
  }
}

/**
 * Validates a `:id` cycle segment (letters, digits and dashes, e.g. `2565`, the contract's CycleId).
 * Like a malformed UUID, a malformed cycle id cannot name a cycle: 404 CYCLE_NOT_FOUND.
 */
@Injectable()
export class ParseCycleIdPipe implements PipeTransform<unknown, string> {
  /** For the OpenAPI document (ProblemSource), on the class as on an instance: `@Param` takes either. */
  static readonly problemCodes: readonly ErrorCode[] = ['CYCLE_NOT_FOUND'];

  get problemCodes(): readonly ErrorCode[] {
    return ParseCycleIdPipe.problemCodes;
  }

  transform(value: unknown): string {
    const parsed = CycleId.safeParse(value);
    // The contract trims; a path segment with spaces around it is not a cycle id but another path.
    if (!parsed.success || parsed.data !== value) throw new DomainError('CYCLE_NOT_FOUND');
    return parsed.data;
  }
}

export const ApiCycleParam = (name = 'id') =>
  applyDecorators(
    ApiParam({
      name,
      type: String,
      description: 'Cycle id, e.g. `2565` (B.E. year): letters, digits and dashes, at most 64',
    }),
  );

export const ApiUuidParam = (name = 'id', description?: string) =>
  applyDecorators(ApiParam({ name, format: 'uuid', type: String, description }));

export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The version last read (e.g. `3` or `"3"`), when the body carries no `version`',
    }),
  );

/**
 * The version a write is based on: the body's `version`, or else the `If-Match` header (`3`, `"3"`
 * or `W/"3"`). Neither, or two that disagree, is a 400 naming `version`.
 */
export function expectedVersion(
  bodyVersion: number | undefined,
  ifMatch: string | string[] | undefined,
): number {
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  let fromHeader: number | undefined;
  if (header !== undefined && header.trim() !== '') {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
    if (!m || Number(m[1]) < 1)
      throw versionError('INVALID', 'If-Match must be a version number such as "3"');
    fromHeader = Number(m[1]);
  }
  if (bodyVersion !== undefined && fromHeader !== undefined && bodyVersion !== fromHeader) {
    throw versionError('MISMATCH', 'body version and If-Match differ');
  }
  const version = bodyVersion ?? fromHeader;
  if (version === undefined)
    throw versionError('REQUIRED', 'send the version last read, in the body or as If-Match');
  return version;
}

function versionError(code: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', undefined, [
    { path: 'version', code, message, messageTh: 'ต้องระบุเวอร์ชันล่าสุดที่อ่าน (version หรือ If-Match)' },
  ]);
}

/** An ETag carrying the resource version, so clients can echo it back as If-Match. */
export const etagOf = (version: number) => `"${version}"`;

/** Sets `ETag: "<version>"` on the reply, for the client to send back as `If-Match`; returns the resource. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, resource: T): T {
  void reply.header('etag', etagOf(resource.version));
  return resource;
}
