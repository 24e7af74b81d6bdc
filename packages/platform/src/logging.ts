import pino, { DestinationStream, Logger } from 'pino';
import { currentContext } from './context';

/** Keys whose values are personal data or secrets, wherever they sit in a logged object. */
const SENSITIVE_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'email',
  'phone',
  'lineId',
  'displayName',
];

/** How deep a sensitive key is looked for: pino's redaction has no recursive wildcard, so each level is listed. */
const REDACT_DEPTH = 5;

/**
 * Personal data and secrets never reach the logs (PDPA): each sensitive key at the top and at
 * every level below it down to {@link REDACT_DEPTH} (`contact.email`, `body.contacts[0].email`, ...).
 */
export const REDACT_PATHS = [
  ...SENSITIVE_KEYS.flatMap((key) =>
    Array.from({ length: REDACT_DEPTH }, (_, depth) => `${'*.'.repeat(depth)}${key}`),
  ),
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * A request URL as it may be logged: the path, and the query's parameter names with every value
 * redacted (`GET /users?q=<e-mail>` must not write the e-mail into the logs).
 */
export function redactQuery(url: string | undefined): string | undefined {
  if (!url) return url;
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}

/** JSON logs with service, correlation id and actor on every line. */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const ctx = currentContext();
        return ctx ? { correlationId: ctx.correlationId, actor: ctx.actor.id } : {};
      },
    },
    destination,
  );
}
