import { z } from 'zod';
import { BaseEnv, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  const Env = BaseEnv.extend({ HTTP_PORT: z.coerce.number().int().min(1).max(65535) });

  it('parses and applies defaults', () => {
    const c = loadConfig(Env, { HTTP_PORT: '3101' });
    expect(c).toMatchObject({ HTTP_PORT: 3101, NATS_URL: 'nats://127.0.0.1:4222', NATS_PREFIX: '', LOG_LEVEL: 'info' });
  });

  it('fails fast naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig(Env, { HTTP_PORT: 'abc', LOG_LEVEL: 'loud', NATS_PREFIX: 'Bad-Prefix' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['HTTP_PORT', 'LOG_LEVEL', 'NATS_PREFIX']) expect(message).toContain(name);
  });
});
