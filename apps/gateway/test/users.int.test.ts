import { Client } from 'pg';
import { type Actor, Rpc, SYSTEM_ACTOR } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { UserView } from '../src/users/users.dto';
import { ADMIN, TestGateway } from './support/gateway';

describe('users: DGA admins manage accounts', () => {
  let gw: TestGateway;
  let admin: string;

  beforeAll(async () => {
    gw = await TestGateway.start();
    admin = await gw.adminToken();
  });

  afterAll(async () => {
    await gw?.close();
  });

  const newUser = (over: Record<string, unknown> = {}) => ({
    email: `person-${Math.random().toString(36).slice(2, 8)}@example.go.th`,
    displayName: 'สมชาย ใจดี',
    password: 'long-enough-2565',
    roles: ['operator'],
    ...over,
  });

  it('creates a user (201), never showing the password hash, and the user can log in', async () => {
    const body = newUser({ email: 'Somchai@Example.go.th' });
    const res = await gw.api<UserView>('POST', '/users', { token: admin, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: 'somchai@example.go.th',
      displayName: 'สมชาย ใจดี',
      roles: ['operator'],
      agencyId: null,
      active: true,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastLoginAt: null,
    });
    expect(await gw.login('somchai@example.go.th', body.password)).toBeTruthy();

    const list = await gw.api('GET', '/users?q=somchai', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      total: 1,
      page: 1,
      pageSize: 50,
      items: [{ email: 'somchai@example.go.th' }],
    });
    expect(list.body.items[0].lastLoginAt).not.toBeNull();
    expect(list.text).not.toMatch(/password|\$2[aby]\$/i);
  });

  it('refuses a second account with the same e-mail, whatever the case: 409 EMAIL_TAKEN', async () => {
    const res = await gw.api('POST', '/users', {
      token: admin,
      body: newUser({ email: 'SOMCHAI@example.GO.TH' }),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'EMAIL_TAKEN' });
  });

  it('validates the body: 400 with errors[] naming each bad field', async () => {
    const res = await gw.api('POST', '/users', {
      token: admin,
      body: { email: 'not-an-email', displayName: '', password: 'short', roles: ['system'], extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'displayName', 'password', 'roles.0']));
  });

  it('requires an existing agency for coordinators and approvers, and none for other roles', async () => {
    const agency = gw.registry.addAgency({ code: 'DEP-USERS' });

    const missing = await gw.api('POST', '/users', {
      token: admin,
      body: newUser({ roles: ['coordinator'] }),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'agencyId', code: 'REQUIRED' })]);

    const unknown = await gw.api('POST', '/users', {
      token: admin,
      body: newUser({ roles: ['approver'], agencyId: '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'agencyId', code: 'UNKNOWN_AGENCY' }],
    });

    const extra = await gw.api('POST', '/users', {
      token: admin,
      body: newUser({ roles: ['operator'], agencyId: agency.id }),
    });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ path: 'agencyId', code: 'NOT_ALLOWED' })]);

    const mixed = await gw.api('POST', '/users', {
      token: admin,
      body: newUser({ roles: ['coordinator', 'operator'], agencyId: agency.id }),
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors).toEqual([expect.objectContaining({ path: 'roles', code: 'MIXED_SCOPE' })]);

    const ok = await gw.api('POST', '/users', {
      token: admin,
      body: newUser({ roles: ['coordinator', 'approver'], agencyId: agency.id }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ roles: ['coordinator', 'approver'], agencyId: agency.id });
    // The registry was asked, as the admin, with the same correlation id the request carried.
    const call = gw.registry.lastCall('registry.agency.get');
    expect(call?.request).toEqual({ id: agency.id });
    expect(call?.ctx.actor.roles).toEqual(['dga_admin']);
    expect(call?.ctx.correlationId).toBe(ok.headers.get('x-correlation-id'));

    const filtered = await gw.api('GET', `/users?agencyId=${agency.id}&role=approver`, { token: admin });
    expect(filtered.body).toMatchObject({ total: 1, items: [{ id: ok.body.id }] });
  });

  it('patches with optimistic locking: a stale version is 409 USER_VERSION_CONFLICT with currentVersion', async () => {
    const created = (await gw.api<UserView>('POST', '/users', { token: admin, body: newUser() })).body;

    const first = await gw.api('PATCH', `/users/${created.id}`, {
      token: admin,
      body: { displayName: 'ชื่อใหม่', version: 1 },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ displayName: 'ชื่อใหม่', version: 2 });

    const stale = await gw.api('PATCH', `/users/${created.id}`, {
      token: admin,
      body: { displayName: 'อีกชื่อ', version: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'USER_VERSION_CONFLICT', currentVersion: 2 });

    const viaIfMatch = await gw.api('PATCH', `/users/${created.id}`, {
      token: admin,
      headers: { 'if-match': '"2"' },
      body: { roles: ['committee', 'operator'] },
    });
    expect(viaIfMatch.status).toBe(200);
    expect(viaIfMatch.body).toMatchObject({ roles: ['committee', 'operator'], version: 3 });

    const noVersion = await gw.api('PATCH', `/users/${created.id}`, {
      token: admin,
      body: { displayName: 'x' },
    });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors).toEqual([expect.objectContaining({ path: 'version', code: 'REQUIRED' })]);
  });

  it('lets two concurrent writers with the same version through exactly once', async () => {
    const created = (await gw.api<UserView>('POST', '/users', { token: admin, body: newUser() })).body;
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((name) =>
        gw.api('PATCH', `/users/${created.id}`, { token: admin, body: { displayName: name, version: 1 } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('changes a password (the old one stops working) and can deactivate an account', async () => {
    const body = newUser();
    const created = (await gw.api<UserView>('POST', '/users', { token: admin, body })).body;
    const changed = await gw.api('PATCH', `/users/${created.id}`, {
      token: admin,
      body: { password: 'brand-new-password-1', version: 1 },
    });
    expect(changed.status).toBe(200);
    expect(
      (await gw.api('POST', '/auth/login', { body: { email: body.email, password: body.password } })).status,
    ).toBe(401);
    expect(await gw.login(body.email, 'brand-new-password-1')).toBeTruthy();

    const tooShort = await gw.api('PATCH', `/users/${created.id}`, {
      token: admin,
      body: { password: 'short-pw', version: 2 },
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.errors).toEqual([expect.objectContaining({ path: 'password' })]);
  });

  it('stores bcrypt hashes only, and keeps e-mails unique case-insensitively in the database itself', async () => {
    const client = new Client({ connectionString: gw.db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ password_hash: string }>(`SELECT password_hash FROM users`);
      for (const r of rows) expect(r.password_hash).toMatch(/^\$2[aby]\$\d\d\$/);
      await expect(
        client.query(
          `INSERT INTO users (email, password_hash, display_name, roles) VALUES ($1, 'x', 'x', '{operator}')`,
          [ADMIN.email],
        ),
      ).rejects.toMatchObject({ code: '23505' });
      await expect(
        client.query(
          `INSERT INTO users (email, password_hash, display_name, roles) VALUES ('z@x.th', 'x', 'x', '{system}')`,
        ),
      ).rejects.toMatchObject({ code: '23514' });
    } finally {
      await client.end();
    }
  });

  it('answers unknown and malformed user ids with 404 USER_NOT_FOUND', async () => {
    const unknown = await gw.api('PATCH', '/users/0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11', {
      token: admin,
      body: { displayName: 'x', version: 1 },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('USER_NOT_FOUND');
    const malformed = await gw.api('GET', '/users/42', { token: admin });
    expect(malformed.status).toBe(404);
    expect(malformed.body.code).toBe('USER_NOT_FOUND');
  });

  it('keeps an admin from locking themself out', async () => {
    const me = (await gw.api('GET', '/auth/me', { token: admin })).body;
    const current = (await gw.api<UserView>('GET', `/users/${me.id}`, { token: admin })).body;
    const res = await gw.api('PATCH', `/users/${me.id}`, {
      token: admin,
      body: { active: false, version: current.version },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ code: 'SELF_LOCKOUT' })]);
  });

  it('is for DGA admins only', async () => {
    const { token } = await gw.userWithRoles(['operator']);
    for (const [method, path] of [
      ['GET', '/users'],
      ['POST', '/users'],
      ['PATCH', '/users/0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11'],
    ] as const) {
      const res = await gw.api(method, path, { token, body: method === 'GET' ? undefined : {} });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('validates list queries (pageSize at most 500)', async () => {
    const res = await gw.api('GET', '/users?pageSize=501&role=system', { token: admin });
    expect(res.status).toBe(400);
    expect((res.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['pageSize', 'role']);
  });
  it('answers notifications (the system actor) with an agency’s active coordinators and approvers', async () => {
    const agency = gw.registry.addAgency({ code: 'DEP-PEOPLE' });
    const make = async (over: Record<string, unknown>) =>
      (
        await gw.api<UserView>('POST', '/users', {
          token: admin,
          body: newUser({ agencyId: agency.id, ...over }),
        })
      ).body;
    const coord = await make({ roles: ['coordinator'], displayName: 'ผู้ประสานงาน' });
    const head = await make({ roles: ['approver'] });
    const gone = await make({ roles: ['coordinator'] });
    await gw.api('PATCH', `/users/${gone.id}`, {
      token: admin,
      body: { active: false, version: gone.version },
    });
    await make({ roles: ['operator'], agencyId: null });

    const rpc = gw.app.get(ServiceClient);
    const ask = (roles: ('coordinator' | 'approver')[], actor: Actor = SYSTEM_ACTOR) =>
      rpc.call(Rpc.AgencyUsers, { agencyId: agency.id, roles }, { correlationId: 'users-rpc', actor });
    const both = await ask(['coordinator', 'approver']);
    expect(both.items.map((u) => u.id).sort()).toEqual([coord.id, head.id].sort());
    expect(both.items.find((u) => u.id === coord.id)).toEqual({
      id: coord.id,
      displayName: 'ผู้ประสานงาน',
      email: coord.email,
      roles: ['coordinator'],
    });
    expect((await ask(['approver'])).items.map((u) => u.id)).toEqual([head.id]);
    // A person's actor (even a DGA admin's) may not list them: only services ask.
    await expect(ask(['approver'], { id: 'admin', roles: ['dga_admin'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
