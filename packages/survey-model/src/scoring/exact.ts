/**
 * Exact rational arithmetic on BigInt. Scores are sums of authored decimals (0.1 + 0.2 must be 0.3)
 * and are published: the same inputs have to give the same digits on any machine, so nothing is
 * summed in floating point and a figure is rounded once, from its exact value, when it is reported.
 */
/** How every reported figure is rounded (Rational.toFixed): a half goes away from zero (2.5 → 3, -2.5 → -3). */
export const ROUNDING = 'half_away_from_zero' as const;

export class Rational {
  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** Always in lowest terms with a positive denominator, so equal values have equal fields. */
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static of(this: void, num: bigint, den = 1n): Rational {
    if (den === 0n) throw new RangeError('division by zero');
    if (den < 0n) [num, den] = [-num, -den];
    const g = gcd(num < 0n ? -num : num, den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  /**
   * A JS number as the decimal it prints as (its shortest round-trip string), so an authored 0.1 is
   * exactly 1/10, not the binary double nearest to it.
   */
  static from(this: void, x: number): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
    if (!m) throw new RangeError(`cannot read ${x} as a decimal`); // unreachable for finite numbers
    const [, sign, int, frac = '', exp = '0'] = m;
    const e = Number(exp) - frac.length;
    let num = BigInt(int + frac);
    if (sign) num = -num;
    return e >= 0 ? Rational.of(num * 10n ** BigInt(e)) : Rational.of(num, 10n ** BigInt(-e));
  }

  add(o: Rational): Rational {
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  div(o: Rational): Rational {
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  /** -1, 0 or 1 as this is below, equal to or above `o`. */
  cmp(o: Rational): -1 | 0 | 1 {
    const a = this.num * o.den;
    const b = o.num * this.den;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  static sum(this: void, xs: Iterable<Rational>): Rational {
    let s = Rational.ZERO;
    for (const x of xs) s = s.add(x);
    return s;
  }

  static max(this: void, a: Rational, b: Rational): Rational {
    return a.cmp(b) >= 0 ? a : b;
  }

  static min(this: void, a: Rational, b: Rational): Rational {
    return a.cmp(b) <= 0 ? a : b;
  }

  /** The largest integer not above this value. */
  floor(): bigint {
    const q = this.num / this.den; // BigInt division truncates toward zero
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** Decimal string with exactly `decimals` places, rounded half away from zero (ROUNDING); never "-0". */
  toFixed(decimals: number): string {
    if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`bad decimals: ${decimals}`);
    const scale = 10n ** BigInt(decimals);
    const abs = (this.num < 0n ? -this.num : this.num) * scale;
    let q = abs / this.den;
    if (2n * (abs % this.den) >= this.den) q += 1n;
    const digits = q.toString().padStart(decimals + 1, '0');
    const int = digits.slice(0, digits.length - decimals);
    const frac = decimals ? `.${digits.slice(-decimals)}` : '';
    return `${q !== 0n && this.num < 0n ? '-' : ''}${int}${frac}`;
  }

  /** Rounded to `decimals` places (half away from zero) as a number: the only float that leaves. */
  round(decimals: number): number {
    return Number(this.toFixed(decimals));
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** floor(sqrt(n)) for n >= 0, by Newton's method on integers (exact, no floats). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('square root of a negative number');
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2)); // >= sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * floor(sqrt(x) × 10^digits) for a rational x >= 0. floor(sqrt(floor(y))) = floor(sqrt(y)), so this
 * is the exact truncation; rounding it to fewer places (half away from zero) gives the same digits
 * as rounding the true square root, because a rounding midpoint is itself representable.
 */
export function sqrtFloor(x: Rational, digits: number): Rational {
  const scale = 10n ** BigInt(digits);
  return Rational.of(isqrt(x.mul(Rational.of(scale * scale)).floor()), scale);
}
