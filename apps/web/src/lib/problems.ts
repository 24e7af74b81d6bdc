/**
 * Thai (with English) messages for the problem codes a person meets in the portal, used when the
 * server's problem has no `detail` (or the request never reached it). The server's own `detail`
 * comes from the contracts' ErrorCatalog and always wins.
 */
export const PROBLEM_MESSAGES_TH: Readonly<Record<string, string>> = {
  NETWORK_ERROR: 'เชื่อมต่อระบบไม่ได้ โปรดตรวจสอบอินเทอร์เน็ตแล้วลองอีกครั้ง (cannot reach the server)',
  VALIDATION_FAILED: 'ข้อมูลไม่ถูกต้อง โปรดตรวจสอบช่องที่ระบุ (invalid input)',
  UNAUTHENTICATED: 'กรุณาเข้าสู่ระบบ (please sign in)',
  INVALID_CREDENTIALS: 'อีเมลหรือรหัสผ่านไม่ถูกต้อง (wrong e-mail or password)',
  FORBIDDEN: 'คุณไม่มีสิทธิ์ดำเนินการนี้ (not allowed)',
  NOT_FOUND: 'ไม่พบข้อมูลที่ต้องการ (not found)',
  CYCLE_NOT_FOUND: 'ไม่พบรอบการสำรวจนี้ (cycle not found)',
  RESPONSE_NOT_FOUND: 'ไม่พบคำตอบของหน่วยงานในรอบนี้ (response not found)',
  AGENCY_NOT_FOUND: 'ไม่พบหน่วยงาน (agency not found)',
  CERTIFICATE_NOT_FOUND: 'ไม่พบเลขที่เกียรติบัตรนี้ (certificate not found)',
  RESPONSE_VERSION_CONFLICT: 'คำตอบถูกแก้ไขจากที่อื่น โปรดตรวจสอบก่อนบันทึกอีกครั้ง (edited elsewhere)',
  RESPONSE_LOCKED: 'คำตอบนี้แก้ไขไม่ได้ในสถานะปัจจุบัน (the response cannot be edited now)',
  PAYLOAD_TOO_LARGE: 'ข้อมูลหรือไฟล์มีขนาดใหญ่เกินกำหนด (too large)',
  RATE_LIMITED: 'มีการลองเข้าสู่ระบบหลายครั้งเกินไป โปรดรอสักครู่ (too many attempts, please wait)',
  SERVICE_UNAVAILABLE: 'ระบบไม่พร้อมให้บริการชั่วคราว โปรดลองใหม่ภายหลัง (temporarily unavailable)',
  INTERNAL: 'เกิดข้อผิดพลาดภายในระบบ โปรดลองใหม่ภายหลัง (internal error)',
};

const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'RESPONSE_VERSION_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The Thai message for a code, else for the HTTP status, else a general one. */
export function thaiMessageFor(code: string, status?: number): string {
  const byCode = PROBLEM_MESSAGES_TH[code];
  if (byCode) return byCode;
  const byStatus = status === undefined ? undefined : BY_STATUS[status];
  if (byStatus) return PROBLEM_MESSAGES_TH[byStatus]!;
  if (status !== undefined && status >= 500) return PROBLEM_MESSAGES_TH.INTERNAL!;
  return 'เกิดข้อผิดพลาด โปรดลองอีกครั้ง (something went wrong)';
}

/** "โปรดรอ 2 นาที 5 วินาที" for a Retry-After in seconds. */
export function retryAfterTh(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m === 0) return `โปรดรอ ${s} วินาทีแล้วลองใหม่`;
  return rest === 0 ? `โปรดรอ ${m} นาทีแล้วลองใหม่` : `โปรดรอ ${m} นาที ${rest} วินาทีแล้วลองใหม่`;
}
