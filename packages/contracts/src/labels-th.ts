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

const MIME_TH: Record<string, string> = {
  'application/pdf': 'ไฟล์ PDF',
  'image/png': 'รูปภาพ PNG',
  'image/jpeg': 'รูปภาพ JPEG',
  'image/gif': 'รูปภาพ GIF',
  'image/webp': 'รูปภาพ WebP',
  'application/zip': 'ไฟล์บีบอัด ZIP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'เอกสาร Word (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'ตาราง Excel (.xlsx)',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'งานนำเสนอ PowerPoint (.pptx)',
  'application/x-msdownload': 'โปรแกรม Windows (.exe)',
  'application/x-executable': 'โปรแกรม (executable)',
  'application/octet-stream': 'ไฟล์ที่ไม่รู้จักชนิด',
  'text/csv': 'ไฟล์ CSV',
};

/** A file type as a person reads it: `ไฟล์ PDF`, or the MIME type itself when it has no Thai name. */
export function mimeTh(type: string): string {
  return MIME_TH[type] ?? type;
}
