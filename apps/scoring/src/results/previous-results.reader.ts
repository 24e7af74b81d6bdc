import { parse } from 'csv-parse/sync';
import { DomainError, type FieldError } from '@dg/contracts';
import { decodeCsv } from '@dg/platform';
import type { ImportedRow } from './results.repository';

const SCORE = /^\d{1,3}(\.\d{1,4})?$/;
const PILLAR = /^pillar_([1-6])$/;

/**
 * Reads a CSV of a cycle's published results (UTF-8 or the Windows-874 Thai Excel writes):
 * `agency_code,overall[,level][,pillar_1..pillar_6]`, other columns ignored. Every bad row is
 * reported; nothing is returned unless every row is good.
 */
export function readPreviousResults(bytes: Uint8Array): ImportedRow[] {
  const { text } = decodeCsv(bytes);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw invalid([problem(1, '', 'UNREADABLE_FILE', `CSV could not be read: ${(e as Error).message}`, 'อ่านไฟล์ CSV ไม่ได้')]);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const at = (name: string) => header.indexOf(name);
  const missing = ['agency_code', 'overall'].filter((c) => at(c) < 0);
  if (missing.length) {
    throw invalid(missing.map((c) => problem(1, c, 'MISSING_COLUMN', `column ${c} is required`, `ไม่มีคอลัมน์ ${c}`)));
  }
  const pillarColumns = header.flatMap((h, i) => (PILLAR.test(h) ? [{ i, n: PILLAR.exec(h)![1] }] : []));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const rows: ImportedRow[] = [];
  records.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const code = cells[at('agency_code')] ?? '';
    if (!code) errors.push(problem(row, 'agency_code', 'REQUIRED', 'agency code is empty', 'ไม่มีรหัสหน่วยงาน'));
    else if (seen.has(code)) errors.push(problem(row, 'agency_code', 'DUPLICATE', `agency ${code} appears twice`, `รหัส ${code} ซ้ำ`, code));
    seen.add(code);
    const score = (column: string, raw: string | undefined, required: boolean): number | null => {
      if (!raw) {
        if (required) errors.push(problem(row, column, 'REQUIRED', `${column} is empty`, `ไม่มีค่า ${column}`));
        return null;
      }
      if (!SCORE.test(raw) || Number(raw) > 100) {
        errors.push(problem(row, column, 'NOT_A_SCORE', 'a score from 0 to 100 (up to 4 decimals)', 'ต้องเป็นคะแนน 0-100', raw));
        return null;
      }
      return Number(raw);
    };
    const overall = score('overall', cells[at('overall')], true);
    const levelRaw = at('level') >= 0 ? (cells[at('level')] ?? '') : '';
    if (levelRaw && !/^[1-5]$/.test(levelRaw)) {
      errors.push(problem(row, 'level', 'NOT_A_LEVEL', 'a maturity level from 1 to 5', 'ระดับต้องเป็น 1-5', levelRaw));
    }
    const pillars: Record<string, number> = {};
    for (const p of pillarColumns) {
      const v = score(`pillar_${p.n}`, cells[p.i], false);
      if (v !== null) pillars[p.n] = v;
    }
    if (overall !== null) rows.push({ agencyCode: code, overall, level: levelRaw ? Number(levelRaw) : null, pillars });
  });
  if (!rows.length && !errors.length) errors.push(problem(2, '', 'EMPTY', 'the file has no rows', 'ไฟล์ไม่มีข้อมูล'));
  if (errors.length) throw invalid(errors);
  return rows;
}

function problem(row: number, column: string, code: string, message: string, messageTh: string, value?: string): FieldError {
  return { row, column, code, message, messageTh, ...(value !== undefined ? { value } : {}) };
}

function invalid(errors: FieldError[]): DomainError {
  return new DomainError('IMPORT_INVALID', undefined, errors.slice(0, 1000));
}
