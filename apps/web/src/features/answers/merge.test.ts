import { describe, expect, it } from 'vitest';
import { mergeServer, resolveConflicts } from './merge';

describe('mergeServer (a 409, or edits kept in the browser after a reload)', () => {
  const oldServer = { a: 'a0', b: 'b0', c: 'c0', d: 'd0' };

  it('applies the server’s changes that no local edit touches, silently', () => {
    const r = mergeServer({ a: { value: 'a-mine', was: 'a0' } }, { ...oldServer, b: 'b-theirs' }, oldServer);
    expect(r.conflicts).toEqual([]);
    expect(r.apply).toEqual({ b: 'b-theirs' });
    expect(r.edits).toEqual({ a: { value: 'a-mine', was: 'a0' } });
  });

  it('keeps a local edit of a question the server did not change, to save it with the new version', () => {
    const r = mergeServer({ c: { value: 'c-mine', was: 'c0' } }, { ...oldServer, d: 'd-theirs' }, oldServer);
    expect(r.edits.c).toEqual({ value: 'c-mine', was: 'c0' });
    expect(r.apply).toEqual({ d: 'd-theirs' });
  });

  it('lists questions both sides changed to different answers, with both values', () => {
    const r = mergeServer({ a: { value: 'a-mine', was: 'a0' } }, { ...oldServer, a: 'a-theirs' }, oldServer);
    expect(r.conflicts).toEqual([{ questionId: 'a', mine: 'a-mine', theirs: 'a-theirs' }]);
    // Still an edit: nothing typed is dropped before the person chooses.
    expect(r.edits.a?.value).toBe('a-mine');
    expect(r.apply).toEqual({});
  });

  it('drops an edit the server already holds (both sides wrote the same)', () => {
    const r = mergeServer({ a: { value: 'same', was: 'a0' } }, { ...oldServer, a: 'same' }, oldServer);
    expect(r.edits).toEqual({});
    expect(r.conflicts).toEqual([]);
  });

  it('after a reload: compares with the answer the edit started from', () => {
    const stored = { a: { value: 'a-mine', was: 'a0' }, b: { value: 'b-mine', was: 'b0' } };
    const r = mergeServer(stored, { a: 'a0', b: 'b-theirs' });
    expect(r.edits.a).toEqual({ value: 'a-mine', was: 'a0' });
    expect(r.conflicts).toEqual([{ questionId: 'b', mine: 'b-mine', theirs: 'b-theirs' }]);
    expect(r.apply).toEqual({});
  });

  it('treats a question cleared elsewhere as a change', () => {
    const r = mergeServer({ a: { value: 'a-mine', was: 'a0' } }, { b: 'b0' }, oldServer);
    expect(r.conflicts).toEqual([{ questionId: 'a', mine: 'a-mine', theirs: null }]);
    expect(r.apply).toEqual({ c: null, d: null });
  });
});

describe('resolveConflicts', () => {
  const edits = { a: { value: 'a-mine', was: 'a0' }, b: { value: 'b-mine', was: 'b0' }, c: { value: 'c-mine', was: 'c0' } };
  const conflicts = [
    { questionId: 'a', mine: 'a-mine', theirs: 'a-theirs' },
    { questionId: 'b', mine: 'b-mine', theirs: 'b-theirs' },
  ];

  it('mine: keeps the local answer, to be saved over theirs; theirs: shows theirs and drops the edit', () => {
    const r = resolveConflicts(edits, conflicts, { a: 'mine', b: 'theirs' });
    expect(r.edits).toEqual({ a: { value: 'a-mine', was: 'a-theirs' }, c: { value: 'c-mine', was: 'c0' } });
    expect(r.apply).toEqual({ b: 'b-theirs' });
    expect(r.conflicts).toEqual([]);
  });

  it('leaves a conflict without a choice as it is', () => {
    const r = resolveConflicts(edits, conflicts, { a: 'mine' });
    expect(r.conflicts.map((c) => c.questionId)).toEqual(['b']);
    expect(r.edits.b).toEqual(edits.b);
  });

  it('keeps what was typed after the conflict was found', () => {
    const later = { ...edits, a: { value: 'a-typed-on', was: 'a0' } };
    expect(resolveConflicts(later, conflicts, { a: 'mine' }).edits.a).toEqual({ value: 'a-typed-on', was: 'a-theirs' });
  });
});
