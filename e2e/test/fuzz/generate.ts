/**
 * A small seeded generator of request values from OpenAPI 3.1 schemas, for the fuzz test: the same
 * seed gives the same requests on every run (a failure in CI is reproduced by running it again).
 * Hand-written rather than fast-check: the values come from the served document's schemas, not
 * from types, and there is no property to shrink; a run is a fixed list of requests.
 */

export type Schema = Record<string, unknown>;

/** mulberry32: tiny, fast, good enough to pick cases. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A stable seed per operation, so adding a route does not change the requests of the others. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Strings at the edges: empty, long, Thai, NUL, control and odd characters, injection-looking text. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  'x'.repeat(200),
  'ก'.repeat(200),
  'หน่วยงานทดสอบ ภาษาไทย ๑๒๓',
  'a\u0000b',
  '\u0000',
  '\t\r\n',
  '😀🇹🇭',
  "'; DROP TABLE agencies; --",
  '=HYPERLINK("https://evil.example/x","click")',
  '../../etc/passwd',
  '%00%ZZ',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '\uFFFF\uD800',
  '-1',
  '1e309',
  'null',
];

export const ODD_NUMBERS: readonly number[] = [
  0,
  -1,
  1.5,
  -2147483649,
  2147483648,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e308,
];

/** Values of every JSON type, for "wrong type" cases. */
export const WRONG_TYPES: readonly unknown[] = [null, true, 0, -7, 'text', [], {}, [1, 'a'], { a: { b: 1 } }];

export class SchemaValues {
  constructor(
    private readonly components: Record<string, Schema>,
    private readonly rng: Rng,
  ) {}

  resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
      s = this.components[(s.$ref as string).split('/').pop()!] ?? {};
    }
    return s;
  }

  /** A value meant to pass the schema (valid-ish: patterns are not honoured). */
  valid(schema: Schema | undefined, depth = 0): unknown {
    const s = this.resolve(schema);
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length) return this.rng.pick(s.enum);
    if (Array.isArray(s.examples) && s.examples.length && this.rng.chance(0.5))
      return this.rng.pick(s.examples);
    if ('example' in s && this.rng.chance(0.5)) return s.example;
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (Array.isArray(s[key]) && (s[key] as Schema[]).length) {
        return this.valid(this.rng.pick(s[key] as Schema[]), depth);
      }
    }
    if (Array.isArray(s.allOf)) {
      const parts = (s.allOf as Schema[]).map((p) => this.valid(p, depth));
      return parts.every((p) => p && typeof p === 'object' && !Array.isArray(p))
        ? Object.assign({}, ...parts)
        : parts[0];
    }
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string | undefined];
    const nonNull = types.filter((t) => t !== 'null');
    const type: string = this.rng.pick(nonNull.length ? nonNull : types) ?? 'object';
    switch (type) {
      case 'string':
        return this.validString(s);
      case 'integer':
      case 'number': {
        const min = typeof s.minimum === 'number' ? s.minimum : 0;
        const max = typeof s.maximum === 'number' ? s.maximum : min + 100;
        const n = min + this.rng.next() * (max - min);
        return type === 'integer' ? Math.round(n) : n;
      }
      case 'boolean':
        return this.rng.chance(0.5);
      case 'array': {
        if (depth > 6) return [];
        const min = typeof s.minItems === 'number' ? s.minItems : 0;
        const n = Math.max(min, this.rng.int(3));
        return Array.from({ length: n }, () => this.valid(s.items as Schema, depth + 1));
      }
      case 'null':
        return null;
      default: {
        if (depth > 6) return {};
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set((s.required ?? []) as string[]);
        const out: Record<string, unknown> = {};
        for (const [name, prop] of Object.entries(props)) {
          if (required.has(name) || this.rng.chance(0.6)) out[name] = this.valid(prop, depth + 1);
        }
        return out;
      }
    }
  }

  private validString(s: Schema): string {
    switch (s.format) {
      case 'uuid':
        return '6f1c3c1e-1d2b-4d8e-9a44-2b3c4d5e6f70';
      case 'email':
        return `fuzz${this.rng.int(1000)}@example.go.th`;
      case 'date-time':
        return '2047-05-01T00:00:00+07:00';
      case 'date':
        return '2047-05-01';
      case 'uri':
      case 'url':
        return 'https://example.go.th/fuzz';
    }
    const min = typeof s.minLength === 'number' ? s.minLength : 1;
    const max = typeof s.maxLength === 'number' ? s.maxLength : 40;
    const base = this.rng.pick(['ทดสอบ', 'fuzz', 'A1', 'ข้อความ test']);
    let out = base;
    while (out.length < min) out += base;
    return out.slice(0, Math.max(min, Math.min(max, out.length)));
  }

  /** A value at the edges, or of the wrong type, for a parameter or field. */
  odd(schema: Schema | undefined): unknown {
    const s = this.resolve(schema);
    const roll = this.rng.int(10);
    if (roll < 5) return this.rng.pick(ODD_STRINGS);
    if (roll < 7) return this.rng.pick(ODD_NUMBERS);
    if (roll < 9) return this.rng.pick(WRONG_TYPES);
    return typeof s.maxLength === 'number' ? 'y'.repeat(s.maxLength + 1) : 'z'.repeat(300);
  }

  /** A body meant to be refused: the valid one with one change, or something else entirely. */
  mutatedBody(schema: Schema | undefined): { json?: unknown; raw?: string } {
    const s = this.resolve(schema);
    const base = this.valid(s);
    const kind = this.rng.int(9);
    if (kind === 0)
      return { raw: this.rng.pick(['', '{', '{"a":', 'null', '"text"', '[]', '{"a":1,}', '\u0000']) };
    if (kind === 1) return { json: this.rng.pick(WRONG_TYPES) };
    if (kind === 2) return { json: nested(this.rng.pick([10, 30, 60])) };
    if (!base || typeof base !== 'object' || Array.isArray(base)) return { json: this.odd(s) };
    const body = base as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const names = Object.keys(props);
    const required = (s.required ?? []) as string[];
    if (kind === 3 && required.length) {
      delete body[this.rng.pick(required)];
      return { json: body };
    }
    if (kind === 4)
      return { json: { ...body, ['extra' + this.rng.int(100)]: this.rng.pick(ODD_STRINGS), __proto__x: 1 } };
    if (kind === 5 && names.length) {
      // Deep-ish nesting inside a field (the gateway's limit is 64 levels: within it and just over).
      return { json: { ...body, [this.rng.pick(names)]: nested(this.rng.pick([20, 50, 70])) } };
    }
    if (names.length) {
      body[this.rng.pick(names)] = this.odd(props[this.rng.pick(names)]);
      if (this.rng.chance(0.3)) body[this.rng.pick(names)] = this.odd(undefined);
    }
    return { json: body };
  }
}

/** An object nested `levels` deep, arrays and objects in turn. */
export function nested(levels: number): unknown {
  let v: unknown = 'ลึก';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { d: v };
  return v;
}
