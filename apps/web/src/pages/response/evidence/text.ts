/* Labels of buttons that name their file start with the button's visible words, then a space (WCAG 2.5.3, label in name: Thai has no spaces between words, so "ลบไฟล์ x" would not contain "ลบ" as a word). */
import { useLang } from '../../../i18n';
import type { Lang } from '../../../lib/dates';

/**
 * What the evidence files say, Thai first (plain typed objects, as the rest of the response
 * pages: the strings load with the page's chunk and a missing key is a type error).
 */
const th = {
  title: 'ไฟล์หลักฐาน',
  listIntro: 'ไฟล์หลักฐานทั้งหมดที่หน่วยงานอัปโหลดในรอบนี้ ใหม่ที่สุดก่อน',
  listEmpty: 'ยังไม่มีไฟล์หลักฐาน',
  attachLabel: 'แนบไฟล์หลักฐาน',
  attachFor: (q: string) => `แนบไฟล์หลักฐาน ข้อ ${q}`,
  hint: (types: string, max: string, files: number) =>
    `รับ ${types} ขนาดไม่เกิน ${max} ต่อไฟล์ แนบได้ไม่เกิน ${files} ไฟล์ ระบบตรวจชนิดไฟล์จากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์`,
  quota: (used: string, quota: string) => `หน่วยงานใช้พื้นที่ไฟล์หลักฐานแล้ว ${used} จาก ${quota}`,
  full: (n: number) => `แนบครบ ${n} ไฟล์แล้ว หากต้องการแนบไฟล์อื่น โปรดลบไฟล์เดิมก่อน`,
  readOnly: 'ขณะนี้แนบหรือลบไฟล์ไม่ได้ (คำตอบอยู่ระหว่างอนุมัติ ส่งแล้ว หรือพ้นกำหนดส่ง)',
  attached: 'ไฟล์ที่แนบกับข้อนี้',
  none: 'ยังไม่ได้แนบไฟล์',
  notAttached: 'อัปโหลดแล้ว แต่ยังไม่ได้แนบกับคำตอบข้อนี้',
  attachAgain: (name: string) => `แนบกับคำตอบ ไฟล์ ${name}`,
  attachAgainShort: 'แนบกับคำตอบ',
  missingFile: 'ไฟล์นี้ไม่มีในระบบแล้ว (ถูกลบ) โปรดแนบใหม่',
  checking: (name: string) => `กำลังตรวจไฟล์ ${name}`,
  uploading: (name: string) => `กำลังอัปโหลด ${name}`,
  uploaded: (name: string) => `อัปโหลด ${name} แล้ว และแนบกับคำตอบแล้ว`,
  percent: (n: number) => `${n}%`,
  refused: (name: string) => `แนบ ${name} ไม่ได้`,
  failed: (name: string) => `อัปโหลด ${name} ไม่สำเร็จ`,
  keptNote: 'คำตอบข้ออื่นยังอยู่ครบ ไม่มีสิ่งใดสูญหาย',
  retry: (name: string) => `ลองอีกครั้ง อัปโหลด ${name}`,
  retryShort: 'ลองอีกครั้ง',
  dismiss: (name: string) => `ปิด ข้อความของ ${name}`,
  dismissShort: 'ปิด',
  cancel: (name: string) => `ยกเลิก การอัปโหลด ${name}`,
  cancelShort: 'ยกเลิก',
  tooManyFiles: (n: number) => `ข้อนี้แนบได้ไม่เกิน ${n} ไฟล์`,
  download: (name: string) => `ดาวน์โหลด ${name}`,
  downloadShort: 'ดาวน์โหลด',
  downloadFailed: (name: string) => `ดาวน์โหลด ${name} ไม่สำเร็จ`,
  delete: (name: string) => `ลบ ไฟล์ ${name}`,
  deleteShort: 'ลบ',
  deleteTitle: 'ลบไฟล์หลักฐาน',
  deleteConfirm: (name: string) =>
    `ลบไฟล์ “${name}” ออกจากระบบ? ไฟล์จะถูกนำออกจากคำตอบด้วย และกู้คืนไม่ได้ (อัปโหลดใหม่ได้ภายหลัง)`,
  deleteYes: 'ลบไฟล์',
  deleteNo: 'ไม่ลบ',
  deleted: (name: string) => `ลบไฟล์ ${name} แล้ว`,
  deleteFailed: (name: string) => `ลบไฟล์ ${name} ไม่สำเร็จ`,
  colName: 'ชื่อไฟล์',
  colQuestion: 'ข้อ',
  colSize: 'ขนาด',
  colType: 'ชนิด',
  colBy: 'ผู้อัปโหลด',
  colAt: 'วันที่อัปโหลด',
  colActions: 'การดำเนินการ',
  unknownUser: 'ไม่ทราบชื่อ',
  loading: 'กำลังโหลดรายการไฟล์…',
  caption: 'รายการไฟล์หลักฐาน',
};

export type EvidenceText = typeof th;

const en: EvidenceText = {
  title: 'Evidence files',
  listIntro: 'Every evidence file your agency uploaded in this cycle, newest first',
  listEmpty: 'No evidence file yet',
  attachLabel: 'Attach evidence',
  attachFor: (q) => `Attach evidence, question ${q}`,
  hint: (types, max, files) =>
    `${types}, at most ${max} each, up to ${files} files. The type is checked from the file's content, not its name.`,
  quota: (used, quota) => `Your agency uses ${used} of ${quota} for evidence`,
  full: (n) => `${n} files attached, the most allowed; delete one to attach another`,
  readOnly: 'Files cannot be attached or deleted now (awaiting approval, submitted, or past the deadline)',
  attached: 'Files attached to this question',
  none: 'No file attached yet',
  notAttached: 'Uploaded, but not attached to this answer',
  attachAgain: (name) => `Attach to answer: ${name}`,
  attachAgainShort: 'Attach to answer',
  missingFile: 'This file is no longer on the server (deleted); attach it again',
  checking: (name) => `Checking ${name}`,
  uploading: (name) => `Uploading ${name}`,
  uploaded: (name) => `${name} uploaded and attached to the answer`,
  percent: (n) => `${n}%`,
  refused: (name) => `${name} cannot be attached`,
  failed: (name) => `Uploading ${name} failed`,
  keptNote: 'Your other answers are all kept; nothing was lost.',
  retry: (name) => `Retry uploading ${name}`,
  retryShort: 'Retry',
  dismiss: (name) => `Dismiss the message about ${name}`,
  dismissShort: 'Dismiss',
  cancel: (name) => `Cancel uploading ${name}`,
  cancelShort: 'Cancel',
  tooManyFiles: (n) => `This question takes at most ${n} files`,
  download: (name) => `Download ${name}`,
  downloadShort: 'Download',
  downloadFailed: (name) => `Downloading ${name} failed`,
  delete: (name) => `Delete ${name}`,
  deleteShort: 'Delete',
  deleteTitle: 'Delete evidence file',
  deleteConfirm: (name) =>
    `Delete “${name}”? It is also taken out of the answer and cannot be restored (you can upload it again later).`,
  deleteYes: 'Delete file',
  deleteNo: 'Keep it',
  deleted: (name) => `${name} deleted`,
  deleteFailed: (name) => `Deleting ${name} failed`,
  colName: 'File name',
  colQuestion: 'Question',
  colSize: 'Size',
  colType: 'Type',
  colBy: 'Uploaded by',
  colAt: 'Uploaded on',
  colActions: 'Actions',
  unknownUser: 'unknown',
  loading: 'Loading the files…',
  caption: 'Evidence files',
};

export const EVIDENCE_TEXT: Record<Lang, EvidenceText> = { th, en };

export function useEvidenceText(): EvidenceText {
  return EVIDENCE_TEXT[useLang()];
}
