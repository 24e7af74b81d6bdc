/** Header names used on HTTP and NATS alike. */
export const Headers = {
  CorrelationId: 'x-correlation-id',
  Actor: 'x-actor',
  /**
   * NATS only: the gateway's signed statement of who acts, bound to one subject and request and
   * valid for a minute (ADR 0017). A person's actor without it is refused.
   */
  ActorAssertion: 'x-actor-assertion',
} as const;
