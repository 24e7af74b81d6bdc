import {
  checkEvidenceFile,
  EVIDENCE_LIMITS,
  evidenceSpec,
  formatBytes,
  mimeTh,
  sniffType,
  SNIFF_BYTES,
  type EvidenceFileProblem,
  type Question,
} from '@dg/survey-model';
import type { Lang } from '../../../lib/dates';

export { formatBytes };

/**
 * Checks a file before it is sent, with intake's own rules from `@dg/survey-model` (the type
 * read from the file's first bytes, what the question accepts, the size limit and the agency's
 * quota): a coordinator hears at once that a 30 MB scan or a renamed .exe will be refused,
 * instead of after the upload. Intake checks again; this only saves the wait.
 */

/** The limits as the server reported them (evidence list), else survey-model's defaults. */
export interface ServerLimits {
  maxFileBytes: number;
  quotaBytes: number;
  usedBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxFileBytes: EVIDENCE_LIMITS.maxFileBytes,
  quotaBytes: EVIDENCE_LIMITS.quotaBytes,
  usedBytes: 0,
};

export type FileProblem = EvidenceFileProblem | { reason: 'max_files'; maxFiles: number };

/** The first bytes of a file, enough for `sniffType`. */
export async function readHead(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
}

/**
 * Whether a file of `size` bytes starting with `head` may be attached to `question` that already
 * names `attached` files, within `limits`. Null when intake would take it.
 */
export function checkFile(
  file: { size: number; head: Uint8Array },
  question: Pick<Question, 'evidence'>,
  limits: ServerLimits,
  attached: number,
): FileProblem | null {
  const spec = evidenceSpec(question);
  if (attached >= spec.maxFiles) return { reason: 'max_files', maxFiles: spec.maxFiles };
  return checkEvidenceFile({ size: file.size, type: sniffType(file.head) }, spec, limits);
}

/** The Thai (or English) sentence for a refusal: survey-model's words, the same intake uses. */
export function problemText(p: FileProblem, lang: Lang, tooMany: (n: number) => string): string {
  if (p.reason === 'max_files') return tooMany(p.maxFiles);
  return lang === 'th' ? p.messageTh : p.message;
}

/** `PDF, PNG, JPEG` as a person reads them: `ไฟล์ PDF, รูปภาพ PNG, รูปภาพ JPEG`. */
export function acceptedTypesText(question: Pick<Question, 'evidence'>, lang: Lang): string {
  const accept = evidenceSpec(question).accept;
  if (lang === 'th') return accept.map(mimeTh).join(', ');
  return accept.map((t) => ENGLISH_TYPES[t] ?? t).join(', ');
}

const ENGLISH_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/zip': 'ZIP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel (.xlsx)',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint (.pptx)',
};
