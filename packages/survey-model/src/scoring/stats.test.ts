import { rankWithTies, summarise } from './stats';

describe('summarise', () => {
  it('odd n: quartiles between order statistics (QUARTILE.INC / R type 7)', () => {
    // sorted 1 2 3: q1 at h = 2 × 0.25 = 0.5 -> 1 + 0.5 × (2 - 1) = 1.5; q3 at h = 1.5 -> 2.5
    expect(summarise([3, 1, 2])).toEqual({ n: 3, mean: 2, median: 2, q1: 1.5, q3: 2.5, min: 1, max: 3 });
  });

  it('even n', () => {
    // 1..4: median at h = 1.5 -> 2.5; q1 at h = 0.75 -> 1.75; q3 at h = 2.25 -> 3.25
    expect(summarise([4, 2, 3, 1])).toEqual({
      n: 4,
      mean: 2.5,
      median: 2.5,
      q1: 1.75,
      q3: 3.25,
      min: 1,
      max: 4,
    });
    // 1..8: q1 at h = 1.75 -> 2 + 0.75 = 2.75; median at 3.5 -> 4.5; q3 at 5.25 -> 6 + 0.25 = 6.25
    expect(summarise([8, 7, 6, 5, 4, 3, 2, 1])).toMatchObject({ median: 4.5, q1: 2.75, q3: 6.25 });
  });

  it('rounds each figure from its exact value, half away from zero', () => {
    // mean 5/3 = 1.666... -> 1.67; q1 at h = 0.5 between 1 and 2 -> 1.5
    expect(summarise([1, 2, 2])).toEqual({ n: 3, mean: 1.67, median: 2, q1: 1.5, q3: 2, min: 1, max: 2 });
    // mean 0.15 exactly: (0.1 + 0.2) / 2 in floating point is 0.15000000000000002
    expect(summarise([0.1, 0.2], 17).mean).toBe(0.15);
    // mean 1.005 exactly -> 1.01, and -1.005 -> -1.01
    expect(summarise([1, 1.01]).mean).toBe(1.01);
    expect(summarise([-1, -1.01]).mean).toBe(-1.01);
    expect(summarise([0.5, 1.5], 0)).toMatchObject({ mean: 1, min: 1, max: 2 });
    // q1 of 10 20 30 40 45 at h = 1 -> 20; q3 at h = 3 -> 40; mean 29
    expect(summarise([45, 10, 40, 20, 30])).toMatchObject({ mean: 29, q1: 20, median: 30, q3: 40 });
  });

  it('empty input: n 0 and nulls', () => {
    expect(summarise([])).toEqual({
      n: 0,
      mean: null,
      median: null,
      q1: null,
      q3: null,
      min: null,
      max: null,
    });
  });

  it('one value is every statistic', () => {
    expect(summarise([42.123], 1)).toEqual({
      n: 1,
      mean: 42.1,
      median: 42.1,
      q1: 42.1,
      q3: 42.1,
      min: 42.1,
      max: 42.1,
    });
  });

  it('refuses NaN and bad decimals', () => {
    expect(() => summarise([1, Number.NaN])).toThrow(RangeError);
    expect(() => summarise([1], -1)).toThrow(RangeError);
    expect(() => summarise([1], 1.5)).toThrow(RangeError);
  });
});

describe('rankWithTies', () => {
  const items = [
    { key: 'd', value: 70 },
    { key: 'c', value: 80 },
    { key: 'b', value: 90 },
    { key: 'a', value: 80 },
  ];

  it('ranks 1, 2, 2, 4 with ties by key', () => {
    expect(rankWithTies(items)).toEqual([
      { key: 'b', value: 90, rank: 1, tied: false },
      { key: 'a', value: 80, rank: 2, tied: true },
      { key: 'c', value: 80, rank: 2, tied: true },
      { key: 'd', value: 70, rank: 4, tied: false },
    ]);
  });

  it('is stable: any input order gives the same output, and the input is left alone', () => {
    const copy = items.map((x) => ({ ...x }));
    const expected = rankWithTies(items);
    expect(rankWithTies([...items].reverse())).toEqual(expected);
    expect(rankWithTies([items[2], items[0], items[3], items[1]])).toEqual(expected);
    expect(items).toEqual(copy);
  });

  it('keeps extra fields, ties a whole run, and ranks nothing as nothing', () => {
    const out = rankWithTies([
      { key: 'x', value: 5, name: 'X' },
      { key: 'y', value: 5, name: 'Y' },
      { key: 'z', value: 5, name: 'Z' },
      { key: 'w', value: 1, name: 'W' },
    ]);
    expect(out.map((o) => [o.name, o.rank, o.tied])).toEqual([
      ['X', 1, true],
      ['Y', 1, true],
      ['Z', 1, true],
      ['W', 4, false],
    ]);
    expect(rankWithTies([])).toEqual([]);
    expect(() => rankWithTies([{ key: 'n', value: Number.NaN }])).toThrow(RangeError);
  });
});
