import { holds, isAnswered, referencedIds } from './conditions';
import type { Answers, AnswerValue, Question, Questionnaire } from './format';
import { show, TYPE_TH } from './labels';

/** What counts as an answer (blank-only text and empty lists do not), for forms that show progress. */
export { isAnswered } from './conditions';

/** One thing wrong with an answer; `path` starts at the question id, e.g. `p3_services[2].url`. */
export interface AnswerProblem {
  questionId: string;
  path: string;
  code: string;
  message: string;
  messageTh: string;
}

export interface QuestionEntry {
  question: Question;
  pillarId: string | null;
  indicatorId: string | null;
}

/** Defaults the format leaves to the validators (see format.ts). */
export const DEFAULT_TEXT_MAX_LENGTH = 5000;
export const DEFAULT_MAX_ITEMS = 500;
export const DEFAULT_EVIDENCE: { readonly accept: readonly string[]; readonly maxFiles: number } = {
  accept: ['application/pdf', 'image/png', 'image/jpeg'],
  maxFiles: 5,
};
const URL_MAX_LENGTH = 2048;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** General questions first, then the pillars in order; top-level questions only (not group fields). */
export function allQuestions(q: Questionnaire): Question[] {
  return [...q.general.questions, ...q.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions))];
}

// Definitions never change once stored, so the index is built once per questionnaire object.
const indexes = new WeakMap<Questionnaire, ReadonlyMap<string, QuestionEntry>>();

function indexOf(q: Questionnaire): ReadonlyMap<string, QuestionEntry> {
  let index = indexes.get(q);
  if (!index) {
    const m = new Map<string, QuestionEntry>();
    const put = (question: Question, pillarId: string | null, indicatorId: string | null) => {
      if (!m.has(question.id)) m.set(question.id, { question, pillarId, indicatorId });
    };
    q.general.questions.forEach((x) => put(x, null, null));
    for (const p of q.pillars) for (const i of p.indicators) i.questions.forEach((x) => put(x, p.id, i.id));
    indexes.set(q, (index = m));
  }
  return index;
}

/** Top-level questions by id with where they sit (`null` pillar and indicator: the general block). */
export function questionIndex(q: Questionnaire): Map<string, QuestionEntry> {
  return new Map(indexOf(q)); // a copy: the cached index must not be changed by callers
}

/** Own properties only: a question id such as "constructor" must not find Object.prototype. */
function own(answers: unknown, id: string): AnswerValue | null | undefined {
  return isRecord(answers) && Object.prototype.hasOwnProperty.call(answers, id)
    ? (answers[id] as AnswerValue | null)
    : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Visibility of every question for one set of answers, memoised. A question is shown when its
 * condition holds and every question the condition names is shown, so hiding a question also hides
 * the ones that depend on it, even while its stale answer is still stored.
 */
function visibility(q: Questionnaire, answers: Answers): (id: string) => boolean {
  const index = indexOf(q);
  const memo = new Map<string, boolean>();
  const answerOf = (id: string) => own(answers, id);
  const visible = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const c = index.get(id)?.question.visibleIf;
    memo.set(id, false); // only an invalid definition loops; such a question stays hidden
    const result = index.has(id) && (!c || (referencedIds(c).every(visible) && holds(c, answerOf)));
    memo.set(id, result);
    return result;
  };
  return visible;
}

export function isVisible(q: Questionnaire, questionId: string, answers: Answers): boolean {
  return visibility(q, answers)(questionId);
}

export interface ValidateOptions {
  /** partial: autosave, checks the answers given; complete: submission, also checks what is missing. */
  mode: 'partial' | 'complete';
  /** Ids of the evidence files uploaded for this response; when given, other ids are refused. */
  evidenceIds?: ReadonlySet<string>;
}

export function validateAnswers(q: Questionnaire, answers: Answers, opts: ValidateOptions): AnswerProblem[] {
  const index = indexOf(q);
  const visible = visibility(q, answers);
  const problems: AnswerProblem[] = [];
  for (const [id, value] of Object.entries(isRecord(answers) ? answers : {})) {
    if (value === null || value === undefined) continue; // null clears an answer: always allowed
    const entry = index.get(id);
    const add = reporter(problems, id, entry?.question);
    if (!entry) {
      add(id, 'UNKNOWN_QUESTION', `there is no question "${id}"`, `ไม่มีคำถาม "${id}" ในแบบสำรวจนี้`);
    } else if (!visible(id)) {
      const en = 'not shown for the other answers; clear it instead';
      add(id, 'HIDDEN_QUESTION', en, 'ไม่แสดงตามคำตอบข้ออื่น จึงตอบไม่ได้ (ให้ล้างคำตอบ)');
    } else {
      checkValue(entry.question, value, id, add, opts.evidenceIds);
    }
  }
  if (opts.mode === 'complete') {
    for (const question of allQuestions(q)) {
      if (!visible(question.id)) continue;
      const add = reporter(problems, question.id, question);
      const value = own(answers, question.id);
      if (!isAnswered(value)) {
        if (question.required) add(question.id, 'REQUIRED', 'must be answered', 'ยังไม่ได้ตอบ (ต้องตอบข้อนี้)');
      } else if (question.type === 'repeating_group' && Array.isArray(value)) {
        checkRowsComplete(question, value, add);
      }
    }
  }
  return problems;
}

/** Drops the answers to questions that the other answers hide (on submit, so hidden answers are not kept). */
export function pruneHidden(q: Questionnaire, answers: Answers): Answers {
  const index = indexOf(q);
  const visible = visibility(q, answers);
  // Unknown ids are left for validateAnswers to report: they are not "hidden".
  return Object.fromEntries(Object.entries(answers).filter(([id]) => !index.has(id) || visible(id)));
}

/**
 * Moves answers from one questionnaire to another (a corrected version): an answer is kept when its
 * question exists in `to` with the same type and the value is still valid there (options, ranges,
 * fields). Visibility is left to submission, which prunes hidden answers anyway.
 */
export function carryOver(
  from: Questionnaire,
  to: Questionnaire,
  answers: Answers,
): { kept: Answers; dropped: string[] } {
  const before = indexOf(from);
  const after = indexOf(to);
  const kept: Answers = {};
  const dropped: string[] = [];
  for (const [id, value] of Object.entries(answers)) {
    if (value === null || value === undefined) continue; // nothing to carry
    const was = before.get(id)?.question;
    const now = after.get(id)?.question;
    if (was && now && was.type === now.type && isValid(now, value)) kept[id] = value;
    else dropped.push(id);
  }
  return { kept, dropped };
}

/** Whether a value fits a question; evidence ids are checked for shape only. */
function isValid(x: Question, value: unknown): boolean {
  let valid = true;
  checkValue(x, value, x.id, () => (valid = false), undefined);
  return valid;
}

type Add = (path: string, code: string, message: string, messageTh: string) => void;

/**
 * Every problem of a known question starts with the question as a person reads it, its text with
 * the path (`ข้อ “จำนวนบุคลากร…” (g_staff_count): …`), never the id alone.
 */
function reporter(problems: AnswerProblem[], questionId: string, question?: Question): Add {
  return (path, code, message, messageTh) =>
    problems.push({
      questionId,
      path,
      code,
      message: question ? `"${question.text.en}" (${path}): ${message}` : message,
      messageTh: question ? `ข้อ “${question.text.th}” (${path}): ${messageTh}` : messageTh,
    });
}

/** Checks one value against its question (a top-level question or a group field). Never throws. */
function checkValue(
  x: Question,
  value: unknown,
  path: string,
  add: Add,
  evidenceIds: ReadonlySet<string> | undefined,
): void {
  const wrongType = (en: string, th: string) =>
    add(
      path,
      'WRONG_TYPE',
      `expects ${en} (${x.type}), got ${show(value)}`,
      `ต้องตอบเป็น${th} (${TYPE_TH[x.type]})`,
    );
  switch (x.type) {
    case 'yes_no':
      if (typeof value !== 'boolean') wrongType('true or false', ' true หรือ false');
      return;
    case 'single_choice':
      if (typeof value !== 'string') wrongType('an option value', 'ค่าของตัวเลือก');
      else checkOption(x, value, path, add);
      return;
    case 'multiple_choice':
      if (!Array.isArray(value)) wrongType('a list of option values', 'รายการค่าของตัวเลือก');
      else checkChoices(x, value, path, add);
      return;
    case 'number':
    case 'percentage':
      if (typeof value !== 'number' || !Number.isFinite(value)) wrongType('a number', 'ตัวเลข');
      else checkNumber(x, value, path, add);
      return;
    case 'text':
      if (typeof value !== 'string') wrongType('text', 'ข้อความ');
      else checkLength(value, x.maxLength ?? DEFAULT_TEXT_MAX_LENGTH, path, add);
      return;
    case 'url':
      if (typeof value !== 'string') wrongType('a URL', ' URL');
      else if (checkLength(value, URL_MAX_LENGTH, path, add)) checkUrl(value, path, add);
      return;
    case 'evidence':
      if (!Array.isArray(value)) wrongType('a list of evidence ids', 'รายการรหัสไฟล์หลักฐาน');
      else checkEvidence(x, value, path, add, evidenceIds);
      return;
    case 'repeating_group':
      if (!Array.isArray(value)) wrongType('a list of rows', 'รายการแถวข้อมูล');
      else checkRows(x, value, path, add, evidenceIds);
      return;
  }
}

function checkChoices(x: Question, values: unknown[], path: string, add: Add) {
  eachUnique(values, path, add, (v, at) => {
    if (typeof v === 'string') checkOption(x, v, at, add);
    else add(at, 'WRONG_TYPE', `expected an option value, got ${show(v)}`, 'ต้องเป็นค่าของตัวเลือก');
  });
}

function checkOption(x: Question, v: string, path: string, add: Add) {
  const options = x.options ?? [];
  if (!options.some((o) => o.value === v)) {
    const some = options.slice(0, 8);
    const more = options.length > some.length ? ', …' : '';
    add(
      path,
      'NOT_AN_OPTION',
      `${show(v)} is not an option; choose one of ${some.map((o) => o.value).join(', ')}${more}`,
      `${show(v)} ไม่ใช่ตัวเลือกของข้อนี้ เลือกได้จาก: ${some.map((o) => `${o.label.th} (${o.value})`).join(', ')}${more}`,
    );
  }
}

/** Runs `check` on each item and reports repeats (a choice or a file counted twice would score twice). */
function eachUnique(items: unknown[], path: string, add: Add, check: (v: unknown, at: string) => void) {
  const seen = new Set<unknown>();
  items.forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (seen.has(v)) add(at, 'DUPLICATE_VALUE', `${show(v)} is listed twice`, `${show(v)} ซ้ำ`);
    else check(v, at);
    seen.add(v);
  });
}

function checkNumber(x: Question, v: number, path: string, add: Add) {
  if (x.type === 'number' && x.integer && !Number.isInteger(v)) {
    add(path, 'NOT_INTEGER', `${v} is not a whole number`, `${v} ต้องเป็นจำนวนเต็ม`);
  }
  // A percentage is within 0..100 whatever the definition says; min/max can narrow it further.
  const min = x.type === 'percentage' ? Math.max(0, x.min ?? 0) : x.min;
  const max = x.type === 'percentage' ? Math.min(100, x.max ?? 100) : x.max;
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    const range = `${min ?? '-∞'}..${max ?? '∞'}`;
    add(path, 'OUT_OF_RANGE', `${v} is outside ${range}`, `${v} อยู่นอกช่วงที่รับได้ (${range})`);
  }
}

/** Counts characters, not UTF-16 units; returns false when too long. */
function checkLength(v: string, max: number, path: string, add: Add): boolean {
  if (v.length <= max) return true; // never more characters than UTF-16 units
  const length = [...v].length;
  if (length <= max) return true;
  add(
    path,
    'TOO_LONG',
    `${length} characters; at most ${max}`,
    `ยาว ${length} ตัวอักษร เกินที่รับได้ ${max} ตัวอักษร`,
  );
  return false;
}

/**
 * http and https only: other schemes (javascript:, data:, file:, ftp:) are never a link to show.
 * http stays: an agency reports the address its service has, and some still run on http. No user
 * name or password: `https://www.dga.or.th@evil.example/` would hide the real host.
 */
function checkUrl(v: string, path: string, add: Add) {
  if (v === '' || isWebUrl(v)) return;
  add(
    path,
    'INVALID_URL',
    `${show(v)} is not an http(s) address`,
    'ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https://',
  );
}

function isWebUrl(v: string): boolean {
  if (v.trim() !== v) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password;
  } catch {
    return false;
  }
}

function checkEvidence(
  x: Question,
  ids: unknown[],
  path: string,
  add: Add,
  evidenceIds: ReadonlySet<string> | undefined,
) {
  const maxFiles = x.evidence?.maxFiles ?? DEFAULT_EVIDENCE.maxFiles;
  if (ids.length > maxFiles) {
    add(
      path,
      'TOO_MANY_FILES',
      `${ids.length} files; at most ${maxFiles}`,
      `แนบ ${ids.length} ไฟล์ เกินที่รับได้ ${maxFiles} ไฟล์`,
    );
  }
  eachUnique(ids, path, add, (id, at) => {
    if (typeof id !== 'string' || !UUID.test(id)) {
      add(at, 'WRONG_TYPE', `${show(id)} is not an evidence id`, `${show(id)} ไม่ใช่รหัสไฟล์หลักฐาน`);
    } else if (evidenceIds && !evidenceIds.has(id)) {
      add(
        at,
        'UNKNOWN_EVIDENCE',
        `evidence ${id} was not uploaded to this response`,
        `ไม่พบไฟล์หลักฐาน ${id} ในแบบสำรวจของหน่วยงานนี้`,
      );
    }
  });
}

function checkRows(
  x: Question,
  rows: unknown[],
  path: string,
  add: Add,
  evidenceIds: ReadonlySet<string> | undefined,
) {
  const maxItems = x.maxItems ?? DEFAULT_MAX_ITEMS;
  if (rows.length > maxItems) {
    add(
      path,
      'TOO_MANY_ITEMS',
      `${rows.length} rows; at most ${maxItems}`,
      `มี ${rows.length} แถว เกินที่รับได้ ${maxItems} แถว`,
    );
    return; // one problem, not one per excess row
  }
  const fields = new Map((x.fields ?? []).map((f) => [f.id, f]));
  rows.forEach((row, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(row)) {
      add(
        at,
        'WRONG_TYPE',
        `row ${i + 1} must be an object of field values`,
        `แถวที่ ${i + 1} ต้องเป็นชุดข้อมูลตามช่อง`,
      );
      return;
    }
    for (const [key, cell] of Object.entries(row)) {
      const field = fields.get(key);
      if (!field)
        add(
          `${at}.${key}`,
          'UNKNOWN_FIELD',
          `the list has no field "${key}"`,
          `ไม่มีช่อง "${key}" ในรายการนี้`,
        );
      else if (cell !== null && cell !== undefined) checkValue(field, cell, `${at}.${key}`, add, evidenceIds);
    }
  });
}

/** Submission only: enough rows, and the required cells of every row filled. */
function checkRowsComplete(x: Question, rows: unknown[], add: Add) {
  if (x.minItems !== undefined && rows.length < x.minItems) {
    add(
      x.id,
      'TOO_FEW_ITEMS',
      `${rows.length} rows; at least ${x.minItems}`,
      `มี ${rows.length} แถว ต้องมีอย่างน้อย ${x.minItems} แถว`,
    );
  }
  rows.forEach((row, i) => {
    if (!isRecord(row)) return; // already WRONG_TYPE
    for (const f of x.fields ?? []) {
      if (f.required && !isAnswered(own(row, f.id))) {
        add(
          `${x.id}[${i}].${f.id}`,
          'REQUIRED',
          `row ${i + 1}: "${f.text.en}" (${f.id}) must be filled`,
          `แถวที่ ${i + 1}: ต้องกรอกช่อง “${f.text.th}” (${f.id})`,
        );
      }
    }
  });
}
