import type { Questionnaire } from '@dg/survey-model';

/** A small questionnaire with every question type, a condition, a list and rubrics (tests only). */
export const TEST_QUESTIONNAIRE: Questionnaire = {
  formatVersion: 1,
  id: 'test-q',
  version: 1,
  cycleYear: 2566,
  title: { th: 'แบบสำรวจทดสอบ', en: 'Test questionnaire' },
  general: {
    title: { th: 'ข้อมูลทั่วไป', en: 'General' },
    questions: [
      { id: 'g_name', type: 'text', text: { th: 'ชื่อผู้ประสานงาน', en: 'Coordinator' }, required: true, maxLength: 20 },
      { id: 'g_site', type: 'url', text: { th: 'เว็บไซต์หน่วยงาน', en: 'Website' } },
    ],
  },
  pillars: [
    {
      id: 'p1',
      number: 1,
      title: { th: 'นโยบาย', en: 'Policy' },
      indicators: [
        {
          id: 'p1_1',
          title: { th: 'แผนดิจิทัล', en: 'Digital plan' },
          questions: [
            {
              id: 'p1_plan',
              type: 'yes_no',
              text: { th: 'มีแผนดิจิทัลหรือไม่', en: 'Is there a digital plan?' },
              required: true,
              rubric: { kind: 'yes_no', yes: 3, no: 0 },
            },
            {
              id: 'p1_plan_year',
              type: 'number',
              text: { th: 'ปีที่เริ่มใช้แผน', en: 'Year the plan started' },
              required: true,
              integer: true,
              min: 2550,
              max: 2570,
              visibleIf: { question: 'p1_plan', equals: true },
            },
            {
              id: 'p1_share',
              type: 'percentage',
              text: { th: 'สัดส่วนงานที่เป็นดิจิทัล', en: 'Digital share' },
              unit: { th: 'ร้อยละ', en: 'percent' },
              rubric: { kind: 'range', bands: [{ max: 50, points: 0 }, { min: 50, points: 2 }] },
            },
          ],
        },
        {
          id: 'p1_2',
          title: { th: 'บริการ', en: 'Services' },
          questions: [
            {
              id: 'p1_level',
              type: 'single_choice',
              text: { th: 'ระดับความพร้อม', en: 'Readiness level' },
              required: true,
              options: [
                { value: 'low', label: { th: 'ต่ำ', en: 'Low' } },
                { value: 'high', label: { th: 'สูง', en: 'High' } },
              ],
              rubric: { kind: 'choice', points: { low: 1, high: 3 } },
            },
            {
              id: 'p1_channels',
              type: 'multiple_choice',
              text: { th: 'ช่องทาง', en: 'Channels' },
              options: [
                { value: 'web', label: { th: 'เว็บไซต์', en: 'Website' } },
                { value: 'app', label: { th: 'แอป', en: 'App' } },
              ],
            },
            {
              id: 'p1_services',
              type: 'repeating_group',
              text: { th: 'รายการบริการ', en: 'Services' },
              minItems: 1,
              maxItems: 3,
              fields: [
                { id: 'name', type: 'text', text: { th: 'ชื่อบริการ', en: 'Name' }, required: true, maxLength: 100 },
                { id: 'url', type: 'url', text: { th: 'ที่อยู่บริการ', en: 'Address' } },
              ],
              rubric: { kind: 'count', perItem: 1, cap: 3 },
            },
          ],
        },
      ],
    },
  ],
};
