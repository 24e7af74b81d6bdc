import { EVIDENCE_LIMITS } from '@dg/survey-model';
import { describe, expect, it } from 'vitest';
import { acceptedTypesText, checkFile, DEFAULT_LIMITS, formatBytes, problemText, readHead } from './limits';
import { limitsOf } from './useEvidence';

const PDF = new TextEncoder().encode('%PDF-1.7\n');
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const defaultQuestion = {}; // the format's default: PDF, PNG, JPEG, at most 5 files
const limits = { maxFileBytes: 20 * 1048576, quotaBytes: 500 * 1048576, usedBytes: 0 };
const tooMany = (n: number) => `ข้อนี้แนบได้ไม่เกิน ${n} ไฟล์`;

describe('checking an evidence file before sending it (intake’s own rules from survey-model)', () => {
  it('takes a PDF up to the byte limit and refuses one byte more, in Thai with the limit in MB', () => {
    expect(checkFile({ size: limits.maxFileBytes, head: PDF }, defaultQuestion, limits, 0)).toBeNull();
    const p = checkFile({ size: limits.maxFileBytes + 1, head: PDF }, defaultQuestion, limits, 0);
    expect(p && problemText(p, 'th', tooMany)).toBe('ไฟล์ใหญ่เกิน 20 MB');
    expect(p && problemText(p, 'en', tooMany)).toBe('file too large');
  });

  it('reads the type from the content: an .exe named plan.pdf is refused, a PNG is taken', () => {
    const p = checkFile({ size: 4, head: EXE }, defaultQuestion, limits, 0);
    expect(p).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED' });
    expect(p && problemText(p, 'th', tooMany)).toBe(
      'ไฟล์นี้เป็นโปรแกรม Windows (.exe) แต่ข้อนี้รับเฉพาะ ไฟล์ PDF, รูปภาพ PNG, รูปภาพ JPEG',
    );
    expect(checkFile({ size: 8, head: PNG }, defaultQuestion, limits, 0)).toBeNull();
    // A question that takes images only refuses the PDF.
    const imagesOnly = { evidence: { accept: ['image/png'], maxFiles: 2 } };
    expect(checkFile({ size: 9, head: PDF }, imagesOnly, limits, 0)?.reason).toBe('type');
  });

  it('uses the limits the server reported (a smaller configured limit wins over the default)', () => {
    const server = limitsOf({ items: [], usedBytes: 0, quotaBytes: 64 * 1024, maxFileBytes: 32 * 1024 });
    expect(checkFile({ size: 32 * 1024 + 1, head: PDF }, defaultQuestion, server, 0)).toMatchObject({
      reason: 'too_large',
      messageTh: 'ไฟล์ใหญ่เกิน 32 KB',
    });
    expect(limitsOf(undefined)).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS.maxFileBytes).toBe(EVIDENCE_LIMITS.maxFileBytes);
  });

  it('refuses a file that would pass the agency’s quota, counting what is already used', () => {
    const nearlyFull = { ...limits, usedBytes: limits.quotaBytes - 100 };
    expect(checkFile({ size: 100, head: PDF }, defaultQuestion, nearlyFull, 0)).toBeNull();
    const p = checkFile({ size: 101, head: PDF }, defaultQuestion, nearlyFull, 0);
    expect(p).toMatchObject({ reason: 'quota', code: 'EVIDENCE_TOO_LARGE' });
    expect(p && problemText(p, 'th', tooMany)).toBe('เกินโควตาไฟล์หลักฐานของหน่วยงาน 500 MB');
  });

  it('refuses a file past the question’s number of files before looking at it', () => {
    const p = checkFile(
      { size: 1, head: PDF },
      { evidence: { accept: ['application/pdf'], maxFiles: 2 } },
      limits,
      2,
    );
    expect(p).toEqual({ reason: 'max_files', maxFiles: 2 });
    expect(p && problemText(p, 'th', tooMany)).toBe('ข้อนี้แนบได้ไม่เกิน 2 ไฟล์');
    expect(checkFile({ size: 1, head: PDF }, defaultQuestion, limits, 4)).toBeNull();
    expect(checkFile({ size: 1, head: PDF }, defaultQuestion, limits, 5)?.reason).toBe('max_files');
  });

  it('refuses an empty file', () => {
    expect(checkFile({ size: 0, head: new Uint8Array() }, defaultQuestion, limits, 0)?.reason).toBe('empty');
  });

  it('reads only the first bytes of a file', async () => {
    const big = new Blob([PDF, new Uint8Array(200_000)]);
    const head = await readHead(big);
    expect(head.length).toBe(65536);
    expect(checkFile({ size: big.size, head }, defaultQuestion, limits, 0)).toBeNull();
  });
});

describe('words', () => {
  it('names the accepted types and sizes as a person reads them', () => {
    expect(acceptedTypesText(defaultQuestion, 'th')).toBe('ไฟล์ PDF, รูปภาพ PNG, รูปภาพ JPEG');
    expect(acceptedTypesText(defaultQuestion, 'en')).toBe('PDF, PNG, JPEG');
    expect(formatBytes(500)).toBe('500 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1048576)).toBe('20 MB');
    expect(formatBytes(850 * 1024)).toBe('850 KB');
  });
});
