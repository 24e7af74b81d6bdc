import { allQuestions, carryOver, isVisible, pruneHidden, validateAnswers } from './answers';
import type { Answers } from './format';
import { sample2565 } from './samples';

/** mulberry32: a small seeded generator, so a failure reproduces from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ids = allQuestions(sample2565).map((q) => q.id);
const fieldIds = allQuestions(sample2565)
  .flatMap((q) => q.fields ?? [])
  .map((f) => f.id);
const optionValues = allQuestions(sample2565)
  .flatMap((q) => [...(q.options ?? []), ...(q.fields ?? []).flatMap((f) => f.options ?? [])])
  .map((o) => o.value);
const strings = [
  '',
  ' ',
  'x',
  'ภาษาไทย',
  'https://www.example.go.th',
  'http://',
  'ftp://x',
  '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11',
  '__proto__',
  'constructor',
  'toString',
  'a'.repeat(6000),
  '\u0000',
  '😀'.repeat(3),
  ...optionValues.slice(0, 20),
];

function junk(r: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  switch (Math.floor(r() * (depth > 2 ? 6 : 9))) {
    case 0:
      return pick([true, false, null, undefined]);
    case 1:
      return pick([0, -0, 1, -1, 1.5, 100, 101, 1e308, -1e308, NaN, Infinity, -Infinity, 2 ** 53]);
    case 2:
      return r() * 2000 - 1000;
    case 3:
    case 4:
      return pick(strings);
    case 5:
      return pick(optionValues);
    case 6:
      return Array.from({ length: Math.floor(r() * 5) }, () => junk(r, depth + 1));
    case 7: {
      const o: Record<string, unknown> = Object.create(r() < 0.1 ? null : Object.prototype);
      for (let i = Math.floor(r() * 5); i > 0; i--)
        o[pick([...fieldIds, ...strings.slice(0, 12)])] = junk(r, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: Math.floor(r() * 4) }, () =>
        r() < 0.7 ? { name: junk(r, depth + 1), url: junk(r, depth + 1) } : junk(r, depth + 1),
      );
  }
}

describe('validateAnswers on random junk', () => {
  it('never throws, and always returns well-formed problems', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const r = rng(seed);
      const answers: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 25); i > 0; i--)
        answers[r() < 0.85 ? ids[Math.floor(r() * ids.length)] : strings[Math.floor(r() * strings.length)]] =
          junk(r);
      const a = answers as Answers;
      try {
        for (const mode of ['partial', 'complete'] as const) {
          const evidenceIds = r() < 0.5 ? new Set(['0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11']) : undefined;
          // Plain checks: an expect() per problem would make the loop slow.
          const bad = validateAnswers(sample2565, a, { mode, evidenceIds }).filter(
            (p) =>
              !p.path.startsWith(p.questionId) || !/^[A-Z_]+$/.test(p.code) || !p.message || !p.messageTh,
          );
          expect(bad).toEqual([]);
        }
        isVisible(sample2565, ids[seed % ids.length], a);
        const pruned = pruneHidden(sample2565, a);
        expect(
          validateAnswers(sample2565, pruned, { mode: 'partial' }).some((p) => p.code === 'HIDDEN_QUESTION'),
        ).toBe(false);
        carryOver(sample2565, sample2565, a);
      } catch (e) {
        throw new Error(`seed ${seed}: ${String(e)}`, { cause: e });
      }
    }
  });
});
