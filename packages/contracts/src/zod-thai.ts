import type { z } from 'zod';

const TYPE_TH: Record<string, string> = {
  string: 'ข้อความ',
  number: 'ตัวเลข',
  int: 'จำนวนเต็ม',
  boolean: 'ค่าจริง/เท็จ (true หรือ false)',
  object: 'ออบเจกต์ JSON',
  array: 'รายการ (array)',
  date: 'วันที่',
  bigint: 'จำนวนเต็ม',
  null: 'null',
};

const FORMAT_TH: Record<string, string> = {
  email: 'อีเมล',
  uuid: 'รหัส UUID',
  guid: 'รหัส UUID',
  url: 'ที่อยู่เว็บ (URL)',
  datetime: 'วันเวลาแบบ ISO 8601 พร้อมเขตเวลา เช่น 2022-07-31T23:59:00+07:00',
  date: 'วันที่แบบ YYYY-MM-DD',
  time: 'เวลาแบบ HH:MM',
  regex: 'รูปแบบที่กำหนด',
  starts_with: 'ข้อความที่ขึ้นต้นตามที่กำหนด',
  ends_with: 'ข้อความที่ลงท้ายตามที่กำหนด',
  includes: 'ข้อความที่มีส่วนที่กำหนด',
};

/** The English messages of the contracts' own refinements, as a Thai reader needs them. */
const KNOWN_TH: Record<string, string> = {
  'use the Common Era year (B.E. − 543), e.g. 2022 for 2565': 'ให้ใช้ปีคริสต์ศักราช (พ.ศ. − 543) เช่น 2022 แทน 2565',
  'not a real date': 'ไม่มีวันที่นี้ในปฏิทิน',
  'YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2022-07-31T23:59:00+07:00':
    'ต้องเป็นวันที่ YYYY-MM-DD หรือวันเวลาแบบ ISO 8601 พร้อมเขตเวลา เช่น 2022-07-31T23:59:00+07:00',
  'letters, digits and dashes, e.g. 2565': 'ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และขีด (-) เช่น 2565',
  'at most 500 answers at once': 'บันทึกได้ครั้งละไม่เกิน 500 ข้อ',
};

const typeTh = (t: string) => TYPE_TH[t] ?? t;

function sizeTh(
  origin: string | undefined,
  bound: number | bigint,
  more: boolean,
  inclusive: boolean,
): string {
  const n = String(bound);
  if (origin === 'string') return more ? `ต้องยาวไม่เกิน ${n} ตัวอักษร` : `ต้องยาวอย่างน้อย ${n} ตัวอักษร`;
  if (origin === 'array' || origin === 'set')
    return more ? `มีได้ไม่เกิน ${n} รายการ` : `ต้องมีอย่างน้อย ${n} รายการ`;
  if (origin === 'file') return more ? `ไฟล์ต้องไม่เกิน ${n} ไบต์` : `ไฟล์ต้องมีอย่างน้อย ${n} ไบต์`;
  if (more) return inclusive ? `ต้องไม่มากกว่า ${n}` : `ต้องน้อยกว่า ${n}`;
  return inclusive ? `ต้องไม่น้อยกว่า ${n}` : `ต้องมากกว่า ${n}`;
}

/**
 * A zod issue in Thai, for the `messageTh` of a field error (the English stays zod's own), so a
 * person never reads "Too big: expected string to have <=8 characters" untranslated.
 */
export function thaiIssueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const missing = issue.input === undefined && /received undefined/.test(issue.message);
      return missing
        ? `ต้องระบุ (${typeTh(issue.expected)})`
        : `ชนิดข้อมูลไม่ถูกต้อง ต้องเป็น${typeTh(issue.expected)}`;
    }
    case 'too_big':
      return sizeTh(issue.origin, issue.maximum, true, issue.inclusive !== false);
    case 'too_small':
      return sizeTh(issue.origin, issue.minimum, false, issue.inclusive !== false);
    case 'invalid_format':
      return KNOWN_TH[issue.message] ?? `รูปแบบไม่ถูกต้อง ต้องเป็น${FORMAT_TH[issue.format] ?? 'รูปแบบที่กำหนด'}`;
    case 'not_multiple_of':
      return `ต้องเป็นผลคูณของ ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `ไม่รู้จักช่อง ${issue.keys.map((k) => `"${k}"`).join(', ')} (สะกดผิดหรือไม่มีในรูปแบบนี้)`;
    case 'invalid_value':
      return `ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'ไม่ตรงกับรูปแบบใดที่รับได้';
    case 'invalid_key':
      return 'ชื่อช่องไม่ถูกต้อง';
    case 'invalid_element':
      return 'ข้อมูลในรายการไม่ถูกต้อง';
    case 'custom':
      return KNOWN_TH[issue.message] ?? `ข้อมูลไม่ถูกต้อง (${issue.message})`;
  }
}
