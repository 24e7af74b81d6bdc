import type { ResponseStatus } from './intake';

/** A response's status as a Thai reader knows it (messages, exports, the portal). */
export const RESPONSE_STATUS_TH: Record<ResponseStatus, string> = {
  not_started: 'ยังไม่เริ่มตอบ',
  in_progress: 'กำลังตอบ',
  awaiting_approval: 'รอผู้บริหารอนุมัติ',
  submitted: 'ส่งแล้ว',
  returned: 'ส่งกลับให้แก้ไข',
  resubmitted: 'ส่งฉบับแก้ไขแล้ว',
  verified: 'ตรวจสอบแล้ว',
};

/** `ส่งแล้ว (submitted)`: the Thai label with the code a support person can search for. */
export function statusTh(status: string): string {
  const th = (RESPONSE_STATUS_TH as Record<string, string>)[status];
  return th ? `${th} (${status})` : status;
}
