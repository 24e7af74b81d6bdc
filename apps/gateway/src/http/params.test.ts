import { DomainError } from '@dg/contracts';
import { expectedVersion, ParseCycleIdPipe, ParseIdPipe } from './params';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('expectedVersion', () => {
  it('takes the body version first', () => {
    expect(expectedVersion(4, undefined)).toBe(4);
    expect(expectedVersion(4, '4')).toBe(4);
  });

  it('reads If-Match in its usual spellings', () => {
    expect(expectedVersion(undefined, '3')).toBe(3);
    expect(expectedVersion(undefined, '"3"')).toBe(3);
    expect(expectedVersion(undefined, 'W/"12"')).toBe(12);
    expect(expectedVersion(undefined, ['7'])).toBe(7);
  });

  it('refuses a missing, malformed or contradicting version with a field error on version', () => {
    for (const [body, header] of [
      [undefined, undefined],
      [undefined, ''],
      [undefined, 'abc'],
      [undefined, '*'],
      [undefined, '0'],
      [2, '3'],
    ] as const) {
      const e = thrown(() => expectedVersion(body, header));
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'version' }] });
    }
  });
});

describe('path parameters', () => {
  it('answers a malformed id as the resource not found', () => {
    expect(new ParseIdPipe('AGENCY_NOT_FOUND').transform('6f1c3c1e-1d2b-4d8e-9a44-2b3c4d5e6f70')).toBe(
      '6f1c3c1e-1d2b-4d8e-9a44-2b3c4d5e6f70',
    );
    expect(thrown(() => new ParseIdPipe('AGENCY_NOT_FOUND').transform('export'))).toMatchObject({
      code: 'AGENCY_NOT_FOUND',
    });
  });

  it('accepts a cycle id and answers a malformed one as CYCLE_NOT_FOUND', () => {
    expect(new ParseCycleIdPipe().transform('2565')).toBe('2565');
    expect(new ParseCycleIdPipe().transform('2566-pilot')).toBe('2566-pilot');
    for (const bad of ['x'.repeat(65), '-2565', ' 2565', '2565 ', 'ปี2565', '', undefined]) {
      expect(thrown(() => new ParseCycleIdPipe().transform(bad))).toMatchObject({ code: 'CYCLE_NOT_FOUND' });
    }
  });
});
