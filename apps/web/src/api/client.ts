import type { LoginResult, Me } from '@dg/contracts';
import { ApiProblem, problemFrom } from './problem';

/**
 * The portal's one HTTP client for `/api/v1`.
 *
 * - The access token lives in memory only; the refresh token is the gateway's HttpOnly cookie
 *   `dg_refresh` (ADR 0016), so a reload restores the session with `POST /auth/refresh`.
 * - A 401 on a signed-in request tries one refresh, shared by every request that meets a 401 at
 *   the same time (single flight, and a Web Lock across tabs: a refresh token is single use, and
 *   two tabs spending it together would look like a stolen token and end the session), then
 *   retries the request once.
 * - When the refresh fails (the session ended: idle, logged out elsewhere, password changed), the
 *   client asks the page to sign in again in place (a dialog registered with `setReauthHandler`),
 *   so nothing typed is lost; every waiting request continues after the sign-in. If someone else
 *   signs in, the page is not theirs to continue: `onUserChanged` (a reload to the landing).
 */

export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out';
export interface SessionSnapshot {
  readonly status: SessionStatus;
  readonly user: Me | null;
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data (evidence, imports). */
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** false for routes without login: no bearer token, and a 401 is just an error. */
  auth?: boolean;
  /** How to read a successful answer: JSON (default), a Blob (files), text, or the raw Response. */
  as?: 'json' | 'blob' | 'text' | 'response';
}

export interface UploadOptions {
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Bytes sent so far and in all, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
}

/** Opens the sign-in dialog; resolves once the person signed in again, rejects if they gave up. */
export type ReauthHandler = (user: Me) => Promise<void>;

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Web Locks to serialise refreshes across tabs; null to skip (tests). */
  locks?: LockManager | null;
  /** Called when a different person signs in through the dialog; default: reload to `/`. */
  onUserChanged?: () => void;
  /** Remembers whether this browser holds a session; null (default) always tries the refresh. */
  sessionHint?: SessionHint | null;
}

/**
 * Whether this browser signed in and has not signed out since. The refresh cookie is HttpOnly,
 * so the page cannot see it; without this, every visit to a public page would send a refresh
 * that answers 401 (a red line in the console of every visitor who never signs in).
 */
export interface SessionHint {
  read(): boolean;
  write(signedIn: boolean): void;
}

/** The hint in localStorage, shared by every tab; a browser without storage always tries. */
export function localStorageHint(key = 'dg-signed-in'): SessionHint {
  return {
    read: () => {
      try {
        return localStorage.getItem(key) === '1';
      } catch {
        return true;
      }
    },
    write: (signedIn) => {
      try {
        localStorage.setItem(key, signedIn ? '1' : '0');
      } catch {
        // Storage full or denied: the next load tries the refresh, which is still correct.
      }
    },
  };
}

const REFRESH_LOCK = 'dg-auth-refresh';

export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly locks: LockManager | null;
  private accessToken: string | null = null;
  private snapshot: SessionSnapshot = { status: 'restoring', user: null };
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<boolean> | null = null;
  private reauthing: Promise<void> | null = null;
  private restoring: Promise<Me | null> | null = null;
  private reauthHandler: ReauthHandler | null = null;
  private readonly sessionHint: SessionHint | null;
  onUserChanged: () => void;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '/api/v1';
    // Bound: window.fetch called as a method of another object throws "Illegal invocation".
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.locks =
      options.locks !== undefined
        ? options.locks
        : typeof navigator !== 'undefined'
          ? (navigator.locks ?? null)
          : null;
    this.onUserChanged = options.onUserChanged ?? (() => window.location.assign('/'));
    this.sessionHint = options.sessionHint ?? null;
  }

  // --- session state (for useSyncExternalStore) ---

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  get user(): Me | null {
    return this.snapshot.user;
  }

  private setSession(status: SessionStatus, user: Me | null): void {
    if (this.snapshot.status === status && this.snapshot.user === user) return;
    this.snapshot = { status, user };
    for (const l of this.listeners) l();
  }

  private adopt(result: LoginResult): Me {
    this.accessToken = result.accessToken;
    this.sessionHint?.write(true);
    this.setSession('signed-in', result.user);
    return result.user;
  }

  private signedOut(): void {
    this.accessToken = null;
    this.sessionHint?.write(false);
    this.setSession('signed-out', null);
  }

  /** Registers the sign-in dialog; returns the function that unregisters it. */
  setReauthHandler(handler: ReauthHandler): () => void {
    this.reauthHandler = handler;
    return () => {
      if (this.reauthHandler === handler) this.reauthHandler = null;
    };
  }

  // --- sign-in, restore, sign-out ---

  /**
   * Restores the session after a load from the refresh cookie, once: every caller (route guards,
   * the layout) awaits the same attempt. Resolves to the user, or null when nobody is signed in.
   */
  restore(): Promise<Me | null> {
    if (!this.restoring && this.sessionHint && !this.sessionHint.read()) {
      // Signed out last time (or never signed in here): no refresh cookie to spend.
      this.setSession('signed-out', null);
      this.restoring = Promise.resolve(null);
    }
    this.restoring ??= this.refresh().then(
      (ok) => (ok ? this.user : null),
      () => {
        // The server could not be reached: nobody is signed in as far as this page can tell, but
        // the hint stays, so the next load tries the refresh cookie again.
        this.accessToken = null;
        this.setSession('signed-out', null);
        return null;
      },
    );
    return this.restoring;
  }

  async login(email: string, password: string): Promise<Me> {
    const previous = this.user;
    const result = await this.request<LoginResult>('POST', '/auth/login', {
      body: { email, password },
      auth: false,
    });
    const user = this.adopt(result);
    this.restoring = Promise.resolve(user);
    if (previous && previous.id !== user.id) this.onUserChanged();
    return user;
  }

  async logout(): Promise<void> {
    try {
      if (this.accessToken) await this.send('POST', '/auth/logout', {}, this.accessToken);
    } catch {
      // Offline or already ended: the page forgets the session either way.
    } finally {
      this.signedOut();
      this.restoring = Promise.resolve(null);
    }
  }

  /**
   * One refresh at a time in this tab (concurrent callers share it) and, with Web Locks, across
   * tabs. True with a new access token; false when the session is over (401).
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.refreshUnderLock().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshUnderLock(): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const res = await this.send('POST', '/auth/refresh', {}, null);
      if (res.ok) {
        const result = (await res.json()) as LoginResult;
        const previous = this.user;
        this.adopt(result);
        // Another tab signed in as someone else: the cookie is theirs now.
        if (previous && previous.id !== result.user.id) this.onUserChanged();
        return true;
      }
      if (res.status === 401 || res.status === 400) {
        this.accessToken = null;
        if (this.snapshot.status === 'restoring') this.signedOut();
        return false;
      }
      throw await problemFrom(res);
    };
    return this.locks ? this.locks.request(REFRESH_LOCK, run) : run();
  }

  /** After a 401: refresh, or else ask the person to sign in again (one dialog for all). */
  private async renew(tokenUsed: string | null, problem: ApiProblem): Promise<void> {
    // Another request renewed the token while this one was out: just use the new one.
    if (this.accessToken && this.accessToken !== tokenUsed) return;
    if (await this.refresh()) return;
    await this.reauthenticate(problem);
  }

  private reauthenticate(problem: ApiProblem): Promise<void> {
    const user = this.user;
    const handler = this.reauthHandler;
    if (!user || !handler) {
      this.signedOut();
      return Promise.reject(problem);
    }
    this.reauthing ??= handler(user).finally(() => {
      this.reauthing = null;
    });
    return this.reauthing;
  }

  // --- requests ---

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth !== false;
    if (auth && this.snapshot.status === 'restoring') await this.restore();
    let token = auth ? this.accessToken : null;
    let res = await this.send(method, path, options, token);
    if (res.status === 401 && auth && this.user) {
      await this.renew(token, await problemFrom(res));
      token = this.accessToken;
      res = await this.send(method, path, options, token);
      if (res.status === 401) {
        // Refreshed, yet refused: the session ended in between. Sign in again, then one last try.
        await this.reauthenticate(await problemFrom(res));
        token = this.accessToken;
        res = await this.send(method, path, options, token);
      }
    }
    if (!res.ok) throw await problemFrom(res);
    return (await read(res, options.as ?? 'json')) as T;
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body' | 'form'>): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Multipart upload with progress (fetch cannot report upload progress, XMLHttpRequest can),
   * under the same 401 handling as every other request.
   */
  async upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
    if (this.snapshot.status === 'restoring') await this.restore();
    let token = this.accessToken;
    let res = await this.xhr(path, form, options, token);
    if (res.status === 401 && this.user) {
      await this.renew(token, await problemFrom(res));
      token = this.accessToken;
      res = await this.xhr(path, form, options, token);
    }
    if (!res.ok) throw await problemFrom(res);
    return (await read(res, 'json')) as T;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v as readonly (string | number)[]) qs.append(k, String(item));
      else qs.append(k, String(v as string | number | boolean));
    }
    const s = qs.toString();
    return `${this.baseUrl}${path}${s ? `?${s}` : ''}`;
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    token: string | null,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...options.headers,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await this.fetchFn(this.url(path, options.query), {
        method,
        headers,
        body,
        signal: options.signal,
        credentials: 'same-origin',
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw ApiProblem.network(e);
    }
  }

  private xhr(path: string, form: FormData, options: UploadOptions, token: string | null): Promise<Response> {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('POST', this.url(path, options.query));
      x.responseType = 'blob';
      x.withCredentials = false;
      x.setRequestHeader('accept', 'application/json, application/problem+json');
      if (token) x.setRequestHeader('authorization', `Bearer ${token}`);
      if (options.onProgress) {
        const report = options.onProgress;
        x.upload.onprogress = (e) => report(e.loaded, e.lengthComputable ? e.total : 0);
      }
      x.onload = () => {
        const headers = new Headers();
        for (const line of x
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const i = line.indexOf(':');
          if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        const nullBody = x.status === 204 || x.status === 205 || x.status === 304;
        resolve(new Response(nullBody ? null : (x.response as Blob), { status: x.status, headers }));
      };
      x.onerror = () => reject(ApiProblem.network(new Error('upload failed')));
      x.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
      options.signal?.addEventListener('abort', () => x.abort(), { once: true });
      x.send(form);
    });
  }
}

async function read(res: Response, as: NonNullable<RequestOptions['as']>): Promise<unknown> {
  if (as === 'response') return res;
  if (as === 'blob') return res.blob();
  if (as === 'text') return res.text();
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined;
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The portal's client, same origin as the gateway. */
export const api = new ApiClient({ sessionHint: localStorageHint() });
