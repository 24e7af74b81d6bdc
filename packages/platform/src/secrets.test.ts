import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BaseEnv, ConfigError, loadConfig } from './config';
import { COMMITTED_SECRETS, passwordOfUrl, productionSecretProblems, SECRET_NAME, URL_NAME } from './secrets';

const ROOT = join(__dirname, '../../..');

/** Files where deployments and people find secret values: compose, k8s, env examples, docs, config. */
function deploymentFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  return tracked.filter((f) =>
    /(^|\/)docker-compose[^/]*\.ya?ml$|^deploy\/.*\.ya?ml$|^k8s\/.*\.(ya?ml|env|example)$|\.env(\.example)?$|\.md$|^apps\/[^/]+\/src\/config\.ts$/.test(
      f,
    ),
  );
}

/** Secret values written in a file: `${NAME:-value}`, `NAME=value`, `NAME: value`, URL passwords, DEV_ constants. */
function committedValues(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\$\{([A-Z_]+):-([^}]*)\}/g))
    if (SECRET_NAME.test(m[1]) && m[2]) found.push(m[2]);
  for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*[=:]\s*['"]?([^'"\s$#{][^'"\s]*)['"]?\s*$/gm)) {
    if (SECRET_NAME.test(m[1]) && !/USER$/.test(m[1])) found.push(m[2]);
  }
  for (const m of text.matchAll(/\b[a-z]+:\/\/[^\s:/@'"]+:([^\s@'"$]+)@/g))
    found.push(decodeURIComponent(m[1]));
  for (const m of text.matchAll(/export const DEV_[A-Z_]+ = '([^']+)'/g)) found.push(m[1]);
  return found;
}

describe('production secrets', () => {
  it('lists every secret value committed in compose, k8s, env examples, docs and config', () => {
    const missing: string[] = [];
    for (const file of deploymentFiles()) {
      for (const value of committedValues(readFileSync(join(ROOT, file), 'utf8'))) {
        if (
          !COMMITTED_SECRETS.includes(value) &&
          productionSecretProblems({ JWT_SECRET: value }).length === 0
        ) {
          missing.push(`${file}: ${value}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses committed, short and placeholder values, naming the variable', () => {
    const problems = productionSecretProblems({
      JWT_SECRET: 'dev-only-change-me-not-a-real-jwt-secret',
      ADMIN_PASSWORD: 'admin-2565',
      SMTP_PASSWORD: 'short',
      LINE_CHANNEL_ACCESS_TOKEN: 'please-changeme-before-going-live-0000',
      NATS_PASSWORD: 'changeMeNatsGatewayDevOnly000000',
      DATABASE_URL: 'postgres://dg:dev-only-postgres-password@postgres:5432/gateway',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'info',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      [
        'ADMIN_PASSWORD',
        'DATABASE_URL',
        'JWT_SECRET',
        'LINE_CHANNEL_ACCESS_TOKEN',
        'NATS_PASSWORD',
        'SMTP_PASSWORD',
      ].sort(),
    );
  });

  it('accepts long random secrets', () => {
    const random = 'q8V3f0KxT2mZr7Lw9Hb4Ys1Nd6Pc5Ju0Ae';
    expect(
      productionSecretProblems({
        JWT_SECRET: random,
        DATABASE_URL: `postgres://dg:${random}@db/x`,
        NATS_PASSWORD: random,
      }),
    ).toEqual([]);
    expect(passwordOfUrl('postgres://dg@db/x')).toBeUndefined();
    expect(URL_NAME.test('DATABASE_URL')).toBe(true);
  });

  it('is enforced by loadConfig for every service in production only', () => {
    const Env = BaseEnv.extend({ SMTP_PASSWORD: z.string().optional() });
    const env = {
      NODE_ENV: 'production',
      NATS_USER: 'x',
      NATS_PASSWORD: 'changeMeNatsIntakeDevOnly0000000',
      SMTP_PASSWORD: 'short-secret',
    };
    expect(() => loadConfig(Env, env)).toThrow(ConfigError);
    expect(() => loadConfig(Env, env)).toThrow(
      /NATS_PASSWORD: is a value committed[\s\S]*SMTP_PASSWORD: is shorter than 32 bytes/,
    );
    expect(() => loadConfig(Env, { ...env, NODE_ENV: 'development' })).not.toThrow();
  });
});
