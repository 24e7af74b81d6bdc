import { Events, Streams } from '@dg/contracts';
import type { DataSource } from 'typeorm';
import { consumersOfGroups, JetStreamTransport } from './event-transport';
import { Metrics } from './metrics';
import { Nats } from './nats';

describe('JetStreamTransport: the @EventPattern handlers must match EventConsumers (contracts)', () => {
  it("gives a group its contracts' consumer (subjects, ack wait) when the handlers match it", () => {
    const [line] = consumersOfGroups('scoring', [
      {
        stream: Streams.INTAKE,
        durable: 'scoring',
        subjects: [Events.ResponseVerified, Events.ResponseSubmitted],
      },
    ]);
    expect(line).toMatchObject({ stream: 'INTAKE', durable: 'scoring' });
  });

  it('refuses a durable that is not in the table, naming the file to change', () => {
    expect(() =>
      consumersOfGroups('scoring', [
        { stream: Streams.INTAKE, durable: 'scoring-v2', subjects: [Events.ResponseSubmitted] },
      ]),
    ).toThrow(
      /durable: 'scoring-v2' } on INTAKE .*no such consumer of scoring in EventConsumers \(packages\/contracts\/src\/consumers\.ts\)/,
    );
    // Another service's line is not this one's.
    expect(() =>
      consumersOfGroups('registry', [
        { stream: Streams.INTAKE, durable: 'scoring', subjects: [Events.ResponseSubmitted] },
      ]),
    ).toThrow(/no such consumer of registry/);
  });

  it('refuses handlers whose subjects differ from the line (one more, one fewer)', () => {
    expect(() =>
      consumersOfGroups('scoring', [
        {
          stream: Streams.INTAKE,
          durable: 'scoring',
          subjects: [Events.ResponseSubmitted, Events.ResponseVerified, Events.ResponseReturned],
        },
      ]),
    ).toThrow(/handled but not listed: intake\.response\.returned/);
    expect(() =>
      consumersOfGroups('scoring', [
        { stream: Streams.INTAKE, durable: 'scoring', subjects: [Events.ResponseSubmitted] },
      ]),
    ).toThrow(/listed but not handled: intake\.response\.verified/);
  });

  it('fails the boot (listen) before touching NATS when a handler is not in the table', async () => {
    const nats = new Nats({ url: 'nats://127.0.0.1:1', prefix: '', service: 'scoring' });
    const connect = jest.spyOn(nats, 'connect');
    const transport = new JetStreamTransport(nats, {} as DataSource, new Metrics());
    transport.addHandler(
      Events.ResponseReturned,
      Object.assign(() => Promise.resolve(undefined), {}),
      true,
      {
        durable: 'scoring',
      },
    );
    const error = await new Promise<unknown>((done) => void transport.listen(done));
    expect(String(error)).toMatch(/handlers of scoring with \{ durable: 'scoring' \} on INTAKE/);
    expect(connect).not.toHaveBeenCalled();
  });
});
