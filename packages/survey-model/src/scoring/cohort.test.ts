import { validateDefinition } from '../definition';
import type { Questionnaire } from '../format';
import { standardiseCohort, type CohortEntry } from './cohort';
import { validateRules, type ScoringRules } from './rules';

const t = (en: string) => ({ th: en, en });

const q: Questionnaire = (() => {
  const yes = (id: string) => ({
    id,
    type: 'yes_no',
    text: t(id),
    rubric: { kind: 'yes_no', yes: 1, no: 0 },
  });
  const r = validateDefinition({
    formatVersion: 1,
    id: 'cohort-q',
    version: 1,
    cycleYear: 2566,
    title: t('Q'),
    general: { title: t('General'), questions: [] },
    pillars: [
      {
        id: 'pa',
        number: 1,
        title: t('A'),
        weight: 50,
        indicators: [{ id: 'ia', title: t('IA'), questions: [yes('a')] }],
      },
      {
        id: 'pb',
        number: 2,
        title: t('B'),
        weight: 50,
        indicators: [{ id: 'ib', title: t('IB'), questions: [yes('b')] }],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.questionnaire;
})();

function rules(within: 'group' | 'cycle'): ScoringRules {
  const r = validateRules(
    {
      formatVersion: 1,
      id: 'cohort-r',
      version: 1,
      questionnaireId: 'cohort-q',
      questionnaireVersion: 1,
      title: t('R'),
      method: 'standardised',
      standardiseWithin: within,
      pillarWeights: { pa: 25, pb: 75 }, // the rules' weights, not the questionnaire's 50 / 50
      levels: [0, 0.2, 0.4, 0.6, 0.8].map((min, i) => ({ level: i + 1, name: t(`L${i + 1}`), min })),
      bands: [
        { id: 'low', name: t('Low'), min: 0 },
        { id: 'middle', name: t('Middle'), min: 0.25 },
        { id: 'high', name: t('High'), min: 0.5 },
        { id: 'very_high', name: t('Very high'), min: 0.75 },
      ],
    },
    q,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.rules;
}

const entries: CohortEntry[] = [
  { key: 'A', group: 'dept', pillars: { pa: 80, pb: 60 } },
  { key: 'B', group: 'dept', pillars: { pa: 60, pb: 20 } },
  { key: 'C', group: 'dept', pillars: { pa: 40, pb: 40 } },
  { key: 'D', group: 'prov', pillars: { pa: 50, pb: 50 } },
  { key: 'E', group: 'local', pillars: { pa: 0, pb: 0 } },
];

/** key -> [index, level, band, pa z, pa scaled, pb z, pb scaled] */
function table(within: 'group' | 'cycle') {
  const out = standardiseCohort(q, rules(within), entries);
  return Object.fromEntries(
    [...out].map(([key, s]) => [
      key,
      [
        s.index,
        s.level?.level,
        s.band?.id,
        s.pillars.pa.z,
        s.pillars.pa.scaled,
        s.pillars.pb.z,
        s.pillars.pb.scaled,
      ],
    ]),
  );
}

describe('standardiseCohort', () => {
  it('standardises within each agency group', () => {
    /*
     * dept, pa: 80 60 40, mean 60, population variance (400 + 0 + 400) / 3 = 800/3, sd = 16.3299;
     *   z = ±20 / 16.3299 = ±1.2247 (= sqrt(3/2)) and 0; scaled by min-max: 1, 0.5, 0.
     * dept, pb: 60 20 40, mean 40, the same sd: z 1.2247, -1.2247, 0; scaled 1, 0, 0.5.
     * index = (25 × pa + 75 × pb) / 100: A 1; B 12.5/100 = 0.125; C 37.5/100 = 0.375.
     * D alone in prov and E alone in local: sd = 0, so z = 0 and scaled = 1 when the score is
     * above 0 (D: index 1), else 0 (E: index 0).
     * Levels at 0/0.2/0.4/0.6/0.8, bands at 0/0.25/0.5/0.75.
     */
    expect(table('group')).toEqual({
      A: [1, 5, 'very_high', 1.2247, 1, 1.2247, 1],
      B: [0.125, 1, 'low', 0, 0.5, -1.2247, 0],
      C: [0.375, 2, 'middle', -1.2247, 0, 0, 0.5],
      D: [1, 5, 'very_high', 0, 1, 0, 1],
      E: [0, 1, 'low', 0, 0, 0, 0],
    });
  });

  it('standardises within the whole cycle', () => {
    /*
     * pa: 80 60 40 50 0, mean 46, deviations 34 14 -6 4 -46, squares 1156 196 36 16 2116 = 3520,
     *   variance 704, sd 26.5330: z 1.2814 0.5276 -0.2261 0.1508 -1.7337;
     *   scaled (x - 0) / 80: 1, 0.75, 0.5, 0.625, 0.
     * pb: 60 20 40 50 0, mean 34, deviations 26 -14 6 16 -34, squares 676 196 36 256 1156 = 2320,
     *   variance 464, sd 21.5407: z 1.2070 -0.6499 0.2785 0.7428 -1.5784;
     *   scaled x / 60: 1, 1/3, 2/3, 5/6, 0.
     * index: A 1; B (25 × 0.75 + 75/3) / 100 = 0.4375; C (12.5 + 50) / 100 = 0.625;
     *   D (25 × 0.625 + 75 × 5/6) / 100 = 0.78125 -> 0.7813 (half away from zero); E 0.
     */
    expect(table('cycle')).toEqual({
      A: [1, 5, 'very_high', 1.2814, 1, 1.207, 1],
      B: [0.4375, 3, 'middle', 0.5276, 0.75, -0.6499, 0.3333],
      C: [0.625, 4, 'high', -0.2261, 0.5, 0.2785, 0.6667],
      D: [0.7813, 4, 'very_high', 0.1508, 0.625, 0.7428, 0.8333],
      E: [0, 1, 'low', -1.7337, 0, -1.5784, 0],
    });
  });

  it('defaults to standardising within the group, and returns entries in their input order', () => {
    const r = rules('group');
    delete r.standardiseWithin;
    const out = standardiseCohort(q, r, entries);
    expect([...out.keys()]).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(out.get('B')!.index).toBe(0.125);
  });

  it('when a whole slice scores the same (sd = 0): z = 0, scaled 1 above 0 and 0 at 0', () => {
    const out = standardiseCohort(q, rules('cycle'), [
      { key: 'x', group: 'g', pillars: { pa: 70, pb: 0 } },
      { key: 'y', group: 'g', pillars: { pa: 70, pb: 0 } },
    ]);
    for (const key of ['x', 'y']) {
      expect(out.get(key)).toEqual({
        index: 0.25, // (25 × 1 + 75 × 0) / 100
        pillars: { pa: { z: 0, scaled: 1 }, pb: { z: 0, scaled: 0 } },
        level: { level: 2, name: t('L2') },
        band: { id: 'middle', name: t('Middle') },
      });
    }
  });

  it('gives the same result whatever the order of the entries', () => {
    const forward = standardiseCohort(q, rules('cycle'), entries);
    const backward = standardiseCohort(q, rules('cycle'), [...entries].reverse());
    for (const e of entries) expect(backward.get(e.key)).toEqual(forward.get(e.key));
  });

  it('refuses a missing pillar score or a key listed twice', () => {
    expect(() =>
      standardiseCohort(q, rules('cycle'), [{ key: 'x', group: 'g', pillars: { pa: 1 } }]),
    ).toThrow('cohort entry x has no score for pillar pb');
    expect(() => standardiseCohort(q, rules('cycle'), [entries[0], entries[0]])).toThrow('appears twice');
    expect(standardiseCohort(q, rules('cycle'), []).size).toBe(0);
  });
});
