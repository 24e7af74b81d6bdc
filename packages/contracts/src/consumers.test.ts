import { EventConsumers, eventConsumerProblems, eventConsumersOf } from './consumers';
import { EventSchemas } from './events';
import { Streams } from './subjects';

describe('EventConsumers', () => {
  it('reads each stream under a durable once, only events of that stream', () => {
    expect(eventConsumerProblems()).toEqual([]);
  });

  it('has no consumer of a service on its own stream (a service reads other services’ events)', () => {
    for (const [service, consumers] of Object.entries(EventConsumers))
      for (const c of consumers) {
        expect(Object.values(Streams)).toContain(c.stream);
        expect({ service, stream: c.stream }).not.toEqual({ service, stream: service.toUpperCase() });
        for (const s of c.subjects) expect(EventSchemas[s].stream).toBe(c.stream);
      }
  });

  it('gives a service without consumers an empty list', () => {
    expect(eventConsumersOf('gateway')).toEqual([]);
    expect(eventConsumersOf('scoring').map((c) => `${c.stream}/${c.durable}`)).toEqual(['INTAKE/scoring']);
  });
});
