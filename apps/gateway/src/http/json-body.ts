import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { DomainError } from '@dg/contracts';

/**
 * Deepest nesting of arrays and objects a JSON body may have. The deepest real document, a
 * questionnaire with a show-when condition of all/any/not, is about 12 levels; a body nested
 * thousands of levels deep would otherwise overflow the stack of whoever walks it next (zod, the
 * RPC encoder, a service).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How deep `text` nests arrays and objects, counted without parsing it, and stopping as soon as
 * it passes `limit` (strings are skipped, so brackets inside them do not count).
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

const tooDeep = () =>
  new DomainError(
    'JSON_TOO_DEEP',
    `ข้อมูล JSON ซ้อนกันได้ไม่เกิน ${MAX_JSON_DEPTH} ชั้น (JSON may nest at most ${MAX_JSON_DEPTH} levels)`,
  );

/**
 * A body whose re-encoding is larger than its route's limit. JSON.parse can make a body grow
 * (`1e20` is written back as 21 digits), and what the gateway forwards is the re-encoded value: it
 * must still fit the route's limit, which is itself chosen to fit a NATS message.
 */
const tooLargeOnceParsed = (limit: number) =>
  new DomainError(
    'PAYLOAD_TOO_LARGE',
    `ข้อมูล JSON มีขนาดเกิน ${limit} ไบต์ (JSON body larger than ${limit} bytes once parsed)`,
  );

/**
 * The gateway's JSON body parser, in place of Nest's default one: the raw size is still capped by
 * Fastify (the route's `bodyLimit`, 413 before the body is read in full); then the nesting depth
 * is checked before parsing (400 JSON_TOO_DEEP), Fastify's own parser runs (prototype poisoning
 * refused, 400 on bad JSON), and the parsed value's size is checked (413).
 */
export function useCheckedJsonParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const defaultParser = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, raw, done) => {
    const text = raw.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    void defaultParser(request, text, (err, body) => {
      if (err) return done(err, undefined);
      const limit = request.routeOptions.bodyLimit ?? bodyLimit;
      if (Buffer.byteLength(JSON.stringify(body) ?? '') > limit)
        return done(tooLargeOnceParsed(limit), undefined);
      done(null, body);
    });
  });
}
