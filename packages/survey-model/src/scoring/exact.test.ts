import { isqrt, Rational, sqrtFloor } from './exact';

const r = Rational.from;

describe('Rational', () => {
  it('reads a number as the decimal it prints as', () => {
    expect(r(0.1)).toEqual(Rational.of(1n, 10n));
    expect(r(-2.5)).toEqual(Rational.of(-5n, 2n));
    expect(r(1e-7)).toEqual(Rational.of(1n, 10000000n));
    expect(r(1.5e21)).toEqual(Rational.of(1500000000000000000000n));
    expect(r(-0)).toEqual(Rational.ZERO);
    expect(() => r(Number.NaN)).toThrow(RangeError);
    expect(() => r(Infinity)).toThrow(RangeError);
  });

  it('adds without drift and keeps lowest terms', () => {
    expect(r(0.1).add(r(0.2))).toEqual(r(0.3));
    expect(r(0.3).sub(r(0.1))).toEqual(r(0.2));
    expect(r(1).div(r(3)).mul(r(3))).toEqual(Rational.ONE);
    expect(Rational.of(6n, -4n)).toEqual(Rational.of(-3n, 2n));
    expect(() => Rational.of(1n, 0n)).toThrow('division by zero');
    expect(r(0.1).cmp(r(0.2))).toBe(-1);
    expect(Rational.sum([r(33.3), r(33.3), r(33.4)]).cmp(r(100))).toBe(0);
  });

  it('floors toward minus infinity', () => {
    expect(Rational.of(7n, 2n).floor()).toBe(3n);
    expect(Rational.of(-7n, 2n).floor()).toBe(-4n);
    expect(Rational.of(-6n, 2n).floor()).toBe(-3n);
  });

  it('rounds half away from zero, never to -0', () => {
    expect(r(2.5).round(0)).toBe(3);
    expect(r(-2.5).round(0)).toBe(-3);
    expect(r(1.005).round(2)).toBe(1.01); // (1.005).toFixed(2) is "1.00"
    expect(r(-1.005).round(2)).toBe(-1.01);
    expect(r(1.0049).round(2)).toBe(1);
    expect(Object.is(r(-0.001).round(2), 0)).toBe(true);
    expect(Rational.of(200n, 3n).toFixed(4)).toBe('66.6667');
    expect(Rational.of(-1n, 3n).toFixed(2)).toBe('-0.33');
    expect(r(0.05).toFixed(0)).toBe('0');
    expect(r(12).toFixed(2)).toBe('12.00');
  });
});

describe('square roots', () => {
  it('isqrt is floor(sqrt(n)), also beyond 2^53', () => {
    expect([0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n].map(isqrt)).toEqual([0n, 1n, 1n, 1n, 2n, 3n, 4n, 4n]);
    const big = 12345678901234567890123n;
    expect(isqrt(big * big)).toBe(big);
    expect(isqrt(big * big - 1n)).toBe(big - 1n);
    expect(() => isqrt(-1n)).toThrow(RangeError);
  });

  it('sqrtFloor truncates at the given places, exactly on perfect squares', () => {
    expect(sqrtFloor(r(2), 20).toFixed(20)).toBe('1.41421356237309504880');
    expect(sqrtFloor(Rational.of(9n, 4n), 20)).toEqual(r(1.5));
    // sqrt(3/2) = 1.22474487139158904909...
    expect(sqrtFloor(Rational.of(3n, 2n), 20).round(4)).toBe(1.2247);
    // A rounding midpoint survives: sqrt(0.00015625) = 0.0125 -> 0.013 at 3 places.
    expect(sqrtFloor(r(0.00015625), 20).round(3)).toBe(0.013);
  });
});
