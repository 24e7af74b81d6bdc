import { z } from 'zod';
import { thaiIssueMessage } from './zod-thai';

/**
 * Stable error codes. Clients match on `code`, never on text: changing a code is a breaking change.
 * `status` is the HTTP status the gateway answers with; `title` is English, `detail` is Thai first.
 */
export const ErrorCatalog = {
  VALIDATION_FAILED: { status: 400, title: 'Validation failed', detail: 'ข้อมูลไม่ถูกต้อง (invalid input)' },
  UNKNOWN_QUERY_PARAMETER: {
    status: 400,
    title: 'Unknown query parameter',
    detail:
      'ไม่รู้จักพารามิเตอร์ในคำค้น (a query parameter this route does not take; the problem names it and the accepted ones)',
  },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required', detail: 'กรุณาเข้าสู่ระบบ (please log in)' },
  ACTOR_UNVERIFIED: {
    status: 401,
    title: 'Actor not verified',
    detail:
      'ไม่สามารถยืนยันผู้ดำเนินการได้ (the actor of this request is not signed by the gateway, or the signature is invalid or expired)',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    title: 'Invalid email or password',
    detail: 'อีเมลหรือรหัสผ่านไม่ถูกต้อง (invalid email or password)',
  },
  FORBIDDEN: { status: 403, title: 'Forbidden', detail: 'ไม่มีสิทธิ์ดำเนินการนี้ (not allowed)' },
  NOT_FOUND: { status: 404, title: 'Not found', detail: 'ไม่พบข้อมูล (not found)' },
  AGENCY_NOT_IN_COHORT: {
    status: 400,
    title: 'Agency not in the cycle',
    detail:
      'หน่วยงานไม่อยู่ในกลุ่มเป้าหมายของรอบนี้ (agency codes not in this cycle’s cohort; the problem lists them)',
  },
  AGENCY_NOT_FOUND: { status: 404, title: 'Agency not found', detail: 'ไม่พบหน่วยงาน (agency not found)' },
  CONTACT_NOT_FOUND: {
    status: 404,
    title: 'Contact not found',
    detail: 'ไม่พบผู้ประสานงาน (contact not found)',
  },
  USER_NOT_FOUND: { status: 404, title: 'User not found', detail: 'ไม่พบผู้ใช้ (user not found)' },
  AGENCY_CODE_TAKEN: {
    status: 409,
    title: 'Agency code already exists',
    detail: 'รหัสหน่วยงานนี้มีอยู่แล้ว (agency code already exists)',
  },
  AGENCY_VERSION_CONFLICT: {
    status: 409,
    title: 'Agency was changed by someone else',
    detail: 'ข้อมูลหน่วยงานถูกแก้ไขโดยผู้อื่น กรุณาโหลดใหม่ (changed by someone else; reload)',
  },
  EMAIL_TAKEN: { status: 409, title: 'Email already in use', detail: 'อีเมลนี้ถูกใช้แล้ว (email already in use)' },
  USER_VERSION_CONFLICT: {
    status: 409,
    title: 'User was changed by someone else',
    detail: 'ข้อมูลผู้ใช้ถูกแก้ไขโดยผู้อื่น (changed by someone else)',
  },
  CYCLE_NOT_FOUND: { status: 404, title: 'Cycle not found', detail: 'ไม่พบรอบการสำรวจ (cycle not found)' },
  QUESTIONNAIRE_NOT_FOUND: {
    status: 404,
    title: 'Questionnaire not found',
    detail: 'ไม่พบแบบสำรวจ (questionnaire not found)',
  },
  RESPONSE_NOT_FOUND: { status: 404, title: 'Response not found', detail: 'ไม่พบคำตอบ (response not found)' },
  EVIDENCE_NOT_FOUND: {
    status: 404,
    title: 'Evidence not found',
    detail: 'ไม่พบไฟล์หลักฐาน (evidence not found)',
  },
  CYCLE_EXISTS: {
    status: 409,
    title: 'Cycle already exists',
    detail: 'มีรอบการสำรวจนี้อยู่แล้ว (cycle already exists)',
  },
  CYCLE_VERSION_CONFLICT: {
    status: 409,
    title: 'Cycle was changed by someone else',
    detail: 'ข้อมูลรอบการสำรวจถูกแก้ไขโดยผู้อื่น กรุณาโหลดใหม่ (changed by someone else; reload)',
  },
  CYCLE_ALREADY_OPEN: {
    status: 409,
    title: 'The cycle has already opened',
    detail: 'รอบการสำรวจเปิดไปแล้ว ทำได้เฉพาะรอบที่ยังไม่เปิด (already opened; only a draft cycle allows this)',
  },
  CYCLE_NOT_OPEN: {
    status: 409,
    title: 'The cycle is not open',
    detail: 'รอบการสำรวจไม่ได้เปิดอยู่ (the cycle is not open)',
  },
  CYCLE_NOT_STARTED: {
    status: 409,
    title: 'The cycle does not take answers yet',
    detail: 'ยังไม่ถึงวันเปิดรับคำตอบ (the cycle has not reached its opening date)',
  },
  CYCLE_CLOSED: {
    status: 409,
    title: 'The cycle is closed',
    detail: 'รอบการสำรวจปิดแล้ว (the cycle is closed)',
  },
  CYCLE_NOT_CLOSED: {
    status: 409,
    title: 'The cycle is not closed',
    detail: 'รอบการสำรวจยังไม่ปิด ทำได้เฉพาะรอบที่ปิดแล้ว (only a closed cycle allows this)',
  },
  RESPONSES_NOT_VERIFIED: {
    status: 409,
    title: 'Some submitted responses are neither verified nor set aside',
    detail:
      'ยังมีคำตอบที่ส่งแล้วแต่ยังไม่ได้ตรวจสอบหรือกันออก จึงประกาศผลไม่ได้ (submitted responses are neither verified nor set aside; results cannot be published yet)',
  },
  CYCLE_QUESTIONNAIRE_MISSING: {
    status: 409,
    title: 'The cycle has no questionnaire',
    detail: 'ต้องกำหนดแบบสำรวจก่อนเปิดรอบ (attach a questionnaire first)',
  },
  CYCLE_COHORT_MISSING: {
    status: 409,
    title: 'The cycle has no cohort',
    detail: 'ยังไม่มีกลุ่มเป้าหมายของรอบนี้ในทะเบียน (register the cohort first)',
  },
  QUESTIONNAIRE_NOT_A_REVISION: {
    status: 409,
    title: 'An open cycle takes only a newer version of its questionnaire',
    detail: 'รอบที่เปิดแล้วเปลี่ยนได้เฉพาะฉบับแก้ไขของแบบสำรวจเดิม (only a newer version of the same questionnaire)',
  },
  RESPONSE_VERSION_CONFLICT: {
    status: 409,
    title: 'Response was changed by someone else',
    detail: 'คำตอบถูกแก้ไขโดยผู้อื่น กรุณาโหลดฉบับล่าสุดแล้วบันทึกอีกครั้ง (changed by someone else; reload and save again)',
  },
  RESPONSE_LOCKED: {
    status: 409,
    title: 'Not allowed in the response’s current state',
    detail: 'ดำเนินการไม่ได้ในสถานะปัจจุบันของคำตอบ (not allowed in the response’s state)',
  },
  SELF_APPROVAL_FORBIDDEN: {
    status: 403,
    title: 'A person who answered or sent a response may not approve it',
    detail:
      'ผู้ที่กรอกหรือส่งคำตอบรอบนี้อนุมัติคำตอบนั้นเองไม่ได้ ต้องให้ผู้อนุมัติอีกคนของหน่วยงานอนุมัติ (segregation of duties: someone who answered or sent this round may not approve it; another approver of the agency must)',
  },
  DEADLINE_PASSED: {
    status: 409,
    title: 'The deadline has passed',
    detail: 'พ้นกำหนดส่งแล้ว ติดต่อผู้ดูแลการสำรวจเพื่อขอขยายเวลา (deadline passed; ask the operator for an extension)',
  },
  QUESTIONNAIRE_INVALID: {
    status: 422,
    title: 'Questionnaire definition has errors',
    detail: 'แบบสำรวจไม่ถูกต้อง ดูรายการข้อผิดพลาด (definition has errors; see errors)',
  },
  ANSWERS_INVALID: {
    status: 422,
    title: 'Some answers are invalid',
    detail: 'คำตอบบางข้อไม่ถูกต้อง ดูรายละเอียดรายข้อใน errors (some answers are invalid; see errors for each)',
  },
  EVIDENCE_TOO_LARGE: {
    status: 413,
    title: 'Evidence file too large or over the agency quota',
    detail: 'ไฟล์หลักฐานมีขนาดใหญ่เกินกำหนดหรือเกินโควตาของหน่วยงาน (file too large or over quota)',
  },
  EVIDENCE_TYPE_NOT_ALLOWED: {
    status: 415,
    title: 'Evidence file type not allowed',
    detail: 'ประเภทไฟล์หลักฐานไม่ได้รับอนุญาต (ตรวจจากเนื้อไฟล์ ไม่ใช่ชื่อไฟล์) (type checked from content)',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Payload too large',
    detail: 'ข้อมูลหรือไฟล์มีขนาดใหญ่เกินกำหนด (too large)',
  },
  JSON_TOO_DEEP: {
    status: 400,
    title: 'JSON nested too deeply',
    detail: 'ข้อมูล JSON ซ้อนกันลึกเกินกำหนด (JSON nested too deeply)',
  },
  URI_TOO_LONG: {
    status: 414,
    title: 'URI too long',
    detail: 'ที่อยู่หรือพารามิเตอร์ในที่อยู่ยาวเกินกำหนด (URI or path parameter too long)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported file type',
    detail: 'ไม่รองรับไฟล์ประเภทนี้ ใช้ CSV หรือ XLSX (use CSV or XLSX)',
  },
  IMPORT_INVALID: {
    status: 422,
    title: 'Import rejected: some rows are invalid',
    detail: 'นำเข้าไม่สำเร็จ มีแถวที่ไม่ถูกต้อง ไม่มีการบันทึกข้อมูลใด ๆ (nothing was saved)',
  },
  SCORING_RULES_INVALID: {
    status: 422,
    title: 'Scoring rules do not fit the questionnaire',
    detail: 'เกณฑ์การให้คะแนนไม่สอดคล้องกับแบบสำรวจ ดูรายการข้อผิดพลาด (rules do not fit; see errors)',
  },
  SCORING_RULES_MISSING: {
    status: 409,
    title: 'The cycle has no scoring rules',
    detail: 'รอบการสำรวจนี้ยังไม่มีเกณฑ์การให้คะแนน (no scoring rules for the cycle)',
  },
  SCORECARD_NOT_FOUND: {
    status: 404,
    title: 'Scorecard not found',
    detail: 'ไม่พบผลคะแนน (no scorecard, or results are not published yet)',
  },
  METHODOLOGY_NOT_READY: {
    status: 404,
    title: 'The cycle has no questionnaire or scoring rules yet',
    detail:
      'ยังไม่มีวิธีคิดคะแนนของรอบนี้ เพราะยังไม่ได้กำหนดแบบสำรวจหรือเกณฑ์การให้คะแนน (the cycle has no questionnaire or scoring rules yet)',
  },
  RESULTS_NOT_PUBLISHED: {
    status: 404,
    title: 'Results are not published',
    detail: 'ยังไม่ประกาศผลการสำรวจ (results are not published yet)',
  },
  RESULTS_PUBLISHED: {
    status: 409,
    title: 'Results are published and frozen',
    detail: 'ประกาศผลแล้ว ไม่สามารถเปลี่ยนแปลงคะแนนได้ (results are published and frozen)',
  },
  NOTHING_SCORED: {
    status: 409,
    title: 'Nothing has been scored in this cycle yet',
    detail: 'ยังไม่มีผลคะแนนให้ประกาศ (nothing has been scored in this cycle yet)',
  },
  RESCORE_RUNNING: {
    status: 409,
    title: 'A rescore of this cycle is already running',
    detail: 'กำลังคำนวณคะแนนใหม่ทั้งรอบอยู่ (a rescore is already running)',
  },
  SCORING_QUESTIONNAIRE_MISMATCH: {
    status: 409,
    title: 'The response was answered on a questionnaire the scoring rules do not fit',
    detail:
      'คำตอบใช้แบบสำรวจคนละฉบับกับเกณฑ์การให้คะแนน ให้ปรับเกณฑ์แล้วคำนวณใหม่ (rules and questionnaire versions differ)',
  },
  SUBMISSION_NOT_FOUND: {
    status: 404,
    title: 'Submission not found',
    detail: 'ไม่พบฉบับที่ส่ง (submission not found)',
  },
  TEMPLATE_INVALID: {
    status: 422,
    title: 'Template cannot be rendered',
    detail: 'แม่แบบข้อความไม่ถูกต้อง ดูรายการข้อผิดพลาด (template has errors; see errors)',
  },
  TEMPLATE_VERSION_CONFLICT: {
    status: 409,
    title: 'Template was changed by someone else',
    detail: 'แม่แบบข้อความถูกแก้ไขโดยผู้อื่น กรุณาโหลดใหม่ (changed by someone else; reload)',
  },
  ATTACHMENTS_TOO_LARGE: {
    status: 413,
    title: 'Attachments too large',
    detail: 'ไฟล์แนบรวมกันใหญ่เกิน 5 MB (attachments over 5 MB in all)',
  },
  AWARD_CATEGORY_NOT_FOUND: {
    status: 404,
    title: 'Award category not found',
    detail: 'ไม่พบประเภทรางวัล (award category not found)',
  },
  AWARD_CATEGORY_INVALID: {
    status: 422,
    title: 'Award category rules are invalid',
    detail: 'เกณฑ์ประเภทรางวัลไม่ถูกต้อง ดูรายการข้อผิดพลาด (category rules invalid; see errors)',
  },
  AWARD_CATEGORY_VERSION_CONFLICT: {
    status: 409,
    title: 'Award category was changed by someone else',
    detail: 'ประเภทรางวัลถูกแก้ไขโดยผู้อื่น กรุณาโหลดใหม่ (changed by someone else; reload)',
  },
  AWARD_CONFLICT_OF_INTEREST: {
    status: 409,
    title: 'Conflict of interest',
    detail: 'กรรมการมีส่วนได้ส่วนเสียกับหน่วยงานนี้ จึงพิจารณาไม่ได้ (the member has a conflict of interest)',
  },
  AWARD_NOT_A_MEMBER: {
    status: 403,
    title: 'Not a member of this committee',
    detail: 'ท่านไม่ได้เป็นกรรมการของประเภทรางวัลนี้ (not a member of this committee)',
  },
  AWARD_COMMITTEE_ROLE_REQUIRED: {
    status: 403,
    title: 'Committee decisions need an account with the committee role',
    detail:
      'ต้องเป็นบัญชีที่มีบทบาทกรรมการรางวัลจึงพิจารณาได้ แม้จะมีชื่ออยู่ในคณะกรรมการ (the committee role is required, also for a listed member)',
  },
  AWARD_CATEGORY_DECIDED: {
    status: 409,
    title: 'The award category is decided',
    detail: 'ประเภทรางวัลนี้ตัดสินแล้ว เปลี่ยนแปลงไม่ได้ (the category is decided)',
  },
  AWARD_NOMINATIONS_NOT_ACCEPTED: {
    status: 409,
    title: 'This award category takes no nominations',
    detail: 'ประเภทรางวัลนี้ไม่รับการเสนอชื่อ (the category takes no nominations)',
  },
  AWARD_ALREADY_NOMINATED: {
    status: 409,
    title: 'The agency is already nominated in this category',
    detail: 'หน่วยงานนี้ได้รับการเสนอชื่อในประเภทนี้แล้ว (already nominated)',
  },
  AWARD_RESULTS_NOT_PUBLISHED: {
    status: 409,
    title: 'The cycle’s results must be published first',
    detail: 'ต้องประกาศผลคะแนนของรอบนี้ก่อน จึงคำนวณผู้มีสิทธิ์ได้รับรางวัลได้ (publish the cycle’s results first)',
  },
  AWARD_CANDIDATES_NOT_COMPUTED: {
    status: 409,
    title: 'The category’s candidates are not computed yet',
    detail: 'ยังไม่ได้คำนวณผู้มีสิทธิ์ของประเภทรางวัลนี้ (compute the candidates first)',
  },
  AWARD_NOT_A_CANDIDATE: {
    status: 409,
    title: 'The agency is not a candidate of this category',
    detail: 'หน่วยงานนี้ไม่ใช่ผู้มีสิทธิ์ในประเภทรางวัลนี้ (not a candidate of this category)',
  },
  AWARD_NOT_ELIGIBLE: {
    status: 409,
    title: 'The agency is not eligible for this award',
    detail: 'หน่วยงานนี้ไม่มีสิทธิ์ได้รับรางวัลประเภทนี้ (not eligible)',
  },
  AWARD_QUORUM_NOT_REACHED: {
    status: 409,
    title: 'The committee’s quorum has not voted yet',
    detail: 'กรรมการลงคะแนนยังไม่ครบองค์ประชุม (quorum not reached)',
  },
  AWARD_NO_ELIGIBLE_CANDIDATE: {
    status: 409,
    title: 'The category has no eligible candidate',
    detail: 'ไม่มีผู้มีสิทธิ์ได้รับรางวัลประเภทนี้ (no eligible candidate)',
  },
  AWARD_DECISION_STALE: {
    status: 409,
    title: 'Votes or rules changed meanwhile; review and decide again',
    detail:
      'มีการลงคะแนนหรือแก้ไขเกณฑ์ระหว่างนี้ กรุณาตรวจสอบแล้วยืนยันอีกครั้ง (votes or rules changed meanwhile; decide again)',
  },
  AWARD_NO_CATEGORIES: {
    status: 409,
    title: 'The cycle has no award categories',
    detail: 'รอบนี้ยังไม่มีประเภทรางวัล (no award categories)',
  },
  AWARD_CATEGORIES_UNDECIDED: {
    status: 409,
    title: 'Some award categories are not decided yet',
    detail: 'ยังมีประเภทรางวัลที่ยังไม่ได้ตัดสิน (some categories are not decided yet)',
  },
  AWARDS_ANNOUNCED: {
    status: 409,
    title: 'Awards are announced and frozen',
    detail: 'ประกาศผลรางวัลแล้ว ไม่สามารถเปลี่ยนแปลงได้ (awards are announced and frozen)',
  },
  AWARDS_NOT_ANNOUNCED: {
    status: 404,
    title: 'Awards are not announced',
    detail: 'ยังไม่ประกาศผลรางวัล (awards are not announced yet)',
  },
  CERTIFICATE_NOT_READY: {
    status: 409,
    title: 'Certificate not ready yet',
    detail: 'เกียรติบัตรกำลังจัดทำ กรุณาลองใหม่ภายหลัง (certificate is being made; try again shortly)',
  },
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    title: 'No certificate has this number',
    detail: 'ไม่พบเกียรติบัตรเลขที่นี้ในระบบ (no certificate with this number was issued)',
  },
  RATE_LIMITED: { status: 429, title: 'Too many requests', detail: 'มีคำขอมากเกินไป (too many requests)' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    detail: 'ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ (temporarily unavailable)',
  },
  INTERNAL: { status: 500, title: 'Internal error', detail: 'เกิดข้อผิดพลาดภายในระบบ (internal error)' },
} as const satisfies Record<string, { status: number; title: string; detail: string }>;

export type ErrorCode = keyof typeof ErrorCatalog;
export const ErrorCode = z.enum(Object.keys(ErrorCatalog) as [ErrorCode, ...ErrorCode[]]);

/** One wrong field or row, e.g. a CSV row: `{ row: 12, column: 'province_code', code: 'UNKNOWN_PROVINCE', ... }`. */
export const FieldError = z.object({
  row: z.number().int().optional(),
  column: z.string().optional(),
  path: z.string().optional(),
  code: z.string(),
  message: z.string(),
  messageTh: z.string().optional(),
  value: z.string().optional(),
});
export type FieldError = z.infer<typeof FieldError>;

/** An error as it crosses NATS: enough for the gateway to build a problem+json. */
export const RpcErrorBody = z.object({
  code: ErrorCode,
  detail: z.string().optional(),
  errors: z.array(FieldError).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type RpcErrorBody = z.infer<typeof RpcErrorBody>;

/** A domain error with a stable code. Services throw it; only the edges map it to HTTP or RPC. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly meta?: Record<string, unknown>,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'DomainError';
  }

  get status(): number {
    return ErrorCatalog[this.code].status;
  }

  toBody(): RpcErrorBody {
    return { code: this.code, detail: this.detail, errors: this.errors, meta: this.meta };
  }

  static fromBody(body: RpcErrorBody): DomainError {
    return new DomainError(body.code, body.detail, body.errors, body.meta);
  }
}

/**
 * Turns a zod failure into field errors (paths joined with dots). A custom check may name its own
 * code and Thai message in `params` (e.g. `SafeUrl`: `UNSAFE_URL`); every other issue gets its
 * Thai message from `thaiIssueMessage`.
 */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const params =
      issue.code === 'custom'
        ? (issue.params as { code?: string; messageTh?: string } | undefined)
        : undefined;
    return {
      path: issue.path.join('.'),
      code: params?.code ?? issue.code.toUpperCase(),
      message: issue.message,
      messageTh: params?.messageTh ?? thaiIssueMessage(issue),
    };
  });
}
