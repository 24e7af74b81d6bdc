import {
  acceptAttribute,
  checkEvidenceFile,
  formatBytes,
  EVIDENCE_LIMITS,
  evidenceSpec,
  mimeTh,
  sniffType,
  SNIFF_BYTES,
} from './evidence';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffType', () => {
  it('recognises a file from its first bytes, whatever it is called', () => {
    expect(sniffType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffType(bytes('MZ', [0x90, 0]))).toBe('application/x-msdownload');
    expect(sniffType(bytes([0x7f], 'ELF'))).toBe('application/x-executable');
    expect(sniffType(bytes('plain text'))).toBe('application/octet-stream');
    expect(sniffType(new Uint8Array())).toBe('application/octet-stream');
  });

  it('tells Office files from other zips by their entry names, in the first 64 KB only', () => {
    const zip = (name: string, at = 30) => {
      const b = new Uint8Array(at + name.length + 10);
      b.set([0x50, 0x4b, 0x03, 0x04]);
      b.set(bytes(name), at);
      return b;
    };
    expect(sniffType(zip('word/document.xml'))).toMatch(/wordprocessingml/);
    expect(sniffType(zip('xl/workbook.xml'))).toMatch(/spreadsheetml/);
    expect(sniffType(zip('ppt/slides/slide1.xml'))).toMatch(/presentationml/);
    expect(sniffType(zip('photos/a.jpg'))).toBe('application/zip');
    expect(sniffType(zip('word/document.xml', SNIFF_BYTES + 10))).toBe('application/zip');
  });
});

describe('checkEvidenceFile', () => {
  const spec = evidenceSpec({}); // the format's default: PDF, PNG, JPEG
  const limits = { maxFileBytes: EVIDENCE_LIMITS.maxFileBytes, quotaBytes: 100 * 1048576, usedBytes: 0 };

  it('passes an accepted file within the limits, up to the byte', () => {
    expect(
      checkEvidenceFile({ size: EVIDENCE_LIMITS.maxFileBytes, type: 'application/pdf' }, spec, limits),
    ).toBeNull();
  });

  it('refuses one byte over the file limit, in Thai with the limit in MB', () => {
    const p = checkEvidenceFile(
      { size: EVIDENCE_LIMITS.maxFileBytes + 1, type: 'application/pdf' },
      spec,
      limits,
    );
    expect(p).toMatchObject({
      reason: 'too_large',
      code: 'EVIDENCE_TOO_LARGE',
      messageTh: 'ไฟล์ใหญ่เกิน 20 MB',
    });
  });

  it('refuses a type the question does not take, naming what it is and what is taken', () => {
    const p = checkEvidenceFile({ size: 10, type: 'application/x-msdownload' }, spec, limits);
    expect(p).toMatchObject({ reason: 'type', code: 'EVIDENCE_TYPE_NOT_ALLOWED' });
    expect(p?.messageTh).toBe('ไฟล์นี้เป็นโปรแกรม Windows (.exe) แต่ข้อนี้รับเฉพาะ ไฟล์ PDF, รูปภาพ PNG, รูปภาพ JPEG');
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(checkEvidenceFile({ size: 10, type: docx }, { accept: [docx] }, limits)).toBeNull();
  });

  it('checks the size before the type and the quota last, as intake does', () => {
    expect(checkEvidenceFile({ size: 0, type: 'application/pdf' }, spec, limits)?.reason).toBe('empty');
    const both = checkEvidenceFile(
      { size: EVIDENCE_LIMITS.maxFileBytes + 1, type: 'text/plain' },
      spec,
      limits,
    );
    expect(both?.reason).toBe('too_large');
    const full = { ...limits, usedBytes: 100 * 1048576 - 5 };
    expect(checkEvidenceFile({ size: 5, type: 'image/png' }, spec, full)).toBeNull();
    expect(checkEvidenceFile({ size: 6, type: 'image/png' }, spec, full)).toMatchObject({
      reason: 'quota',
      code: 'EVIDENCE_TOO_LARGE',
      messageTh: 'เกินโควตาไฟล์หลักฐานของหน่วยงาน 100 MB',
    });
    expect(checkEvidenceFile({ size: 6, type: 'image/png' }, spec, { maxFileBytes: 10 })).toBeNull();
  });
});

describe('words and hints', () => {
  it('names types in Thai and gives the file picker types and extensions', () => {
    expect(mimeTh('application/pdf')).toBe('ไฟล์ PDF');
    expect(mimeTh('text/x-unknown')).toBe('text/x-unknown');
    expect(acceptAttribute(['application/pdf', 'image/jpeg'])).toBe(
      'application/pdf,.pdf,image/jpeg,.jpg,.jpeg',
    );
    expect([500, 1536, 32 * 1024, 850 * 1024, 20 * 1048576].map(formatBytes)).toEqual([
      '500 B',
      '1.5 KB',
      '32 KB',
      '850 KB',
      '20 MB',
    ]);
  });

  it('takes a question’s own evidence spec over the default', () => {
    expect(evidenceSpec({ evidence: { accept: ['image/png'], maxFiles: 2 } })).toEqual({
      accept: ['image/png'],
      maxFiles: 2,
    });
    expect(evidenceSpec({}).maxFiles).toBe(5);
  });
});
