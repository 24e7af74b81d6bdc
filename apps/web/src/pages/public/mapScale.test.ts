import { describe, expect, it } from 'vitest';
import { binIndex, binLabel, binsFromCutoffs, colorOf, equalBins, legendOf, NO_DATA_COLOR, niceStep, PALETTE } from './mapScale';

const LEVELS = [
  { min: 0, name: { th: 'ระดับ 1 E-Government', en: 'Level 1 E-Government' } },
  { min: 20, name: { th: 'ระดับ 2 Open', en: 'Level 2 Open' } },
  { min: 40, name: { th: 'ระดับ 3 Data-Centric', en: 'Level 3 Data-Centric' } },
  { min: 60, name: { th: 'ระดับ 4 Fully Digital', en: 'Level 4 Fully Digital' } },
  { min: 80, name: { th: 'ระดับ 5 Smart', en: 'Level 5 Smart' } },
];

describe('the province map colour scale', () => {
  it('bins an average score at the level cut-offs: lowest bound inclusive, next exclusive', () => {
    const bins = binsFromCutoffs(LEVELS);
    expect(bins.map((b) => [b.from, b.to])).toEqual([
      [0, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, null],
    ]);
    expect(bins.map((b) => b.color)).toEqual([...PALETTE]);
    expect(binIndex(39.99, bins)).toBe(1);
    expect(binIndex(40, bins)).toBe(2);
    expect(binIndex(100, bins)).toBe(4);
    expect(colorOf(80, bins)).toBe(PALETTE[4]);
  });

  it('paints a province without a figure (or below the first bin) grey', () => {
    const bins = binsFromCutoffs(LEVELS);
    expect(colorOf(null, bins)).toBe(NO_DATA_COLOR);
    expect(colorOf(undefined, bins)).toBe(NO_DATA_COLOR);
    expect(colorOf(-1, bins)).toBe(NO_DATA_COLOR);
    expect(binIndex(Number.NaN, bins)).toBe(-1);
  });

  it('spreads fewer cut-offs over the palette from light to dark', () => {
    const bins = binsFromCutoffs([{ min: 50 }, { min: 0 }, { min: 75 }]);
    expect(bins.map((b) => b.from)).toEqual([0, 50, 75]);
    expect(bins.map((b) => b.color)).toEqual([PALETTE[0], PALETTE[2], PALETTE[4]]);
  });

  it('makes round, equal bins from 0 for counts', () => {
    expect(niceStep(3.2)).toBe(5);
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(20)).toBe(20);
    const bins = equalBins([1, 4, 7, 23], 5, true);
    expect(bins.map((b) => [b.from, b.to])).toEqual([
      [0, 5],
      [5, 10],
      [10, 15],
      [15, 20],
      [20, null],
    ]);
    expect(binIndex(23, bins)).toBe(4);
    // Few distinct values: no more bins than needed, the darkest for the highest.
    const small = equalBins([1, 2], 5, true);
    expect(small.map((b) => b.from)).toEqual([0, 1, 2]);
    expect(small.at(-1)!.color).toBe(PALETTE[4]);
    expect(equalBins([])).toEqual([{ from: 0, to: null, color: PALETTE[4] }]);
  });

  it('labels the legend in Thai and English, with the level names', () => {
    const bins = binsFromCutoffs(LEVELS);
    expect(binLabel(bins[2]!, 'th')).toBe('ระดับ 3 Data-Centric: 40 ถึงต่ำกว่า 60');
    expect(binLabel(bins[4]!, 'en')).toBe('Level 5 Smart: 80 and above');
    const counts = equalBins([1, 4, 7, 23], 5, true);
    expect(binLabel(counts[0]!, 'th', true)).toBe('0–4');
    expect(binLabel(counts[4]!, 'th', true)).toBe('20 ขึ้นไป');
    expect(binLabel({ from: 3, to: 4, color: '#000' }, 'en', true)).toBe('3');
    const legend = legendOf(bins, 'th', { withNoData: true });
    expect(legend).toHaveLength(6);
    expect(legend.at(-1)).toEqual({ color: NO_DATA_COLOR, label: 'ไม่มีข้อมูล' });
  });
});
