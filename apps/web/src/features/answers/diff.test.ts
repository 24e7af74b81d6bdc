import { describe, expect, it } from 'vitest';
import { answerOf, changedAnswers, sameAnswer } from './diff';

describe('sameAnswer', () => {
  it('treats a missing answer and null alike, and nothing else', () => {
    expect(sameAnswer(undefined, null)).toBe(true);
    expect(sameAnswer(null, '')).toBe(false);
    expect(sameAnswer(0, null)).toBe(false);
    expect(sameAnswer(false, null)).toBe(false);
    expect(sameAnswer('1', 1)).toBe(false);
  });

  it('compares lists in order and rows by content', () => {
    expect(sameAnswer(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameAnswer(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameAnswer([{ name: 'x', url: null }], [{ name: 'x' }])).toBe(true);
    expect(sameAnswer([{ url: 'u', name: 'x' }], [{ name: 'x', url: 'u' }])).toBe(true);
    expect(sameAnswer([{ name: 'x' }], [{ name: 'y' }])).toBe(false);
    expect(sameAnswer([], null)).toBe(false);
  });
});

describe('changedAnswers', () => {
  it('sends only what differs from the server, clearing as null', () => {
    const base = { a: 'same', b: 2, c: ['x'], d: true };
    const next = { a: 'same', b: 3, c: ['x'], d: null, e: 'new' };
    expect(changedAnswers(next, base)).toEqual({ b: 3, d: null, e: 'new' });
  });

  it('does not read a question missing from the view as a clear', () => {
    expect(changedAnswers({ a: 1 }, { a: 1, b: 2 })).toEqual({});
  });

  it('reads own keys only', () => {
    expect(answerOf({}, 'constructor')).toBeNull();
    expect(changedAnswers({ constructor: 'x' }, {})).toEqual({ constructor: 'x' });
  });
});
