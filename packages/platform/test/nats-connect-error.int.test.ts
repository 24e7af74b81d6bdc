import { Nats, NatsConnectError } from '../src';
import { freePort } from '../src/testing';

/** What an operator reads when a service cannot reach NATS at boot. */
describe('a NATS connection that fails at boot', () => {
  it('says NATS is unreachable, not that TLS is misconfigured, when nothing listens (TLS on)', async () => {
    const port = await freePort();
    const nats = new Nats({
      url: `nats://127.0.0.1:${port}`,
      prefix: '',
      service: 'registry',
      tls: { caFile: __filename },
    });
    const error = (await nats.connect().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(NatsConnectError);
    expect(error.message).toMatch(/^cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+/);
    expect(error.message).not.toContain('NATS_TLS_CA_FILE');
  });
});
