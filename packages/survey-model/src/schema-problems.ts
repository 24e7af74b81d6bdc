import type { z } from 'zod';
import type { DefinitionProblem } from './definition';
import { CONDITION_NEEDS_OPERATOR, ID_FORMAT, pathOf, show } from './labels';

/**
 * A zod issue as problems with a Thai message; unknown keys get one problem each, at the key.
 * Shared by the questionnaire and the scoring rules validators.
 */
export function schemaProblems(issue: z.core.$ZodIssue): DefinitionProblem[] {
  const path = pathOf(issue.path);
  const one = (messageTh: string, message = issue.message) => [{ path, code: 'SCHEMA', message, messageTh }];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({
        path: pathOf([...issue.path, k]),
        code: 'SCHEMA',
        message: `unknown key "${k}"`,
        messageTh: `ไม่รู้จักคีย์ "${k}" (สะกดผิดหรือไม่ได้อยู่ในรูปแบบ)`,
      }));
    case 'invalid_type':
      return issue.input === undefined
        ? one(`ต้องระบุ (${issue.expected})`, `required: expected ${issue.expected}`)
        : one(`ชนิดข้อมูลไม่ถูกต้อง ต้องเป็น ${issue.expected}`);
    case 'too_small':
      return one(
        issue.origin === 'array'
          ? `ต้องมีอย่างน้อย ${issue.minimum} รายการ`
          : issue.origin === 'string'
            ? `ต้องมีอย่างน้อย ${issue.minimum} ตัวอักษร`
            : issue.inclusive === false
              ? `ต้องมากกว่า ${issue.minimum}`
              : `ต้องไม่น้อยกว่า ${issue.minimum}`,
      );
    case 'too_big':
      return one(
        issue.origin === 'array'
          ? `มีได้ไม่เกิน ${issue.maximum} รายการ`
          : issue.origin === 'string'
            ? `ยาวได้ไม่เกิน ${issue.maximum} ตัวอักษร`
            : `ต้องไม่มากกว่า ${issue.maximum}`,
      );
    case 'invalid_format':
      return one(
        issue.message === ID_FORMAT
          ? 'รหัสใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข _ . - ไม่เกิน 64 ตัว และขึ้นต้นด้วยตัวอักษรหรือตัวเลข'
          : 'รูปแบบไม่ถูกต้อง',
      );
    case 'invalid_value':
      return one(`ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: ${issue.values.map(show).join(', ')}`);
    case 'custom':
      return one(
        issue.message === CONDITION_NEEDS_OPERATOR
          ? 'เงื่อนไขต้องมีตัวดำเนินการ: equals, in, answered หรือ gt/gte/lt/lte'
          : 'ข้อมูลไม่ถูกต้อง',
      );
    case 'invalid_union':
      if (issue.path.at(-1) === 'kind') {
        return one('ชนิดของเกณฑ์ให้คะแนน (kind) ต้องเป็น yes_no, choice, range, count หรือ evidence');
      }
      return path.includes('visibleIf')
        ? one(
            'เงื่อนไขไม่ถูกต้อง ใช้ได้เฉพาะ equals, in, answered, gt/gte/lt/lte, all, any, not',
            'not a valid condition: use equals, in, answered, gt/gte/lt/lte, all, any or not',
          )
        : one('ไม่ตรงกับรูปแบบใดที่อนุญาต');
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      return one('ข้อมูลไม่ถูกต้อง'); // the format uses none of these; kept for completeness
  }
}
