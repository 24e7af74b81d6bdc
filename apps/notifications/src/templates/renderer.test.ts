import 'reflect-metadata';
import { TemplateBody, TemplateKey } from '@dg/contracts';
import { DEFAULT_TEMPLATES, sampleVariables, TEMPLATE_VARIABLES } from './defaults';
import { TemplateRenderer } from './renderer';

const KEYS = TemplateKey.options;
const LANGUAGES = ['th', 'en'] as const;

/** A body whose every part is `source` (to try one snippet in all four). */
const everywhere = (source: string): TemplateBody => ({
  subject: { th: source, en: source },
  html: { th: source, en: source },
  text: { th: source, en: source },
  line: { th: source, en: source },
});

describe('default templates', () => {
  const renderer = new TemplateRenderer();

  it('cover every key, fit the contract, and document every variable they are given', () => {
    expect(Object.keys(DEFAULT_TEMPLATES).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) {
      expect(() => TemplateBody.parse(DEFAULT_TEMPLATES[key])).not.toThrow();
      expect(Object.keys(sampleVariables(key)).sort()).toEqual(Object.keys(TEMPLATE_VARIABLES[key]).sort());
      for (const description of Object.values(TEMPLATE_VARIABLES[key]))
        expect(description.length).toBeGreaterThan(5);
    }
  });

  it.each(KEYS.flatMap((key) => LANGUAGES.map((language) => [key, language] as const)))(
    '%s (%s) renders with the sample variables: nothing undefined, no Handlebars left',
    (key, language) => {
      const out = renderer.render(DEFAULT_TEMPLATES[key], language, sampleVariables(key));
      for (const [part, value] of Object.entries(out)) {
        expect([part, value]).toEqual([part, expect.any(String)]);
        expect(value.length).toBeGreaterThan(20);
        expect(value).not.toMatch(/undefined|\[object Object\]|NaN|\{\{|\}\}/);
        expect(value).not.toMatch(/lorem|ipsum/i);
      }
      expect(out.subject).not.toMatch(/\n/);
      expect(out.line.length).toBeLessThanOrEqual(5000);
      expect(out.line).not.toMatch(/<[a-z][^>]*>/i); // no HTML in LINE
      expect(out.text).not.toMatch(/<[a-z][^>]*>/i);
      expect(out.text).not.toMatch(/\n\n\n/);
      // Inline styles only, nothing fetched from elsewhere.
      expect(out.html).not.toMatch(/<style|<link|<script|\ssrc=|url\(/i);
      expect(out.html).toContain('style="');
      if (language === 'th') {
        expect(out.subject).toMatch(/[\u0E00-\u0E7F]/);
        expect(out.text).toContain('2565'); // the B.E. year
      } else {
        expect(out.text).toMatch(/B\.E\. 2565/);
      }
    },
  );

  it.each(KEYS)('%s passes check() with and without its key', (key) => {
    expect(renderer.check(DEFAULT_TEMPLATES[key], key)).toEqual([]);
    expect(renderer.check(DEFAULT_TEMPLATES[key])).toEqual([]);
  });

  it('formats the dates of the briefing invitation the Thai way', () => {
    const out = renderer.render(
      DEFAULT_TEMPLATES.briefing_invitation,
      'th',
      sampleVariables('briefing_invitation'),
    );
    expect(out.text).toContain('วันและเวลา: 25 พฤษภาคม 2565 เวลา 09:30-12:00 น.');
    expect(out.text).toContain('ภายในวันที่ 15 กรกฎาคม 2565 เวลา 16:30 น.');
    expect(out.line).toContain('15 ก.ค. 2565 เวลา 16:30 น.');
    expect(out.text).toContain('- กำหนดการประชุม: https://survey.example.org/files/agenda-2565.pdf');
    const en = renderer.render(
      DEFAULT_TEMPLATES.briefing_invitation,
      'en',
      sampleVariables('briefing_invitation'),
    );
    expect(en.text).toContain('Date and time: 25 May 2022 (B.E. 2565), 09:30-12:00 (Bangkok time)');
  });

  it('leaves optional parts out cleanly when they are not given', () => {
    const vars = {
      ...sampleVariables('briefing_invitation'),
      venue: undefined,
      meetingLink: '',
      documents: [],
      briefingEndsAt: null,
    };
    const out = renderer.render(DEFAULT_TEMPLATES.briefing_invitation, 'th', vars);
    expect(out.text).toContain('วันและเวลา: 25 พฤษภาคม 2565 เวลา 09:30 น.');
    expect(out.text).not.toMatch(/สถานที่|ลิงก์เข้าร่วมประชุม|เอกสารประกอบการประชุม/);
    expect(out.text).not.toMatch(/\n\n\n/);
    expect(out.html).not.toContain('<ul');
  });

  it('says "today" and handles singular and plural in the reminder', () => {
    const base = sampleVariables('deadline_reminder');
    expect(
      renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'th', { ...base, daysLeft: 0 }).subject,
    ).toMatch(/ภายในวันนี้$/);
    expect(
      renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'en', { ...base, daysLeft: 0 }).subject,
    ).toMatch(/closes today$/);
    expect(
      renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'en', { ...base, daysLeft: 1 }).subject,
    ).toMatch(/in 1 day$/);
    expect(
      renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'en', { ...base, daysLeft: '7' }).subject,
    ).toMatch(/in 7 days$/);
  });

  it('tells an agency with an extension that the date is its own extended deadline', () => {
    const vars = {
      ...sampleVariables('deadline_reminder'),
      extended: true,
      deadline: '2022-08-03T16:59:59.999Z',
      daysLeft: 1,
    };
    const th = renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'th', vars);
    expect(th.subject).toMatch(/^แจ้งเตือน: กำหนดส่ง.*ที่ขยายเวลาให้หน่วยงานของท่านจะสิ้นสุดในอีก 1 วัน$/);
    for (const part of [th.html, th.text])
      expect(part).toContain('กำหนดส่งแบบสำรวจที่ขยายเวลาให้หน่วยงานของท่านคือวันที่');
    expect(th.text).toContain('3 สิงหาคม 2565 เวลา 23:59');
    expect(th.line).toContain('3 ส.ค. 2565');
    const en = renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'en', vars);
    expect(en.subject).toMatch(/^Reminder: your extended deadline for the .* ends in 1 day$/);
    expect(en.text).toContain("Your agency's extended deadline for the survey is in 1 day, on 3 August 2022");
    expect(en.line).toContain('extended deadline');
    // Without an extension, nothing speaks of one.
    const plain = renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'th', { ...vars, extended: false });
    expect(plain.text).toContain('ระบบจะปิดรับแบบสำรวจในวันที่ 3 สิงหาคม 2565');
    expect(`${plain.subject}${plain.text}${plain.line}`).not.toContain('ขยายเวลา');
  });

  it('reminds an agency whose response was returned of its corrected response, not of a first one', () => {
    const vars = {
      ...sampleVariables('deadline_reminder'),
      extended: true,
      returned: true,
      deadline: '2022-08-10T16:59:59.999Z',
      daysLeft: 3,
    };
    const th = renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'th', vars);
    expect(th.subject).toMatch(/^แจ้งเตือน: กำหนดส่ง.* ฉบับแก้ไขของหน่วยงานของท่านจะสิ้นสุดในอีก 3 วัน$/);
    for (const part of [th.html, th.text, th.line]) {
      expect(part).toContain('ยังไม่ได้ส่งแบบสำรวจที่แก้ไขแล้วกลับมา');
      expect(part).not.toContain('ขยายเวลา');
    }
    expect(th.text).toContain('กำหนดส่งแบบสำรวจฉบับแก้ไขของหน่วยงานของท่านคือวันที่ 10 สิงหาคม 2565 เวลา 23:59');
    const en = renderer.render(DEFAULT_TEMPLATES.deadline_reminder, 'en', vars);
    expect(en.subject).toMatch(/^Reminder: your corrected response for the .* is due in 3 days$/);
    expect(en.text).toContain("Your agency's corrected response is due in 3 days, on 10 August 2022");
    expect(en.text).toContain('the corrected response has not been sent back yet');
    expect(en.line).toContain('The corrected response has not been sent back yet.');
    expect(`${en.text}${en.line}`).not.toContain('has not been submitted');
  });

  it('keeps the reviewer’s remarks line by line in the HTML', () => {
    const out = renderer.render(
      DEFAULT_TEMPLATES.response_returned,
      'th',
      sampleVariables('response_returned'),
    );
    expect(out.html).toContain('white-space:pre-line');
    expect(out.html).toContain('ข้อ 3.2 โปรดแนบหลักฐานรายการบริการดิจิทัลที่เปิดให้บริการจริง\nข้อ 5.1');
  });

  it('lists the questions to correct with the verifier’s remarks (issue 14 item 6)', () => {
    const vars = sampleVariables('response_returned');
    const th = renderer.render(DEFAULT_TEMPLATES.response_returned, 'th', vars);
    for (const part of [th.html, th.text]) {
      expect(part).toContain('ข้อที่ต้องแก้ไข');
      expect(part).toContain('รายการบริการดิจิทัลที่เปิดให้บริการ (P3.Q2)');
      expect(part).toContain('ข้อสังเกต: โปรดแนบหลักฐานรายการบริการดิจิทัลที่เปิดให้บริการจริง');
      expect(part).toContain('วันที่ประกาศนโยบายความมั่นคงปลอดภัยสารสนเทศ (P5.Q1)');
    }
    expect(th.text.indexOf('(P3.Q2)')).toBeLessThan(th.text.indexOf('(P5.Q1)'));
    const en = renderer.render(DEFAULT_TEMPLATES.response_returned, 'en', vars);
    expect(en.text).toContain(
      'Answers to correct\n- Digital services in operation (P3.Q2)\n  Remark: โปรดแนบหลักฐาน',
    );
    expect(en.html).toContain('Date the information security policy was announced (P5.Q1)</li>');
    // Nothing rejected: no empty list.
    const none = renderer.render(DEFAULT_TEMPLATES.response_returned, 'th', { ...vars, rejected: [] });
    expect(none.text).not.toContain('\nข้อที่ต้องแก้ไข\n');
    expect(none.text).toContain('สารสนเทศ\n\nขอให้ท่านแก้ไข');
    expect(th.text).toContain('(P5.Q1)\n\nขอให้ท่านแก้ไข');
  });
});

describe('TemplateRenderer.render', () => {
  const renderer = new TemplateRenderer();

  it('escapes variables in the HTML, but not in the subject, the text or the LINE text', () => {
    const attack = '<script>alert("x")</script> & Co';
    const out = renderer.render(DEFAULT_TEMPLATES.submission_receipt, 'th', {
      ...sampleVariables('submission_receipt'),
      agencyName: attack,
    });
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(out.text).toContain(attack);
    expect(out.line).toContain(attack);
    expect(out.subject).toContain(attack);
  });

  it('has the date and number helpers', () => {
    const body = everywhere(
      '{{thaiDate d}} | {{thaiDate d "short"}} | {{thaiDate d "long-thai-digits" withTime=true}} | {{enDate d withTime=true}} | ' +
        '{{time d}} | {{thaiDigits y}} | {{#if (eq n 3)}}three{{else}}other{{/if}} | [{{thaiDate missing}}]',
    );
    const out = renderer.render(body, 'th', { d: '2022-05-24T17:05:00Z', y: 2565, n: '3' });
    expect(out.text).toBe(
      '25 พฤษภาคม 2565 | 25 พ.ค. 2565 | ๒๕ พฤษภาคม ๒๕๖๕ เวลา ๐๐:๐๕ น. | 25 May 2022, 00:05 (B.E. 2565) | 00:05 | ๒๕๖๕ | three | []',
    );
  });

  it('fails loudly on a date helper given something that is not a date, or an unknown style', () => {
    expect(() => renderer.render(everywhere('{{thaiDate d}}'), 'th', { d: 'soon' })).toThrow(
      /Not a date: soon/,
    );
    expect(() =>
      renderer.render(everywhere('{{thaiDate d "medium"}}'), 'th', { d: '2022-05-25T00:00:00Z' }),
    ).toThrow(/unknown style "medium"/);
  });

  it('compiles a template once, keyed by its content', () => {
    const fresh = new TemplateRenderer();
    const cache = (fresh as unknown as { cache: Map<string, unknown> }).cache;
    fresh.render(DEFAULT_TEMPLATES.results_published, 'th', sampleVariables('results_published'));
    fresh.render(DEFAULT_TEMPLATES.results_published, 'th', sampleVariables('results_published'));
    expect(cache.size).toBe(4); // subject, html, text, line
    fresh.render(
      structuredClone(DEFAULT_TEMPLATES.results_published),
      'th',
      sampleVariables('results_published'),
    );
    expect(cache.size).toBe(4); // the same text in another object is the same entry
    fresh.render(everywhere('{{agencyName}}'), 'th', {});
    expect(cache.size).toBe(6); // one source, compiled with and without HTML escaping
  });

  it('gives fresh sample variables each time', () => {
    const a = sampleVariables('briefing_invitation');
    (a.documents as unknown[]).length = 0;
    expect(sampleVariables('briefing_invitation').documents).toHaveLength(2);
  });
});

describe('TemplateRenderer.check', () => {
  const renderer = new TemplateRenderer();
  const edit = (
    patch: Partial<Record<keyof TemplateBody, Partial<Record<'th' | 'en', string>>>>,
  ): TemplateBody => {
    const body = structuredClone(DEFAULT_TEMPLATES.response_returned);
    for (const [part, langs] of Object.entries(patch)) Object.assign(body[part as keyof TemplateBody], langs);
    return body;
  };

  it('reports a syntax error with its path and line', () => {
    const problems = renderer.check(edit({ html: { th: '<p>สวัสดี</p>\n<p>{{#if comment}}ไม่ปิด</p>' } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'html.th', code: 'TEMPLATE_SYNTAX' });
    expect(problems[0].message).toMatch(/^html\.th: /);
    expect(problems[0].messageTh).toMatch(/แม่แบบ html\.th/);
  });

  it('reports an unclosed mustache and a mismatched block, each where it is', () => {
    const problems = renderer.check(
      edit({ subject: { en: 'Hello {{agencyName' }, line: { th: 'ก\nข\n{{#if comment}}x{{/each}}' } }),
    );
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['subject.en', 'TEMPLATE_SYNTAX'],
      ['line.th', 'TEMPLATE_SYNTAX'],
    ]);
    expect(problems[0].messageTh).toContain('บรรทัดที่ 1');
    expect(problems[1].messageTh).toContain('บรรทัดที่ 3');
  });

  it('reports an unknown helper, even in a branch the sample values do not reach', () => {
    const problems = renderer.check(edit({ text: { en: '{{#if nothing}}{{formatDate deadline}}{{/if}}' } }));
    expect(problems).toEqual([expect.objectContaining({ path: 'text.en', code: 'TEMPLATE_UNKNOWN_HELPER' })]);
    expect(problems[0].message).toContain('"formatDate"');
  });

  it('with the key, reports a variable the key does not provide (a typo), but not names inside #each', () => {
    const problems = renderer.check(
      edit({ text: { th: '{{agencyname}} {{comment}} {{#each items}}{{name}}{{/each}} {{@root.link}}' } }),
      'response_returned',
    );
    expect(problems.map((p) => [p.path, p.code, p.message.match(/"(\w+)"/)?.[1]])).toEqual([
      ['text.th', 'TEMPLATE_UNKNOWN_VARIABLE', 'agencyname'],
      ['text.th', 'TEMPLATE_UNKNOWN_VARIABLE', 'items'],
    ]);
  });

  it('refuses raw output in the HTML but allows it elsewhere', () => {
    const problems = renderer.check(
      edit({ html: { en: '<p>{{{comment}}}</p>' }, text: { en: '{{{comment}}}' } }),
    );
    expect(problems).toEqual([expect.objectContaining({ path: 'html.en', code: 'TEMPLATE_UNSAFE_HTML' })]);
  });

  it('reports a template that fails with the sample values', () => {
    const problems = renderer.check(edit({ line: { en: '{{thaiDate deadline "medium"}}' } }));
    expect(problems).toEqual([expect.objectContaining({ path: 'line.en', code: 'TEMPLATE_RENDER' })]);
  });

  it('reports a LINE text that would be over 5,000 characters', () => {
    const problems = renderer.check(edit({ line: { th: `${'ก'.repeat(4990)} {{comment}}` } }));
    expect(problems).toEqual([expect.objectContaining({ path: 'line.th', code: 'TEMPLATE_TOO_LONG' })]);
  });
});
