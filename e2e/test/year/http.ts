import { api, type ApiResponse } from '../platform';

export interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { path?: string; row?: number; column?: string; code: string; message?: string }[];
  [meta: string]: unknown;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Someone logged in to the gateway: every call carries their token. */
export class Session {
  constructor(
    readonly base: string,
    readonly token: string,
    readonly who: string,
  ) {}

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>> {
    return api<T>(this.base, method, path, { token: this.token, body, headers });
  }

  /** The call must succeed (2xx); otherwise the error names who called what and the problem. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status >= 300)
      throw new Error(
        `${this.who}: ${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 800)}`,
      );
    return res.body;
  }

  /** Every item of a paged list (500 at a time). */
  async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const body = await this.ok<Page<T>>('GET', `${path}${sep}page=${page}&pageSize=500`);
      out.push(...body.items);
      if (out.length >= body.total || !body.items.length) return out;
    }
  }
}

export async function login(base: string, email: string, password: string): Promise<Session> {
  const res = await api<{ accessToken: string }>(base, 'POST', '/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return new Session(base, res.body.accessToken, email);
}

/** Runs `work` on every item, at most `limit` at a time (the HTTP concurrency of a few busy offices). */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A multipart form with one file, as a browser sends an upload. */
export function fileForm(bytes: Buffer, fileName: string, type: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  return form;
}
