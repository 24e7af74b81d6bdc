import { describe, expect, it, vi } from 'vitest';
import type { Me } from '@dg/contracts';
import { ApiClient } from './client';
import { ApiProblem } from './problem';

const alice: Me = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'alice@agency.go.th',
  displayName: 'Alice',
  roles: ['coordinator'],
  agencyId: '00000000-0000-4000-8000-0000000000aa',
};
const bob: Me = {
  ...alice,
  id: '00000000-0000-4000-8000-000000000002',
  email: 'bob@agency.go.th',
  displayName: 'Bob',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, ...headers } });
}

/**
 * A small stand-in for the gateway: access tokens that it can expire, a refresh cookie that it
 * can end, and a log of what was asked with which token.
 */
class FakeGateway {
  valid = new Set<string>();
  sessionAlive = true;
  user: Me = alice;
  passwords = new Map<string, Me>([
    ['alice-pass', alice],
    ['bob-pass', bob],
  ]);
  counter = 0;
  log: { method: string; path: string; auth: string | null }[] = [];
  /** Each refresh waits for this, so tests can line requests up behind one refresh. */
  refreshGate: Promise<void> = Promise.resolve();
  /** Answers to these paths wait for their promise; the token is checked after the wait. */
  holds = new Map<string, Promise<void>>();

  private issue(user: Me): Response {
    const token = `t${++this.counter}`;
    this.valid.add(token);
    this.user = user;
    return json(200, {
      accessToken: token,
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: 'r',
      refreshExpiresIn: 43200,
      user,
    });
  }

  expireAccessTokens(): void {
    this.valid.clear();
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString(), 'http://portal.test');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const auth = new Headers(init?.headers).get('authorization');
    const method = init?.method ?? 'GET';
    this.log.push({ method, path, auth });
    await Promise.resolve();
    if (path === '/auth/refresh') {
      await this.refreshGate;
      return this.sessionAlive ? this.issue(this.user) : json(401, { status: 401, code: 'UNAUTHENTICATED' });
    }
    if (path === '/auth/login') {
      const body = JSON.parse(init?.body as string) as { password: string };
      const who = this.passwords.get(body.password);
      if (!who)
        return json(401, { status: 401, code: 'INVALID_CREDENTIALS', detail: 'อีเมลหรือรหัสผ่านไม่ถูกต้อง' });
      this.sessionAlive = true;
      return this.issue(who);
    }
    if (path === '/auth/logout') return new Response(null, { status: 204 });
    const hold = this.holds.get(path);
    if (hold) {
      this.holds.delete(path);
      await hold;
    }
    const token = auth?.replace(/^Bearer /, '') ?? '';
    if (!this.valid.has(token))
      return json(401, { status: 401, code: 'UNAUTHENTICATED', detail: 'กรุณาเข้าสู่ระบบ' });
    return json(200, { path, token });
  };

  count(path: string): number {
    return this.log.filter((l) => l.path === path).length;
  }
}

function setup() {
  const gw = new FakeGateway();
  const onUserChanged = vi.fn();
  const client = new ApiClient({ fetch: gw.fetch, locks: null, onUserChanged });
  return { gw, client, onUserChanged };
}

describe('the API client', () => {
  it('restores the session from the refresh cookie and then sends the access token', async () => {
    const { gw, client } = setup();
    expect(client.getSnapshot().status).toBe('restoring');
    expect(await client.restore()).toEqual(alice);
    expect(client.getSnapshot()).toEqual({ status: 'signed-in', user: alice });
    await client.get('/cycles');
    expect(gw.log.at(-1)).toEqual({ method: 'GET', path: '/cycles', auth: 'Bearer t1' });
  });

  it('is signed out after a load when the refresh cookie is gone', async () => {
    const { gw, client } = setup();
    gw.sessionAlive = false;
    expect(await client.restore()).toBeNull();
    expect(client.getSnapshot().status).toBe('signed-out');
    // Only one refresh, whoever asks.
    await client.restore();
    expect(gw.count('/auth/refresh')).toBe(1);
  });

  it('does not spend a refresh when this browser never signed in or signed out last time', async () => {
    const gw = new FakeGateway();
    let stored = false;
    const hint = { read: () => stored, write: (v: boolean) => void (stored = v) };
    const fresh = new ApiClient({ fetch: gw.fetch, locks: null, sessionHint: hint });
    expect(await fresh.restore()).toBeNull();
    expect(fresh.getSnapshot().status).toBe('signed-out');
    expect(gw.count('/auth/refresh')).toBe(0);
    // Signing in sets the hint, so the next load restores; signing out clears it again.
    await fresh.login('alice@agency.go.th', 'alice-pass');
    expect(stored).toBe(true);
    const reloaded = new ApiClient({ fetch: gw.fetch, locks: null, sessionHint: hint });
    expect(await reloaded.restore()).toEqual(alice);
    await reloaded.logout();
    expect(stored).toBe(false);
  });

  it('keeps the hint when the server cannot be reached on a load: the next load tries again', async () => {
    let stored = true;
    const hint = { read: () => stored, write: (v: boolean) => void (stored = v) };
    const offline = new ApiClient({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      locks: null,
      sessionHint: hint,
    });
    expect(await offline.restore()).toBeNull();
    expect(offline.getSnapshot().status).toBe('signed-out');
    expect(stored).toBe(true);
  });

  it('waits for the restore before a signed-in request goes out', async () => {
    const { gw, client } = setup();
    const body = await client.get<{ token: string }>('/cycles');
    expect(body.token).toBe('t1');
    expect(gw.log.map((l) => l.path)).toEqual(['/auth/refresh', '/cycles']);
  });

  it('on a 401, refreshes once and retries the request with the new token', async () => {
    const { gw, client } = setup();
    await client.restore();
    gw.expireAccessTokens();
    const body = await client.get<{ token: string }>('/cycles/2565');
    expect(body.token).toBe('t2');
    expect(gw.log.map((l) => `${l.path} ${l.auth}`)).toEqual([
      '/auth/refresh null',
      '/cycles/2565 Bearer t1',
      '/auth/refresh null',
      '/cycles/2565 Bearer t2',
    ]);
  });

  it('shares one refresh between requests that meet a 401 together (single flight)', async () => {
    const { gw, client } = setup();
    await client.restore();
    gw.expireAccessTokens();
    let open!: () => void;
    gw.refreshGate = new Promise((r) => (open = r));
    const all = Promise.all([
      client.get('/a'),
      client.get('/b'),
      client.patch('/c', { x: 1 }),
      client.get('/d'),
    ]);
    await vi.waitFor(() => expect(gw.count('/auth/refresh')).toBe(2));
    open();
    const results = (await all) as { token: string }[];
    expect(results.map((r) => r.token)).toEqual(['t2', 't2', 't2', 't2']);
    expect(gw.count('/auth/refresh')).toBe(2); // the restore and one renewal
  });

  it('does not refresh again when another request already renewed the token', async () => {
    const { gw, client } = setup();
    await client.restore();
    let release!: () => void;
    gw.holds.set('/slow', new Promise((r) => (release = r)));
    const slow = client.get<{ token: string }>('/slow'); // goes out with t1, answers later
    await vi.waitFor(() => expect(gw.count('/slow')).toBe(1));
    gw.expireAccessTokens();
    await client.get('/a'); // 401, refresh to t2, retried
    release(); // now /slow answers 401 for t1: the client already has t2
    expect((await slow).token).toBe('t2');
    expect(gw.count('/auth/refresh')).toBe(2); // the restore and one renewal, not two
    expect(gw.log.filter((l) => l.path === '/slow').map((l) => l.auth)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('opens one sign-in dialog when the session has ended, and the waiting requests carry on after it', async () => {
    const { gw, client } = setup();
    await client.restore();
    gw.expireAccessTokens();
    gw.sessionAlive = false;
    const dialog = vi.fn(async (user: Me) => {
      expect(user).toEqual(alice);
      await client.login(user.email, 'alice-pass');
    });
    client.setReauthHandler(dialog);
    const results = (await Promise.all([client.get('/a'), client.post('/b', { y: 2 })])) as {
      token: string;
    }[];
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.token)).toEqual(['t2', 't2']);
    expect(client.getSnapshot()).toEqual({ status: 'signed-in', user: alice });
  });

  it('gives up the waiting requests with the 401 when the person signs out from the dialog', async () => {
    const { gw, client } = setup();
    await client.restore();
    gw.expireAccessTokens();
    gw.sessionAlive = false;
    client.setReauthHandler(() => Promise.reject(new ApiProblem({ status: 401, code: 'UNAUTHENTICATED' })));
    await expect(client.get('/a')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('starts again at the landing when someone else signs in through the dialog', async () => {
    const { gw, client, onUserChanged } = setup();
    await client.restore();
    gw.expireAccessTokens();
    gw.sessionAlive = false;
    client.setReauthHandler(async () => {
      await client.login('bob@agency.go.th', 'bob-pass');
    });
    await client.get('/a');
    expect(onUserChanged).toHaveBeenCalledTimes(1);
    expect(client.user).toEqual(bob);
  });

  it('without a dialog, a lapsed session rejects with the 401 and signs out', async () => {
    const { gw, client } = setup();
    await client.restore();
    gw.expireAccessTokens();
    gw.sessionAlive = false;
    await expect(client.get('/a')).rejects.toBeInstanceOf(ApiProblem);
    expect(client.getSnapshot().status).toBe('signed-out');
  });

  it('a wrong password is a problem to show, not a refresh', async () => {
    const { gw, client } = setup();
    gw.sessionAlive = false;
    await client.restore();
    const e = (await client.login('alice@agency.go.th', 'nope').catch((x: unknown) => x)) as ApiProblem;
    expect(e).toBeInstanceOf(ApiProblem);
    expect(e.code).toBe('INVALID_CREDENTIALS');
    expect(e.detail).toBe('อีเมลหรือรหัสผ่านไม่ถูกต้อง');
    expect(gw.count('/auth/refresh')).toBe(1);
  });

  it('logs out: the session is forgotten, the next requests carry no token', async () => {
    const { gw, client } = setup();
    await client.login('alice@agency.go.th', 'alice-pass');
    await client.logout();
    expect(gw.log.at(-1)).toEqual({ method: 'POST', path: '/auth/logout', auth: 'Bearer t1' });
    expect(client.getSnapshot()).toEqual({ status: 'signed-out', user: null });
    await expect(client.get('/a')).rejects.toMatchObject({ status: 401 });
  });
});

describe('problems', () => {
  const client = (res: Response | Error) =>
    new ApiClient({
      locks: null,
      fetch: () => (res instanceof Error ? Promise.reject(res) : Promise.resolve(res)),
    });

  it('reads problem+json: code, Thai detail, field errors and extra members', async () => {
    const res = json(409, {
      status: 409,
      code: 'RESPONSE_VERSION_CONFLICT',
      title: 'Version conflict',
      detail: 'มีการแก้ไขจากที่อื่น',
      errors: [{ path: 'q1', code: 'X', message: 'bad', messageTh: 'ไม่ถูกต้อง' }],
      currentVersion: 7,
    });
    const e = (await client(res)
      .get('/x', { auth: false })
      .catch((x: unknown) => x)) as ApiProblem;
    expect(e).toMatchObject({ status: 409, code: 'RESPONSE_VERSION_CONFLICT', detail: 'มีการแก้ไขจากที่อื่น' });
    expect(e.errors[0]?.messageTh).toBe('ไม่ถูกต้อง');
    expect(e.body.currentVersion).toBe(7);
  });

  it('keeps Retry-After of a 429 in seconds', async () => {
    const res = json(429, { status: 429, code: 'RATE_LIMITED' }, { 'retry-after': '17' });
    const e = (await client(res)
      .post('/auth/login', {}, { auth: false })
      .catch((x: unknown) => x)) as ApiProblem;
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfter).toBe(17);
    expect(e.detail).toMatch(/รอ/);
  });

  it('gives a Thai message for an answer that is not a problem (a proxy’s 502 page)', async () => {
    const res = new Response('<html>Bad gateway</html>', {
      status: 502,
      headers: { 'content-type': 'text/html' },
    });
    const e = (await client(res)
      .get('/x', { auth: false })
      .catch((x: unknown) => x)) as ApiProblem;
    expect(e.code).toBe('HTTP_502');
    expect(e.detail).toMatch(/ข้อผิดพลาด/);
  });

  it('turns a network failure into NETWORK_ERROR', async () => {
    const e = (await client(new TypeError('Failed to fetch'))
      .get('/x', { auth: false })
      .catch((x: unknown) => x)) as ApiProblem;
    expect(e).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect(e.detail).toMatch(/อินเทอร์เน็ต/);
  });

  it('builds query strings with repeated parameters and skips empty ones', () => {
    const c = new ApiClient({ locks: null });
    expect(
      c.url('/cycles/2565/responses', {
        status: ['submitted', 'verified'],
        q: 'กรม',
        page: 2,
        kind: undefined,
      }),
    ).toBe(
      '/api/v1/cycles/2565/responses?status=submitted&status=verified&q=%E0%B8%81%E0%B8%A3%E0%B8%A1&page=2',
    );
  });
});
