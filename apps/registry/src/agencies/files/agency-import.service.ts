import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AgencyCode,
  AgencyImportReport,
  AgencyKind,
  AgencyStatus,
  DomainError,
  Events,
  ImportRowError,
  OrgType,
  ProvinceCode,
  StoredFile,
} from '@dg/contracts';
import { addManyToOutbox, CallContext, FileTransfer, OutboxRelay, requireRole } from '@dg/platform';
import { audit } from '../../audit/audit';
import { AgencyEntity } from '../../entities';
import { AgenciesRepository } from '../agencies.repository';
import { AgencyFields, changedFields, toAgency } from '../agency.mapper';
import { AGENCY_COLUMNS, AgencyColumn, checkReferences } from '../agency.rules';
import { readTable, Table } from './agency-file.reader';

/** Errors listed in one answer; the count of all of them is always given. */
const MAX_REPORTED_ERRORS = 1000;
const REQUIRED_COLUMNS: AgencyColumn[] = ['code', 'name_th', 'kind'];

/** Optional columns, and the field each fills; absent from a file, they keep the stored value. */
const KEPT_WHEN_ABSENT: [AgencyColumn, keyof Omit<AgencyFields, 'parentId'>][] = [
  ['name_en', 'nameEn'],
  ['org_type', 'orgType'],
  ['ministry_code', 'ministryId'],
  ['province_code', 'provinceCode'],
  ['status', 'status'],
  ['effective_from', 'effectiveFrom'],
  ['effective_to', 'effectiveTo'],
];

interface Candidate {
  rowNumber: number;
  code: string;
  parentCode: string | null;
  fields: Omit<AgencyFields, 'parentId'>;
}

type ErrorSink = (e: ImportRowError) => void;

/** Accepts ISO dates and the d/m/yyyy Thai users type, with a Buddhist Era year when it is > 2400. */
export function parseDate(raw: string): string | null | undefined {
  if (raw === '') return null;
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else return undefined;
  if (y > 2400) y -= 543;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

function enumError(column: AgencyColumn, value: string, allowed: readonly string[]): Omit<ImportRowError, 'row'> {
  return {
    column,
    code: `INVALID_${column.toUpperCase()}`,
    message: `${value} is not one of ${allowed.join(', ')}`,
    messageTh: `ค่า ${value} ไม่ถูกต้อง ใช้ได้เฉพาะ ${allowed.join(', ')}`,
    value,
  };
}

/** Checks the header: required columns present, no unknown or repeated column. */
function columnIndex(table: Table, report: ErrorSink): Map<AgencyColumn, number> | null {
  const index = new Map<AgencyColumn, number>();
  let ok = true;
  table.header.forEach((raw, i) => {
    const name = raw.trim().toLowerCase().replace(/\s+/g, '_');
    if (name === '') return;
    if (!(AGENCY_COLUMNS as readonly string[]).includes(name) || index.has(name as AgencyColumn)) {
      ok = false;
      report({
        row: 1,
        column: raw,
        code: index.has(name as AgencyColumn) ? 'DUPLICATE_COLUMN' : 'UNKNOWN_COLUMN',
        message: `unexpected column "${raw}"; columns are ${AGENCY_COLUMNS.join(', ')}`,
        messageTh: `คอลัมน์ "${raw}" ไม่ถูกต้อง คอลัมน์ที่ใช้ได้คือ ${AGENCY_COLUMNS.join(', ')}`,
      });
      return;
    }
    index.set(name as AgencyColumn, i);
  });
  for (const col of REQUIRED_COLUMNS) {
    if (!index.has(col)) {
      ok = false;
      report({
        row: 1,
        column: col,
        code: 'MISSING_COLUMN',
        message: `required column ${col} is missing`,
        messageTh: `ไม่พบคอลัมน์ที่จำเป็น ${col}`,
      });
    }
  }
  return ok ? index : null;
}

/** Reads one row into a candidate, reporting every bad cell. */
function readRow(
  row: Table['rows'][number],
  index: Map<AgencyColumn, number>,
  report: ErrorSink,
): Candidate | null {
  const cell = (c: AgencyColumn) => {
    const i = index.get(c);
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  let ok = true;
  const bad = (e: Omit<ImportRowError, 'row'>) => {
    ok = false;
    report({ row: row.rowNumber, ...e });
  };
  const required = (c: AgencyColumn) => {
    const v = cell(c);
    if (!v) bad({ column: c, code: 'REQUIRED', message: `${c} is required`, messageTh: `ต้องระบุ ${c}` });
    return v;
  };
  const code = required('code');
  if (code && !AgencyCode.safeParse(code).success) {
    bad({
      column: 'code',
      code: 'INVALID_CODE',
      message: 'use upper-case letters, digits and dashes (2-40 characters)',
      messageTh: 'รหัสหน่วยงานใช้ได้เฉพาะตัวอักษรอังกฤษพิมพ์ใหญ่ ตัวเลข และขีด (2-40 ตัวอักษร)',
      value: code,
    });
  }
  const nameTh = required('name_th');
  if (nameTh.length > 300) {
    bad({ column: 'name_th', code: 'TOO_LONG', message: 'at most 300 characters', messageTh: 'ยาวเกิน 300 ตัวอักษร' });
  }
  const kind = required('kind');
  if (kind && !AgencyKind.safeParse(kind).success) bad(enumError('kind', kind, AgencyKind.options));
  const orgType = cell('org_type') || 'government_agency';
  if (!OrgType.safeParse(orgType).success) bad(enumError('org_type', orgType, OrgType.options));
  const status = cell('status') || 'active';
  if (!AgencyStatus.safeParse(status).success) bad(enumError('status', status, AgencyStatus.options));
  const parentCode = cell('parent_code');
  if (parentCode && !AgencyCode.safeParse(parentCode).success) {
    bad({ column: 'parent_code', code: 'INVALID_CODE', message: 'not an agency code', messageTh: 'รหัสหน่วยงานต้นสังกัดไม่ถูกต้อง', value: parentCode });
  }
  const provinceCode = cell('province_code');
  if (provinceCode && !ProvinceCode.safeParse(provinceCode).success) {
    bad({
      column: 'province_code',
      code: 'UNKNOWN_PROVINCE',
      message: `unknown province code ${provinceCode} (ISO 3166-2:TH, e.g. TH-10)`,
      messageTh: `ไม่พบรหัสจังหวัด ${provinceCode} (ใช้รหัส ISO 3166-2:TH เช่น TH-10)`,
      value: provinceCode,
    });
  }
  const dates = (['effective_from', 'effective_to'] as const).map((c) => {
    const parsed = parseDate(cell(c));
    if (parsed === undefined) {
      bad({
        column: c,
        code: 'INVALID_DATE',
        message: 'use YYYY-MM-DD or DD/MM/YYYY (B.E. years are accepted)',
        messageTh: 'วันที่ไม่ถูกต้อง ใช้รูปแบบ YYYY-MM-DD หรือ วว/ดด/ปปปป (พ.ศ. ได้)',
        value: cell(c),
      });
    }
    return parsed ?? null;
  });
  if (!ok) return null;
  return {
    rowNumber: row.rowNumber,
    code,
    parentCode: parentCode || null,
    fields: {
      nameTh,
      nameEn: cell('name_en') || null,
      kind: kind as AgencyKind,
      orgType: orgType as OrgType,
      ministryId: cell('ministry_code') || null,
      provinceCode: provinceCode || null,
      status: status as AgencyStatus,
      effectiveFrom: dates[0],
      effectiveTo: dates[1],
    },
  };
}

/** Depth of each code in the parent chain (parents first when inserting); null on a loop. */
function depthOf(code: string, parentOf: (c: string) => string | null, memo: Map<string, number | null>): number | null {
  const seen = new Set<string>();
  const chain: string[] = [];
  let c: string | null = code;
  while (c && !memo.has(c)) {
    if (seen.has(c)) {
      for (const x of chain) memo.set(x, null);
      return null;
    }
    seen.add(c);
    chain.push(c);
    c = parentOf(c);
  }
  let depth = c ? memo.get(c) ?? null : -1;
  for (const x of chain.reverse()) {
    depth = depth === null ? null : depth + 1;
    memo.set(x, depth);
  }
  return memo.get(code) ?? null;
}

/**
 * Imports agencies from CSV or XLSX: upsert by code, all rows or none. Every bad row is reported
 * with its row number, column and a Thai and English message; with one error nothing is written.
 */
@Injectable()
export class AgencyImportService {
  constructor(
    private readonly repo: AgenciesRepository,
    private readonly files: FileTransfer,
    private readonly relay: OutboxRelay,
  ) {}

  async importFile(file: StoredFile, dryRun: boolean, ctx: CallContext): Promise<AgencyImportReport> {
    requireRole(ctx.actor, 'dga_admin');
    const bytes = await this.files.get(file.objectName);
    if (!bytes) throw new DomainError('VALIDATION_FAILED', `uploaded file ${file.objectName} is gone`);
    return this.importBytes(bytes, dryRun, ctx);
  }

  async importBytes(bytes: Uint8Array, dryRun: boolean, ctx: CallContext): Promise<AgencyImportReport> {
    const table = await readTable(bytes);
    const errors: ImportRowError[] = [];
    let errorCount = 0;
    const report: ErrorSink = (e) => {
      errorCount++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
    };
    const fail = () =>
      new DomainError('IMPORT_INVALID', undefined, errors, {
        rows: table.rows.length,
        errorCount,
        truncated: errorCount > errors.length,
        encoding: table.encoding,
      });

    const index = columnIndex(table, report);
    if (!index) throw fail();
    if (table.rows.length === 0) {
      report({ row: 2, column: 'code', code: 'NO_ROWS', message: 'the file has no data rows', messageTh: 'ไฟล์ไม่มีข้อมูล' });
      throw fail();
    }
    const candidates: Candidate[] = [];
    const firstRowOf = new Map<string, number>();
    for (const row of table.rows) {
      const c = readRow(row, index, report);
      if (!c) continue;
      const first = firstRowOf.get(c.code);
      if (first !== undefined) {
        report({
          row: c.rowNumber,
          column: 'code',
          code: 'DUPLICATE_CODE',
          message: `code ${c.code} already appears in row ${first}`,
          messageTh: `รหัส ${c.code} ซ้ำกับแถวที่ ${first}`,
          value: c.code,
        });
        continue;
      }
      firstRowOf.set(c.code, c.rowNumber);
      candidates.push(c);
    }

    return this.repo.transaction(async (m) => {
      // One import at a time: two concurrent uploads of overlapping files must not interleave.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('registry:agency-import'))`);
      // Rows this import may overwrite are locked: a concurrent single edit waits, then sees the
      // new version (and gets its 409) instead of being silently overwritten.
      const existing = await this.repo.allByCode(m, true);
      const refs = await this.repo.referenceSets(m);
      const storedCodeOfId = new Map([...existing.values()].map((e) => [e.id, e.code]));
      // A column the file does not have leaves existing agencies' values as they are; the
      // defaults (active, government_agency) apply to new agencies only.
      for (const c of candidates) {
        const before = existing.get(c.code);
        if (!before) continue;
        for (const [column, field] of KEPT_WHEN_ABSENT) {
          if (!index.has(column)) (c.fields as Record<string, unknown>)[field] = before[field];
        }
        if (!index.has('parent_code')) c.parentCode = before.parentId ? (storedCodeOfId.get(before.parentId) ?? null) : null;
      }
      const inFile = new Map(candidates.map((c) => [c.code, c]));
      const kindOf = (code: string) => inFile.get(code)?.fields.kind ?? existing.get(code)?.kind;
      const parentOf = (code: string): string | null => {
        const c = inFile.get(code);
        if (c) return c.parentCode;
        const parentId = existing.get(code)?.parentId;
        return parentId ? (storedCodeOfId.get(parentId) ?? null) : null;
      };
      const depth = new Map<string, number | null>();
      for (const c of candidates) {
        for (const v of checkReferences({ ...c.fields, code: c.code, parentCode: c.parentCode }, refs, kindOf)) {
          report({ row: c.rowNumber, ...v });
        }
        if (c.parentCode && kindOf(c.parentCode) && depthOf(c.code, parentOf, depth) === null) {
          report({
            row: c.rowNumber,
            column: 'parent_code',
            code: 'PARENT_CYCLE',
            message: 'the parent chain loops back to this agency',
            messageTh: 'การกำหนดต้นสังกัดทำให้เกิดวงวน',
            value: c.parentCode,
          });
        }
      }
      if (errorCount > 0) throw fail();

      const idOf = new Map<string, string>();
      for (const [code, e] of existing) idOf.set(code, e.id);
      for (const c of candidates) if (!idOf.has(c.code)) idOf.set(c.code, randomUUID());

      const now = new Date();
      const created: AgencyEntity[] = [];
      const updated: { entity: AgencyEntity; before: AgencyEntity; changed: string[] }[] = [];
      for (const c of candidates) {
        const fields: AgencyFields = { ...c.fields, parentId: c.parentCode ? idOf.get(c.parentCode)! : null };
        const before = existing.get(c.code);
        if (!before) {
          created.push({ id: idOf.get(c.code)!, code: c.code, ...fields, version: 1, createdAt: now, updatedAt: now });
          continue;
        }
        const changed = changedFields(before, fields);
        if (changed.length) {
          updated.push({ entity: { ...before, ...fields, version: before.version + 1, updatedAt: now }, before, changed });
        }
      }
      const result: AgencyImportReport = {
        dryRun,
        format: table.format,
        encoding: table.encoding,
        rows: candidates.length,
        created: created.length,
        updated: updated.length,
        unchanged: candidates.length - created.length - updated.length,
      };
      if (dryRun) return result;

      created.sort((a, b) => (depth.get(a.code) ?? 0) - (depth.get(b.code) ?? 0));
      await this.repo.insert(m, created);
      await this.repo.updateMany(m, updated.map((u) => ({ id: u.entity.id, ...pickFields(u.entity) })));
      const codeOfId = new Map([...idOf].map(([code, id]) => [id, code]));
      const parentCodeOf = (e: AgencyEntity) => (e.parentId ? (codeOfId.get(e.parentId) ?? null) : null);
      await audit(m, ctx, [
        ...created.map((e) => ({ entity: 'agency' as const, entityId: e.id, action: 'import.create', after: toAgency(e, parentCodeOf(e)) })),
        ...updated.map((u) => ({
          entity: 'agency' as const,
          entityId: u.entity.id,
          action: 'import.update',
          before: toAgency(u.before, parentCodeOf(u.before)),
          after: toAgency(u.entity, parentCodeOf(u.entity)),
        })),
      ]);
      await addManyToOutbox(m, Events.AgencyCreated, created.map((e) => ({ agency: toAgency(e, parentCodeOf(e)) })), ctx);
      await addManyToOutbox(
        m,
        Events.AgencyUpdated,
        updated.map((u) => ({ agency: toAgency(u.entity, parentCodeOf(u.entity)), changed: u.changed })),
        ctx,
      );
      return result;
    }).finally(() => this.relay.kick());
  }
}

function pickFields(e: AgencyEntity): AgencyFields {
  const { nameTh, nameEn, kind, orgType, parentId, ministryId, provinceCode, status, effectiveFrom, effectiveTo } = e;
  return { nameTh, nameEn, kind, orgType, parentId, ministryId, provinceCode, status, effectiveFrom, effectiveTo };
}
