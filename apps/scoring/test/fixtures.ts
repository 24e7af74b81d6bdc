import type { Questionnaire, ScoringRules } from '@dg/survey-model';

/**
 * A tiny questionnaire whose scores are easy to compute by hand:
 *   pillar 1 (weight 60): q1 yes/no (yes 1), q2 choice (a 0, b 1, c 2)
 *   pillar 2 (weight 40): q3 percentage (< 50: 0, >= 50: 1), q4 yes/no (yes 1)
 * Pillar score = mean of points/max of its questions × 100; overall = 0.6 p1 + 0.4 p2.
 */
export const tinyQuestionnaire: Questionnaire = {
  formatVersion: 1,
  id: 'tiny',
  version: 1,
  cycleYear: 2565,
  title: { th: 'แบบสำรวจทดสอบ', en: 'Test questionnaire' },
  general: { title: { th: 'ทั่วไป', en: 'General' }, questions: [] },
  pillars: [
    {
      id: 'p1',
      number: 1,
      weight: 60,
      title: { th: 'นโยบาย', en: 'Policy' },
      indicators: [
        {
          id: 'i1',
          title: { th: 'ตัวชี้วัด 1', en: 'Indicator 1' },
          questions: [
            { id: 'q1', type: 'yes_no', text: { th: 'มีแผน', en: 'Has a plan' }, rubric: { kind: 'yes_no', yes: 1, no: 0 } },
            {
              id: 'q2',
              type: 'single_choice',
              text: { th: 'ระดับ', en: 'Level' },
              options: [
                { value: 'a', label: { th: 'ก', en: 'A' } },
                { value: 'b', label: { th: 'ข', en: 'B' } },
                { value: 'c', label: { th: 'ค', en: 'C' } },
              ],
              rubric: { kind: 'choice', points: { a: 0, b: 1, c: 2 } },
            },
          ],
        },
      ],
    },
    {
      id: 'p2',
      number: 2,
      weight: 40,
      title: { th: 'บริการ', en: 'Services' },
      indicators: [
        {
          id: 'i2',
          title: { th: 'ตัวชี้วัด 2', en: 'Indicator 2' },
          questions: [
            {
              id: 'q3',
              type: 'percentage',
              text: { th: 'ร้อยละบริการออนไลน์', en: 'Share online' },
              rubric: { kind: 'range', bands: [{ max: 50, points: 0 }, { min: 50, points: 1 }] },
            },
            { id: 'q4', type: 'yes_no', text: { th: 'มีแอป', en: 'Has an app' }, rubric: { kind: 'yes_no', yes: 1, no: 0 } },
          ],
        },
      ],
    },
  ],
};

export const tinyRules: ScoringRules = {
  formatVersion: 1,
  id: 'tiny-rules',
  version: 1,
  questionnaireId: 'tiny',
  questionnaireVersion: 1,
  title: { th: 'เกณฑ์ทดสอบ', en: 'Test rules' },
  method: 'raw',
  levels: [
    { level: 1, name: { th: 'ระดับ 1', en: 'E-Government' }, min: 0 },
    { level: 2, name: { th: 'ระดับ 2', en: 'Open' }, min: 20 },
    { level: 3, name: { th: 'ระดับ 3', en: 'Data-Centric' }, min: 40 },
    { level: 4, name: { th: 'ระดับ 4', en: 'Fully Digital' }, min: 60 },
    { level: 5, name: { th: 'ระดับ 5', en: 'Smart' }, min: 80 },
  ],
  bands: [
    { id: 'low', name: { th: 'ต่ำ', en: 'Low' }, min: 0 },
    { id: 'high', name: { th: 'สูง', en: 'High' }, min: 50 },
  ],
};

/** overall 100 (p1 100, p2 100) */
export const best = { q1: true, q2: 'c', q3: 80, q4: true };
/** overall 65 (p1 75, p2 50) */
export const middle = { q1: true, q2: 'b', q3: 80, q4: false };
/** overall 0 */
export const worst = { q1: false, q2: 'a', q3: 10, q4: false };
