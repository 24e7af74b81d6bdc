import { DomainError, FileFormat } from '@dg/contracts';

export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\x03\x04": XLSX is a zip package

/**
 * The format of an upload, from its bytes (never from its name or declared type): a zip package
 * is XLSX; text is CSV (UTF-8 or Windows-874/TIS-620, the registry detects which); anything else
 * with NUL bytes (PDF, images, UTF-16 text, old .xls) is refused with 415.
 */
export function detectFormat(bytes: Uint8Array): FileFormat {
  if (bytes.length >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b)) return 'xlsx';
  if (bytes.includes(0)) {
    throw new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      'ไม่รองรับไฟล์ประเภทนี้ ใช้ CSV (UTF-8 หรือ TIS-620) หรือ XLSX (binary file that is neither CSV text nor XLSX)',
    );
  }
  return 'csv';
}

/** Generic file-name helpers, kept importable from here for the registry's code and tests. */
export { contentDisposition, safeFileName } from '../http/transfer';
