import { DEFAULT_EVIDENCE } from './answers';
import type { EvidenceSpec, Question } from './format';

/**
 * The rules for evidence files, in one place for intake (which enforces them) and the web portal
 * (which checks a file before sending it, so a coordinator does not wait for a 20 MB upload to be
 * refused): the default limits, the type of a file from its first bytes, what a question accepts,
 * and the Thai and English words for each refusal.
 */

const MiB = 1024 * 1024;

/** Defaults of intake's `EVIDENCE_MAX_BYTES` (one file) and `EVIDENCE_QUOTA_BYTES` (one agency, one cycle). */
export const EVIDENCE_LIMITS: { readonly maxFileBytes: number; readonly quotaBytes: number } = {
  maxFileBytes: 20 * MiB,
  quotaBytes: 500 * MiB,
};

/** What an evidence question accepts: its own `evidence`, else the format's default. */
export function evidenceSpec(question: Pick<Question, 'evidence'>): EvidenceSpec {
  return question.evidence ?? { accept: [...DEFAULT_EVIDENCE.accept], maxFiles: DEFAULT_EVIDENCE.maxFiles };
}

// --- the type of a file from its content ---

/**
 * The type of a file from its first bytes, never from its name or the browser's claim: an
 * executable renamed to .pdf is still an executable.
 */
const SIGNATURES: { type: string; bytes: number[]; offset?: number }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/webp', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
  { type: 'application/x-msdownload', bytes: [0x4d, 0x5a] }, // MZ: Windows executable
  { type: 'application/x-executable', bytes: [0x7f, 0x45, 0x4c, 0x46] }, // ELF
];

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OOXML: Record<string, string> = {
  'word/': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'xl/': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'ppt/': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** How many leading bytes `sniffType` reads: a browser passes `file.slice(0, SNIFF_BYTES)`. */
export const SNIFF_BYTES = 65536;

function startsWith(bytes: Uint8Array, sig: number[], offset = 0): boolean {
  return sig.every((b, i) => bytes[offset + i] === b);
}

/** Bytes as latin1 text (one char per byte), without Node's Buffer so a browser can run it too. */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

export function sniffType(bytes: Uint8Array): string {
  for (const s of SIGNATURES) if (startsWith(bytes, s.bytes, s.offset)) return s.type;
  if (startsWith(bytes, ZIP)) {
    // Office files are zips whose entry names tell the kind; look in the first 64 KB of names.
    const head = latin1(bytes.subarray(0, SNIFF_BYTES));
    for (const [prefix, type] of Object.entries(OOXML)) if (head.includes(prefix)) return type;
    return 'application/zip';
  }
  return 'application/octet-stream';
}

// --- words ---

const MIME_TH: Record<string, string> = {
  'application/pdf': 'ไฟล์ PDF',
  'image/png': 'รูปภาพ PNG',
  'image/jpeg': 'รูปภาพ JPEG',
  'image/gif': 'รูปภาพ GIF',
  'image/webp': 'รูปภาพ WebP',
  'application/zip': 'ไฟล์บีบอัด ZIP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'เอกสาร Word (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'ตาราง Excel (.xlsx)',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'งานนำเสนอ PowerPoint (.pptx)',
  'application/x-msdownload': 'โปรแกรม Windows (.exe)',
  'application/x-executable': 'โปรแกรม (executable)',
  'application/octet-stream': 'ไฟล์ที่ไม่รู้จักชนิด',
  'text/csv': 'ไฟล์ CSV',
};

/** A file type as a person reads it: `ไฟล์ PDF`, or the MIME type itself when it has no Thai name. */
export function mimeTh(type: string): string {
  return MIME_TH[type] ?? type;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg,.jpeg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/zip': '.zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'text/csv': '.csv',
};

/**
 * The `accept` attribute of a file input for the types a question takes (MIME types and their
 * usual extensions): a hint to the browser's file picker, never the check itself.
 */
export function acceptAttribute(accept: readonly string[]): string {
  return accept.flatMap((t) => [t, ...(EXTENSIONS[t]?.split(',') ?? [])]).join(',');
}

/**
 * `850 KB`, `1.5 MB`, `20 MB`: a size as a person reads it, in binary units (as the limits are
 * counted), one decimal under 10.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const shown = v < 10 ? Math.round(v * 10) / 10 : Math.round(v);
  return `${shown} ${units[i]}`;
}

/** Why an evidence file is refused, with the words both intake and the portal show. */
export interface EvidenceFileProblem {
  reason: 'too_large' | 'type' | 'quota' | 'empty';
  /** The problem code intake answers for it (a quota is also `EVIDENCE_TOO_LARGE`). */
  code: 'EVIDENCE_TOO_LARGE' | 'EVIDENCE_TYPE_NOT_ALLOWED' | 'VALIDATION_FAILED';
  message: string;
  messageTh: string;
}

export const evidenceProblems = {
  tooLarge: (maxBytes: number): EvidenceFileProblem => ({
    reason: 'too_large',
    code: 'EVIDENCE_TOO_LARGE',
    message: 'file too large',
    messageTh: `ไฟล์ใหญ่เกิน ${formatBytes(maxBytes)}`,
  }),
  typeNotAllowed: (detected: string, accept: readonly string[]): EvidenceFileProblem => ({
    reason: 'type',
    code: 'EVIDENCE_TYPE_NOT_ALLOWED',
    message: `file is ${detected}; accepted: ${accept.join(', ')}`,
    messageTh: `ไฟล์นี้เป็น${mimeTh(detected)} แต่ข้อนี้รับเฉพาะ ${accept.map(mimeTh).join(', ')}`,
  }),
  quotaExceeded: (quotaBytes: number): EvidenceFileProblem => ({
    reason: 'quota',
    code: 'EVIDENCE_TOO_LARGE',
    message: 'agency quota exceeded',
    messageTh: `เกินโควตาไฟล์หลักฐานของหน่วยงาน ${formatBytes(quotaBytes)}`,
  }),
  empty: (): EvidenceFileProblem => ({
    reason: 'empty',
    code: 'VALIDATION_FAILED',
    message: 'the file is empty',
    messageTh: 'ไฟล์ว่างเปล่า (0 ไบต์)',
  }),
};

export interface EvidenceLimits {
  /** Largest file (intake's `EVIDENCE_MAX_BYTES`). */
  maxFileBytes: number;
  /** The agency's quota for the cycle and what it already uses; left out, the quota is not checked. */
  quotaBytes?: number;
  usedBytes?: number;
}

/**
 * The checks intake makes on an upload, in its order (size, type from the content, quota), for a
 * file of `size` bytes whose content `sniffType` recognised as `type`. Null when it would pass.
 */
export function checkEvidenceFile(
  file: { size: number; type: string },
  spec: Pick<EvidenceSpec, 'accept'>,
  limits: EvidenceLimits,
): EvidenceFileProblem | null {
  if (file.size === 0) return evidenceProblems.empty();
  if (file.size > limits.maxFileBytes) return evidenceProblems.tooLarge(limits.maxFileBytes);
  if (!spec.accept.includes(file.type)) return evidenceProblems.typeNotAllowed(file.type, spec.accept);
  if (limits.quotaBytes !== undefined && (limits.usedBytes ?? 0) + file.size > limits.quotaBytes) {
    return evidenceProblems.quotaExceeded(limits.quotaBytes);
  }
  return null;
}
