import { CategoryInput } from '@dg/contracts';
import { computeCandidates, type ResultRow } from './candidates';

const row = (
  code: string,
  overall: number,
  pillars: Record<string, number>,
  change: number | null,
  verified = true,
): ResultRow => ({
  agencyId: `00000000-0000-4000-8000-${code.padStart(12, '0')}`,
  agencyCode: code,
  agencyName: `กรม ${code}`,
  group: 'department',
  overall,
  pillars,
  change,
  verified,
});

/**
 * A synthetic department cohort, winners worked out by hand:
 *   A 91 (p3 80, +5)   B 88 (p3 90, +12)   C 88 (p3 85, +1)   D 88 (p3 85, null)
 *   E 95 unverified    F 60 (p3 95, +20)
 */
const cohort = [
  row('000000000001', 91, { '3': 80 }, 5),
  row('000000000002', 88, { '3': 90 }, 12),
  row('000000000003', 88, { '3': 85 }, 1),
  row('000000000004', 88, { '3': 85 }, null),
  row('000000000005', 95, { '3': 99 }, 30, false),
  row('000000000006', 60, { '3': 95 }, 20),
];
const ctx = { previousWinners: new Set<string>(), committeeScores: new Map<string, number>() };
const codes = (list: { agencyCode: string }[]) => list.map((c) => c.agencyCode.slice(-1));

describe('computeCandidates', () => {
  it('ranks by overall with ties shared at the boundary, and gives ineligible agencies their reasons', () => {
    const spec = CategoryInput.parse({
      key: 'top',
      name: { th: 'สูงสุด', en: 'Top' },
      group: 'department',
      metric: 'overall',
      winners: 2,
    });
    const { candidates, proposed } = computeCandidates(spec, cohort, ctx);
    // E (95) is not verified; A 91 is 1st; B, C, D tie at 88 for 2nd: all three share the second place.
    expect(proposed.map((p) => [p.agencyCode.slice(-1), p.rank, p.shared])).toEqual([
      ['1', 1, false],
      ['2', 2, true],
      ['3', 2, true],
      ['4', 2, true],
    ]);
    const e = candidates.find((c) => c.agencyCode.endsWith('5'))!;
    expect(e).toMatchObject({ eligible: false, rank: null });
    expect(e.reasons.map((r) => r.code)).toEqual(['NOT_VERIFIED']);
    expect(candidates.find((c) => c.agencyCode.endsWith('6'))!.rank).toBe(5);
  });

  it('breaks the tie with a pillar, then leaves the rest tied', () => {
    const spec = CategoryInput.parse({
      key: 'top',
      name: { th: 'สูงสุด', en: 'Top' },
      group: 'department',
      metric: 'overall',
      winners: 2,
      tieBreaks: ['pillar:3'],
    });
    const { proposed } = computeCandidates(spec, cohort, ctx);
    // B has pillar 3 = 90, ahead of C and D (85 each): A 1st, B 2nd alone.
    expect(proposed.map((p) => [p.agencyCode.slice(-1), p.rank, p.shared])).toEqual([
      ['1', 1, false],
      ['2', 2, false],
    ]);
  });

  it('ranks improvement against last year; without a previous score an agency is not eligible', () => {
    const spec = CategoryInput.parse({
      key: 'improved',
      name: { th: 'พัฒนา', en: 'Improved' },
      group: 'department',
      metric: 'improvement',
      winners: 2,
    });
    const { candidates, proposed } = computeCandidates(spec, cohort, ctx);
    expect(codes(proposed)).toEqual(['6', '2']); // +20, +12
    expect(candidates.find((c) => c.agencyCode.endsWith('4'))!.reasons.map((r) => r.code)).toEqual([
      'NO_PREVIOUS_SCORE',
    ]);
  });

  it('applies minimum scores and last year’s winners, naming each reason', () => {
    const spec = CategoryInput.parse({
      key: 'top',
      name: { th: 'สูงสุด', en: 'Top' },
      group: 'department',
      metric: 'pillar',
      pillar: 3,
      winners: 1,
      eligibility: { minOverall: 80, minPillar: { '3': 86 }, excludePreviousWinners: true },
    });
    const previousWinners = new Set([cohort[1].agencyId]); // B won last year
    const { candidates, proposed } = computeCandidates(spec, cohort, { ...ctx, previousWinners });
    expect(proposed).toEqual([]); // A's pillar 3 is 80 < 86, B won last year, C/D 85 < 86, F overall 60 < 80
    const reasons = Object.fromEntries(
      candidates.map((c) => [c.agencyCode.slice(-1), c.reasons.map((r) => r.code)]),
    );
    expect(reasons).toEqual({
      '1': ['BELOW_MIN_PILLAR'],
      '2': ['PREVIOUS_WINNER'],
      '3': ['BELOW_MIN_PILLAR'],
      '4': ['BELOW_MIN_PILLAR'],
      '5': ['NOT_VERIFIED'],
      '6': ['BELOW_MIN_OVERALL'],
    });
  });

  it('ranks a committee category by the mean committee score', () => {
    const spec = CategoryInput.parse({
      key: 'leader',
      name: { th: 'ผู้นำ', en: 'Leader' },
      group: 'department',
      metric: 'committee',
      winners: 1,
      committee: [{ userId: 'm1', name: 'กรรมการ', chair: true }],
    });
    const committeeScores = new Map([
      [cohort[2].agencyId, 70],
      [cohort[3].agencyId, 82.5],
    ]);
    const { proposed, candidates } = computeCandidates(spec, cohort, { ...ctx, committeeScores });
    expect(codes(proposed)).toEqual(['4']);
    expect(candidates.find((c) => c.agencyCode.endsWith('1'))!).toMatchObject({
      eligible: true,
      rank: null,
      value: null,
    });
  });
});

describe('the override contract', () => {
  it('refuses an agency named twice (it would block the announcement)', () => {
    const { DecisionInput } = jest.requireActual<typeof import('@dg/contracts')>('@dg/contracts');
    const id = '00000000-0000-4000-8000-000000000001';
    expect(
      DecisionInput.safeParse({ type: 'override', winners: [id, id], reason: 'เหตุผลที่ยาวพอสมควร' }).success,
    ).toBe(false);
    expect(
      DecisionInput.safeParse({ type: 'override', winners: [id], reason: 'เหตุผลที่ยาวพอสมควร' }).success,
    ).toBe(true);
  });
});
