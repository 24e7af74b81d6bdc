import { CategoryPatch } from '@dg/contracts';
import { CategoryPatchBody } from './awards.dto';

describe('awards HTTP shapes', () => {
  it('keeps a category patch to the fields sent (no defaults fill in the rest)', () => {
    expect(CategoryPatch.parse({ winners: 3, version: 2 })).toEqual({ winners: 3, version: 2 });

    expect(CategoryPatchBody.parse({ winners: 3, version: 2 })).toEqual({ winners: 3, version: 2 });
    expect(CategoryPatchBody.parse({ winners: 3 })).toEqual({ winners: 3 });
    expect(CategoryPatchBody.parse({ committee: [{ userId: 'u1', name: 'กรรมการ' }] })).toEqual({
      committee: [{ userId: 'u1', name: 'กรรมการ', agencyId: null, chair: false }],
    });
    expect(CategoryPatchBody.parse({ group: null })).toEqual({ group: null });
  });

  it('keeps the contract’s constraints on every field, and no key or unknown field', () => {
    for (const body of [
      { key: 'other' },
      { quorum: 0 },
      { quorum: 31 },
      { tieBreaks: ['pillar:7'] },
      { committee: [{ userId: 'u1' }] },
      { eligibility: { minOverall: 101 } },
      { group: 'ministry' },
      { version: 0 },
      { surprise: 1 },
    ]) {
      expect({ body, ok: CategoryPatchBody.safeParse(body).success }).toEqual({ body, ok: false });
    }
  });

  it('whatever the gateway forwards, the contract accepts', () => {
    const body = CategoryPatchBody.parse({ winners: 3, quorum: 2, tieBreaks: ['overall'] });
    expect(CategoryPatch.safeParse({ ...body, version: 4 }).success).toBe(true);
  });
});
