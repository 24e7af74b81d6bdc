import type { ResponsesExportFile } from '@dg/contracts';

/**
 * What a responses export holds, as the rows of the XLSX "about" sheet (Thai, then English): the
 * answers of the cycle, and whether the personal data of the agencies' people is in it (PDPA).
 */
export function aboutSheet(cycleId: string, personalData: ResponsesExportFile['personalData']): string[][] {
  const questions = personalData.questions.join(', ') || '-';
  return [
    ['ไฟล์นี้ · This file', `คำตอบทุกข้อของรอบการสำรวจ ${cycleId} · Every answer of survey cycle ${cycleId}`],
    personalData.included
      ? [
          'ข้อมูลส่วนบุคคล · Personal data',
          'มีข้อมูลส่วนบุคคล (ชื่อ ตำแหน่ง อีเมล โทรศัพท์) ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 ใช้เพื่อประสานงานการสำรวจเท่านั้น ห้ามเผยแพร่ ลบเมื่อเลิกใช้ · ' +
            'Contains personal data (names, positions, e-mails, phone numbers) under the PDPA B.E. 2562 (2019): use it only to coordinate the survey, do not pass it on, delete it when done',
        ]
      : [
          'ข้อมูลส่วนบุคคล · Personal data',
          'ไม่มีข้อมูลส่วนบุคคล: ตัดคำตอบของคำถามด้านล่างออกแล้ว · No personal data: the answers to the questions below are left out',
        ],
    ['คำถามที่เป็นข้อมูลส่วนบุคคล · Personal-data questions', questions],
  ];
}
