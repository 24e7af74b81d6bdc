import { useLang } from '../../../i18n';
import type { Lang } from '../../../lib/dates';

/** What the agency head's view says, Thai first. */
const th = {
  pageTitle: (year: number) => `อนุมัติคำตอบแบบสำรวจ ปี ${year}`,
  role: 'สำหรับผู้บริหารของหน่วยงาน (ผู้อนุมัติ)',
  loading: 'กำลังโหลดคำตอบของหน่วยงาน…',
  noAgency: 'บัญชีนี้ยังไม่ได้ผูกกับหน่วยงาน โปรดติดต่อเจ้าหน้าที่ สพร.',
  notInCycle: 'หน่วยงานของท่านไม่อยู่ในกลุ่มเป้าหมายของรอบการสำรวจนี้',
  // what the status means for the head
  statusText: {
    not_started: 'ผู้ประสานงานของหน่วยงานยังไม่เริ่มตอบแบบสำรวจ',
    in_progress: 'ผู้ประสานงานกำลังตอบแบบสำรวจ ยังไม่ได้ส่งให้ท่านอนุมัติ',
    awaiting_approval: 'ผู้ประสานงานส่งคำตอบให้ท่านอนุมัติแล้ว โปรดตรวจดูแล้วอนุมัติ หรือส่งกลับให้แก้ไขพร้อมเหตุผล',
    submitted: 'ท่านอนุมัติแล้ว คำตอบส่งถึง สพร. แล้ว',
    returned: 'สพร. ส่งคำตอบกลับให้หน่วยงานแก้ไข ผู้ประสานงานจะส่งให้ท่านอนุมัติอีกครั้งเมื่อแก้ไขเสร็จ',
    resubmitted: 'ท่านอนุมัติคำตอบฉบับแก้ไขแล้ว คำตอบส่งถึง สพร. แล้ว',
    verified: 'สพร. ตรวจสอบคำตอบของหน่วยงานแล้ว',
  } as Record<string, string>,
  submittedAt: (date: string) => `ส่งถึง สพร. เมื่อ ${date}`,
  // completeness
  completenessTitle: 'ความครบถ้วนของคำตอบ',
  completenessCaption: 'จำนวนข้อบังคับที่ตอบแล้วในแต่ละส่วน',
  colSection: 'ส่วน',
  colAnswered: 'ตอบแล้ว',
  colMissing: 'ยังขาด',
  total: 'รวมทุกส่วน',
  general: 'ข้อมูลทั่วไป',
  pillar: (n: number) => `มิติที่ ${n}`,
  of: (a: number, r: number) => `${a} / ${r}`,
  missing: (n: number) => (n === 0 ? 'ครบ' : `${n} ข้อ`),
  complete: 'ตอบครบทุกข้อที่ต้องตอบ',
  incomplete: (n: number) => `ยังมี ${n} ข้อที่ต้องตอบหรือแก้ไข`,
  print: 'ดูคำตอบทั้งหมด / พิมพ์',
  printHint: 'เปิดคำตอบทุกข้อพร้อมรายการไฟล์หลักฐาน พิมพ์หรือบันทึกเป็น PDF ได้',
  // actions
  actionsTitle: 'การอนุมัติ',
  approve: 'อนุมัติและส่งถึง สพร.',
  sendBack: 'ส่งกลับให้แก้ไข',
  approveTitle: 'ยืนยันการอนุมัติ',
  approveText: 'เมื่ออนุมัติ คำตอบชุดนี้จะส่งถึง สพร. ทันทีและแก้ไขไม่ได้อีก (เว้นแต่ สพร. ส่งกลับให้แก้ไข)',
  approveComment: 'ความเห็นประกอบการอนุมัติ (ไม่บังคับ)',
  approveCommentHint: 'บันทึกไว้ในประวัติของคำตอบ',
  approveYes: 'ยืนยันอนุมัติและส่ง',
  cancel: 'ยกเลิก',
  close: 'ปิด',
  sendBackTitle: 'ส่งกลับให้ผู้ประสานงานแก้ไข',
  sendBackText: 'ผู้ประสานงานจะได้รับแจ้งพร้อมเหตุผลนี้ และแก้ไขคำตอบได้อีกครั้ง',
  comment: 'เหตุผลที่ส่งกลับ',
  commentHint: 'ระบุสิ่งที่ต้องแก้ไข ผู้ประสานงานจะเห็นข้อความนี้',
  commentRequired: 'กรุณาระบุเหตุผลที่ส่งกลับ เพื่อให้ผู้ประสานงานทราบว่าต้องแก้ไขอะไร',
  commentTooLong: (n: number) => `เหตุผลยาวได้ไม่เกิน ${n} ตัวอักษร`,
  sendBackYes: 'ยืนยันส่งกลับ',
  approved: 'อนุมัติแล้ว คำตอบส่งถึง สพร. แล้ว',
  sentBack: 'ส่งกลับให้ผู้ประสานงานแก้ไขแล้ว',
  refused: 'ดำเนินการไม่สำเร็จ',
  code: (c: string) => `รหัส: ${c}`,
  selfApproval:
    'ท่านเป็นผู้กรอกหรือส่งคำตอบรอบนี้เอง จึงอนุมัติเองไม่ได้ (แบ่งแยกหน้าที่) ให้ผู้อนุมัติอีกคนของหน่วยงานอนุมัติ หรือส่งกลับให้แก้ไขได้',
  conflict: 'คำตอบเพิ่งเปลี่ยนแปลง ระบบอ่านข้อมูลล่าสุดแล้ว โปรดตรวจอีกครั้ง',
  notApprover: 'การอนุมัติทำได้โดยผู้บริหารของหน่วยงาน (บทบาทผู้อนุมัติ)',
};

export type ApproverText = typeof th;

const en: ApproverText = {
  pageTitle: (year) => `Approve the ${year} BE survey response`,
  role: 'For your agency head (approver)',
  loading: 'Loading your agency’s response…',
  noAgency: 'This account is not linked to an agency yet; please contact DGA.',
  notInCycle: 'Your agency is not in this cycle’s cohort.',
  statusText: {
    not_started: 'Your agency’s coordinators have not started the survey yet.',
    in_progress: 'Your coordinators are answering; they have not sent it for your approval yet.',
    awaiting_approval:
      'Your coordinators sent the response for your approval. Please review it, then approve, or send it back with a reason.',
    submitted: 'You approved it; the response has reached DGA.',
    returned: 'DGA returned the response for correction; your coordinators will send it for approval again.',
    resubmitted: 'You approved the corrected response; it has reached DGA.',
    verified: 'DGA has verified your agency’s response.',
  },
  submittedAt: (date) => `Reached DGA on ${date}`,
  completenessTitle: 'Completeness',
  completenessCaption: 'Required questions answered in each section',
  colSection: 'Section',
  colAnswered: 'Answered',
  colMissing: 'Missing',
  total: 'All sections',
  general: 'General information',
  pillar: (n) => `Pillar ${n}`,
  of: (a, r) => `${a} / ${r}`,
  missing: (n) => (n === 0 ? 'complete' : `${n}`),
  complete: 'Every required question is answered',
  incomplete: (n) => `${n} question(s) still to answer or fix`,
  print: 'All answers / print',
  printHint: 'Every answer with the list of evidence files, to print or save as PDF',
  actionsTitle: 'Approval',
  approve: 'Approve and send to DGA',
  sendBack: 'Send back for changes',
  approveTitle: 'Confirm approval',
  approveText:
    'Once approved, these answers go to DGA at once and cannot be changed (unless DGA returns them).',
  approveComment: 'Comment on the approval (optional)',
  approveCommentHint: 'Kept in the response’s history',
  approveYes: 'Approve and send',
  cancel: 'Cancel',
  close: 'Close',
  sendBackTitle: 'Send back to the coordinators',
  sendBackText: 'Your coordinators are told, with this reason, and can change the answers again.',
  comment: 'Reason for sending back',
  commentHint: 'Say what needs changing; your coordinators will read it',
  commentRequired: 'Please give the reason, so your coordinators know what to change',
  commentTooLong: (n) => `At most ${n} characters`,
  sendBackYes: 'Send back',
  approved: 'Approved: the response has reached DGA',
  sentBack: 'Sent back to your coordinators',
  refused: 'Not done',
  code: (c) => `Code: ${c}`,
  selfApproval:
    'You answered or sent this round yourself, so you cannot approve it (segregation of duties). Another approver of your agency must approve it; you may send it back.',
  conflict: 'The response just changed; the latest was read. Please check again.',
  notApprover: 'Your agency head (approver role) approves the response.',
};

export const APPROVER_TEXT: Record<Lang, ApproverText> = { th, en };

export function useApproverText(): ApproverText {
  return APPROVER_TEXT[useLang()];
}
