import type { Question } from '@dg/survey-model';
import type { Lang } from '../../lib/dates';
import type { FieldProblem } from './queue';

/**
 * The message a person reads at a field for a problem that survey-model's validators found (here
 * before sending, or in intake after): chosen by the problem's stable `code`, worded for the field
 * it sits at (the question is already the field's label, so the message does not repeat it), with
 * the numbers from the question's own definition. A code this page does not know shows the
 * validator's own message.
 */
export function fieldMessage(
  problem: FieldProblem,
  question: Question | undefined,
  lang: Lang = 'th',
  /** `cell`: shown at the cell of a list row itself, so the row and column are not repeated. */
  at: 'question' | 'cell' = 'question',
): string {
  const th = lang === 'th';
  const x = cellQuestion(problem.path, question);
  const rowPrefix = at === 'cell' ? '' : rowPrefixOf(problem.path, question, lang);
  const msg = (tText: string, eText: string) => rowPrefix + (th ? tText : eText);
  switch (problem.code) {
    case 'WRONG_TYPE':
      if (x && (x.type === 'number' || x.type === 'percentage')) return msg('กรุณากรอกเป็นตัวเลข เช่น 25 หรือ 12.5', 'Enter a number, e.g. 25 or 12.5');
      return msg('คำตอบไม่อยู่ในรูปแบบของข้อนี้', 'This answer does not fit the question');
    case 'NOT_INTEGER':
      return msg('กรุณากรอกเป็นจำนวนเต็ม (ไม่มีทศนิยม)', 'Enter a whole number (no decimals)');
    case 'OUT_OF_RANGE': {
      const { min, max } = rangeOf(x);
      const unit = x?.unit ? ` ${th ? x.unit.th : x.unit.en}` : '';
      if (min !== undefined && max !== undefined)
        return msg(`ต้องอยู่ระหว่าง ${fmt(min)} ถึง ${fmt(max)}${unit}`, `Must be between ${fmt(min)} and ${fmt(max)}${unit}`);
      if (min !== undefined) return msg(`ต้องไม่น้อยกว่า ${fmt(min)}${unit}`, `Must be at least ${fmt(min)}${unit}`);
      if (max !== undefined) return msg(`ต้องไม่เกิน ${fmt(max)}${unit}`, `Must be at most ${fmt(max)}${unit}`);
      break;
    }
    case 'TOO_LONG': {
      const max = x?.type === 'url' ? 2048 : (x?.maxLength ?? 5000);
      return msg(`ยาวเกิน ${fmt(max)} ตัวอักษร โปรดย่อให้สั้นลง`, `Longer than ${fmt(max)} characters; please shorten it`);
    }
    case 'INVALID_URL':
      return msg(
        'ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// เช่น https://www.example.go.th',
        'Must be a web address starting with http:// or https://, e.g. https://www.example.go.th',
      );
    case 'NOT_AN_OPTION':
      return msg('ตัวเลือกนี้ไม่มีในข้อนี้ โปรดเลือกใหม่', 'This is not one of the options; please choose again');
    case 'DUPLICATE_VALUE':
      return msg('มีค่าซ้ำกัน', 'A value is listed twice');
    case 'TOO_MANY_ITEMS':
      return msg(`เพิ่มได้ไม่เกิน ${fmt(question?.maxItems ?? 500)} แถว`, `At most ${fmt(question?.maxItems ?? 500)} rows`);
    case 'TOO_FEW_ITEMS':
      return msg(`ต้องมีอย่างน้อย ${fmt(question?.minItems ?? 1)} แถว`, `At least ${fmt(question?.minItems ?? 1)} rows`);
    case 'TOO_MANY_FILES':
      return msg(
        `แนบได้ไม่เกิน ${fmt(question?.evidence?.maxFiles ?? 5)} ไฟล์`,
        `At most ${fmt(question?.evidence?.maxFiles ?? 5)} files`,
      );
    case 'UNKNOWN_EVIDENCE':
      return msg('ไม่พบไฟล์หลักฐานนี้ในระบบ โปรดแนบใหม่', 'This evidence file is not in the system; please upload it again');
    case 'REQUIRED':
      return msg('ต้องตอบข้อนี้', 'This must be answered');
    case 'HIDDEN_QUESTION':
      return msg('ข้อนี้ไม่ต้องตอบตามคำตอบข้ออื่น', 'Not asked given your other answers');
    case 'UNKNOWN_FIELD':
    case 'UNKNOWN_QUESTION':
      return msg('ไม่มีช่องนี้ในแบบสำรวจ', 'There is no such field in the questionnaire');
  }
  return stripQuestion(th ? problem.messageTh : problem.message);
}

/** `ข้อ “…” (path): message` -> `message`: the label above already names the question. */
function stripQuestion(message: string): string {
  const m = /^(?:ข้อ “[^”]*”|"[^"]*") \([^)]*\): (.*)$/s.exec(message);
  return m ? m[1]! : message;
}

/** For a cell of a list (`q[2].name`), the field; otherwise the question. */
function cellQuestion(path: string, question: Question | undefined): Question | undefined {
  const m = /^[^[]+\[\d+\]\.(.+)$/.exec(path);
  if (!m || !question?.fields) return question;
  return question.fields.find((f) => f.id === m[1]) ?? question;
}

function rowPrefixOf(path: string, question: Question | undefined, lang: Lang): string {
  const m = /^[^[]+\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (!m || question?.type !== 'repeating_group') return '';
  const row = Number(m[1]) + 1;
  const field = m[2] ? question.fields?.find((f) => f.id === m[2]) : undefined;
  if (lang === 'th') return field ? `แถวที่ ${row} ช่อง “${field.text.th}”: ` : `แถวที่ ${row}: `;
  return field ? `Row ${row}, “${field.text.en}”: ` : `Row ${row}: `;
}

/** A percentage is within 0..100 whatever the definition says (as the validator reads it). */
function rangeOf(x: Question | undefined): { min?: number; max?: number } {
  if (!x) return {};
  if (x.type === 'percentage') return { min: Math.max(0, x.min ?? 0), max: Math.min(100, x.max ?? 100) };
  return { min: x.min, max: x.max };
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
function fmt(n: number): string {
  return NUMBER.format(n);
}
