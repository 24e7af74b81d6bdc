import type { CycleEntity, ResponseEntity } from '../entities';
import { deadlineOf } from './responses.service';

describe('an agency deadline', () => {
  const cycle = { closesAt: new Date('2022-07-31T23:59:59+07:00') } as CycleEntity;
  const response = (extendedUntil: string | null) =>
    ({ extendedUntil: extendedUntil ? new Date(extendedUntil) : null }) as ResponseEntity;

  it('is the cycle’s closing time without an extension', () => {
    expect(deadlineOf(response(null), cycle)).toEqual(cycle.closesAt);
  });

  it('is the extension when it is later', () => {
    expect(deadlineOf(response('2022-08-07T23:59:59+07:00'), cycle).toISOString()).toBe(
      '2022-08-07T16:59:59.000Z',
    );
  });

  it('is never shortened by an extension the cycle’s deadline has since moved past', () => {
    expect(deadlineOf(response('2022-07-20T23:59:59+07:00'), cycle)).toEqual(cycle.closesAt);
  });
});
