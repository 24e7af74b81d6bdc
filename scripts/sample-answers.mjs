#!/usr/bin/env node
// Synthetic but plausible answers to the sample 2565 questionnaire, one set per agency of the
// sample cohort, so that `npm start` shows real scores. SAMPLE DATA: no answer here is an agency's.
//
// Deterministic: everything an agency gets comes from a PRNG (mulberry32) seeded from its code, so
// the same code gives the same answers, evidence and stage on every machine and every run.
//
// Profiles follow the published shape of DGA's results (DOMAIN.md: departments around 60%,
// provinces around 45%) and the two special local administrations (BMA, Pattaya) score high; a few
// leaders and laggards in each group spread the cohort over all five maturity levels.
//
// Answers respect the definition (types, options, min/max, integer, conditions, repeating groups,
// required questions): scripts/load-sample.mjs saves them through intake's own rules, and
// e2e/test/sample-answers.test.ts checks every set with validateAnswers (mode 'complete').
//
//   node scripts/sample-answers.mjs            summary of the cohort (stages, evidence, the engine's scores)
//   node scripts/sample-answers.mjs --json     every agency's plan as JSON (for the test)
//
// Evidence answers are not in `answers`: a plan lists the evidence to upload (`evidence`), and the
// loader adds the uploaded ids under those question ids. A verified plan names the evidence the
// operator rejects (`rejectedEvidence`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const QUESTIONNAIRE_PATH = join(root, 'packages/survey-model/samples/questionnaire-2565.json');
export const AGENCIES_PATH = join(root, 'apps/registry/sample/agencies-2565.csv');
export const RULES_PATH = join(root, 'packages/survey-model/samples/scoring-rules-2565.json');

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** 32-bit FNV-1a of a string: the seed of an agency's PRNG. */
export function hashSeed(text) {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over one PRNG. */
function dice(rng) {
  const normal = () => {
    // Box-Muller; 1 - rng() keeps the log away from 0.
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    rng,
    chance: (p) => rng() < p,
    int: (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)), // inclusive
    pick: (list) => list[Math.floor(rng() * list.length)],
    normal,
    between: (lo, hi) => lo + rng() * (hi - lo),
  };
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

// ---------------------------------------------------------------------------------------------
// The cohort

/** The agencies of apps/registry/sample/agencies-2565.csv (the columns the generator uses). */
export function readAgencies(path = AGENCIES_PATH) {
  const lines = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const header = parseCsvLine(lines[0]);
  const col = (name) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = parseCsvLine(line);
    return {
      code: f[col('code')],
      nameTh: f[col('name_th')],
      nameEn: f[col('name_en')],
      kind: f[col('kind')],
      ministryCode: f[col('ministry_code')] || null,
      provinceCode: f[col('province_code')] || null,
    };
  });
}

function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') ((cur += '"'), i++);
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (out.push(cur), (cur = ''));
    else cur += c;
  }
  out.push(cur);
  return out;
}

export function readQuestionnaire(path = QUESTIONNAIRE_PATH) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The registry kind of an agency: given, or read from the sample's code prefix. */
export function kindOf(agency) {
  if (agency.kind) return agency.kind;
  if (agency.code.startsWith('DEP-')) return 'department';
  if (agency.code.startsWith('LOC-')) return 'special_local';
  return 'regional_unit';
}

/**
 * Capability (0..1) per kind: a normal around the kind's mean, plus a few leaders and laggards so
 * that every maturity level occurs. Calibrated with the scoring engine (see the summary mode):
 * departments score about 60 on average, regional units about 45, BMA and Pattaya about 85.
 */
export const PROFILES = {
  department: { mean: 0.705, sd: 0.13, leaders: 0.04, laggards: 0.02 },
  regional_unit: { mean: 0.56, sd: 0.13, leaders: 0.01, laggards: 0.03 },
  special_local: { mean: 0.95, sd: 0.02, leaders: 0, laggards: 0 },
};

/**
 * Where an agency's response ends in the sample: about 85% verified, the rest submitted and
 * waiting for verification, and a few dozen still in progress, waiting for their approver or not
 * started, so the response rates look like a real cycle's (2020: 96%). Departments answer a little
 * less than provinces; the two special local administrations always answer.
 */
export const STAGES = {
  department: [
    ['not_started', 0.025],
    ['in_progress', 0.025],
    ['awaiting_approval', 0.02],
    ['submitted', 0.08],
    ['verified', 0.85],
  ],
  regional_unit: [
    ['not_started', 0.01],
    ['in_progress', 0.01],
    ['awaiting_approval', 0.01],
    ['submitted', 0.12],
    ['verified', 0.85],
  ],
  special_local: [['verified', 1]],
};
export const STAGE_ORDER = ['not_started', 'in_progress', 'awaiting_approval', 'submitted', 'verified'];

/** Share of answered evidence questions that the operator rejects at verification. */
const EVIDENCE_REJECT_RATE = 0.025;

// ---------------------------------------------------------------------------------------------
// Conditions (the same meaning as @dg/survey-model's `holds`; checked by the test against it)

function isAnswered(v) {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function holds(c, answerOf) {
  if ('all' in c) return c.all.every((x) => holds(x, answerOf));
  if ('any' in c) return c.any.some((x) => holds(x, answerOf));
  if ('not' in c) return !holds(c.not, answerOf);
  const v = answerOf(c.question);
  if ('answered' in c) return isAnswered(v) === c.answered;
  if (v === null || v === undefined) return false;
  const values = Array.isArray(v) ? v : [v];
  if ('equals' in c) return values.includes(c.equals);
  if ('in' in c) return values.some((x) => c.in.includes(x));
  if (typeof v !== 'number') return false;
  return (
    (c.gt === undefined || v > c.gt) &&
    (c.gte === undefined || v >= c.gte) &&
    (c.lt === undefined || v < c.lt) &&
    (c.lte === undefined || v <= c.lte)
  );
}

function referenced(c, out = []) {
  if ('all' in c) c.all.forEach((x) => referenced(x, out));
  else if ('any' in c) c.any.forEach((x) => referenced(x, out));
  else if ('not' in c) referenced(c.not, out);
  else out.push(c.question);
  return out;
}

const indexes = new WeakMap();

/** Top-level questions in order, with their pillar (null: the general block). */
export function questionsOf(q) {
  let index = indexes.get(q);
  if (!index) {
    const list = [
      ...q.general.questions.map((question) => ({ question, pillar: null })),
      ...q.pillars.flatMap((p) =>
        p.indicators.flatMap((i) => i.questions.map((question) => ({ question, pillar: p.id }))),
      ),
    ];
    index = { list, byId: new Map(list.map((e) => [e.question.id, e.question])) };
    indexes.set(q, index);
  }
  return index.list;
}

/** A visibility function for a set of answers: the condition holds and what it names is shown. */
function visibility(q, answers) {
  questionsOf(q);
  const { byId } = indexes.get(q);
  const memo = new Map();
  const visible = (id) => {
    if (memo.has(id)) return memo.get(id);
    memo.set(id, false);
    const c = byId.get(id)?.visibleIf;
    const result = byId.has(id) && (!c || (referenced(c).every(visible) && holds(c, (x) => answers[x])));
    memo.set(id, result);
    return result;
  };
  return visible;
}

/** Drops the answers that the other answers hide, until nothing changes. */
function pruneHidden(q, answers, evidence = []) {
  let out = { ...answers };
  let ev = evidence;
  for (;;) {
    const visible = visibility(q, out);
    const kept = Object.fromEntries(Object.entries(out).filter(([id]) => visible(id)));
    ev = ev.filter((e) => visible(e.questionId));
    if (Object.keys(kept).length === Object.keys(out).length) return { answers: kept, evidence: ev };
    out = kept;
  }
}

// ---------------------------------------------------------------------------------------------
// Sample texts (Thai first, as agencies write), names and addresses: all made up.

const FIRST_NAMES = [
  'สมชาย',
  'สมหญิง',
  'วิภาวรรณ',
  'ธนพล',
  'กิตติพงษ์',
  'ปิยะนุช',
  'อรอุมา',
  'ณัฐวุฒิ',
  'ศิริพร',
  'จักรพันธ์',
  'พรทิพย์',
  'วรวุฒิ',
  'สุภาพร',
  'อนุชา',
  'กมลชนก',
  'ธีรวัฒน์',
];
const SURNAMES = [
  'ใจดี',
  'รักไทย',
  'ศรีสุข',
  'แสงทอง',
  'บุญมี',
  'วงศ์ใหญ่',
  'ทองคำ',
  'สุขสวัสดิ์',
  'มั่นคง',
  'พัฒนกิจ',
  'เจริญผล',
  'ดิจิทัลไทย',
];
const POSITIONS = [
  'นักวิชาการคอมพิวเตอร์ชำนาญการ',
  'นักจัดการงานทั่วไปชำนาญการ',
  'นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ',
  'ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร',
  'เจ้าพนักงานธุรการปฏิบัติงาน',
  'นักวิชาการคอมพิวเตอร์ปฏิบัติการ',
];
const SERVICE_NAMES = [
  'ยื่นคำขออนุญาตออนไลน์',
  'ชำระค่าธรรมเนียมออนไลน์',
  'ตรวจสอบสถานะคำขอ',
  'นัดหมายล่วงหน้า',
  'ขอสำเนาเอกสารราชการ',
  'ร้องเรียนและแจ้งเบาะแส',
  'ลงทะเบียนรับสิทธิ',
  'ขอใบรับรองอิเล็กทรอนิกส์',
  'ต่ออายุใบอนุญาต',
  'ยื่นแบบรายงานประจำปี',
  'สมัครอบรมออนไลน์',
  'จองใช้สถานที่',
  'ขอข้อมูลข่าวสารราชการ',
  'แจ้งเปลี่ยนแปลงข้อมูล',
];
const DATASET_NAMES = [
  'สถิติการให้บริการรายเดือน',
  'ทะเบียนสถานประกอบการ',
  'งบประมาณรายจ่ายประจำปี',
  'จำนวนผู้รับบริการรายจังหวัด',
  'รายชื่อหน่วยบริการ',
  'ผลการดำเนินงานตามตัวชี้วัด',
  'ข้อมูลเรื่องร้องเรียน',
  'พิกัดสถานที่ให้บริการ',
];
const GOOD_PRACTICE = [
  'ลดขั้นตอนการอนุมัติเอกสารจาก 7 วันเหลือ 1 วันด้วยระบบสารบรรณอิเล็กทรอนิกส์และลายมือชื่ออิเล็กทรอนิกส์ (sample text)',
  'เชื่อมโยงข้อมูลกับหน่วยงานอื่นผ่านแพลตฟอร์มกลาง ทำให้ประชาชนไม่ต้องยื่นสำเนาเอกสาร (sample text)',
  'จัดทำแดชบอร์ดผู้บริหารที่ปรับปรุงข้อมูลทุกวัน ใช้ประกอบการประชุมผู้บริหารรายสัปดาห์ (sample text)',
];
const CHALLENGES = [
  'บุคลากรด้านดิจิทัลไม่เพียงพอและมีอัตราการโอนย้ายสูง (sample text)',
  'งบประมาณด้านเทคโนโลยีจำกัด ระบบเดิมมีอายุการใช้งานนาน (sample text)',
  'ข้อมูลกระจัดกระจายหลายระบบ ยังไม่มีมาตรฐานข้อมูลกลางของหน่วยงาน (sample text)',
];
const REDESIGN = [
  'ออกแบบบริการขอใบอนุญาตใหม่ให้ยื่นและชำระเงินออนไลน์ได้ครบในที่เดียว (sample text)',
  'ปรับกระบวนการรับเรื่องร้องเรียนให้ติดตามสถานะผ่าน LINE Official Account ได้ (sample text)',
];
const AI_USE = [
  'ใช้ปัญญาประดิษฐ์จำแนกเรื่องร้องเรียนและส่งต่อหน่วยงานที่รับผิดชอบโดยอัตโนมัติ (sample text)',
  'ใช้แบบจำลองพยากรณ์ความต้องการใช้บริการเพื่อวางแผนอัตรากำลัง (sample text)',
];
const NEXT_STEPS = [
  'พัฒนาบริการให้เป็นดิจิทัลตั้งแต่ต้นจนจบและเชื่อมโยงกับ ThaID ภายในปีงบประมาณถัดไป (sample text)',
  'ย้ายระบบงานหลักขึ้นคลาวด์กลางภาครัฐ (GDCC) และจัดทำแผนรองรับการดำเนินงานต่อเนื่อง (sample text)',
];

function urlOf(agency, path = '') {
  return `https://${agency.code.toLowerCase()}.example.go.th/${path}`;
}

// ---------------------------------------------------------------------------------------------
// Answering one question from a quality q (0..1: how well the agency does on it)

/** Options ordered from the fewest points to the most (unscored options count 0). */
function optionsByPoints(x) {
  const points = x.rubric?.kind === 'choice' ? x.rubric.points : {};
  return [...(x.options ?? [])].sort((a, b) => (points[a.value] ?? 0) - (points[b.value] ?? 0));
}

/** A number in [lo, hi) for a question: whole or with one decimal, inside its min/max. */
function numberIn(x, d, lo, hi) {
  const min = x.type === 'percentage' ? Math.max(0, x.min ?? 0) : (x.min ?? 0);
  const max = x.type === 'percentage' ? Math.min(100, x.max ?? 100) : (x.max ?? Number.MAX_SAFE_INTEGER);
  lo = Math.max(lo, min);
  hi = Math.min(hi, max);
  const whole = x.integer || x.type === 'number';
  let v = lo + d.rng() * Math.max(0, hi - lo);
  v = whole ? Math.floor(v) : Math.floor(v * 10) / 10;
  if (v < lo) v = whole ? Math.ceil(lo) : Math.ceil(lo * 10) / 10;
  return clamp(v, min, max);
}

/** A value in the band that a quality earns (range rubrics; bands are min-inclusive, max-exclusive). */
/** Floors that keep an open bottom band plausible (nobody reports 3% satisfaction). */
const FLOORS = { p3_satisfaction_score: 52 };

function rangeValue(x, d, q) {
  const bands = [...x.rubric.bands].sort((a, b) => a.points - b.points);
  const band = bands[clamp(Math.floor(q * bands.length), 0, bands.length - 1)];
  const lo = band.min ?? FLOORS[x.id] ?? (x.type === 'percentage' ? 0 : (x.min ?? 0));
  const top = x.type === 'percentage' ? 100 : (x.max ?? Number.MAX_SAFE_INTEGER);
  // An open top band: up to three times its floor (plausible counts, not the maximum allowed).
  const hi = band.max ?? Math.min(top + (x.type === 'percentage' ? 0.01 : 1), Math.max(lo * 3, lo + 10));
  let v = numberIn(x, d, lo, hi);
  if (band.max !== undefined && v >= band.max)
    v = x.integer || x.type === 'number' ? Math.ceil(band.max) - 1 : band.max - 0.1;
  return Math.max(v, lo);
}

function choose(x, d, q) {
  const opts = optionsByPoints(x);
  return opts[clamp(Math.floor(q * opts.length), 0, opts.length - 1)].value;
}

function chooseMany(x, d, q) {
  const points = x.rubric?.kind === 'choice' ? x.rubric.points : null;
  const scoring = (x.options ?? []).filter((o) => !points || (points[o.value] ?? 0) > 0);
  const chosen = scoring.filter(() => d.chance(q * 0.85)).map((o) => o.value);
  if (chosen.length) return chosen;
  // Nothing applies: the option worth nothing ("none"), else the least valuable one.
  const zero = (x.options ?? []).filter((o) => points && (points[o.value] ?? 0) <= 0);
  return [(zero.length ? zero : optionsByPoints(x)).at(0).value];
}

function textFor(x, agency, d) {
  const pool = {
    g_address: [
      `${agency.nameTh} ถนนตัวอย่าง ${agency.provinceName ?? agency.provinceCode ?? 'กรุงเทพมหานคร'} (sample address)`,
    ],
    g_name_correction: [`ชื่อเต็มตามประกาศจัดตั้ง: ${agency.nameTh} (sample correction)`],
    g_coordinator_name: [`${d.pick(FIRST_NAMES)} ${d.pick(SURNAMES)}`],
    g_coordinator_position: POSITIONS,
    g_coordinator_email: [`coordinator.${agency.code.toLowerCase()}@example.go.th`],
    g_coordinator_phone: [`02-${d.int(100, 999)}-${String(d.int(0, 9999)).padStart(4, '0')}`],
    g_cio_name: [`${d.pick(FIRST_NAMES)} ${d.pick(SURNAMES)}`],
    p1_good_practice: GOOD_PRACTICE,
    p2_challenges: CHALLENGES,
    p3_redesign_example: REDESIGN,
    p6_ai_use: AI_USE,
    p6_next_steps: NEXT_STEPS,
  }[x.id] ?? [`${x.text?.th ?? x.id}: ${agency.nameTh} (sample text)`];
  return [...d.pick(pool)].slice(0, x.maxLength ?? 5000).join('');
}

/** One row of a repeating group, field by field (simple types only). */
function rowFor(group, agency, d, q, i) {
  const row = {};
  for (const f of group.fields ?? []) {
    const wanted = f.required || d.chance(0.5 + q / 2);
    if (!wanted) continue;
    switch (f.type) {
      case 'text':
        row[f.id] = (group.id === 'p4_open_datasets' ? DATASET_NAMES : SERVICE_NAMES)[
          i % (group.id === 'p4_open_datasets' ? DATASET_NAMES : SERVICE_NAMES).length
        ]
          .concat(i >= SERVICE_NAMES.length ? ` ${i + 1}` : '')
          .slice(0, f.maxLength ?? 5000);
        break;
      case 'url':
        row[f.id] = urlOf(agency, `${group.id === 'p4_open_datasets' ? 'data' : 'services'}/${i + 1}`);
        break;
      case 'yes_no':
        row[f.id] = d.chance(q);
        break;
      case 'single_choice':
        row[f.id] = choose(f, d, clamp(q + d.normal() * 0.25, 0, 1));
        break;
      case 'multiple_choice': {
        const picked = (f.options ?? []).filter(() => d.chance(0.3 + q / 2)).map((o) => o.value);
        row[f.id] = picked.length ? picked : [f.options[0].value];
        break;
      }
      case 'number':
      case 'percentage':
        row[f.id] = numberIn(f, d, f.min ?? 0, f.max ?? (f.type === 'percentage' ? 100 : 50_000));
        break;
      default:
        break; // evidence and groups are not row fields
    }
  }
  return row;
}

function staffCount(kind, d, code) {
  if (code === 'LOC-BMA') return 80_000 + d.int(0, 5_000);
  if (kind === 'special_local') return 2_000 + d.int(0, 500);
  if (kind === 'department') return Math.round(Math.exp(d.between(Math.log(150), Math.log(8_000))));
  return d.int(8, 180);
}

/**
 * A value for one visible question, or undefined to leave it unanswered. `q` is the agency's
 * quality on this question: the chance of a "yes", how far up the options and bands it goes.
 */
function answerFor(x, ctx) {
  const { agency, kind, d, capability, answers } = ctx;
  const q = clamp(capability + d.normal() * 0.17, 0, 1);
  // Required questions are always answered; optional ones more often by capable agencies.
  if (!x.required && !d.chance(0.55 + 0.45 * capability)) return undefined;
  switch (x.id) {
    case 'g_name_correct':
      return d.chance(0.98);
    case 'p6_maturity':
      // Agencies rate themselves, and few call themselves "smart".
      return choose(x, d, q * 0.85);
    // The profile uses the registry's codes (and intake prefills it from the registry): the same here.
    case 'g_kind':
      return kind;
    case 'g_ministry': {
      const code = agency.ministryCode ?? '';
      return (x.options ?? []).some((o) => o.value === code) ? code : 'none';
    }
    case 'g_province': {
      const code = agency.provinceCode ?? 'TH-10';
      return (x.options ?? []).some((o) => o.value === code) ? code : x.options[0].value;
    }
    case 'g_staff_count':
      return clamp(staffCount(kind, d, agency.code), x.min ?? 0, x.max ?? 1e6);
    case 'g_it_staff_count': {
      const staff = answers.g_staff_count ?? 100;
      return clamp(
        Math.round(staff * d.between(0.01, 0.03) * (0.5 + capability)),
        0,
        Math.min(staff, x.max ?? 1e5),
      );
    }
    case 'g_has_cio':
      return d.chance(0.55 + 0.45 * capability);
    case 'p3_service_count':
      // Most agencies list some e-services; a few laggards have none yet (the list is then hidden).
      return capability < 0.12 && d.chance(0.5) ? 0 : d.int(2, 12) + Math.round(capability * 20);
    case 'p5_cii':
      return kind === 'department' || kind === 'special_local'
        ? d.pick(['yes', 'no', 'no', 'unsure'])
        : d.pick(['no', 'no', 'no', 'unsure']);
    case 'p5_incidents':
      return d.int(0, 12);
    default:
      break;
  }
  switch (x.type) {
    case 'yes_no':
      return x.rubric ? d.chance(q) : d.chance(0.8);
    case 'single_choice':
      return x.rubric ? choose(x, d, q) : d.pick(x.options).value;
    case 'multiple_choice':
      return chooseMany(x, d, q);
    case 'number':
    case 'percentage':
      if (x.rubric?.kind === 'range') return rangeValue(x, d, q);
      return numberIn(x, d, x.min ?? 0, x.max ?? (x.type === 'percentage' ? 100 : 1000));
    case 'text':
      return textFor(x, agency, d);
    case 'url':
      return urlOf(agency, x.id.replace(/_url$/, '').replace(/_/g, '-'));
    case 'repeating_group': {
      const cap = x.rubric?.kind === 'count' ? Math.ceil(x.rubric.cap / (x.rubric.perItem || 1)) : 5;
      let rows = clamp(
        Math.round(q * cap + d.normal()),
        x.minItems ?? 1,
        Math.min(x.maxItems ?? 500, cap + 2),
      );
      if (x.id === 'p3_eservices') rows = Math.min(rows, answers.p3_service_count ?? rows);
      return Array.from({ length: Math.max(rows, x.minItems ?? 1) }, (_, i) => rowFor(x, agency, d, q, i));
    }
    case 'evidence':
      return undefined; // evidence is uploaded by the loader; see the plan's `evidence`
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// An agency's plan

/**
 * The sample response of one agency:
 * - `stage`: where the loader takes it (not_started ... verified);
 * - `answers`: every answer but evidence (for `in_progress`, only part of the questionnaire);
 * - `evidence`: `{ questionId, files }` to upload and attach (files: how many);
 * - `rejectedEvidence`: evidence question ids the operator rejects when verifying;
 * - `capability`: the agency's profile (0..1).
 */
export function samplePlan(questionnaire, agency, options = {}) {
  const seed = options.seed ?? 'dg-sample-2565';
  const kind = kindOf(agency);
  const profile = PROFILES[kind] ?? PROFILES.regional_unit;
  const d = dice(mulberry32(hashSeed(`${seed}:${agency.code}`)));
  let capability = profile.mean + d.normal() * profile.sd;
  const tail = d.rng();
  if (tail < profile.leaders) capability = d.between(0.9, 1);
  else if (tail > 1 - profile.laggards) capability = d.between(0.15, 0.27);
  capability = clamp(options.capability ?? capability, 0, 1);

  const stageDice = dice(mulberry32(hashSeed(`${seed}-stage:${agency.code}`)));
  const table = STAGES[kind] ?? STAGES.regional_unit;
  let roll = stageDice.rng();
  let stage = table.at(-1)[0];
  for (const [s, p] of table) {
    if (roll < p) {
      stage = s;
      break;
    }
    roll -= p;
  }
  stage = options.stage ?? stage;

  const answers = {};
  const evidence = [];
  const ctx = { agency, kind, d, capability, answers };
  const all = questionsOf(questionnaire);
  for (const { question: x } of all) {
    // Conditions name earlier questions, whose answers are final by now.
    if (x.visibleIf && !visibility(questionnaire, answers)(x.id)) continue;
    if (x.type === 'evidence') {
      // Required evidence is always there; optional evidence more often from capable agencies.
      // (Each file is an upload when the sample loads: kept to about two per agency.)
      if (x.required || d.chance(0.04 + 0.22 * capability)) {
        const maxFiles = x.evidence?.maxFiles ?? 5;
        evidence.push({ questionId: x.id, files: maxFiles > 1 && d.chance(0.05) ? 2 : 1 });
      }
      continue;
    }
    const value = answerFor(x, ctx);
    if (value !== undefined) answers[x.id] = value;
  }
  let plan = pruneHidden(questionnaire, answers, evidence);

  if (stage === 'in_progress') {
    // Half-way through: the general block and the first pillars, no evidence uploaded yet.
    const pillars = new Set(
      questionnaire.pillars.slice(0, d.int(1, questionnaire.pillars.length - 2)).map((p) => p.id),
    );
    const keep = new Set(
      all.filter((e) => e.pillar === null || pillars.has(e.pillar)).map((e) => e.question.id),
    );
    plan = pruneHidden(
      questionnaire,
      Object.fromEntries(Object.entries(plan.answers).filter(([id]) => keep.has(id))),
      [],
    );
  }
  const rejectedEvidence =
    stage === 'verified'
      ? plan.evidence.filter(() => d.chance(EVIDENCE_REJECT_RATE)).map((e) => e.questionId)
      : [];
  return {
    code: agency.code,
    kind,
    capability: Math.round(capability * 1000) / 1000,
    stage,
    answers: stage === 'not_started' ? {} : plan.answers,
    evidence: stage === 'not_started' ? [] : plan.evidence,
    rejectedEvidence,
  };
}

/**
 * Last cycle's plan of the same agency: the same generator on its own seed, at a slightly lower
 * capability (most agencies improve a little from one year to the next), everything verified.
 */
export function previousYearPlan(questionnaire, agency) {
  const now = samplePlan(questionnaire, agency);
  const d = dice(mulberry32(hashSeed(`dg-sample-2564-delta:${agency.code}`)));
  const capability = clamp(now.capability - 0.05 + d.normal() * 0.05, 0, 1);
  return samplePlan(questionnaire, agency, { seed: 'dg-sample-2564', capability, stage: 'verified' });
}

// ---------------------------------------------------------------------------------------------
// Scoring a plan (with the real engine, for checks and the synthetic 2564 results)

/**
 * A plan as the engine sees it once the loader is done: evidence answers filled with stand-in
 * file ids (the loader attaches real uploads), and the operator's verdicts when it is verified
 * (accepted, or rejected where the plan says so; unverified evidence earns nothing yet).
 */
export function scoringInput(plan) {
  const answers = { ...plan.answers };
  const evidenceIds = new Set();
  let n = 0;
  for (const e of plan.evidence) {
    answers[e.questionId] = Array.from({ length: e.files }, () => {
      const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      evidenceIds.add(id);
      return id;
    });
  }
  const rejected = new Set(plan.rejectedEvidence);
  const verdicts =
    plan.stage === 'verified'
      ? plan.evidence.map((e) => ({
          questionId: e.questionId,
          verdict: rejected.has(e.questionId) ? 'rejected' : 'accepted',
        }))
      : [];
  return { answers, verdicts, evidenceIds };
}

/** @dg/survey-model (built: npm run build) and the sample rules, validated against the questionnaire. */
export function loadEngine() {
  const require = createRequire(import.meta.url);
  const model = require('@dg/survey-model');
  const checked = model.validateRules(JSON.parse(readFileSync(RULES_PATH, 'utf8')), model.sample2565);
  if (!checked.ok) throw new Error(`the sample rules are invalid: ${JSON.stringify(checked.problems)}`);
  return { model, rules: checked.rules };
}

// ---------------------------------------------------------------------------------------------
// Command line: a summary (default) or every plan as JSON

/** Stages, evidence and the engine's scores of the cohort as the loader leaves it (needs the build). */
function summary(q, agencies) {
  const started = performance.now();
  const plans = agencies.map((a) => samplePlan(q, a));
  const ms = Math.round(performance.now() - started);
  console.log(`generated ${plans.length} plans in ${ms} ms`);
  const byStage = {};
  for (const p of plans) byStage[p.stage] = (byStage[p.stage] ?? 0) + 1;
  console.log(`stages: ${JSON.stringify(byStage)}`);
  console.log(
    `evidence files: ${plans.reduce((n, p) => n + p.evidence.reduce((m, e) => m + e.files, 0), 0)}, ` +
      `rejected at verification: ${plans.reduce((n, p) => n + p.rejectedEvidence.length, 0)}`,
  );
  let engine;
  try {
    engine = loadEngine();
  } catch (e) {
    console.log(`(no scores: ${e.message.split('\n')[0]}; run npm run build first)`);
    return;
  }
  const byKind = {};
  const levels = {};
  for (const p of plans) {
    if (p.stage !== 'submitted' && p.stage !== 'verified') continue;
    const { answers, verdicts } = scoringInput(p);
    const card = engine.model.scoreResponse({
      questionnaire: engine.model.sample2565,
      rules: engine.rules,
      answers,
      verdicts,
    });
    (byKind[p.kind] ??= []).push(card.overall);
    levels[card.level?.level] = (levels[card.level?.level] ?? 0) + 1;
  }
  for (const [kind, scores] of Object.entries(byKind)) {
    scores.sort((a, b) => a - b);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const at = (f) => scores[Math.min(scores.length - 1, Math.floor(f * scores.length))];
    console.log(
      `${kind.padEnd(14)} n=${String(scores.length).padStart(4)} overall: mean ${mean.toFixed(1)}, ` +
        `min ${scores[0]}, p10 ${at(0.1)}, median ${at(0.5)}, p90 ${at(0.9)}, max ${scores.at(-1)}`,
    );
  }
  console.log(`maturity levels of the submitted: ${JSON.stringify(levels)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const q = readQuestionnaire();
  const agencies = readAgencies();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(agencies.map((a) => samplePlan(q, a))));
  } else {
    summary(q, agencies);
  }
}
