import { JwtService } from '@nestjs/jwt';
import { JSON_BODY_LIMIT } from '../src/bootstrap';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/token.service';
import { GatewayMetricsPort } from '../src/http/metrics-port';
import { MAX_JSON_DEPTH } from '../src/http/json-body';
import { HttpResult, TestGateway } from './support/gateway';

/** Internals that must never reach a client in an error's text. */
const LEAKS =
  /Maximum call stack|max_payload|intake\.|registry\.|scoring\.|awards\.|notifications\.|QueryFailedError|invalid byte sequence|\bat [\w.<>]+ \(/;

function expectProblem(res: HttpResult, status: number, code: string): void {
  expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.body).toMatchObject({ status, code });
  expect(res.text).not.toMatch(LEAKS);
}

/** A questionnaire definition padded to about `bytes` of JSON with long option texts. */
function paddedQuestionnaire(bytes: number): Record<string, unknown> {
  const pad = 'ก'.repeat(1000); // 3 bytes each in UTF-8
  const count = Math.floor(bytes / (pad.length * 3 + 40));
  return {
    id: 'big-2568',
    version: 1,
    title: { th: 'แบบสำรวจขนาดใหญ่', en: 'Big questionnaire' },
    pillars: [{ id: 'p1', notes: Array.from({ length: count }, (_, i) => ({ id: `n${i}`, text: pad })) }],
  };
}

describe('Gateway edge: body depth and size, NUL, URL errors, auth before body, headers, metrics port', () => {
  let gw: TestGateway;
  let admin: string;

  beforeAll(async () => {
    gw = await TestGateway.start();
    admin = await gw.adminToken();
  });

  afterAll(async () => {
    await gw?.close();
  });

  describe('JSON depth', () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

    it('refuses a body nested ~20,000 levels deep with 400 JSON_TOO_DEEP, before any service is called', async () => {
      const calls = gw.intake.calls.length;
      for (const body of [nested(20_000), `{"id":"q","pillars":${nested(20_000)}}`]) {
        const res = await gw.api('POST', '/questionnaires', {
          token: admin,
          raw: body,
          headers: { 'content-type': 'application/json' },
        });
        expectProblem(res, 400, 'JSON_TOO_DEEP');
      }
      expect(gw.intake.calls.length).toBe(calls);
    });

    it(`takes ${MAX_JSON_DEPTH} levels, and counts brackets inside strings as text`, async () => {
      const deepButAllowed = `{"id":"q","pillars":[{"x":${nested(MAX_JSON_DEPTH - 3)}, "t":"${'['.repeat(500)}"}]}`;
      const res = await gw.api('POST', '/questionnaires', {
        token: admin,
        raw: deepButAllowed,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(201);
    });
  });

  describe('JSON size against NATS max_payload', () => {
    it('carries a questionnaire just under the documented limit through NATS', async () => {
      const definition = paddedQuestionnaire(JSON_BODY_LIMIT - 8 * 1024);
      expect(Buffer.byteLength(JSON.stringify(definition))).toBeLessThan(JSON_BODY_LIMIT);
      const res = await gw.api('POST', '/questionnaires', { token: admin, body: definition });
      expect(res.status).toBe(201);
    });

    it('answers 413 PAYLOAD_TOO_LARGE for a body just under 1 MiB (it would overflow a NATS message)', async () => {
      const definition = paddedQuestionnaire(1024 * 1024 - 16 * 1024);
      const res = await gw.api('POST', '/questionnaires', { token: admin, body: definition });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers 413 for a body under the limit that grows past it once parsed (1e20 is 21 digits)', async () => {
      const raw = `{"id":"q","pillars":[${Array(100_000).fill('1e20').join(',')}]}`;
      expect(raw.length).toBeLessThan(JSON_BODY_LIMIT);
      const res = await gw.api('POST', '/questionnaires', {
        token: admin,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('NUL characters reaching the gateway database', () => {
    it('answers 400 for a NUL in the login e-mail', async () => {
      const res = await gw.api('POST', '/auth/login', {
        body: { email: 'admin\u0000@dga.or.th', password: 'whatever-2565' },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('answers 400 for a NUL in GET /users?q=', async () => {
      const res = await gw.api('GET', '/users?q=a%00b', { token: admin });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });
  });

  describe('errors the router answers before any route', () => {
    it('answers a path parameter over 100 characters with 414 URI_TOO_LONG problem+json', async () => {
      const res = await gw.api('GET', `/agencies/${'a'.repeat(150)}`, { token: admin });
      expectProblem(res, 414, 'URI_TOO_LONG');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-correlation-id')).toBeTruthy();
    });

    it('answers a malformed percent-escape with 400 problem+json', async () => {
      const res = await gw.api('GET', '/agencies/%E0%A4%A', { token: admin });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });
  });

  describe('authenticate first, then read the body', () => {
    it('answers 401 to an anonymous caller before reading or parsing the body', async () => {
      for (const raw of [
        '{"code":',
        '['.repeat(20_000),
        JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
      ]) {
        const res = await gw.api('POST', '/agencies', {
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expectProblem(res, 401, 'UNAUTHENTICATED');
      }
      const forged = await gw.api('POST', '/questionnaires', {
        raw: '{"id":',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      });
      expectProblem(forged, 401, 'UNAUTHENTICATED');
    });

    it('still parses the body of public routes (login) and leaves roles to the guard', async () => {
      const login = await gw.api('POST', '/auth/login', {
        raw: '{"email":',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(login, 400, 'VALIDATION_FAILED');
      const { token } = await gw.userWithRoles(['operator']);
      const forbidden = await gw.api('POST', '/users', { token, body: { email: 'x@example.go.th' } });
      expectProblem(forbidden, 403, 'FORBIDDEN');
    });
  });

  describe('security headers', () => {
    it('sends nosniff, HSTS, no framing and a CSP on answers, errors and the docs', async () => {
      const answers = [
        await gw.api('GET', '/auth/me', { token: admin }),
        await gw.api('GET', '/auth/me'),
        await gw.request('GET', '/nowhere'),
        await gw.request('GET', '/health/live'),
        await gw.request('GET', '/docs'),
      ];
      for (const res of answers) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      }
    });
  });

  describe('metrics on their own port', () => {
    it('does not serve /metrics on the public port; METRICS_PORT does', async () => {
      const publicPort = await gw.request('GET', '/metrics');
      expectProblem(publicPort, 404, 'NOT_FOUND');
      const port = gw.app.get(GatewayMetricsPort).port;
      expect(port).toBeGreaterThan(0);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('http_request_duration_seconds');
      expect(text).toContain('service="gateway"');
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/auth/me`)).status).toBe(404);
    });
  });

  it('refuses a correctly signed token that has no expiry', async () => {
    const me = (await gw.api('GET', '/auth/me', { token: admin })).body;
    const forever = await gw.app
      .get(JwtService)
      .signAsync(
        { email: me.email, roles: me.roles, agencyId: null },
        { subject: me.id, issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      );
    expect(JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
    expectProblem(await gw.api('GET', '/auth/me', { token: forever }), 401, 'UNAUTHENTICATED');
  });
});
