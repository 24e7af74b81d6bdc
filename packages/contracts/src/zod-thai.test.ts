import { z } from 'zod';
import { fieldErrorsOf } from './errors';
import { CycleCreateInput } from './intake';

const errorsOf = (schema: z.ZodType, value: unknown) => fieldErrorsOf(schema.safeParse(value).error!);

describe('field errors carry a Thai message for every zod issue', () => {
  it('translates sizes, types, formats, enums and unknown keys', () => {
    const schema = z
      .object({
        code: z.string().max(8),
        name: z.string().min(2),
        count: z.number().int().min(1),
        email: z.string().email(),
        kind: z.enum(['department', 'province']),
        needed: z.string(),
      })
      .strict();
    const errors = errorsOf(schema, {
      code: 'ABCDEFGHIJ',
      name: 'x',
      count: 0,
      email: 'nope',
      kind: 'ministry',
      extra: 1,
    });
    const th = Object.fromEntries(errors.map((e) => [e.path || e.code, e.messageTh]));
    expect(errors.find((e) => e.path === 'code')?.message).toMatch(/Too big/); // the English stays zod's
    expect(th).toMatchObject({
      code: 'ต้องยาวไม่เกิน 8 ตัวอักษร',
      name: 'ต้องยาวอย่างน้อย 2 ตัวอักษร',
      count: 'ต้องไม่น้อยกว่า 1',
      email: 'รูปแบบไม่ถูกต้อง ต้องเป็นอีเมล',
      kind: 'ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: "department", "province"',
      needed: 'ต้องระบุ (ข้อความ)',
      UNRECOGNIZED_KEYS: expect.stringContaining('"extra"'),
    });
    expect(errors.every((e) => /[\u0E00-\u0E7F]/.test(e.messageTh!))).toBe(true);
  });

  it("translates the contracts' own refinements (a Buddhist Era year)", () => {
    const errors = errorsOf(CycleCreateInput, {
      yearBE: 2565,
      title: { th: 'ก', en: 'a' },
      opensAt: '2565-05-01',
      closesAt: '2022-07-31',
    });
    expect(errors.find((e) => e.path === 'opensAt')?.messageTh).toContain('ปีคริสต์ศักราช');
  });
});
