import { allQueues } from '@dg/contracts';
import { ConfigError } from '@dg/platform';
import { TEST_ACTOR_ENV } from '@dg/platform/testing';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_WEB_DIR,
  DEV_ADMIN_PASSWORD,
  DEV_JWT_SECRET,
  loadGatewayConfig,
  parseBoardQueues,
  ttlSeconds,
} from './config';

describe('gateway config', () => {
  it('has working development defaults', () => {
    const c = loadGatewayConfig({});
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/gateway',
      jwt: { secret: DEV_JWT_SECRET, ttl: '15m', ttlSeconds: 15 * 60, sessionTtlSeconds: 12 * 3600, sessionIdleSeconds: 2 * 3600 },
      trustProxy: false,
      admin: { email: 'admin@dga.or.th', password: DEV_ADMIN_PASSWORD },
      importMaxBytes: 20 * 1024 * 1024,
      bcryptCost: 12,
      migrateOnStart: false,
      nats: { url: 'nats://127.0.0.1:4222', prefix: '' },
    });
  });

  it("shows every service's queue on the dashboard by default, under the services' default prefixes", () => {
    expect(loadGatewayConfig({}).queueBoard).toEqual({
      enabled: true,
      redisUrl: 'redis://127.0.0.1:6379',
      queues: [
        { prefix: 'dg:scoring', name: 'scoring' },
        { prefix: 'dg:scoring', name: 'scoring-sweep' },
        { prefix: 'dg:notifications', name: 'email' },
        { prefix: 'dg:notifications', name: 'line' },
        { prefix: 'dg:notifications', name: 'notifications-sweep' },
        { prefix: 'dg:awards', name: 'certificates' },
      ],
    });
    // Every queue of the contracts, so a queue added there shows up without touching the gateway.
    expect(loadGatewayConfig({}).queueBoard.queues.map((q) => q.name)).toEqual(allQueues.map((q) => q.name));
    const off = loadGatewayConfig({ BULL_BOARD_ENABLED: 'false', BULL_BOARD_QUEUES: '' });
    expect(off.queueBoard).toMatchObject({ enabled: false, queues: [] });
  });

  it('serves the portal from WEB_DIR, the built apps/web by default, and names a directory without index.html', () => {
    // Unset: apps/web/dist of this checkout, when it was built.
    expect(DEFAULT_WEB_DIR).toMatch(/apps[/\\]web[/\\]dist$/);
    const built = existsSync(join(DEFAULT_WEB_DIR, 'index.html'));
    expect(loadGatewayConfig({}).portal.dir).toBe(built ? DEFAULT_WEB_DIR : null);
    expect(loadGatewayConfig({}).portal.reason).toMatch(/^WEB_DIR unset/);
    expect(loadGatewayConfig({ WEB_DIR: '' }).portal).toEqual({ dir: null, reason: 'WEB_DIR is off' });
    expect(loadGatewayConfig({ WEB_DIR: 'off' }).portal.dir).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'dg-web-'));
    try {
      expect(() => loadGatewayConfig({ WEB_DIR: dir })).toThrow(/WEB_DIR: no index\.html in/);
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      expect(loadGatewayConfig({ WEB_DIR: dir }).portal).toEqual({ dir, reason: `WEB_DIR=${dir}` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads BULL_BOARD_QUEUES as <prefix>/<name> and names what is wrong', () => {
    expect(parseBoardQueues(' test:a:scoring/scoring , x/email,').queues).toEqual([
      { prefix: 'test:a:scoring', name: 'scoring' },
      { prefix: 'x', name: 'email' },
    ]);
    expect(parseBoardQueues('a/email,b/email,noslash,/name,p/bad:name').problems).toEqual([
      'queue name "email" is listed twice',
      '"noslash" is not <prefix>/<queue name> (no spaces; no ":" in the name)',
      '"/name" is not <prefix>/<queue name> (no spaces; no ":" in the name)',
      '"p/bad:name" is not <prefix>/<queue name> (no spaces; no ":" in the name)',
    ]);
    expect(() => loadGatewayConfig({ BULL_BOARD_QUEUES: 'a/email,b/email' })).toThrow(
      /BULL_BOARD_QUEUES: queue name "email" is listed twice/,
    );
    expect(() => loadGatewayConfig({ BULL_BOARD_QUEUES: ' , ' })).toThrow(
      /BULL_BOARD_QUEUES: lists no queue/,
    );
    expect(() => loadGatewayConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });

  it('fails fast in production without a JWT secret or an admin password, naming both', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET[\s\S]*ADMIN_PASSWORD/);
    expect(() =>
      loadGatewayConfig({
        NODE_ENV: 'production',
        JWT_SECRET: DEV_JWT_SECRET,
        ADMIN_PASSWORD: DEV_ADMIN_PASSWORD,
      }),
    ).toThrow(/JWT_SECRET[\s\S]*ADMIN_PASSWORD/);
  });

  it('accepts a complete production configuration', () => {
    const c = loadGatewayConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'q8V3f0KxT2mZr7Lw9Hb4Ys1Nd6Pc5Ju0AeTg',
      ADMIN_PASSWORD: 'Tq4-wz8R-mV2k-Lb9s-Xe3n-Pa7c-Hy5d',
      ADMIN_EMAIL: 'Root@DGA.or.th',
      PORT: '8080',
      JWT_TTL: '30m',
      IMPORT_MAX_BYTES: '1048576',
      MIGRATE_ON_START: 'true',
      ...TEST_ACTOR_ENV,
    });
    expect(c).toMatchObject({
      port: 8080,
      jwt: { ttlSeconds: 1800 },
      admin: { email: 'root@dga.or.th' },
      importMaxBytes: 1048576,
      migrateOnStart: true,
    });
  });

  it('refuses in production a committed, placeholder or short secret, naming the variable', () => {
    const strong = 'q8V3f0KxT2mZr7Lw9Hb4Ys1Nd6Pc5Ju0AeTg';
    const refused = (env: Record<string, string>) => () =>
      loadGatewayConfig({ NODE_ENV: 'production', JWT_SECRET: strong, ADMIN_PASSWORD: strong, ...TEST_ACTOR_ENV, ...env });
    expect(refused({})).not.toThrow();
    // docker-compose.yml's development default, the k8s template Secret's, a placeholder, a short one.
    expect(refused({ JWT_SECRET: 'dev-only-change-me-not-a-real-jwt-secret' })).toThrow(
      /JWT_SECRET: is a value committed/,
    );
    expect(refused({ JWT_SECRET: 'change-me-placeholder-not-a-secret-0000' })).toThrow(/JWT_SECRET/);
    expect(refused({ ADMIN_PASSWORD: 'changeme-changeme-changeme-changeme' })).toThrow(
      /ADMIN_PASSWORD: is a placeholder/,
    );
    expect(refused({ ADMIN_PASSWORD: 'Tq4-wz8R-mV2k' })).toThrow(/ADMIN_PASSWORD: is shorter than 32 bytes/);
    expect(refused({ NATS_USER: 'gateway', NATS_PASSWORD: 'changeMeNatsGatewayDevOnly000000' })).toThrow(
      /NATS_PASSWORD/,
    );
    expect(
      refused({ DATABASE_URL: 'postgres://dg:dev-only-postgres-password@postgres:5432/gateway' }),
    ).toThrow(/DATABASE_URL: its password/);
  });

  it('refuses to boot in production without the actor keys it signs with (ADR 0017)', () => {
    const strong = 'q8V3f0KxT2mZr7Lw9Hb4Ys1Nd6Pc5Ju0AeTg';
    const complete = { NODE_ENV: 'production', JWT_SECRET: strong, ADMIN_PASSWORD: strong };
    expect(() => loadGatewayConfig(complete)).toThrow(/ACTOR_VERIFY_KEY[\s\S]*ACTOR_SIGNING_KEY/);
    expect(() =>
      loadGatewayConfig({ ...complete, ACTOR_VERIFY_KEY: TEST_ACTOR_ENV.ACTOR_VERIFY_KEY }),
    ).toThrow(/ACTOR_SIGNING_KEY: required in production/);
  });

  it('refuses bad values with a message per variable', () => {
    expect(() =>
      loadGatewayConfig({ PORT: 'eighty', JWT_SECRET: 'short', JWT_TTL: 'forever', ADMIN_EMAIL: 'nope' }),
    ).toThrow(/PORT[\s\S]*JWT_SECRET[\s\S]*JWT_TTL[\s\S]*ADMIN_EMAIL/);
    expect(() =>
      loadGatewayConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        ADMIN_PASSWORD: 'long-enough-1',
        BCRYPT_COST: '4',
      }),
    ).toThrow(/BCRYPT_COST/);
  });

  it('reads TRUST_PROXY: nobody by default, a hop count, or addresses and CIDRs; never everyone', () => {
    expect(loadGatewayConfig({}).trustProxy).toBe(false);
    expect(loadGatewayConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadGatewayConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'loopback',
    ]);
    expect(loadGatewayConfig({ TRUST_PROXY: 'fd00::/8' }).trustProxy).toEqual(['fd00::/8']);
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadGatewayConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'ingress.local' })).toThrow(/TRUST_PROXY/);
  });

  it('reads the session and throttle settings', () => {
    const c = loadGatewayConfig({ SESSION_TTL: '8h', LOGIN_MAX_DELAY: '30s', LOGIN_FREE_ATTEMPTS: '3' });
    expect(c.jwt).toMatchObject({ ttlSeconds: 15 * 60, sessionTtlSeconds: 8 * 3600 });
    expect(c.loginThrottle).toMatchObject({ perAddressPerMinute: 60, freeAttempts: 3, maxDelaySeconds: 30 });
  });

  it('reads durations', () => {
    expect(ttlSeconds('8h')).toBe(28800);
    expect(ttlSeconds('90')).toBe(90);
    expect(ttlSeconds('1d')).toBe(86400);
    expect(() => ttlSeconds('1w')).toThrow(ConfigError);
  });
});
