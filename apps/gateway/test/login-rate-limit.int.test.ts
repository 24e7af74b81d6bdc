import { ADMIN, TestGateway } from './support/gateway';

describe('login rate limit (per client address and e-mail)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start({ env: { LOGIN_RATE_LIMIT: '3' } });
  });
  afterAll(async () => gw?.close());

  it('answers 429 RATE_LIMITED after the allowed attempts, for that e-mail only', async () => {
    const attempt = (email: string, password = 'wrong-password-1') =>
      gw.api('POST', '/auth/login', { body: { email, password } });
    for (let i = 0; i < 3; i++) expect((await attempt('target@example.go.th')).status).toBe(401);
    const limited = await attempt('target@example.go.th');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password waits: the limit counts attempts, not failures.
    expect((await attempt('target@example.go.th', ADMIN.password)).status).toBe(429);
    // Someone else from the same address is not locked out.
    expect((await attempt(ADMIN.email, ADMIN.password)).status).toBe(200);
  });
});
