import { z } from 'zod';
import { NominationInput } from './awards';
import { fieldErrorsOf } from './errors';
import { BriefingInput } from './notifications';
import { SafeUrl } from './url';

const UNSAFE = [
  'javascript:alert(document.cookie)',
  'JavaScript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'http://www.dga.or.th/',
  'ftp://files.dga.or.th/plan.pdf',
  ' https://www.dga.or.th/',
  'https://www.dga.or.th/\n',
  'java\tscript:alert(1)',
  'https:www.dga.or.th',
  'https:/www.dga.or.th',
  '//www.dga.or.th/',
  'https://www.dga.or.th@evil.example/',
  'https://user:secret@www.dga.or.th/',
  'https://localhost/',
  'https://10.0.0.5/admin',
  'https://[::1]/',
  `https://www.dga.or.th/${'a'.repeat(2000)}`,
  'not a link',
  '',
];
const SAFE = [
  'https://www.dga.or.th/th/content/1234',
  'https://zoom.us/j/1234567890?pwd=abc',
  'HTTPS://WWW.DGA.OR.TH/',
  'https://ไทย.ไทย/เอกสาร.pdf',
  'https://www.example.go.th/plan.pdf#page=2',
];

/** Every place a person's link is stored, as a function from the link to the input that carries it. */
const storedFields: [string, z.ZodType, (url: string) => unknown][] = [
  [
    'nomination evidence[].url',
    NominationInput,
    (url) => ({
      agencyId: '00000000-0000-4000-8000-000000000001',
      nominee: { name: 'นางสาวทดสอบ ผู้นำ' },
      statement: 'นำการเปลี่ยนผ่านสู่ดิจิทัลของหน่วยงานอย่างโดดเด่น',
      evidence: [{ name: 'แผน', url }],
    }),
  ],
  ['briefing meetingLink', BriefingInput, (url) => ({ startsAt: '2022-05-25T09:30:00+07:00', meetingLink: url })],
  [
    'briefing documents[].url',
    BriefingInput,
    (url) => ({ startsAt: '2022-05-25T09:30:00+07:00', documents: [{ name: 'กำหนดการ', url }] }),
  ],
];

describe('SafeUrl: links people will open are https:// with a host name', () => {
  it.each(UNSAFE)('refuses %j', (url) => {
    expect(SafeUrl.safeParse(url).success).toBe(false);
  });
  it.each(SAFE)('takes %j as it is', (url) => {
    expect(SafeUrl.parse(url)).toBe(url);
  });

  describe.each(storedFields)('%s', (_name, schema, carry) => {
    it.each(UNSAFE.filter((u) => u.length <= 2000))('refuses %j with UNSAFE_URL', (url) => {
      const parsed = schema.safeParse(carry(url));
      expect(parsed.success).toBe(false);
      const errors = fieldErrorsOf(parsed.error!);
      expect(errors).toEqual([
        expect.objectContaining({ code: 'UNSAFE_URL', messageTh: expect.stringContaining('ลิงก์ไม่ปลอดภัย') }),
      ]);
      expect(errors[0].path).toMatch(/(^|\.)(url|meetingLink)$/);
    });
    it.each(SAFE)('takes %j', (url) => {
      expect(schema.safeParse(carry(url)).success).toBe(true);
    });
  });
});
