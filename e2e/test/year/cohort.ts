import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';

/**
 * The cohort of the "whole year" test: 300 agencies of the sample 2565 registry
 * (apps/registry/sample/agencies-2565.csv), as DGA would receive them: the departments in one
 * UTF-8 file from a system export, the provincial units in a CSV that Thai Excel saved
 * (Windows-874, CRLF, dates as d/m/yyyy in the Buddhist Era), and one survey coordinator per
 * agency (two for some) as contact people.
 */
const ROOT = join(__dirname, '../../..');
const REGISTRY_CSV = join(ROOT, 'apps/registry/sample/agencies-2565.csv');
const RESULTS_2564_CSV = join(ROOT, 'scripts/sample/results-2564.csv');

export interface SampleAgency {
  code: string;
  nameTh: string;
  nameEn: string;
  kind: 'department' | 'regional_unit' | 'special_local';
  parentCode: string;
  ministryCode: string;
  provinceCode: string;
  /** Every column of the sample file, in its order. */
  fields: string[];
}

export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (fields: string[]) => fields.map(csvField).join(',');

function readRegistry(): { header: string[]; agencies: SampleAgency[] } {
  const [head, ...lines] = readFileSync(REGISTRY_CSV, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const header = parseCsvLine(head);
  const col = (name: string) => header.indexOf(name);
  const agencies = lines.map((line) => {
    const f = parseCsvLine(line);
    return {
      code: f[col('code')],
      nameTh: f[col('name_th')],
      nameEn: f[col('name_en')],
      kind: f[col('kind')] as SampleAgency['kind'],
      parentCode: f[col('parent_code')],
      ministryCode: f[col('ministry_code')],
      provinceCode: f[col('province_code')],
      fields: f,
    };
  });
  return { header, agencies };
}

export interface Cohort {
  header: string[];
  /** 150 department-level agencies (DEP-001 … DEP-150). */
  departments: SampleAgency[];
  /** 148 provincial units: the 76 provincial comptroller offices (DEP-041) and 72 provincial tourism and sports offices (DEP-078). */
  regional: SampleAgency[];
  /** Bangkok and Pattaya. */
  local: SampleAgency[];
  all: SampleAgency[];
}

export function chooseCohort(): Cohort {
  const { header, agencies } = readRegistry();
  const departments = agencies.filter((a) => a.kind === 'department').slice(0, 150);
  const regional = [
    ...agencies.filter((a) => a.code.startsWith('REG-041-')),
    ...agencies.filter((a) => a.code.startsWith('REG-078-')).slice(0, 72),
  ];
  const local = agencies.filter((a) => a.kind === 'special_local');
  for (const r of regional) {
    if (!departments.some((d) => d.code === r.parentCode))
      throw new Error(`${r.code}: parent ${r.parentCode} is not in the cohort`);
  }
  return { header, departments, regional, local, all: [...departments, ...regional, ...local] };
}

/** The departments and the two special local administrations: a UTF-8 export (with BOM) from another system. */
export function departmentsFile(c: Cohort): Buffer {
  const text =
    [csvLine(c.header), ...[...c.departments, ...c.local].map((a) => csvLine(a.fields))].join('\n') + '\n';
  return Buffer.from(`\uFEFF${text}`, 'utf8');
}

/**
 * The provincial units as Thai Excel saves "CSV (Comma delimited)": Windows-874 bytes, CRLF, and
 * the effective date typed the Thai way (1/5/2565).
 */
export function regionalFileWindows874(c: Cohort): Buffer {
  const at = c.header.indexOf('effective_from');
  const rows = c.regional.map((a) => {
    const f = [...a.fields];
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(f[at]);
    if (iso) f[at] = `${Number(iso[3])}/${Number(iso[2])}/${Number(iso[1]) + 543}`;
    return csvLine(f);
  });
  return iconv.encode([csvLine(c.header), ...rows].join('\r\n') + '\r\n', 'windows-874');
}

/** Last year's published results (scripts/sample/results-2564.csv) of this cohort's agencies, as DGA kept them. */
export function previousResultsFile(c: Cohort): { file: Buffer; codes: Set<string> } {
  const codes = new Set(c.all.map((a) => a.code));
  const [head, ...lines] = readFileSync(RESULTS_2564_CSV, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const kept = lines.filter((l) => codes.has(l.slice(0, l.indexOf(','))));
  return {
    file: Buffer.from([head, ...kept].join('\n') + '\n', 'utf8'),
    codes: new Set(kept.map((l) => l.slice(0, l.indexOf(',')))),
  };
}

export interface ContactInput {
  fullName: string;
  position: string;
  email: string;
  lineId?: string;
  purpose: string;
  legalBasis: 'public_task';
}

const FIRST = ['สมชาย', 'สมหญิง', 'ประเสริฐ', 'วิไลวรรณ', 'ธนพล', 'กมลชนก', 'อนุชา', 'ศิริพร'];
const LAST = ['ใจดี', 'รักษ์ไทย', 'ศรีสุข', 'บุญมา', 'ทองคำ', 'วงศ์สวัสดิ์'];
const PURPOSE = 'ประสานงานการสำรวจความพร้อมรัฐบาลดิจิทัล (survey coordination)';

/**
 * The agency's contact people (made up): the survey coordinator, with LINE for every third
 * agency, and for every tenth department also its CIO. Deterministic from the code.
 */
export function contactsOf(a: SampleAgency, index: number): ContactInput[] {
  const h = createHash('sha256').update(`year-2565:${a.code}`).digest();
  const name = `${FIRST[h[0] % FIRST.length]} ${LAST[h[1] % LAST.length]}`;
  const code = a.code.toLowerCase();
  const out: ContactInput[] = [
    {
      fullName: name,
      position: 'ผู้ประสานงานการสำรวจ',
      email: `${code}@example.go.th`,
      ...(index % 3 === 0 ? { lineId: `U${h.subarray(2, 18).toString('hex')}` } : {}),
      purpose: PURPOSE,
      legalBasis: 'public_task',
    },
  ];
  if (a.kind !== 'regional_unit' && index % 10 === 0) {
    out.push({
      fullName: `ผู้บริหารเทคโนโลยีสารสนเทศระดับสูง ${a.code}`,
      position: 'CIO',
      email: `cio.${code}@example.go.th`,
      purpose: PURPOSE,
      legalBasis: 'public_task',
    });
  }
  return out;
}

/** An agency's sample answers (scripts/sample-answers.mjs), complete; evidence to upload is listed apart. */
export interface Plan {
  code: string;
  kind: string;
  capability: number;
  answers: Record<string, unknown>;
  evidence: { questionId: string; files: number }[];
}

export function samplePlans(codes: string[]): Record<string, Plan> {
  const out = execFileSync(process.execPath, [join(__dirname, 'plans.mjs')], {
    input: JSON.stringify(codes),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Record<string, Plan>;
}

/** A small one-page PDF naming what it stands for (evidence and the briefing agenda). */
export function tinyPdf(label: string): Buffer {
  const text = label.replace(/[()\\]/g, '').replace(/[^\x20-\x7e]/g, '?');
  const stream = `BT /F1 12 Tf 56 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
