import { describe, expect, it } from 'vitest';
import { validateQueueSearch } from './search';

describe('the verification queue’s address', () => {
  it('keeps the filters it knows and drops the rest', () => {
    expect(validateQueueSearch({ status: 'returned', group: 'local', q: '  กรม ', page: '3' })).toEqual({
      status: 'returned',
      group: 'local',
      q: 'กรม',
      page: 3,
    });
    expect(validateQueueSearch({ status: 'all' })).toEqual({ status: 'all' });
  });

  it('ignores what a hand-edited or stale link gets wrong, falling back to the waiting list', () => {
    expect(validateQueueSearch({ status: 'lost', group: 'ministry', q: '   ', page: '-1' })).toEqual({});
    expect(validateQueueSearch({ page: '1.5' })).toEqual({});
    expect(validateQueueSearch({ q: 'x'.repeat(500) }).q).toHaveLength(200);
  });
});
