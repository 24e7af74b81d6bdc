/** Header names used on HTTP and NATS alike. */
export const Headers = {
  CorrelationId: 'x-correlation-id',
  Actor: 'x-actor',
} as const;
