import type { QuestionType } from './format';

// Messages the format gives zod; definition.ts recognises them to add the Thai.
export const CONDITION_NEEDS_OPERATOR =
  'a condition needs an operator: equals, in, answered, or gt/gte/lt/lte';
export const ID_FORMAT = 'letters, digits, _ . - (at most 64), starting with a letter or digit';

/** Question types as a Thai respondent or author reads them, for messages. */
export const TYPE_TH: Record<QuestionType, string> = {
  yes_no: 'ใช่/ไม่ใช่',
  single_choice: 'เลือกตอบข้อเดียว',
  multiple_choice: 'เลือกได้หลายข้อ',
  number: 'ตัวเลข',
  percentage: 'ร้อยละ',
  text: 'ข้อความ',
  url: 'URL',
  evidence: 'ไฟล์หลักฐาน',
  repeating_group: 'รายการหลายแถว',
};

export const CHOICE_TYPES: readonly QuestionType[] = ['single_choice', 'multiple_choice'];
export const NUMERIC_TYPES: readonly QuestionType[] = ['number', 'percentage'];

/** `['pillars', 2, 'id']` -> `pillars[2].id`; keys that are not plain names are quoted. */
export function pathOf(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** Short, safe rendering of a user-supplied value inside a message. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? typeof v;
  } catch {
    s = typeof v; // cycles, bigint: junk input must not make a message throw
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
