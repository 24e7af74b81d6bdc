import { useLang } from '../../../i18n';
import type { Lang } from '../../../lib/dates';

/** What the print view says, Thai first. */
const th = {
  pageTitle: (year: number, agency: string) => `คำตอบแบบสำรวจปี ${year} ${agency}`,
  title: 'ฉบับพิมพ์คำตอบแบบสำรวจ',
  print: 'พิมพ์ / บันทึกเป็น PDF',
  printHint: 'ในหน้าต่างพิมพ์ เลือกเครื่องพิมพ์ หรือเลือก “บันทึกเป็น PDF” (Save as PDF) ขนาดกระดาษ A4',
  back: 'กลับไปที่แบบสำรวจ',
  check: 'ตรวจสอบก่อนส่ง',
  loading: 'กำลังเตรียมฉบับพิมพ์…',
  agency: 'หน่วยงาน',
  code: 'รหัสหน่วยงาน',
  status: 'สถานะ',
  deadline: 'กำหนดส่ง',
  submittedAt: 'ส่งถึง สพร. เมื่อ',
  version: 'ฉบับบันทึกที่',
  printedAt: 'พิมพ์เมื่อ',
  completeness: 'ความครบถ้วน',
  answeredOf: (a: number, r: number) => `ตอบข้อบังคับแล้ว ${a} จาก ${r} ข้อ`,
};

export type PrintText = typeof th;

const en: PrintText = {
  pageTitle: (year, agency) => `${year} BE survey response, ${agency}`,
  title: 'Survey response, print view',
  print: 'Print / save as PDF',
  printHint: 'In the print window choose a printer, or “Save as PDF”, on A4 paper',
  back: 'Back to the questionnaire',
  check: 'Check before sending',
  loading: 'Preparing the print view…',
  agency: 'Agency',
  code: 'Agency code',
  status: 'Status',
  deadline: 'Deadline',
  submittedAt: 'Reached DGA on',
  version: 'Saved version',
  printedAt: 'Printed on',
  completeness: 'Completeness',
  answeredOf: (a, r) => `${a} of ${r} required questions answered`,
};

export const PRINT_TEXT: Record<Lang, PrintText> = { th, en };

export function usePrintText(): PrintText {
  return PRINT_TEXT[useLang()];
}
