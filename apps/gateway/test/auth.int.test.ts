import { Controller, Get } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Public } from '@dg/platform';
import { Allow } from '../src/auth/access.decorators';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/token.service';
import { UsersService } from '../src/users/users.service';
import { ADMIN, TestGateway } from './support/gateway';

/** Routes that exist only in this test, to prove the guard's default. */
@Controller('probe')
class ProbeController {
  @Get('unmarked')
  unmarked() {
    return { secret: 'should never be served' };
  }

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('committee-only')
  @Allow('committee')
  committee() {
    return { ok: true };
  }
}

@Controller('probe-class')
@Allow('operator')
class ProbeClassController {
  @Get()
  operatorOnly() {
    return { ok: true };
  }
}

@Controller('probe-public')
@Public()
class ProbePublicController {
  @Get()
  open() {
    return { ok: true };
  }

  @Get('guarded')
  @Allow('dga_admin')
  guarded() {
    return { ok: true };
  }
}

describe('auth: login, tokens and the access guard', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start({
      controllers: [ProbeController, ProbeClassController, ProbePublicController],
    });
  });

  afterAll(async () => {
    await gw?.close();
  });

  const expectProblem = (
    res: { status: number; headers: Headers; body: unknown },
    status: number,
    code: string,
  ) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  describe('login', () => {
    it('creates the first DGA admin from ADMIN_EMAIL / ADMIN_PASSWORD and logs them in', async () => {
      const res = await gw.api('POST', '/auth/login', {
        body: { email: 'Admin@DGA.or.th', password: ADMIN.password },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 15 * 60,
        user: { email: ADMIN.email, roles: ['dga_admin'], agencyId: null },
      });
      expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|\$2[aby]\$/);

      const claims = gw.app.get(JwtService).decode(res.body.accessToken as string);
      expect(claims).toMatchObject({
        sub: res.body.user.id,
        email: ADMIN.email,
        roles: ['dga_admin'],
        agencyId: null,
      });
    });

    it('answers a wrong password and an unknown e-mail the same way: 401 INVALID_CREDENTIALS', async () => {
      const wrong = await gw.api('POST', '/auth/login', {
        body: { email: ADMIN.email, password: 'not-the-password' },
      });
      const unknown = await gw.api('POST', '/auth/login', {
        body: { email: 'nobody@dga.or.th', password: 'whatever-123' },
      });
      expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
      expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
      const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined, correlationId: undefined });
      expect(strip(wrong.body as Record<string, unknown>)).toEqual(
        strip(unknown.body as Record<string, unknown>),
      );
    });

    it('refuses a login without a password as invalid input', async () => {
      const res = await gw.api('POST', '/auth/login', { body: { email: ADMIN.email } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'password' })]),
      );
    });

    it('never overwrites an existing admin password when booting again with another ADMIN_PASSWORD', async () => {
      const original = gw.config.admin.password;
      gw.config.admin.password = 'a-different-password-2566';
      try {
        await gw.app.get(UsersService).onApplicationBootstrap();
      } finally {
        gw.config.admin.password = original;
      }
      expect(await gw.login(ADMIN.email, ADMIN.password)).toBeTruthy();
      const res = await gw.api('POST', '/auth/login', {
        body: { email: ADMIN.email, password: 'a-different-password-2566' },
      });
      expect(res.status).toBe(401);
    });
  });

  describe('tokens', () => {
    it('GET /auth/me answers who is logged in', async () => {
      const res = await gw.api('GET', '/auth/me', { token: await gw.adminToken() });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: ADMIN.email,
        displayName: expect.any(String),
        roles: ['dga_admin'],
        agencyId: null,
      });
    });

    it('answers a missing, malformed, forged or expired token with 401 UNAUTHENTICATED problem+json', async () => {
      expectProblem(await gw.api('GET', '/auth/me'), 401, 'UNAUTHENTICATED');
      expectProblem(await gw.api('GET', '/auth/me', { token: 'not-a-jwt' }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await gw.api('GET', '/auth/me', {
          headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        }),
        401,
        'UNAUTHENTICATED',
      );

      const me = (await gw.api('GET', '/auth/me', { token: await gw.adminToken() })).body;
      const jwt = gw.app.get(JwtService);
      const claims = { email: me.email, roles: me.roles, agencyId: null };
      const forged = await jwt.signAsync(claims, {
        secret: 'another-secret-another-secret-another-secret',
        subject: me.id,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
      expectProblem(await gw.api('GET', '/auth/me', { token: forged }), 401, 'UNAUTHENTICATED');

      const expired = await jwt.signAsync(
        { ...claims, exp: Math.floor(Date.now() / 1000) - 60 },
        { subject: me.id, issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      );
      const res = await gw.api('GET', '/auth/me', { token: expired });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.body.detail).toMatch(/expired/);

      const otherAudience = await jwt.signAsync(claims, {
        subject: me.id,
        issuer: JWT_ISSUER,
        audience: 'elsewhere',
      });
      expectProblem(await gw.api('GET', '/auth/me', { token: otherAudience }), 401, 'UNAUTHENTICATED');
    });

    it('re-reads the user on every request: deactivation and role changes apply at once', async () => {
      const { user, token, password } = await gw.userWithRoles(['operator']);
      const admin = await gw.adminToken();
      expect((await gw.api('GET', '/probe-class', { token })).status).toBe(200);

      const demoted = await gw.api('PATCH', `/users/${user.id}`, {
        token: admin,
        body: { roles: ['committee'], version: user.version },
      });
      expect(demoted.status).toBe(200);
      // A role change ends the user's sessions; logged in again, they have the new role only.
      expectProblem(await gw.api('GET', '/probe-class', { token }), 401, 'UNAUTHENTICATED');
      const again = await gw.login(user.email, password);
      expectProblem(await gw.api('GET', '/probe-class', { token: again }), 403, 'FORBIDDEN');
      expect((await gw.api('GET', '/probe/committee-only', { token: again })).status).toBe(200);

      const off = await gw.api('PATCH', `/users/${user.id}`, {
        token: admin,
        body: { active: false, version: demoted.body.version },
      });
      expect(off.status).toBe(200);
      expectProblem(await gw.api('GET', '/auth/me', { token: again }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await gw.api('POST', '/auth/login', { body: { email: user.email, password: 'correct-horse-2565' } }),
        401,
        'INVALID_CREDENTIALS',
      );
    });
  });

  describe('access guard', () => {
    it('refuses a route that declares neither @Public nor @Allow, even to an admin (deny by default)', async () => {
      expectProblem(await gw.api('GET', '/probe/unmarked'), 403, 'FORBIDDEN');
      const res = await gw.api('GET', '/probe/unmarked', { token: await gw.adminToken() });
      expectProblem(res, 403, 'FORBIDDEN');
      expect(res.text).not.toContain('should never be served');
    });

    it('serves @Public routes without a token and checks @Allow roles on method or class', async () => {
      expect((await gw.api('GET', '/probe/open')).status).toBe(200);
      expectProblem(
        await gw.api('GET', '/probe/committee-only', { token: await gw.adminToken() }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await gw.api('GET', '/probe-class', { token: await gw.adminToken() }), 403, 'FORBIDDEN');
    });

    it("lets a method's @Allow override its class's @Public", async () => {
      expect((await gw.api('GET', '/probe-public')).status).toBe(200);
      expectProblem(await gw.api('GET', '/probe-public/guarded'), 401, 'UNAUTHENTICATED');
      expect((await gw.api('GET', '/probe-public/guarded', { token: await gw.adminToken() })).status).toBe(
        200,
      );
    });

    it('refuses a coordinator creating an agency with 403 before anything reaches the registry', async () => {
      const agency = gw.registry.addAgency({ code: 'COORD-HOME' });
      const { token } = await gw.userWithRoles(['coordinator'], agency.id);
      const before = gw.registry.seen('registry.agency.create').length;
      const res = await gw.api('POST', '/agencies', {
        token,
        body: { code: 'DEP-NEW', nameTh: 'กรมใหม่', kind: 'department' },
      });
      expectProblem(res, 403, 'FORBIDDEN');
      expect(gw.registry.seen('registry.agency.create').length).toBe(before);
    });
  });
});
