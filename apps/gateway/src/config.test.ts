import { ConfigError } from '@dg/platform';
import {
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
      jwt: { secret: DEV_JWT_SECRET, ttl: '8h', ttlSeconds: 8 * 3600 },
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
    const off = loadGatewayConfig({ BULL_BOARD_ENABLED: 'false', BULL_BOARD_QUEUES: '' });
    expect(off.queueBoard).toMatchObject({ enabled: false, queues: [] });
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
      JWT_SECRET: 'x'.repeat(48),
      ADMIN_PASSWORD: 'a-strong-admin-password',
      ADMIN_EMAIL: 'Root@DGA.or.th',
      PORT: '8080',
      JWT_TTL: '30m',
      IMPORT_MAX_BYTES: '1048576',
      MIGRATE_ON_START: 'true',
    });
    expect(c).toMatchObject({
      port: 8080,
      jwt: { ttlSeconds: 1800 },
      admin: { email: 'root@dga.or.th' },
      importMaxBytes: 1048576,
      migrateOnStart: true,
    });
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

  it('reads durations', () => {
    expect(ttlSeconds('8h')).toBe(28800);
    expect(ttlSeconds('90')).toBe(90);
    expect(ttlSeconds('1d')).toBe(86400);
    expect(() => ttlSeconds('1w')).toThrow(ConfigError);
  });
});
