import pino, { DestinationStream, Logger } from 'pino';
import { currentContext } from './context';

/** Personal data and secrets never reach the logs (PDPA). */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'lineId',
  '*.lineId',
  'req.headers.authorization',
  'req.headers.cookie',
];

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
