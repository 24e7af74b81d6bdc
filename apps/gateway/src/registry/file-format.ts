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

/** A file name safe to keep and to show: no path, no control characters, at most 200 characters. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch > '\u001f' && ch !== '\u007f' && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || fallback;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 8187), for Thai names too. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
