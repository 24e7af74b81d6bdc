import { DomainError } from '@dg/contracts';
import { contentDisposition, detectFormat, safeFileName } from './file-format';

function refusal(bytes: Uint8Array): unknown {
  try {
    detectFormat(bytes);
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
}

describe('detectFormat', () => {
  it('recognises XLSX by the zip magic, whatever the name says', () => {
    expect(detectFormat(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))).toBe('xlsx');
  });

  it('treats text as CSV, including TIS-620 Thai bytes', () => {
    expect(detectFormat(Buffer.from('code,nameTh\nDEP-1,กรม\n', 'utf8'))).toBe('csv');
    expect(detectFormat(Uint8Array.from([0x63, 0x6f, 0x64, 0x65, 0x2c, 0xa1, 0xc3, 0xc1, 0x0a]))).toBe('csv');
    expect(detectFormat(new Uint8Array([]))).toBe('csv');
  });

  it('refuses binary that is not a zip with 415', () => {
    const pdf = refusal(Buffer.from('%PDF-1.7\n\u0000\u0001binary', 'latin1'));
    expect(pdf).toBeInstanceOf(DomainError);
    expect(pdf).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
    expect(refusal(Buffer.from('\ufeffcode,name', 'utf16le'))).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });
});

describe('file names', () => {
  it('keeps only the base name without control characters', () => {
    expect(safeFileName('C:\\Users\\x\\หน่วยงาน.csv', 'upload.csv')).toBe('หน่วยงาน.csv');
    expect(safeFileName('../../etc/passwd', 'upload.csv')).toBe('passwd');
    expect(safeFileName('a\u0000b"\n.csv', 'upload.csv')).toBe('ab.csv');
    expect(safeFileName(undefined, 'upload.csv')).toBe('upload.csv');
  });

  it('writes content-disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('agencies-2565.csv')).toBe(
      `attachment; filename="agencies-2565.csv"; filename*=UTF-8''agencies-2565.csv`,
    );
    expect(contentDisposition('หน่วยงาน (1).xlsx')).toBe(
      `attachment; filename="________ (1).xlsx"; filename*=UTF-8''${encodeURIComponent('หน่วยงาน')}%20%281%29.xlsx`,
    );
  });
});
