// The shipped default templates: Thai first, English a translation of it; Handlebars syntax.
// Every key has an e-mail subject, an HTML body (a fragment with inline styles only and no external
// assets: many government mail systems block remote images and strip <style>), a plain-text body, and a LINE
// text (plain, at most 5,000 characters). Dates arrive as ISO strings and are formatted by the
// helpers of `renderer.ts`: thaiDate, enDate, time, thaiDigits, eq.
//
// WARNING: a template that is never edited follows these texts; a change here changes what every
// agency receives from the next message on.
import type { TemplateBody, TemplateKey } from '@dg/contracts';

type Lang = 'th' | 'en';

const SENDER = {
  th: 'สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)',
  en: 'Digital Government Development Agency (Public Organization)',
} as const;

const SIGN_OFF = {
  th: `ขอแสดงความนับถือ\n${SENDER.th}`,
  en: `Yours sincerely,\n${SENDER.en}`,
} as const;

const FOOTER = {
  th:
    'ข้อความนี้ส่งโดยอัตโนมัติจากระบบการสำรวจระดับความพร้อมรัฐบาลดิจิทัล เนื่องจากท่านได้รับแจ้งชื่อเป็นผู้ประสานงานของหน่วยงาน ' +
    'หากมีข้อสงสัยหรือไม่ประสงค์รับข้อความทางช่องทางนี้ โปรดแจ้งทีมงานการสำรวจ',
  en:
    'This message was sent automatically by the digital government readiness survey system because you are registered as ' +
    "your agency's coordinator. If you have questions, or no longer wish to receive messages on this channel, please tell the survey team.",
} as const;

const LINE_TAG = {
  th: '[สำรวจความพร้อมรัฐบาลดิจิทัล ปี {{cycleYearBE}}]',
  en: '[Digital Government Readiness Survey, B.E. {{cycleYearBE}}]',
} as const;

// ---- HTML building blocks (inline styles only) -----------------------------------------------

const FONT = "font-family:Tahoma,'Leelawadee UI','Noto Sans Thai',Arial,sans-serif;";
const NAVY = '#1b3a6b';

const p = (inner: string): string => `<p style="margin:0 0 14px 0;">${inner}</p>`;

const button = (href: string, label: string): string =>
  `<p style="margin:20px 0;"><a href="${href}" style="display:inline-block;padding:11px 22px;background-color:${NAVY};color:#ffffff;` +
  `text-decoration:none;border-radius:4px;font-weight:bold;${FONT}">${label}</a></p>`;

const fallbackLink = (lang: Lang, href: string): string =>
  `<p style="margin:0 0 14px 0;font-size:13px;color:#52606d;">${
    lang === 'th'
      ? 'หากปุ่มไม่ทำงาน โปรดคัดลอกลิงก์นี้ไปเปิดในเบราว์เซอร์'
      : 'If the button does not work, copy this link into your browser'
  }: <a href="${href}" style="color:${NAVY};word-break:break-all;">${href}</a></p>`;

/** A two-column table of details; rows are [label, value] and may be wrapped in {{#if}} by the caller. */
const details = (rows: string): string =>
  `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" ` +
  `style="margin:4px 0 18px 0;border-collapse:collapse;background-color:#f5f7fa;border-left:4px solid ${NAVY};">${rows}</table>`;

const row = (label: string, value: string): string =>
  `<tr><td style="padding:8px 12px;width:34%;vertical-align:top;color:#52606d;${FONT}font-size:14px;">${label}</td>` +
  `<td style="padding:8px 12px;vertical-align:top;color:#1f2933;${FONT}font-size:14px;">${value}</td></tr>`;

const quote = (inner: string): string =>
  `<div style="margin:0 0 18px 0;padding:12px 16px;background-color:#fff8e6;border-left:4px solid #d69e2e;white-space:pre-line;">${inner}</div>`;

const greetingHtml = (lang: Lang): string =>
  lang === 'th' ? p('เรียน {{contactName}}<br>ผู้ประสานงาน {{agencyName}}') : p('Dear {{contactName}},');

const signOffHtml = (lang: Lang): string => p(SIGN_OFF[lang].replace('\n', '<br>'));

/**
 * A complete message body as an HTML fragment (no <html>/<head>): mail clients render fragments,
 * and the service can put the Thai and the English one after another in one e-mail.
 */
function page(lang: Lang, heading: string, body: string): string {
  return [
    `<div lang="${lang}" style="margin:0;padding:24px 12px;background-color:#eef1f5;">`,
    '<table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0" ' +
      'style="width:100%;max-width:600px;margin:0 auto;background-color:#ffffff;border:1px solid #d9dee5;border-radius:6px;border-collapse:separate;">',
    `<tr><td style="padding:16px 24px;background-color:${NAVY};color:#ffffff;${FONT}font-size:14px;font-weight:bold;border-radius:6px 6px 0 0;">${SENDER[lang]}</td></tr>`,
    `<tr><td style="padding:24px;${FONT}font-size:15px;line-height:1.7;color:#1f2933;">`,
    `<h1 style="margin:0 0 18px 0;${FONT}font-size:19px;line-height:1.5;color:${NAVY};">${heading}</h1>`,
    body,
    '</td></tr>',
    `<tr><td style="padding:14px 24px;border-top:1px solid #d9dee5;${FONT}font-size:12px;line-height:1.6;color:#6b7785;">${FOOTER[lang]}</td></tr>`,
    '</table>',
    '</div>',
  ].join('\n');
}

// ---- briefing_invitation ---------------------------------------------------------------------

const briefingWhen = {
  th: '{{thaiDate briefingStartsAt "long"}} เวลา {{time briefingStartsAt}}{{#if briefingEndsAt}}-{{time briefingEndsAt}}{{/if}} น.',
  en: '{{enDate briefingStartsAt}}, {{time briefingStartsAt}}{{#if briefingEndsAt}}-{{time briefingEndsAt}}{{/if}} (Bangkok time)',
} as const;

const briefingInvitation: TemplateBody = {
  subject: {
    th: 'ขอเชิญเข้าร่วมประชุมชี้แจง{{cycleTitleTh}}',
    en: 'Invitation to the briefing on the {{cycleTitleEn}}',
  },
  html: {
    th: page(
      'th',
      'ขอเชิญเข้าร่วมประชุมชี้แจง{{cycleTitleTh}}',
      [
        greetingHtml('th'),
        p(
          'ด้วย' +
            SENDER.th +
            ' (สพร.) กำหนดจัดการประชุมชี้แจง{{cycleTitleTh}} เพื่อชี้แจงกรอบการสำรวจ เกณฑ์การประเมิน ' +
            'ประเภทรางวัลรัฐบาลดิจิทัล และวิธีการตอบแบบสำรวจผ่านระบบออนไลน์ จึงขอเรียนเชิญท่านเข้าร่วมการประชุมตามรายละเอียดดังนี้',
        ),
        details(
          row('วันและเวลา', briefingWhen.th) +
            '{{#if venue}}' +
            row('สถานที่', '{{venue}}') +
            '{{/if}}{{#if meetingLink}}' +
            row(
              'ลิงก์เข้าร่วมประชุม',
              `<a href="{{meetingLink}}" style="color:${NAVY};word-break:break-all;">{{meetingLink}}</a>`,
            ) +
            '{{/if}}',
        ),
        '{{#if documents}}',
        p('<strong>เอกสารประกอบการประชุม</strong>'),
        `<ul style="margin:0 0 18px 0;padding-left:22px;">{{#each documents}}<li style="margin:0 0 6px 0;"><a href="{{url}}" style="color:${NAVY};">{{name}}</a></li>{{/each}}</ul>`,
        '{{/if}}',
        p(
          'ทั้งนี้ ขอให้หน่วยงานตอบแบบสำรวจผ่านระบบให้แล้วเสร็จภายในวันที่ <strong>{{thaiDate deadline "long" withTime=true}}</strong>',
        ),
        button('{{link}}', 'เข้าสู่ระบบตอบแบบสำรวจ'),
        fallbackLink('th', '{{link}}'),
        p('จึงเรียนมาเพื่อโปรดพิจารณาเข้าร่วมการประชุม และขอขอบคุณในความร่วมมือมา ณ โอกาสนี้'),
        signOffHtml('th'),
      ].join('\n'),
    ),
    en: page(
      'en',
      'Invitation to the briefing on the {{cycleTitleEn}}',
      [
        greetingHtml('en'),
        p(
          `The ${SENDER.en} (DGA) is holding a briefing on the {{cycleTitleEn}} for {{agencyName}} and the other participating agencies. ` +
            'It will explain the survey framework, the assessment criteria, the Digital Government Awards categories and how to answer ' +
            'the survey online. You are cordially invited to attend:',
        ),
        details(
          row('Date and time', briefingWhen.en) +
            '{{#if venue}}' +
            row('Venue', '{{venue}}') +
            '{{/if}}{{#if meetingLink}}' +
            row(
              'Online meeting link',
              `<a href="{{meetingLink}}" style="color:${NAVY};word-break:break-all;">{{meetingLink}}</a>`,
            ) +
            '{{/if}}',
        ),
        '{{#if documents}}',
        p('<strong>Briefing documents</strong>'),
        `<ul style="margin:0 0 18px 0;padding-left:22px;">{{#each documents}}<li style="margin:0 0 6px 0;"><a href="{{url}}" style="color:${NAVY};">{{name}}</a></li>{{/each}}</ul>`,
        '{{/if}}',
        p(
          'Please complete and submit the survey online by <strong>{{enDate deadline withTime=true}}</strong>.',
        ),
        button('{{link}}', 'Open the survey'),
        fallbackLink('en', '{{link}}'),
        p('Thank you for your cooperation.'),
        signOffHtml('en'),
      ].join('\n'),
    ),
  },
  text: {
    th: `เรียน {{contactName}}
ผู้ประสานงาน {{agencyName}}

ด้วย${SENDER.th} (สพร.) กำหนดจัดการประชุมชี้แจง{{cycleTitleTh}} เพื่อชี้แจงกรอบการสำรวจ เกณฑ์การประเมิน ประเภทรางวัลรัฐบาลดิจิทัล และวิธีการตอบแบบสำรวจผ่านระบบออนไลน์ จึงขอเรียนเชิญท่านเข้าร่วมการประชุมตามรายละเอียดดังนี้

วันและเวลา: ${briefingWhen.th}
{{#if venue}}
สถานที่: {{venue}}
{{/if}}
{{#if meetingLink}}
ลิงก์เข้าร่วมประชุม: {{meetingLink}}
{{/if}}
{{#if documents}}

เอกสารประกอบการประชุม:
{{#each documents}}
- {{name}}: {{url}}
{{/each}}
{{/if}}

ทั้งนี้ ขอให้หน่วยงานตอบแบบสำรวจผ่านระบบให้แล้วเสร็จภายในวันที่ {{thaiDate deadline "long" withTime=true}} โดยเข้าสู่ระบบได้ที่ {{link}}

จึงเรียนมาเพื่อโปรดพิจารณาเข้าร่วมการประชุม และขอขอบคุณในความร่วมมือมา ณ โอกาสนี้

${SIGN_OFF.th}

--
${FOOTER.th}
`,
    en: `Dear {{contactName}},

The ${SENDER.en} (DGA) is holding a briefing on the {{cycleTitleEn}} for {{agencyName}} and the other participating agencies. It will explain the survey framework, the assessment criteria, the Digital Government Awards categories and how to answer the survey online. You are cordially invited to attend:

Date and time: ${briefingWhen.en}
{{#if venue}}
Venue: {{venue}}
{{/if}}
{{#if meetingLink}}
Online meeting link: {{meetingLink}}
{{/if}}
{{#if documents}}

Briefing documents:
{{#each documents}}
- {{name}}: {{url}}
{{/each}}
{{/if}}

Please complete and submit the survey online by {{enDate deadline withTime=true}} at {{link}}

Thank you for your cooperation.

${SIGN_OFF.en}

--
${FOOTER.en}
`,
  },
  line: {
    th: `${LINE_TAG.th}
เรียน {{contactName}}
สพร. ขอเชิญผู้ประสานงาน {{agencyName}} เข้าร่วมประชุมชี้แจง{{cycleTitleTh}}

วันที่ ${briefingWhen.th}
{{#if venue}}
สถานที่: {{venue}}
{{/if}}
{{#if meetingLink}}
ลิงก์ประชุม: {{meetingLink}}
{{/if}}
{{#if documents}}
เอกสารประกอบการประชุม:
{{#each documents}}
- {{name}} {{url}}
{{/each}}
{{/if}}

ขอให้ตอบแบบสำรวจภายในวันที่ {{thaiDate deadline "short" withTime=true}}
เข้าสู่ระบบ: {{link}}
ขอขอบคุณในความร่วมมือ`,
    en: `${LINE_TAG.en}
Dear {{contactName}},
DGA invites the coordinator of {{agencyName}} to the briefing on the {{cycleTitleEn}}.

When: ${briefingWhen.en}
{{#if venue}}
Venue: {{venue}}
{{/if}}
{{#if meetingLink}}
Meeting link: {{meetingLink}}
{{/if}}
{{#if documents}}
Briefing documents:
{{#each documents}}
- {{name}} {{url}}
{{/each}}
{{/if}}

Please submit the survey by {{enDate deadline withTime=true}}.
Survey: {{link}}
Thank you for your cooperation.`,
  },
};

// ---- deadline_reminder -----------------------------------------------------------------------
// `deadline` is the recipient's own: the cycle's closing date, or, when `extended`, the later
// deadline an operator gave that agency (an extension or a correction period). `returned`: the
// response was sent back for correction, so what is awaited is the corrected one, not a first one.

const daysLeftTh = '{{#if (eq daysLeft 0)}}วันนี้{{else}}อีก {{daysLeft}} วัน{{/if}}';
const daysLeftEn =
  '{{#if (eq daysLeft 0)}}today{{else}}in {{daysLeft}} {{#if (eq daysLeft 1)}}day{{else}}days{{/if}}{{/if}}';
/** "The survey closes on <date>" or, with an extension, "your agency's extended deadline is <date>". */
const closesOnTh = (date: string): string =>
  '{{#if returned}}กำหนดส่งแบบสำรวจฉบับแก้ไขของหน่วยงานของท่านคือวันที่ ' +
  date +
  '{{else if extended}}กำหนดส่งแบบสำรวจที่ขยายเวลาให้หน่วยงานของท่านคือวันที่ ' +
  date +
  '{{else}}ระบบจะปิดรับแบบสำรวจในวันที่ ' +
  date +
  '{{/if}}';
const closesOnEn = (date: string): string =>
  "{{#if returned}}Your agency's corrected response is due " +
  daysLeftEn +
  ', on ' +
  date +
  "{{else if extended}}Your agency's extended deadline for the survey is " +
  daysLeftEn +
  ', on ' +
  date +
  '{{else}}The survey closes ' +
  daysLeftEn +
  ', on ' +
  date +
  '{{/if}}';

const deadlineReminder: TemplateBody = {
  subject: {
    th:
      'แจ้งเตือน: {{#if returned}}กำหนดส่ง{{cycleTitleTh}} ฉบับแก้ไขของหน่วยงานของท่านจะสิ้นสุด{{else if extended}}กำหนดส่ง{{cycleTitleTh}} ที่ขยายเวลาให้หน่วยงานของท่านจะสิ้นสุด{{else}}{{cycleTitleTh}} จะปิดรับคำตอบ{{/if}}' +
      '{{#if (eq daysLeft 0)}}ภายในวันนี้{{else}}ในอีก {{daysLeft}} วัน{{/if}}',
    en:
      'Reminder: {{#if returned}}your corrected response for the {{cycleTitleEn}} is due{{else if extended}}your extended deadline for the {{cycleTitleEn}} ends{{else}}the {{cycleTitleEn}} closes{{/if}} ' +
      daysLeftEn,
  },
  html: {
    th: page(
      'th',
      '{{#if returned}}แจ้งเตือนกำหนดส่งแบบสำรวจฉบับแก้ไข{{else if extended}}แจ้งเตือนกำหนดส่งแบบสำรวจที่ขยายเวลา{{else}}แจ้งเตือนกำหนดปิดรับแบบสำรวจ{{/if}}',
      [
        greetingHtml('th'),
        p(`ตามที่${SENDER.th} (สพร.) ได้ขอความร่วมมือหน่วยงานของท่านตอบ{{cycleTitleTh}} นั้น`),
        p(
          'สพร. ขอเรียนแจ้งว่า' +
            closesOnTh('<strong>{{thaiDate deadline "long" withTime=true}}</strong>') +
            ' (' +
            daysLeftTh +
            ') และจากข้อมูลในระบบ ณ ขณะนี้ {{#if returned}}หน่วยงานของท่านยังไม่ได้ส่งแบบสำรวจที่แก้ไขแล้วกลับมา{{else}}หน่วยงานของท่านยังไม่ได้ส่งแบบสำรวจ{{/if}}',
        ),
        p(
          'จึงขอความอนุเคราะห์ให้ผู้ประสานงานกรอกคำตอบและแนบหลักฐานให้ครบถ้วน และเสนอผู้บริหารของหน่วยงานอนุมัติการส่งแบบสำรวจภายในกำหนด',
        ),
        button('{{link}}', 'เข้าสู่ระบบตอบแบบสำรวจ'),
        fallbackLink('th', '{{link}}'),
        p('หากหน่วยงานของท่านได้ส่งแบบสำรวจเรียบร้อยแล้ว ขอขอบคุณและโปรดละเว้นข้อความนี้'),
        signOffHtml('th'),
      ].join('\n'),
    ),
    en: page(
      'en',
      '{{#if returned}}Reminder: your corrected response is due soon{{else if extended}}Reminder: your extended deadline is near{{else}}Reminder: the survey closes soon{{/if}}',
      [
        greetingHtml('en'),
        p(`The ${SENDER.en} (DGA) asked {{agencyName}} to answer the {{cycleTitleEn}}.`),
        p(
          closesOnEn('<strong>{{enDate deadline withTime=true}}</strong>') +
            "{{#if returned}}, and our records show that the corrected response has not been sent back yet.{{else}}, and our records show that your agency's response has not been submitted yet.{{/if}}",
        ),
        p(
          "Please complete the answers, attach the evidence, and have your agency's executive approve the submission before the deadline.",
        ),
        button('{{link}}', 'Open the survey'),
        fallbackLink('en', '{{link}}'),
        p('If your agency has already submitted its response, thank you, and please disregard this message.'),
        signOffHtml('en'),
      ].join('\n'),
    ),
  },
  text: {
    th: `เรียน {{contactName}}
ผู้ประสานงาน {{agencyName}}

ตามที่${SENDER.th} (สพร.) ได้ขอความร่วมมือหน่วยงานของท่านตอบ{{cycleTitleTh}} นั้น

สพร. ขอเรียนแจ้งว่า${closesOnTh('{{thaiDate deadline "long" withTime=true}}')} (${daysLeftTh}) และจากข้อมูลในระบบ ณ ขณะนี้ {{#if returned}}หน่วยงานของท่านยังไม่ได้ส่งแบบสำรวจที่แก้ไขแล้วกลับมา{{else}}หน่วยงานของท่านยังไม่ได้ส่งแบบสำรวจ{{/if}}

จึงขอความอนุเคราะห์ให้ผู้ประสานงานกรอกคำตอบและแนบหลักฐานให้ครบถ้วน และเสนอผู้บริหารของหน่วยงานอนุมัติการส่งแบบสำรวจภายในกำหนด โดยเข้าสู่ระบบได้ที่ {{link}}

หากหน่วยงานของท่านได้ส่งแบบสำรวจเรียบร้อยแล้ว ขอขอบคุณและโปรดละเว้นข้อความนี้

${SIGN_OFF.th}

--
${FOOTER.th}
`,
    en: `Dear {{contactName}},

The ${SENDER.en} (DGA) asked {{agencyName}} to answer the {{cycleTitleEn}}.

${closesOnEn('{{enDate deadline withTime=true}}')}{{#if returned}}, and our records show that the corrected response has not been sent back yet.{{else}}, and our records show that your agency's response has not been submitted yet.{{/if}}

Please complete the answers, attach the evidence, and have your agency's executive approve the submission before the deadline: {{link}}

If your agency has already submitted its response, thank you, and please disregard this message.

${SIGN_OFF.en}

--
${FOOTER.en}
`,
  },
  line: {
    th: `${LINE_TAG.th}
เรียน {{contactName}}
แจ้งเตือน: {{#if returned}}กำหนดส่งแบบสำรวจฉบับแก้ไขของ {{agencyName}} คือวันที่{{else if extended}}กำหนดส่งแบบสำรวจที่ขยายเวลาให้ {{agencyName}} คือวันที่{{else}}ระบบจะปิดรับแบบสำรวจของ {{agencyName}} ในวันที่{{/if}} {{thaiDate deadline "short" withTime=true}} (${daysLeftTh})
ขณะนี้{{#if returned}}หน่วยงานของท่านยังไม่ได้ส่งแบบสำรวจที่แก้ไขแล้วกลับมา{{else}}หน่วยงานของท่านยังไม่ได้ส่งแบบสำรวจ{{/if}} โปรดกรอกคำตอบ แนบหลักฐาน และเสนอผู้บริหารอนุมัติการส่งภายในกำหนด

เข้าสู่ระบบ: {{link}}
หากส่งแล้ว ขอขอบคุณและโปรดละเว้นข้อความนี้`,
    en: `${LINE_TAG.en}
Dear {{contactName}},
Reminder: {{#if returned}}the corrected response of {{agencyName}} is due{{else if extended}}the extended deadline of {{agencyName}} for the survey is{{else}}the survey for {{agencyName}} closes{{/if}} ${daysLeftEn}, on {{enDate deadline withTime=true}}.
{{#if returned}}The corrected response has not been sent back yet.{{else}}Your agency's response has not been submitted yet.{{/if}} Please complete the answers, attach the evidence and have your executive approve the submission in time.

Survey: {{link}}
If you have already submitted, thank you, and please disregard this message.`,
  },
};

// ---- submission_receipt ----------------------------------------------------------------------

const submissionReceipt: TemplateBody = {
  subject: {
    th: 'ยืนยันการได้รับแบบสำรวจของ {{agencyName}} (ส่งครั้งที่ {{submission}})',
    en: 'Response received: {{agencyName}} (submission {{submission}})',
  },
  html: {
    th: page(
      'th',
      'ยืนยันการได้รับแบบสำรวจ',
      [
        greetingHtml('th'),
        p('สพร. ได้รับคำตอบ{{cycleTitleTh}} ของ {{agencyName}} เรียบร้อยแล้ว ตามรายละเอียดดังนี้'),
        details(
          row('หน่วยงาน', '{{agencyName}}') +
            row('ส่งครั้งที่', '{{submission}}') +
            row('วันและเวลาที่ได้รับ', '{{thaiDate submittedAt "long" withTime=true}}'),
        ),
        p(
          'ขณะนี้แบบสำรวจของหน่วยงานอยู่ระหว่างการตรวจสอบคำตอบและหลักฐานโดยเจ้าหน้าที่ หากต้องแก้ไขหรือเพิ่มเติมข้อมูล ระบบจะแจ้งให้ท่านทราบต่อไป',
        ),
        button('{{link}}', 'ดูแบบสำรวจที่ส่งแล้ว'),
        fallbackLink('th', '{{link}}'),
        p('หากการส่งครั้งนี้ไม่ได้ดำเนินการโดยหน่วยงานของท่าน โปรดแจ้งทีมงานการสำรวจโดยเร็ว'),
        p('จึงเรียนมาเพื่อโปรดทราบ และขอขอบคุณในความร่วมมือ'),
        signOffHtml('th'),
      ].join('\n'),
    ),
    en: page(
      'en',
      'Your survey response has been received',
      [
        greetingHtml('en'),
        p('DGA has received the response of {{agencyName}} to the {{cycleTitleEn}}:'),
        details(
          row('Agency', '{{agencyName}}') +
            row('Submission', '{{submission}}') +
            row('Received on', '{{enDate submittedAt withTime=true}}'),
        ),
        p(
          'Our staff are now checking the answers and the evidence. If anything needs to be corrected or added, you will be told.',
        ),
        button('{{link}}', 'View the submitted response'),
        fallbackLink('en', '{{link}}'),
        p('If this submission was not made by your agency, please tell the survey team at once.'),
        p('Thank you for your cooperation.'),
        signOffHtml('en'),
      ].join('\n'),
    ),
  },
  text: {
    th: `เรียน {{contactName}}
ผู้ประสานงาน {{agencyName}}

สพร. ได้รับคำตอบ{{cycleTitleTh}} ของ {{agencyName}} เรียบร้อยแล้ว ตามรายละเอียดดังนี้

ส่งครั้งที่: {{submission}}
วันและเวลาที่ได้รับ: {{thaiDate submittedAt "long" withTime=true}}

ขณะนี้แบบสำรวจของหน่วยงานอยู่ระหว่างการตรวจสอบคำตอบและหลักฐานโดยเจ้าหน้าที่ หากต้องแก้ไขหรือเพิ่มเติมข้อมูล ระบบจะแจ้งให้ท่านทราบต่อไป ท่านสามารถดูแบบสำรวจที่ส่งแล้วได้ที่ {{link}}

หากการส่งครั้งนี้ไม่ได้ดำเนินการโดยหน่วยงานของท่าน โปรดแจ้งทีมงานการสำรวจโดยเร็ว

จึงเรียนมาเพื่อโปรดทราบ และขอขอบคุณในความร่วมมือ

${SIGN_OFF.th}

--
${FOOTER.th}
`,
    en: `Dear {{contactName}},

DGA has received the response of {{agencyName}} to the {{cycleTitleEn}}.

Submission: {{submission}}
Received on: {{enDate submittedAt withTime=true}}

Our staff are now checking the answers and the evidence. If anything needs to be corrected or added, you will be told. You can view the submitted response at {{link}}

If this submission was not made by your agency, please tell the survey team at once.

Thank you for your cooperation.

${SIGN_OFF.en}

--
${FOOTER.en}
`,
  },
  line: {
    th: `${LINE_TAG.th}
เรียน {{contactName}}
สพร. ได้รับแบบสำรวจของ {{agencyName}} แล้ว
ส่งครั้งที่ {{submission}} เมื่อ {{thaiDate submittedAt "short" withTime=true}}
ขณะนี้อยู่ระหว่างการตรวจสอบ หากต้องแก้ไข ระบบจะแจ้งให้ทราบ

ดูแบบสำรวจที่ส่งแล้ว: {{link}}
ขอขอบคุณในความร่วมมือ`,
    en: `${LINE_TAG.en}
Dear {{contactName}},
DGA has received the response of {{agencyName}}.
Submission {{submission}}, received on {{enDate submittedAt withTime=true}}.
It is now being checked; you will be told if anything needs correcting.

View it: {{link}}
Thank you for your cooperation.`,
  },
};

// ---- response_returned -----------------------------------------------------------------------

const correctBy = {
  th: '{{#if correctionDeadline}}{{thaiDate correctionDeadline "long" withTime=true}}{{else}}{{thaiDate deadline "long" withTime=true}}{{/if}}',
  en: '{{#if correctionDeadline}}{{enDate correctionDeadline withTime=true}}{{else}}{{enDate deadline withTime=true}}{{/if}}',
} as const;

/** The questions to fix, each with the verifier's remark (`rejected`, in questionnaire order). */
const fixListHtml = (lang: Lang): string =>
  '{{#if rejected}}' +
  p(lang === 'th' ? '<strong>ข้อที่ต้องแก้ไข</strong>' : '<strong>Answers to correct</strong>') +
  '<ol style="margin:0 0 18px 0;padding-left:22px;">{{#each rejected}}<li style="margin:0 0 8px 0;">' +
  (lang === 'th' ? '{{textTh}}' : '{{#if textEn}}{{textEn}}{{else}}{{textTh}}{{/if}}') +
  ' ({{questionId}}){{#if comment}}<br><em>' +
  (lang === 'th' ? 'ข้อสังเกต' : 'Remark') +
  ': {{comment}}</em>{{/if}}</li>{{/each}}</ol>{{/if}}';

const fixListText = {
  th: `{{#if rejected}}
ข้อที่ต้องแก้ไข
{{#each rejected}}- {{textTh}} ({{questionId}}){{#if comment}}
  ข้อสังเกต: {{comment}}{{/if}}
{{/each}}

{{/if}}`,
  en: `{{#if rejected}}
Answers to correct
{{#each rejected}}- {{#if textEn}}{{textEn}}{{else}}{{textTh}}{{/if}} ({{questionId}}){{#if comment}}
  Remark: {{comment}}{{/if}}
{{/each}}

{{/if}}`,
} as const;

const responseReturned: TemplateBody = {
  subject: {
    th: 'ขอให้ตรวจสอบและแก้ไขแบบสำรวจของ {{agencyName}}',
    en: 'Please review and correct the survey response of {{agencyName}}',
  },
  html: {
    th: page(
      'th',
      'ขอให้ตรวจสอบและแก้ไขแบบสำรวจ',
      [
        greetingHtml('th'),
        p(
          'ตามที่หน่วยงานของท่านได้ส่งคำตอบ{{cycleTitleTh}} นั้น จากการตรวจสอบ เจ้าหน้าที่ขอให้หน่วยงานตรวจสอบและแก้ไขคำตอบ' +
            '{{#if rejectedCount}} จำนวน <strong>{{rejectedCount}} ข้อ</strong>{{/if}}{{#if comment}} โดยมีข้อสังเกตดังนี้{{/if}}',
        ),
        '{{#if comment}}' + quote('{{comment}}') + '{{/if}}',
        fixListHtml('th'),
        p(
          'ขอให้ท่านแก้ไขคำตอบหรือแนบหลักฐานเพิ่มเติม แล้วส่งแบบสำรวจอีกครั้งภายในวันที่ <strong>' +
            correctBy.th +
            '</strong> ทั้งนี้ ข้อที่ต้องแก้ไขจะมีข้อสังเกตของเจ้าหน้าที่กำกับไว้ในระบบ',
        ),
        button('{{link}}', 'แก้ไขแบบสำรวจ'),
        fallbackLink('th', '{{link}}'),
        p('จึงเรียนมาเพื่อโปรดดำเนินการ และขอขอบคุณในความร่วมมือ'),
        signOffHtml('th'),
      ].join('\n'),
    ),
    en: page(
      'en',
      'Please review and correct your survey response',
      [
        greetingHtml('en'),
        p(
          'Thank you for submitting the response of {{agencyName}} to the {{cycleTitleEn}}. After checking it, our staff ask your agency to review and correct ' +
            '{{#if rejectedCount}}<strong>{{rejectedCount}} {{#if (eq rejectedCount 1)}}answer{{else}}answers{{/if}}</strong>{{else}}some answers{{/if}}' +
            '{{#if comment}}, with the following remarks:{{else}}.{{/if}}',
        ),
        '{{#if comment}}' + quote('{{comment}}') + '{{/if}}',
        fixListHtml('en'),
        p(
          'Please correct the answers or attach further evidence, and submit the survey again by <strong>' +
            correctBy.en +
            "</strong>. Each answer to correct carries the reviewer's remark in the system.",
        ),
        button('{{link}}', 'Correct the response'),
        fallbackLink('en', '{{link}}'),
        p('Thank you for your cooperation.'),
        signOffHtml('en'),
      ].join('\n'),
    ),
  },
  text: {
    th: `เรียน {{contactName}}
ผู้ประสานงาน {{agencyName}}

ตามที่หน่วยงานของท่านได้ส่งคำตอบ{{cycleTitleTh}} นั้น จากการตรวจสอบ เจ้าหน้าที่ขอให้หน่วยงานตรวจสอบและแก้ไขคำตอบ{{#if rejectedCount}} จำนวน {{rejectedCount}} ข้อ{{/if}}{{#if comment}} โดยมีข้อสังเกตดังนี้

{{comment}}
{{/if}}

${fixListText.th}
ขอให้ท่านแก้ไขคำตอบหรือแนบหลักฐานเพิ่มเติม แล้วส่งแบบสำรวจอีกครั้งภายในวันที่ ${correctBy.th} โดยเข้าสู่ระบบได้ที่ {{link}} ทั้งนี้ ข้อที่ต้องแก้ไขจะมีข้อสังเกตของเจ้าหน้าที่กำกับไว้ในระบบ

จึงเรียนมาเพื่อโปรดดำเนินการ และขอขอบคุณในความร่วมมือ

${SIGN_OFF.th}

--
${FOOTER.th}
`,
    en: `Dear {{contactName}},

Thank you for submitting the response of {{agencyName}} to the {{cycleTitleEn}}. After checking it, our staff ask your agency to review and correct {{#if rejectedCount}}{{rejectedCount}} {{#if (eq rejectedCount 1)}}answer{{else}}answers{{/if}}{{else}}some answers{{/if}}{{#if comment}}, with the following remarks:

{{comment}}
{{else}}.
{{/if}}

${fixListText.en}
Please correct the answers or attach further evidence, and submit the survey again by ${correctBy.en} at {{link}}
Each answer to correct carries the reviewer's remark in the system.

Thank you for your cooperation.

${SIGN_OFF.en}

--
${FOOTER.en}
`,
  },
  line: {
    th: `${LINE_TAG.th}
เรียน {{contactName}}
เจ้าหน้าที่ขอให้ {{agencyName}} ตรวจสอบและแก้ไขคำตอบ{{#if rejectedCount}} จำนวน {{rejectedCount}} ข้อ{{/if}}
{{#if comment}}
ข้อสังเกต: {{comment}}
{{/if}}

โปรดแก้ไขและส่งอีกครั้งภายในวันที่ ${correctBy.th}
แก้ไขแบบสำรวจ: {{link}}
ขอขอบคุณในความร่วมมือ`,
    en: `${LINE_TAG.en}
Dear {{contactName}},
Our staff ask {{agencyName}} to review and correct {{#if rejectedCount}}{{rejectedCount}} {{#if (eq rejectedCount 1)}}answer{{else}}answers{{/if}}{{else}}some answers{{/if}}.
{{#if comment}}
Remarks: {{comment}}
{{/if}}

Please correct them and submit again by ${correctBy.en}.
Correct the response: {{link}}
Thank you for your cooperation.`,
  },
};

// ---- results_published -----------------------------------------------------------------------

const resultsPublished: TemplateBody = {
  subject: {
    th: 'ประกาศผล{{cycleTitleTh}}',
    en: 'Results of the {{cycleTitleEn}} are published',
  },
  html: {
    th: page(
      'th',
      'ประกาศผล{{cycleTitleTh}}',
      [
        greetingHtml('th'),
        p(
          `${SENDER.th} (สพร.) ขอเรียนแจ้งว่า ได้ประกาศผล{{cycleTitleTh}} เรียบร้อยแล้ว ` +
            'ท่านสามารถดูผลการประเมินของ {{agencyName}} ทั้งในภาพรวมและรายตัวชี้วัดได้จากปุ่มด้านล่าง',
        ),
        button('{{scoreLink}}', 'ดูผลการประเมินของหน่วยงาน'),
        fallbackLink('th', '{{scoreLink}}'),
        p(
          'ผลการประเมินสะท้อนระดับความพร้อมรัฐบาลดิจิทัลของหน่วยงาน และสามารถใช้ประกอบการวางแผนพัฒนางานด้านดิจิทัลของหน่วยงานต่อไป ' +
            'รายละเอียดการสำรวจและเอกสารที่เกี่ยวข้องดูได้ที่ <a href="{{link}}" style="color:' +
            NAVY +
            ';">{{link}}</a>',
        ),
        p('สพร. ขอขอบคุณท่านและ {{agencyName}} ที่ให้ความร่วมมือในการตอบแบบสำรวจครั้งนี้'),
        signOffHtml('th'),
      ].join('\n'),
    ),
    en: page(
      'en',
      'Results of the {{cycleTitleEn}} are published',
      [
        greetingHtml('en'),
        p(
          `The ${SENDER.en} (DGA) has published the results of the {{cycleTitleEn}}. ` +
            'You can view the results of {{agencyName}}, overall and for each indicator, with the button below.',
        ),
        button('{{scoreLink}}', "View your agency's results"),
        fallbackLink('en', '{{scoreLink}}'),
        p(
          "The results reflect your agency's digital government readiness and can inform its plans for digital development. " +
            `The survey details and related documents are at <a href="{{link}}" style="color:${NAVY};">{{link}}</a>`,
        ),
        p('DGA thanks you and {{agencyName}} for taking part in this survey.'),
        signOffHtml('en'),
      ].join('\n'),
    ),
  },
  text: {
    th: `เรียน {{contactName}}
ผู้ประสานงาน {{agencyName}}

${SENDER.th} (สพร.) ขอเรียนแจ้งว่า ได้ประกาศผล{{cycleTitleTh}} เรียบร้อยแล้ว ท่านสามารถดูผลการประเมินของ {{agencyName}} ทั้งในภาพรวมและรายตัวชี้วัดได้ที่ {{scoreLink}}

ผลการประเมินสะท้อนระดับความพร้อมรัฐบาลดิจิทัลของหน่วยงาน และสามารถใช้ประกอบการวางแผนพัฒนางานด้านดิจิทัลของหน่วยงานต่อไป รายละเอียดการสำรวจและเอกสารที่เกี่ยวข้องดูได้ที่ {{link}}

สพร. ขอขอบคุณท่านและ {{agencyName}} ที่ให้ความร่วมมือในการตอบแบบสำรวจครั้งนี้

${SIGN_OFF.th}

--
${FOOTER.th}
`,
    en: `Dear {{contactName}},

The ${SENDER.en} (DGA) has published the results of the {{cycleTitleEn}}. You can view the results of {{agencyName}}, overall and for each indicator, at {{scoreLink}}

The results reflect your agency's digital government readiness and can inform its plans for digital development. The survey details and related documents are at {{link}}

DGA thanks you and {{agencyName}} for taking part in this survey.

${SIGN_OFF.en}

--
${FOOTER.en}
`,
  },
  line: {
    th: `${LINE_TAG.th}
เรียน {{contactName}}
สพร. ได้ประกาศผล{{cycleTitleTh}} แล้ว
ดูผลการประเมินของ {{agencyName}} ได้ที่ {{scoreLink}}
ขอขอบคุณที่ให้ความร่วมมือในการตอบแบบสำรวจ`,
    en: `${LINE_TAG.en}
Dear {{contactName}},
DGA has published the results of the {{cycleTitleEn}}.
See the results of {{agencyName}}: {{scoreLink}}
Thank you for taking part in the survey.`,
  },
};

// ---- award_announced -------------------------------------------------------------------------

/** The agency's awards, one per line: every category it won in the cycle, with its place. */
const awardList = {
  th:
    `<ul style="margin:0 0 18px 0;padding-left:22px;">{{#each awards}}<li style="margin:0 0 6px 0;">` +
    `<strong>{{categoryName.th}}</strong> (อันดับที่ {{rank}})</li>{{/each}}</ul>`,
  en:
    `<ul style="margin:0 0 18px 0;padding-left:22px;">{{#each awards}}<li style="margin:0 0 6px 0;">` +
    `<strong>{{categoryName.en}}</strong> (rank {{rank}})</li>{{/each}}</ul>`,
} as const;

const awardAnnounced: TemplateBody = {
  subject: {
    th: 'ขอแสดงความยินดี {{agencyName}} ได้รับรางวัลรัฐบาลดิจิทัล ประจำปี {{cycleYearBE}}',
    en: 'Congratulations: {{agencyName}} receives a Digital Government Award (B.E. {{cycleYearBE}})',
  },
  html: {
    th: page(
      'th',
      'ขอแสดงความยินดีกับ {{agencyName}}',
      [
        greetingHtml('th'),
        p(
          `${SENDER.th} (สพร.) ขอแสดงความยินดีกับ {{agencyName}} ที่ได้รับรางวัลรัฐบาลดิจิทัล ` +
            'จากผล{{cycleTitleTh}} ในประเภทต่อไปนี้',
        ),
        awardList.th,
        p(
          'คณะกรรมการพิจารณารางวัลได้ประกาศผลเมื่อวันที่ <strong>{{thaiDate announcedAt "long"}}</strong> ' +
            'ท่านสามารถดูรายชื่อหน่วยงานที่ได้รับรางวัลทั้งหมดได้จากปุ่มด้านล่าง',
        ),
        button('{{winnersLink}}', 'ดูรายชื่อหน่วยงานที่ได้รับรางวัล'),
        fallbackLink('th', '{{winnersLink}}'),
        p(
          'รางวัลนี้สะท้อนความมุ่งมั่นของผู้บริหารและบุคลากรของหน่วยงานในการพัฒนารัฐบาลดิจิทัล ' +
            'สพร. ขอขอบคุณท่านและ {{agencyName}} ที่ให้ความร่วมมือในการสำรวจครั้งนี้',
        ),
        signOffHtml('th'),
      ].join('\n'),
    ),
    en: page(
      'en',
      'Congratulations to {{agencyName}}',
      [
        greetingHtml('en'),
        p(
          `The ${SENDER.en} (DGA) congratulates {{agencyName}} on winning the Digital Government Awards ` +
            'of the {{cycleTitleEn}} in the following categories:',
        ),
        awardList.en,
        p(
          'The awards committee announced the results on <strong>{{enDate announcedAt}}</strong>. ' +
            'You can see every winning agency with the button below.',
        ),
        button('{{winnersLink}}', 'View the award winners'),
        fallbackLink('en', '{{winnersLink}}'),
        p(
          "The awards recognise the commitment of your agency's executives and staff to digital government. " +
            'DGA thanks you and {{agencyName}} for taking part in this survey.',
        ),
        signOffHtml('en'),
      ].join('\n'),
    ),
  },
  text: {
    th: `เรียน {{contactName}}
ผู้ประสานงาน {{agencyName}}

${SENDER.th} (สพร.) ขอแสดงความยินดีกับ {{agencyName}} ที่ได้รับรางวัลรัฐบาลดิจิทัล จากผล{{cycleTitleTh}} ในประเภทต่อไปนี้

{{#each awards}}
- {{categoryName.th}} (อันดับที่ {{rank}})
{{/each}}

คณะกรรมการพิจารณารางวัลได้ประกาศผลเมื่อวันที่ {{thaiDate announcedAt "long"}} ท่านสามารถดูรายชื่อหน่วยงานที่ได้รับรางวัลทั้งหมดได้ที่ {{winnersLink}}

รางวัลนี้สะท้อนความมุ่งมั่นของผู้บริหารและบุคลากรของหน่วยงานในการพัฒนารัฐบาลดิจิทัล สพร. ขอขอบคุณท่านและ {{agencyName}} ที่ให้ความร่วมมือในการสำรวจครั้งนี้

${SIGN_OFF.th}

--
${FOOTER.th}
`,
    en: `Dear {{contactName}},

The ${SENDER.en} (DGA) congratulates {{agencyName}} on winning the Digital Government Awards of the {{cycleTitleEn}} in the following categories:

{{#each awards}}
- {{categoryName.en}} (rank {{rank}})
{{/each}}

The awards committee announced the results on {{enDate announcedAt}}. You can see every winning agency at {{winnersLink}}

The awards recognise the commitment of your agency's executives and staff to digital government. DGA thanks you and {{agencyName}} for taking part in this survey.

${SIGN_OFF.en}

--
${FOOTER.en}
`,
  },
  line: {
    th: `${LINE_TAG.th}
เรียน {{contactName}}
สพร. ขอแสดงความยินดีกับ {{agencyName}} ที่ได้รับรางวัลรัฐบาลดิจิทัล
{{#each awards}}
- {{categoryName.th}} (อันดับที่ {{rank}})
{{/each}}

รายชื่อหน่วยงานที่ได้รับรางวัล: {{winnersLink}}
ขอขอบคุณที่ให้ความร่วมมือในการสำรวจ`,
    en: `${LINE_TAG.en}
Dear {{contactName}},
DGA congratulates {{agencyName}} on winning the Digital Government Awards:
{{#each awards}}
- {{categoryName.en}} (rank {{rank}})
{{/each}}

Award winners: {{winnersLink}}
Thank you for taking part in the survey.`,
  },
};

// ---- steps inside an agency: approval requested, sent back, extension granted ---------------

interface StepText {
  subject: string;
  heading: string;
  /** Paragraphs (Handlebars); the first follows the greeting. */
  paragraphs: string[];
  /** [label, value] rows of the details box. */
  rows: [string, string][];
  /** A variable shown as a quoted remark when not empty (e.g. the approver's comment). */
  remark?: { label: string; variable: string };
  button: string;
  /** The LINE text's lines between the greeting and the link. */
  line: string[];
}

/**
 * A short message to the people of one agency (its users by role, and contacts where they are
 * told too) about a step of its response; greeted by name and agency, not as "coordinator".
 */
function agencyStep(text: Record<Lang, StepText>): TemplateBody {
  const greeting = { th: 'เรียน {{contactName}}\n{{agencyName}}', en: 'Dear {{contactName}},' } as const;
  const linkLabel = { th: 'เปิดแบบสำรวจ', en: 'Open the response' } as const;
  const html = (lang: Lang) => {
    const t = text[lang];
    return page(
      lang,
      t.heading,
      [
        p(greeting[lang].replace('\n', '<br>')),
        ...t.paragraphs.map(p),
        details(t.rows.map(([label, value]) => row(label, value)).join('')),
        t.remark
          ? `{{#if ${t.remark.variable}}}${p(t.remark.label)}${quote(`{{${t.remark.variable}}}`)}{{/if}}`
          : '',
        button('{{link}}', t.button),
        fallbackLink(lang, '{{link}}'),
        signOffHtml(lang),
      ]
        .filter(Boolean)
        .join('\n'),
    );
  };
  const plain = (lang: Lang) => {
    const t = text[lang];
    return [
      greeting[lang],
      '',
      ...t.paragraphs.flatMap((x) => [x, '']),
      ...t.rows.map(([label, value]) => `${label}: ${value}`),
      '',
      t.remark ? `{{#if ${t.remark.variable}}}${t.remark.label}\n{{${t.remark.variable}}}\n{{/if}}` : '',
      `${linkLabel[lang]}: {{link}}`,
      '',
      SIGN_OFF[lang],
      '',
      '--',
      FOOTER[lang],
      '',
    ].join('\n');
  };
  const line = (lang: Lang) =>
    [
      LINE_TAG[lang],
      greeting[lang].split('\n')[0],
      ...text[lang].line,
      '',
      `${linkLabel[lang]}: {{link}}`,
    ].join('\n');
  return {
    subject: { th: text.th.subject, en: text.en.subject },
    html: { th: html('th'), en: html('en') },
    text: { th: plain('th'), en: plain('en') },
    line: { th: line('th'), en: line('en') },
  };
}

const approvalRequested = agencyStep({
  th: {
    subject: 'แบบสำรวจของ {{agencyName}} (ส่งครั้งที่ {{submission}}) รอการอนุมัติจากท่าน',
    heading: 'แบบสำรวจรอการอนุมัติ',
    paragraphs: [
      'ผู้ประสานงานของ {{agencyName}} ได้กรอก{{cycleTitleTh}} ครบถ้วนและเสนอให้ท่านพิจารณาอนุมัติการส่งแล้ว',
      'โปรดตรวจดูคำตอบและหลักฐาน แล้วอนุมัติการส่ง หรือส่งกลับให้ผู้ประสานงานแก้ไขพร้อมความเห็น ภายในวันที่ {{thaiDate deadline "long" withTime=true}}',
    ],
    rows: [
      ['หน่วยงาน', '{{agencyName}}'],
      ['ส่งครั้งที่', '{{submission}}'],
      ['เสนอเมื่อ', '{{thaiDate requestedAt "long" withTime=true}}'],
      ['กำหนดส่ง', '{{thaiDate deadline "long" withTime=true}}'],
    ],
    button: 'พิจารณาอนุมัติ',
    line: [
      'แบบสำรวจของ {{agencyName}} รอการอนุมัติจากท่าน',
      'เสนอเมื่อ {{thaiDate requestedAt "short" withTime=true}} กำหนดส่ง {{thaiDate deadline "short" withTime=true}}',
    ],
  },
  en: {
    subject: 'The response of {{agencyName}} (submission {{submission}}) awaits your approval',
    heading: 'A response awaits your approval',
    paragraphs: [
      'The coordinator of {{agencyName}} has completed the {{cycleTitleEn}} and sent it to you for approval.',
      'Please check the answers and the evidence, then approve the submission or send it back to the coordinator with your comment, by {{enDate deadline withTime=true}}.',
    ],
    rows: [
      ['Agency', '{{agencyName}}'],
      ['Submission', '{{submission}}'],
      ['Sent for approval', '{{enDate requestedAt withTime=true}}'],
      ['Deadline', '{{enDate deadline withTime=true}}'],
    ],
    button: 'Review and approve',
    line: [
      'The response of {{agencyName}} awaits your approval.',
      'Sent on {{enDate requestedAt withTime=true}}; deadline {{enDate deadline withTime=true}}.',
    ],
  },
});

const responseSentBack = agencyStep({
  th: {
    subject: 'ผู้บริหารส่งแบบสำรวจของ {{agencyName}} กลับให้แก้ไข',
    heading: 'แบบสำรวจถูกส่งกลับจากผู้บริหารของหน่วยงาน',
    paragraphs: [
      'ผู้บริหารของ {{agencyName}} ได้ส่ง{{cycleTitleTh}} กลับให้ผู้ประสานงานแก้ไขก่อนอนุมัติการส่ง',
      'โปรดแก้ไขตามความเห็นด้านล่าง แล้วเสนออนุมัติอีกครั้งภายในวันที่ {{thaiDate deadline "long" withTime=true}}',
    ],
    rows: [
      ['หน่วยงาน', '{{agencyName}}'],
      ['กำหนดส่ง', '{{thaiDate deadline "long" withTime=true}}'],
    ],
    remark: { label: 'ความเห็นของผู้บริหาร', variable: 'comment' },
    button: 'แก้ไขแบบสำรวจ',
    line: [
      'ผู้บริหารส่งแบบสำรวจของ {{agencyName}} กลับให้แก้ไข',
      '{{#if comment}}ความเห็น: {{comment}}{{/if}}',
      'เสนออนุมัติอีกครั้งภายใน {{thaiDate deadline "short" withTime=true}}',
    ],
  },
  en: {
    subject: 'The head of {{agencyName}} sent the response back for changes',
    heading: "The response was sent back by your agency's head",
    paragraphs: [
      'The head of {{agencyName}} sent the {{cycleTitleEn}} back to the coordinators before approving it.',
      'Please make the changes asked for below and send it for approval again by {{enDate deadline withTime=true}}.',
    ],
    rows: [
      ['Agency', '{{agencyName}}'],
      ['Deadline', '{{enDate deadline withTime=true}}'],
    ],
    remark: { label: "The head's comment", variable: 'comment' },
    button: 'Correct the response',
    line: [
      'The head of {{agencyName}} sent the response back for changes.',
      '{{#if comment}}Comment: {{comment}}{{/if}}',
      'Send it for approval again by {{enDate deadline withTime=true}}.',
    ],
  },
});

const extensionGranted = agencyStep({
  th: {
    subject: 'ขยายเวลาส่งแบบสำรวจของ {{agencyName}} ถึงวันที่ {{thaiDate extendedUntil "short"}}',
    heading: 'ขยายเวลาส่งแบบสำรวจ',
    paragraphs: [
      'สพร. ได้ขยายเวลาส่ง{{cycleTitleTh}} ของ {{agencyName}} ให้ถึงวันที่ {{thaiDate extendedUntil "long" withTime=true}}',
      'โปรดกรอกคำตอบ แนบหลักฐาน และเสนอผู้บริหารอนุมัติการส่งให้แล้วเสร็จภายในวันดังกล่าว',
    ],
    rows: [
      ['หน่วยงาน', '{{agencyName}}'],
      ['กำหนดส่งใหม่', '{{thaiDate extendedUntil "long" withTime=true}}'],
    ],
    remark: { label: 'เหตุผล', variable: 'reason' },
    button: 'เข้าสู่ระบบตอบแบบสำรวจ',
    line: [
      'สพร. ขยายเวลาส่งแบบสำรวจของ {{agencyName}}',
      'ถึงวันที่ {{thaiDate extendedUntil "short" withTime=true}}',
    ],
  },
  en: {
    subject: 'Deadline extended for {{agencyName}} to {{enDate extendedUntil}}',
    heading: 'Your deadline has been extended',
    paragraphs: [
      'DGA has extended the deadline of {{agencyName}} for the {{cycleTitleEn}} to {{enDate extendedUntil withTime=true}}.',
      "Please complete the answers, attach the evidence and have your agency's head approve the submission by then.",
    ],
    rows: [
      ['Agency', '{{agencyName}}'],
      ['New deadline', '{{enDate extendedUntil withTime=true}}'],
    ],
    remark: { label: 'Reason', variable: 'reason' },
    button: 'Open the survey',
    line: ['DGA has extended the deadline of {{agencyName}}', 'to {{enDate extendedUntil withTime=true}}.'],
  },
});

export const DEFAULT_TEMPLATES: Record<TemplateKey, TemplateBody> = {
  briefing_invitation: briefingInvitation,
  deadline_reminder: deadlineReminder,
  submission_receipt: submissionReceipt,
  response_returned: responseReturned,
  results_published: resultsPublished,
  award_announced: awardAnnounced,
  approval_requested: approvalRequested,
  response_sent_back: responseSentBack,
  extension_granted: extensionGranted,
};

// ---- variables -------------------------------------------------------------------------------

const COMMON_VARIABLES: Record<string, string> = {
  agencyName: 'ชื่อหน่วยงาน (agency name)',
  contactName: 'ชื่อผู้ประสานงานที่รับข้อความ (name of the contact who receives the message)',
  cycleTitleTh: 'ชื่อรอบการสำรวจภาษาไทย (survey cycle title, Thai)',
  cycleTitleEn: 'ชื่อรอบการสำรวจภาษาอังกฤษ (survey cycle title, English)',
  cycleYearBE: 'ปีของรอบการสำรวจ (พ.ศ.) เช่น 2565 (cycle year, Buddhist Era)',
  deadline:
    'วันและเวลาปิดรับแบบสำรวจ ใช้กับ {{thaiDate deadline}} หรือ {{enDate deadline}} (closing date and time, ISO 8601; format it with a date helper)',
  link: 'ลิงก์แบบสำรวจของหน่วยงานในระบบ ในประกาศผลคือหน้าผลการสำรวจของรอบ (the agency’s response on the portal; in the results notice, the cycle’s published results)',
};

export const TEMPLATE_VARIABLES: Record<TemplateKey, Record<string, string>> = {
  briefing_invitation: {
    ...COMMON_VARIABLES,
    briefingStartsAt: 'วันและเวลาเริ่มประชุมชี้แจง (briefing start, ISO 8601)',
    briefingEndsAt: 'เวลาสิ้นสุดการประชุม อาจว่าง (briefing end, ISO 8601; may be empty)',
    venue: 'สถานที่ประชุม อาจว่าง (venue; may be empty)',
    meetingLink: 'ลิงก์ประชุมออนไลน์ อาจว่าง (online meeting link; may be empty)',
    documents:
      'รายการเอกสารประกอบ แต่ละรายการมี name และ url ใช้กับ {{#each documents}} (documents, each with name and url)',
  },
  deadline_reminder: {
    ...COMMON_VARIABLES,
    deadline:
      'กำหนดส่งของหน่วยงานผู้รับ: วันปิดรับของรอบ หรือวันที่ขยายให้หน่วยงาน ถ้า extended (the recipient agency’s deadline: the cycle’s closing time, or its extended deadline when extended; ISO 8601)',
    daysLeft: 'จำนวนวันที่เหลือก่อนกำหนดส่ง 0 คือวันนี้ (days left before that deadline; 0 means today)',
    extended:
      'จริง เมื่อหน่วยงานได้รับการขยายเวลาให้ส่งหลังวันปิดรับของรอบ (true when the agency’s own deadline, an extension or a correction period, is later than the cycle’s)',
    returned:
      'จริง เมื่อแบบสำรวจถูกส่งกลับให้แก้ไขและยังไม่ได้ส่งฉบับแก้ไขกลับมา (true when the response was returned for correction and not yet sent back)',
  },
  submission_receipt: {
    ...COMMON_VARIABLES,
    submission: 'ลำดับการส่ง เริ่มที่ 1 (submission number, from 1)',
    submittedAt: 'วันและเวลาที่ส่ง (when it was submitted, ISO 8601)',
  },
  response_returned: {
    ...COMMON_VARIABLES,
    comment: 'ข้อสังเกตของเจ้าหน้าที่ตรวจสอบ (the reviewer’s remarks)',
    correctionDeadline:
      'กำหนดส่งฉบับแก้ไข อาจว่าง ถ้าว่างใช้ deadline (correction deadline, ISO 8601; may be empty)',
    rejectedCount: 'จำนวนข้อที่ต้องแก้ไข (number of answers to correct)',
    rejected:
      'ข้อที่ต้องแก้ไข ตามลำดับในแบบสำรวจ แต่ละข้อมี questionId, textTh, textEn, comment (the answers to correct, each with the question and the reviewer’s remark; may be empty)',
  },
  results_published: {
    ...COMMON_VARIABLES,
    scoreLink: 'ลิงก์ผลการประเมินของหน่วยงาน (URL of the agency’s results)',
  },
  award_announced: {
    ...COMMON_VARIABLES,
    awards:
      'รางวัลที่หน่วยงานได้รับในรอบนี้ แต่ละรายการมี categoryName (th, en) และ rank ใช้กับ {{#each awards}} (the agency’s awards, each with categoryName.th, categoryName.en and rank)',
    announcedAt: 'วันและเวลาที่ประกาศผลรางวัล (when the awards were announced, ISO 8601)',
    winnersLink: 'ลิงก์หน้ารายชื่อหน่วยงานที่ได้รับรางวัล (URL of the public winners page)',
  },
  approval_requested: {
    ...COMMON_VARIABLES,
    contactName: 'ชื่อผู้รับ: ผู้อนุมัติของหน่วยงาน (the recipient: an approver of the agency)',
    requestedAt: 'วันและเวลาที่ผู้ประสานงานเสนออนุมัติ (when the coordinator sent it for approval, ISO 8601)',
    submission: 'ลำดับการส่งเมื่ออนุมัติ เริ่มที่ 1 (the submission it becomes once approved, from 1)',
  },
  response_sent_back: {
    ...COMMON_VARIABLES,
    contactName: 'ชื่อผู้รับ: ผู้ประสานงานของหน่วยงาน (the recipient: a coordinator of the agency)',
    comment: 'ความเห็นของผู้บริหารที่ส่งกลับ อาจว่าง (the head’s comment; may be empty)',
  },
  extension_granted: {
    ...COMMON_VARIABLES,
    extendedUntil: 'กำหนดส่งใหม่ของหน่วยงาน (the agency’s new deadline, ISO 8601)',
    reason: 'เหตุผลของการขยายเวลา (the reason given for the extension)',
  },
};

// ---- sample variables (previews and check()) -------------------------------------------------

const COMMON_SAMPLE: Record<string, unknown> = {
  agencyName: 'กรมพัฒนาบริการดิจิทัล (ตัวอย่าง)',
  contactName: 'นางสาวสมใจ ตั้งใจดี',
  cycleTitleTh: 'การสำรวจระดับความพร้อมรัฐบาลดิจิทัลของหน่วยงานภาครัฐ ประจำปี พ.ศ. 2565',
  cycleTitleEn: 'Digital Government Readiness Survey 2022 (B.E. 2565)',
  cycleYearBE: 2565,
  deadline: '2022-07-15T09:30:00.000Z',
  link: 'https://survey.example.org/cycles/2565/response',
};

const SAMPLE: Record<TemplateKey, Record<string, unknown>> = {
  briefing_invitation: {
    briefingStartsAt: '2022-05-25T02:30:00.000Z',
    briefingEndsAt: '2022-05-25T05:00:00.000Z',
    venue: 'ประชุมผ่านระบบออนไลน์',
    meetingLink: 'https://meet.example.org/dg-briefing-2565',
    documents: [
      { name: 'หนังสือเชิญประชุมชี้แจง', url: 'https://survey.example.org/files/invitation-2565.pdf' },
      { name: 'กำหนดการประชุม', url: 'https://survey.example.org/files/agenda-2565.pdf' },
    ],
  },
  deadline_reminder: { daysLeft: 7, extended: false, returned: false },
  submission_receipt: { submission: 1, submittedAt: '2022-06-30T07:45:00.000Z' },
  response_returned: {
    comment:
      'ข้อ 3.2 โปรดแนบหลักฐานรายการบริการดิจิทัลที่เปิดให้บริการจริง\nข้อ 5.1 โปรดระบุวันที่ประกาศนโยบายความมั่นคงปลอดภัยสารสนเทศ',
    correctionDeadline: '2022-08-05T09:30:00.000Z',
    rejectedCount: 2,
    rejected: [
      {
        questionId: 'P3.Q2',
        textTh: 'รายการบริการดิจิทัลที่เปิดให้บริการ',
        textEn: 'Digital services in operation',
        comment: 'โปรดแนบหลักฐานรายการบริการดิจิทัลที่เปิดให้บริการจริง',
      },
      {
        questionId: 'P5.Q1',
        textTh: 'วันที่ประกาศนโยบายความมั่นคงปลอดภัยสารสนเทศ',
        textEn: 'Date the information security policy was announced',
        comment: null,
      },
    ],
  },
  results_published: {
    link: 'https://survey.example.org/results/2565',
    scoreLink: 'https://survey.example.org/results/2565/agencies/10001',
  },
  award_announced: {
    awards: [
      { categoryName: { th: 'รางวัลหน่วยงานระดับกรมดีเด่น', en: 'Outstanding Department' }, rank: 1 },
      {
        categoryName: { th: 'รางวัลธรรมาภิบาลข้อมูลดีเด่น', en: 'Outstanding Data Governance' },
        rank: 2,
      },
    ],
    announcedAt: '2022-09-20T03:00:00.000Z',
    winnersLink: 'https://survey.example.org/awards/2565',
  },
  approval_requested: { requestedAt: '2022-07-10T03:15:00.000Z', submission: 1 },
  response_sent_back: { comment: 'ข้อ 2.1 โปรดแนบแผนปฏิบัติการดิจิทัลฉบับที่ลงนามแล้ว' },
  extension_granted: {
    extendedUntil: '2022-07-22T16:59:59.000Z',
    reason: 'หน่วยงานอยู่ระหว่างปรับโครงสร้าง (the agency is being reorganised)',
  },
};

/** Plausible variables for a key (for previews and for check()); without a key, those of every key. */
export function sampleVariables(key?: TemplateKey): Record<string, unknown> {
  if (key) return structuredClone({ ...COMMON_SAMPLE, ...SAMPLE[key] });
  return structuredClone(
    Object.assign({}, COMMON_SAMPLE, ...Object.values(SAMPLE)) as Record<string, unknown>,
  );
}
