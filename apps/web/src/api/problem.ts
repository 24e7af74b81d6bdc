import type { ErrorCode, FieldError } from '@dg/contracts';
import { thaiMessageFor } from '../lib/problems';

/**
 * An error answer of the API (application/problem+json), or a failure to reach it (`status` 0,
 * code `NETWORK_ERROR`): one type for every refusal a page shows. `detail` is the server's Thai
 * text, or ours for the code when the server gave none.
 */
export class ApiProblem extends Error {
  readonly status: number;
  /** A catalog code, or one of the portal's own: `NETWORK_ERROR`, `HTTP_<status>` for a non-problem answer. */
  readonly code: ErrorCode | 'NETWORK_ERROR' | `HTTP_${number}`;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** Seconds from a Retry-After header (429, 503), else null. */
  readonly retryAfter: number | null;
  /** The whole problem body: some carry more (e.g. a 409's current version and answers). */
  readonly body: Readonly<Record<string, unknown>>;

  constructor(init: {
    status: number;
    code: ApiProblem['code'];
    title?: string;
    detail?: string;
    errors?: FieldError[];
    retryAfter?: number | null;
    body?: Record<string, unknown>;
  }) {
    const detail = init.detail || thaiMessageFor(init.code, init.status);
    super(`${init.code}: ${detail}`);
    this.name = 'ApiProblem';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? init.code;
    this.detail = detail;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter ?? null;
    this.body = init.body ?? {};
  }

  static network(cause: unknown): ApiProblem {
    const p = new ApiProblem({ status: 0, code: 'NETWORK_ERROR', title: 'Network error' });
    (p as { cause?: unknown }).cause = cause;
    return p;
  }
}

export function isApiProblem(e: unknown, code?: string): e is ApiProblem {
  return e instanceof ApiProblem && (code === undefined || e.code === code);
}

function retryAfterOf(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(h); // an HTTP date
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Reads an error response: problem+json when it is one, else a problem made from the status. */
export async function problemFrom(res: Response): Promise<ApiProblem> {
  const retryAfter = retryAfterOf(res);
  let body: Record<string, unknown> = {};
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const parsed: unknown = await res.json();
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      // a body that is not JSON after all: the status says enough
    }
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
  return new ApiProblem({
    status: res.status,
    code: (str(body.code) as ErrorCode | undefined) ?? `HTTP_${res.status}`,
    title: str(body.title) ?? res.statusText,
    detail: str(body.detail),
    errors: Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
    retryAfter,
    body,
  });
}
