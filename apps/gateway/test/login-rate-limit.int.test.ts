import { Redis } from 'ioredis';
import { ADMIN, HttpResult, TestGateway } from './support/gateway';

/**
 * Login throttling (ADR 0016) in the real Redis: per client address and a slow-down per e-mail,
 * shared by every replica (two gateways here), with the client address taken from
 * X-Forwarded-For only when TRUST_PROXY names the proxy.
 */
describe('login throttling across replicas and behind the Ingress', () => {
  const prefix = `test:throttle:${process.pid}:${Date.now()}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const attempt = (gw: TestGateway, email: string, password = 'wrong-password-1', from?: string) =>
    gw.api('POST', '/auth/login', {
      body: { email, password },
      headers: from ? { 'x-forwarded-for': from } : {},
    });
  const expect429 = (res: HttpResult) => {
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    return Number(res.headers.get('retry-after'));
  };

  describe('without a trusted proxy (the default)', () => {
    let a: TestGateway;
    let b: TestGateway;

    beforeAll(async () => {
      const env = {
        LOGIN_THROTTLE_PREFIX: `${prefix}:shared`,
        LOGIN_RATE_LIMIT: '4',
        LOGIN_FREE_ATTEMPTS: '100',
      };
      [a, b] = await Promise.all([TestGateway.start({ env }), TestGateway.start({ env })]);
    });
    afterAll(async () => Promise.all([a?.close(), b?.close()]));

    it('two replicas share one per-address counter, whatever e-mails are tried; X-Forwarded-For is ignored', async () => {
      expect((await attempt(a, 'one@example.go.th', undefined, '203.0.113.1')).status).toBe(401);
      expect((await attempt(b, 'two@example.go.th', undefined, '203.0.113.2')).status).toBe(401);
      expect((await attempt(a, 'three@example.go.th', undefined, '203.0.113.3')).status).toBe(401);
      expect((await attempt(b, 'four@example.go.th', undefined, '203.0.113.4')).status).toBe(401);
      // A fifth attempt from the same TCP peer, on the other replica, with yet another forged address.
      expect429(await attempt(a, 'five@example.go.th', undefined, '198.51.100.9'));
      expect429(await attempt(b, ADMIN.email, ADMIN.password, '198.51.100.10'));
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=127.0.0.1, as the Ingress)', () => {
    let a: TestGateway;
    let b: TestGateway;

    beforeAll(async () => {
      const env = {
        TRUST_PROXY: '127.0.0.1',
        LOGIN_THROTTLE_PREFIX: `${prefix}:proxied`,
        LOGIN_RATE_LIMIT: '3',
        LOGIN_FREE_ATTEMPTS: '3',
        LOGIN_MAX_DELAY: '2s',
      };
      [a, b] = await Promise.all([TestGateway.start({ env }), TestGateway.start({ env })]);
    });
    afterAll(async () => Promise.all([a?.close(), b?.close()]));

    it('counts each client by the address the proxy reports', async () => {
      for (let i = 0; i < 3; i++) {
        expect(
          (await attempt(i % 2 ? a : b, `probe-${i}@example.go.th`, undefined, '192.0.2.10')).status,
        ).toBe(401);
      }
      expect429(await attempt(a, 'probe-9@example.go.th', undefined, '192.0.2.10'));
      // Another client behind the same Ingress is not held up by that one.
      expect((await attempt(b, 'probe-10@example.go.th', undefined, '192.0.2.11')).status).toBe(401);
    });

    it('counts an IPv6 client by its /64: walking through its addresses does not reset the limit', async () => {
      for (let i = 1; i <= 3; i++) {
        const from = `2001:db8:aa:bb::${i.toString(16)}`;
        expect((await attempt(i % 2 ? a : b, `v6-${i}@example.go.th`, undefined, from)).status).toBe(401);
      }
      expect429(await attempt(a, 'v6-4@example.go.th', undefined, '2001:db8:aa:bb:ffff:1:2:3'));
      // The next /64 is another client.
      expect((await attempt(b, 'v6-5@example.go.th', undefined, '2001:db8:aa:bc::1')).status).toBe(401);
    });

    it('slows an attack on one e-mail from many addresses down, without locking its owner out', async () => {
      const victim = ADMIN.email;
      // The owner logged in from their usual address (through replica a) before the attack.
      expect((await attempt(a, victim, ADMIN.password, '192.0.2.50')).status).toBe(200);

      // Attackers, each from a fresh address, alternate replicas: past 3 attempts they must wait.
      let refused = 0;
      let longest = 0;
      for (let i = 0; i < 12; i++) {
        const res = await attempt(i % 2 ? a : b, victim, `guess-${i}-password`, `198.18.0.${i + 1}`);
        if (res.status === 429) {
          refused++;
          longest = Math.max(longest, expect429(res));
        } else {
          expect(res.status).toBe(401);
        }
      }
      expect(refused).toBeGreaterThanOrEqual(8);
      // A slow-down, never a lockout: no wait is longer than LOGIN_MAX_DELAY.
      expect(longest).toBeLessThanOrEqual(2);

      // The owner at their usual address is not held up by the attack.
      expect((await attempt(b, victim, ADMIN.password, '192.0.2.50')).status).toBe(200);

      // From a new address the owner waits at most LOGIN_MAX_DELAY, then gets in.
      const held = await attempt(a, victim, ADMIN.password, '192.0.2.77');
      if (held.status === 429) {
        await new Promise((r) => setTimeout(r, expect429(held) * 1000 + 100));
        expect((await attempt(a, victim, ADMIN.password, '192.0.2.77')).status).toBe(200);
      } else {
        expect(held.status).toBe(200);
      }
    });

    it('does not let parallel attempts slip past the slow-down', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          attempt(i % 2 ? a : b, 'parallel@example.go.th', 'wrong-password-1', `198.19.0.${i + 1}`),
        ),
      );
      const admitted = results.filter((r) => r.status === 401).length;
      expect(admitted).toBe(3);
      expect(results.filter((r) => r.status === 429)).toHaveLength(7);
    });
  });
});
