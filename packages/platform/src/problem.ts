import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCatalog, ErrorCode, FieldError, fieldErrorsOf } from '@dg/contracts';
import { ZodError } from 'zod';
import { redactQuery } from './logging';
import { isDatabaseUnavailable } from './database';

export interface Problem {
  type: string;
  status: number;
  code: ErrorCode;
  title: string;
  detail: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function problemOf(e: DomainError, instance?: string, correlationId?: string): Problem {
  const entry = ErrorCatalog[e.code];
  return {
    ...(e.meta ?? {}),
    type: `https://dg-platform.dev/problems/${e.code.toLowerCase().replace(/_/g, '-')}`,
    status: entry.status,
    code: e.code,
    title: entry.title,
    detail: e.detail ?? entry.detail,
    instance,
    correlationId,
    ...(e.errors?.length ? { errors: e.errors } : {}),
  };
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  406: 'VALIDATION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * PostgreSQL refused the text itself (a NUL character, a bad encoding): the client's input, not a
 * fault. The same mapping as the services' RPC errors (rpc.ts), for a service's own queries at the
 * HTTP edge (the gateway's users and logins).
 */
export function isPgTextRefused(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '22P05' || code === '22021';
}

export const TEXT_REFUSED_DETAIL = 'ข้อความมีอักขระที่ไม่รองรับ (text contains an unsupported character such as NUL)';

/** Maps anything thrown (domain errors, framework errors, Fastify parser errors) to a domain error. */
export function toDomainError(e: unknown): DomainError {
  if (e instanceof DomainError) return e;
  if (e instanceof ZodError) return new DomainError('VALIDATION_FAILED', undefined, fieldErrorsOf(e));
  if (isPgTextRefused(e)) return new DomainError('VALIDATION_FAILED', TEXT_REFUSED_DETAIL);
  // The service's own database unreachable or its pool exhausted: worth a retry, as in rpc.ts.
  if (isDatabaseUnavailable(e)) return new DomainError('SERVICE_UNAVAILABLE');
  // nestjs-zod's serialization error is the server's fault (a 500), not the client's input.
  const serverSide = e instanceof HttpException && e.getStatus() >= 500;
  const zodCause = serverSide ? undefined : (e as { getZodError?: () => unknown }).getZodError?.();
  if (zodCause instanceof ZodError) return new DomainError('VALIDATION_FAILED', undefined, fieldErrorsOf(zodCause));
  const status =
    e instanceof HttpException ? e.getStatus() : ((e as { statusCode?: number } | null)?.statusCode ?? 500);
  const code = STATUS_CODES[status];
  if (code) {
    const message = e instanceof Error ? e.message : undefined;
    return new DomainError(code, code === 'NOT_FOUND' ? undefined : `${ErrorCatalog[code].detail}: ${message}`);
  }
  return new DomainError('INTERNAL');
}

/** Every error leaves as application/problem+json with a stable code; a 5xx is logged with its stack. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(exception, request, reply, this.logger);
  }
}

export function sendProblem(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const error = toDomainError(exception);
  const correlationId = String(request.id);
  if (error.status >= 500 && error.code !== 'SERVICE_UNAVAILABLE') {
    logger.error({ err: exception, correlationId, url: redactQuery(request.url) }, 'unhandled error');
  } else if (error.code === 'SERVICE_UNAVAILABLE' && !(exception instanceof DomainError)) {
    logger.error(
      { err: exception, correlationId, url: redactQuery(request.url) },
      'database (or another dependency) unavailable',
    );
  }
  const problem = problemOf(error, request.url, correlationId);
  void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}
