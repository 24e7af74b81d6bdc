import { useLang } from '../../../i18n';
import type { Lang } from '../../../lib/dates';

/** What the check before sending and the answers' preview say, Thai first. */
const th = {
  pageTitle: (year: number) => `ตรวจสอบก่อนส่ง แบบสำรวจปี ${year}`,
  title: 'ตรวจสอบก่อนส่ง',
  intro: 'ตรวจว่าตอบครบทุกข้อที่ต้องตอบ แล้วดูคำตอบทั้งหมดอีกครั้งก่อนส่งให้ผู้บริหารของหน่วยงานอนุมัติ',
  back: 'กลับไปที่แบบสำรวจ',
  print: 'ดูฉบับพิมพ์ / บันทึกเป็น PDF',
  loading: 'กำลังตรวจความครบถ้วน…',
  question: (n: string) => `ข้อ ${n}`,
  summaryTitle: (n: number) => `ยังส่งไม่ได้: มี ${n} ข้อที่ต้องตอบหรือแก้ไข`,
  summaryIntro: 'เลือกข้อเพื่อไปแก้ไขที่คำถามนั้น',
  sectionProgress: (a: number, r: number) => `ตอบข้อบังคับแล้ว ${a} จาก ${r} ข้อ`,
  complete: 'ตอบครบทุกข้อที่ต้องตอบแล้ว',
  completeText: (r: number) => `ตอบข้อบังคับครบทั้ง ${r} ข้อ พร้อมส่งให้ผู้บริหารอนุมัติ`,
  general: 'ข้อมูลทั่วไป',
  pillar: (n: number) => `มิติที่ ${n}`,
  // unsent edits of this browser (replayed by autosave here too)
  unsentSaving: (n: number) => `กำลังบันทึกคำตอบ ${n} ข้อที่ยังไม่ถึงระบบ…`,
  unsentOffline: (n: number) =>
    `มีคำตอบ ${n} ข้อที่ยังไม่ได้บันทึก (เก็บไว้ในเบราว์เซอร์นี้) จะบันทึกเมื่อเชื่อมต่อได้ ยังส่งไม่ได้จนกว่าจะบันทึกครบ`,
  unsentConflict: 'มีคำตอบที่ถูกแก้ไขจากที่อื่น กลับไปที่แบบสำรวจเพื่อเลือกคำตอบที่จะใช้ก่อนส่ง',
  unsentProblems: (n: number) => `มีคำตอบ ${n} ข้อที่ระบบยังไม่รับ กลับไปแก้ไขที่แบบสำรวจ`,
  // request approval
  requestTitle: 'ส่งให้ผู้บริหารอนุมัติ',
  requestText:
    'เมื่อส่งแล้ว ผู้บริหารของหน่วยงานจะได้รับแจ้งให้อนุมัติ ระหว่างนั้นแก้ไขคำตอบและไฟล์หลักฐานไม่ได้ จนกว่าผู้บริหารจะส่งกลับ',
  requestButton: 'ส่งให้ผู้บริหารอนุมัติ',
  requestBlockedIncomplete: 'ต้องตอบให้ครบตามรายการด้านบนก่อนจึงจะส่งได้',
  requestBlockedUnsent: 'รอให้บันทึกคำตอบครบก่อนจึงจะส่งได้',
  requestBlockedDeadline: 'พ้นกำหนดส่งแล้ว ส่งไม่ได้ หากต้องการขยายเวลาโปรดติดต่อผู้ดูแลการสำรวจ',
  confirmTitle: 'ยืนยันส่งคำตอบให้ผู้บริหารอนุมัติ',
  confirmText: (agency: string) =>
    `ส่งคำตอบของ${agency}ให้ผู้บริหารอนุมัติใช่หรือไม่ เมื่อส่งแล้วจะแก้ไขคำตอบไม่ได้ จนกว่าผู้บริหารจะส่งกลับ เมื่อผู้บริหารอนุมัติ คำตอบจะถึง สพร.`,
  confirmYes: 'ยืนยันส่งให้ผู้บริหารอนุมัติ',
  confirmNo: 'ยกเลิก',
  close: 'ปิด',
  sent: 'ส่งให้ผู้บริหารอนุมัติแล้ว',
  sentText: 'ผู้บริหารของหน่วยงานได้รับแจ้งแล้ว ระหว่างรออนุมัติคำตอบแก้ไขไม่ได้',
  refused: 'ส่งไม่สำเร็จ',
  refusedConflict: 'คำตอบเพิ่งถูกแก้ไขจากที่อื่น รายการตรวจสอบด้านบนอ่านใหม่แล้ว โปรดตรวจอีกครั้งแล้วส่งใหม่',
  code: (c: string) => `รหัส: ${c}`,
  statusAwaiting: 'ส่งให้ผู้บริหารอนุมัติแล้ว รอผู้บริหารอนุมัติ',
  statusSubmitted: 'คำตอบส่งถึง สพร. แล้ว',
  statusVerified: 'สพร. ตรวจสอบคำตอบแล้ว',
  notCoordinator: 'การส่งให้ผู้บริหารอนุมัติทำได้โดยผู้ประสานงานของหน่วยงาน',
  // preview
  previewTitle: 'คำตอบทั้งหมด (ดูอย่างเดียว)',
  previewIntro: 'แสดงเฉพาะข้อที่ต้องตอบตามคำตอบข้ออื่น',
  noAnswer: '(ยังไม่ได้ตอบ)',
  required: 'ต้องตอบ',
  noFile: '(ยังไม่ได้แนบไฟล์)',
  fileGone: 'ไฟล์นี้ไม่มีในระบบแล้ว',
  rows: (n: number) => `${n} แถว`,
  rowNo: 'แถวที่',
  noQuestions: 'ไม่มีคำถามที่ต้องตอบในส่วนนี้',
};

export type CheckText = typeof th;

const en: CheckText = {
  pageTitle: (year) => `Check before sending, ${year} BE survey`,
  title: 'Check before sending',
  intro:
    'Check that every required question is answered, then read all the answers again before sending them to your agency head for approval.',
  back: 'Back to the questionnaire',
  print: 'Print view / save as PDF',
  loading: 'Checking completeness…',
  question: (n) => `Question ${n}`,
  summaryTitle: (n) => `Not ready to send: ${n} question(s) to answer or fix`,
  summaryIntro: 'Choose a question to fix it where it is asked.',
  sectionProgress: (a, r) => `${a} of ${r} required questions answered`,
  complete: 'Every required question is answered',
  completeText: (r) => `All ${r} required questions are answered; ready to send for approval.`,
  general: 'General information',
  pillar: (n) => `Pillar ${n}`,
  unsentSaving: (n) => `Saving ${n} answer(s) not on the server yet…`,
  unsentOffline: (n) =>
    `${n} answer(s) are not saved yet (kept in this browser); they will be saved when connected. Sending waits until they are.`,
  unsentConflict:
    'Some answers were changed elsewhere; go back to the questionnaire to choose which to keep before sending.',
  unsentProblems: (n) => `${n} answer(s) were not accepted; fix them in the questionnaire.`,
  requestTitle: 'Send for approval',
  requestText:
    'Your agency head is then asked to approve. Until they approve or send it back, the answers and evidence cannot be changed.',
  requestButton: 'Send for approval',
  requestBlockedIncomplete: 'Answer everything listed above first.',
  requestBlockedUnsent: 'Wait until every answer is saved.',
  requestBlockedDeadline: 'The deadline has passed; ask the survey operator for an extension.',
  confirmTitle: 'Send the response for approval?',
  confirmText: (agency) =>
    `Send ${agency}'s response to your agency head for approval? It cannot be edited until they send it back. Once approved, it reaches DGA.`,
  confirmYes: 'Yes, send for approval',
  confirmNo: 'Cancel',
  close: 'Close',
  sent: 'Sent for approval',
  sentText: 'Your agency head has been told. The answers cannot be edited while they wait for approval.',
  refused: 'Not sent',
  refusedConflict:
    'The answers were just changed elsewhere; the check above was read again. Check once more and send again.',
  code: (c) => `Code: ${c}`,
  statusAwaiting: 'Sent for approval; waiting for your agency head',
  statusSubmitted: 'The response has reached DGA',
  statusVerified: 'DGA has verified the response',
  notCoordinator: 'Your agency’s coordinator sends the response for approval.',
  previewTitle: 'All answers (read only)',
  previewIntro: 'Only the questions that apply, given the other answers, are shown.',
  noAnswer: '(not answered)',
  required: 'required',
  noFile: '(no file attached)',
  fileGone: 'This file is no longer on the server',
  rows: (n) => `${n} row(s)`,
  rowNo: 'Row',
  noQuestions: 'No question applies in this section',
};

export const CHECK_TEXT: Record<Lang, CheckText> = { th, en };

export function useCheckText(): CheckText {
  return CHECK_TEXT[useLang()];
}
