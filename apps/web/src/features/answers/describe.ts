import type { Question, Rubric } from '@dg/survey-model';
import type { Lang } from '../../lib/dates';

/**
 * Answers and rubrics in words, for people: the merge dialog shows two answers side by side, and
 * a question shows how it is scored when the questionnaire says so.
 */

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const num = (n: number) => NUMBER.format(n);

/** Whatever a value is, as short text (answers come from people and other tabs: any shape). */
function plain(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function optionLabel(x: Question, value: unknown, lang: Lang): string {
  const o = x.options?.find((opt) => opt.value === value);
  return o ? o.label[lang] : plain(value);
}

/** An answer as a person reads it: option labels, ใช่/ไม่ใช่, numbers with their unit, rows counted. */
export function describeAnswer(x: Question, value: unknown, lang: Lang = 'th'): string {
  const th = lang === 'th';
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return th ? '(ไม่มีคำตอบ)' : '(no answer)';
  }
  switch (x.type) {
    case 'yes_no':
      return value === true ? (th ? 'ใช่' : 'Yes') : value === false ? (th ? 'ไม่ใช่' : 'No') : plain(value);
    case 'single_choice':
      return optionLabel(x, value, lang);
    case 'multiple_choice':
      return Array.isArray(value) ? value.map((v) => optionLabel(x, v, lang)).join(', ') : plain(value);
    case 'number':
    case 'percentage': {
      const unit = x.unit ? ` ${x.unit[lang]}` : '';
      return typeof value === 'number' ? `${num(value)}${unit}` : plain(value);
    }
    case 'evidence':
      return Array.isArray(value) ? (th ? `ไฟล์ ${value.length} ไฟล์` : `${value.length} file(s)`) : plain(value);
    case 'repeating_group': {
      if (!Array.isArray(value)) return plain(value);
      const first = x.fields?.[0];
      const names = first
        ? value
            .map((row) => (row && typeof row === 'object' ? (row as Record<string, unknown>)[first.id] : undefined))
            .filter((v) => v !== undefined && v !== null && v !== '')
            .slice(0, 3)
            .map((v) => describeAnswer(first, v, lang))
        : [];
      const head = th ? `${value.length} แถว` : `${value.length} row(s)`;
      return names.length ? `${head}: ${names.join(', ')}${value.length > names.length ? ', …' : ''}` : head;
    }
    case 'text':
    case 'url':
      return plain(value);
  }
}

/**
 * How the questionnaire scores a question, in a sentence (the cycle's scoring rules may weigh it
 * or leave it out; the methodology page says how). Null for a question without a rubric.
 */
export function rubricHint(x: Question, lang: Lang = 'th'): string | null {
  const r: Rubric | undefined = x.rubric;
  if (!r) return null;
  const th = lang === 'th';
  const pts = (n: number) => (th ? `${num(n)} คะแนน` : `${num(n)} ${n === 1 ? 'point' : 'points'}`);
  switch (r.kind) {
    case 'yes_no':
      return th ? `ตอบ “ใช่” ได้ ${pts(r.yes)} · ตอบ “ไม่ใช่” ได้ ${pts(r.no)}` : `“Yes” earns ${pts(r.yes)}, “No” ${pts(r.no)}`;
    case 'choice': {
      const parts = (x.options ?? [])
        .filter((o) => (r.points[o.value] ?? 0) !== 0)
        .map((o) => `${o.label[lang]} ${pts(r.points[o.value]!)}`);
      const list = parts.join(' · ') || (th ? 'ไม่มีตัวเลือกที่ได้คะแนน' : 'no option earns points');
      if (x.type === 'multiple_choice') {
        const cap = r.cap !== undefined ? (th ? ` รวมไม่เกิน ${pts(r.cap)}` : `, at most ${pts(r.cap)} in all`) : '';
        return th ? `คะแนนรวมของตัวเลือกที่เลือก: ${list}${cap}` : `The chosen options add up: ${list}${cap}`;
      }
      return th ? `คะแนนตามตัวเลือก: ${list}` : `Points by option: ${list}`;
    }
    case 'range': {
      const unit = x.unit ? ` ${x.unit[lang]}` : '';
      const bands = r.bands.map((b) => {
        const range =
          b.min !== undefined && b.max !== undefined
            ? th
              ? `${num(b.min)} ถึงน้อยกว่า ${num(b.max)}${unit}`
              : `${num(b.min)} to under ${num(b.max)}${unit}`
            : b.min !== undefined
              ? th
                ? `ตั้งแต่ ${num(b.min)}${unit}`
                : `${num(b.min)}${unit} or more`
              : b.max !== undefined
                ? th
                  ? `น้อยกว่า ${num(b.max)}${unit}`
                  : `under ${num(b.max)}${unit}`
                : th
                  ? 'ทุกค่า'
                  : 'any value';
        return `${range}: ${pts(b.points)}`;
      });
      return bands.join(' · ');
    }
    case 'count':
      return th
        ? `แถวละ ${pts(r.perItem)} สูงสุด ${pts(r.cap)}`
        : `${pts(r.perItem)} per row, at most ${pts(r.cap)}`;
    case 'evidence':
      return th
        ? `แนบหลักฐานได้ ${pts(r.points)}${r.requireAccepted ? ' เมื่อผู้ตรวจสอบรับรองหลักฐานแล้ว' : ''}`
        : `Evidence earns ${pts(r.points)}${r.requireAccepted ? ' once the verifier accepts it' : ''}`;
  }
}
