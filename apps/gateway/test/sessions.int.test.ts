import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { ADMIN, HttpResult, TestGateway } from './support/gateway';

/** Sessions (ADR 0016): short access tokens, rotating refresh tokens, logout, ended sessions. */
describe('sessions: refresh, logout, ended sessions and own password', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(async () => gw?.close());

  const expect401 = (res: HttpResult) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  };
  const me = (token: string) => gw.api('GET', '/auth/me', { token });
  const refresh = (refreshToken: string) => gw.api('POST', '/auth/refresh', { body: { refreshToken } });

  it('answers a short-lived access token bound to a session, and a refresh token', async () => {
    const res = await gw.api('POST', '/auth/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 15 * 60,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresIn: expect.any(Number),
    });
    expect(res.body.refreshExpiresIn).toBeGreaterThan(11 * 3600);
    const claims = gw.app
      .get(JwtService)
      .decode<{ sid: string; exp: number; iat: number }>(res.body.accessToken as string);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp - claims.iat).toBe(15 * 60);
    // The portal gets the refresh token as a cookie script cannot read, sent to the auth routes only.
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^dg_refresh=${res.body.refreshToken as string};`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    // Only a hash of the refresh token is stored.
    const db = new Client({ connectionString: gw.db.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
        [res.body.refreshToken],
      );
      expect(rows[0].n).toBe('1');
      const plain = await db.query(`SELECT 1 FROM refresh_tokens WHERE encode(token_hash, 'escape') = $1`, [
        res.body.refreshToken,
      ]);
      expect(plain.rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('rotates the refresh token on every refresh; a spent one presented again ends the whole session', async () => {
    const first = await gw.session(ADMIN.email, ADMIN.password);
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.body.accessToken as string)).status).toBe(200);
    const third = await refresh(second.body.refreshToken as string);
    expect(third.status).toBe(200);

    // The first token, spent, comes back (a stolen copy): the session ends for everyone.
    expect401(await refresh(first.refreshToken));
    expect401(await refresh(third.body.refreshToken as string));
    expect401(await me(third.body.accessToken as string));
    expect401(await me(first.accessToken));
    // Other sessions of the same user go on.
    expect((await me(await gw.login(ADMIN.email, ADMIN.password))).status).toBe(200);
  });

  it('refreshes from the HttpOnly cookie alone, and refuses an unknown refresh token', async () => {
    const { setCookie } = await gw.session(ADMIN.email, ADMIN.password);
    const cookie = (setCookie ?? '').split(';')[0];
    const res = await gw.api('POST', '/auth/refresh', { body: {}, headers: { cookie } });
    expect(res.status).toBe(200);
    expect((await me(res.body.accessToken as string)).status).toBe(200);
    // The portal posts no body at all: the cookie is enough.
    const next = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const bare = await gw.api('POST', '/auth/refresh', { headers: { cookie: next } });
    expect(bare.status).toBe(200);
    expect((await me(bare.body.accessToken as string)).status).toBe(200);
    expect401(await refresh('not-a-token-we-issued'));
    // A malformed body is the client's mistake, not the server's.
    const bad = await gw.api('POST', '/auth/refresh', { body: { refreshToken: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect401(await gw.api('POST', '/auth/refresh', { body: {} }));
  });

  it('logout ends the session: its access token stops before it expires, its refresh token too', async () => {
    const s = await gw.session(ADMIN.email, ADMIN.password);
    const other = await gw.session(ADMIN.email, ADMIN.password);
    const out = await gw.api('POST', '/auth/logout', { token: s.accessToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^dg_refresh=;/);
    expect401(await me(s.accessToken));
    expect401(await refresh(s.refreshToken));
    expect401(await gw.api('POST', '/auth/logout', { token: s.accessToken }));
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it.each([
    ['password', { password: 'a-brand-new-secret-2566' }],
    ['roles', { roles: ['committee'] }],
    ['deactivation', { active: false }],
  ])('ends every session of a user when an admin changes their %s', async (_what, patch) => {
    const { user, password } = await gw.userWithRoles(['operator']);
    const a = await gw.session(user.email, password);
    const b = await gw.session(user.email, password);
    expect((await me(a.accessToken)).status).toBe(200);
    const res = await gw.api('PATCH', `/users/${user.id}`, {
      token: await gw.adminToken(),
      body: { ...patch, version: user.version },
    });
    expect(res.status).toBe(200);
    for (const s of [a, b]) {
      expect401(await me(s.accessToken));
      expect401(await refresh(s.refreshToken));
    }
  });

  it('a login clears the user\'s sessions that ended over 30 days ago, and keeps the recent ones', async () => {
    const { user, password } = await gw.userWithRoles(['operator']);
    const old = await gw.session(user.email, password);
    const recent = await gw.session(user.email, password);
    await gw.api('POST', '/auth/logout', { token: old.accessToken });
    await gw.api('POST', '/auth/logout', { token: recent.accessToken });
    const db = new Client({ connectionString: gw.db.url });
    await db.connect();
    try {
      const ended = async () =>
        (
          await db.query<{ old: string; recent: string }>(
            `SELECT count(*) FILTER (WHERE ended_at < now() - interval '30 days') AS old,
                    count(*) FILTER (WHERE ended_at >= now() - interval '30 days') AS recent
               FROM sessions WHERE user_id = $1`,
            [user.id],
          )
        ).rows[0];
      // The first session ended 31 days ago, the second 29: only the first is past the retention.
      await db.query(
        `UPDATE sessions SET created_at = now() - interval '40 days', ended_at = now() - interval '31 days'
          WHERE id = (SELECT id FROM sessions WHERE user_id = $1 AND ended_at IS NOT NULL ORDER BY created_at LIMIT 1)`,
        [user.id],
      );
      await db.query(
        `UPDATE sessions SET created_at = now() - interval '40 days', ended_at = now() - interval '29 days'
          WHERE user_id = $1 AND ended_at > now() - interval '1 day'`,
        [user.id],
      );
      expect(await ended()).toEqual({ old: '1', recent: '1' });
      await gw.session(user.email, password);
      expect(await ended()).toEqual({ old: '0', recent: '1' });
      // The recent session's spent refresh token is still recognised (refused as ended).
      expect401(await refresh(recent.refreshToken));
      expect(old.refreshToken).not.toBe(recent.refreshToken);
    } finally {
      await db.end();
    }
  });

  it('ends a session left idle longer than SESSION_IDLE at its next refresh', async () => {
    const { user, password } = await gw.userWithRoles(['operator']);
    const idle = await gw.session(user.email, password);
    const active = await gw.session(user.email, password);
    const db = new Client({ connectionString: gw.db.url });
    await db.connect();
    try {
      // Nobody refreshed the first session for 2 h 1 min (the default SESSION_IDLE is 2 h).
      await db.query(
        `UPDATE sessions SET created_at = now() - interval '121 minutes'
          WHERE id = (SELECT s.id FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id
                       WHERE t.token_hash = sha256(convert_to($1, 'UTF8')))`,
        [idle.refreshToken],
      );
      expect401(await refresh(idle.refreshToken));
      expect401(await me(idle.accessToken));
      const { rows } = await db.query<{ end_reason: string }>(
        `SELECT end_reason FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id
          WHERE t.token_hash = sha256(convert_to($1, 'UTF8'))`,
        [idle.refreshToken],
      );
      expect(rows[0].end_reason).toBe('idle');
      // The other session of the same user, refreshed in time, goes on.
      expect((await refresh(active.refreshToken)).status).toBe(200);
    } finally {
      await db.end();
    }
  });

  it('a display-name change leaves sessions alone', async () => {
    const { user, token } = await gw.userWithRoles(['operator']);
    const res = await gw.api('PATCH', `/users/${user.id}`, {
      token: await gw.adminToken(),
      body: { displayName: 'ชื่อใหม่', version: user.version },
    });
    expect(res.status).toBe(200);
    expect((await me(token)).status).toBe(200);
  });

  describe('changing one own password', () => {
    it('needs the current password and a new one that meets the policy', async () => {
      const { user, token } = await gw.userWithRoles(['committee']);
      const change = (body: unknown) => gw.api('POST', '/auth/password', { token, body });
      const wrong = await change({
        currentPassword: 'not-my-password-1',
        newPassword: 'a-fresh-secret-2566',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([
        expect.objectContaining({ path: 'currentPassword', code: 'INCORRECT' }),
      ]);

      const weak = [
        ['tiny-2566x', 'newPassword'],
        ['password2565!', 'newPassword'],
        ['Qwertyuiop123', 'newPassword'],
        [user.email, 'newPassword'],
      ];
      for (const [newPassword, path] of weak) {
        const res = await change({ currentPassword: 'correct-horse-2565', newPassword });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
      }
      expect((await gw.api('POST', '/auth/password', { body: {} })).status).toBe(401);
    });

    it('ends the other sessions and answers a new one; the old password stops working', async () => {
      const { user, token, password } = await gw.userWithRoles(['committee']);
      const elsewhere = await gw.session(user.email, password);
      const res = await gw.api('POST', '/auth/password', {
        token,
        body: { currentPassword: password, newPassword: 'ม้าถูกต้อง-แบตเตอรี่' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { id: user.id } });
      expect((await me(res.body.accessToken as string)).status).toBe(200);
      expect401(await me(elsewhere.accessToken));
      expect401(await refresh(elsewhere.refreshToken));
      expect401(await me(token));
      const old = await gw.api('POST', '/auth/login', { body: { email: user.email, password } });
      expect(old.status).toBe(401);
      expect(await gw.login(user.email, 'ม้าถูกต้อง-แบตเตอรี่')).toBeTruthy();
    });
  });

  describe('password policy for accounts an admin creates or changes', () => {
    it.each([
      ['too short', 'eleven-char'],
      ['common', 'password1234'],
      ['common with a year added', 'iloveyou2565'],
      ['the e-mail', 'policy-probe@example.go.th'],
      ['over 72 bytes', 'ก'.repeat(25)],
    ])('refuses a password that is %s', async (_why, password) => {
      const res = await gw.api('POST', '/users', {
        token: await gw.adminToken(),
        body: { email: 'policy-probe@example.go.th', displayName: 'x', password, roles: ['operator'] },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'password' })]);
    });
  });
});
