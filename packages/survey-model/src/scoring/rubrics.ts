import { isAnswered } from '../conditions';
import type { Question, Rubric } from '../format';
import { Rational } from './exact';
import { ownValue } from './rules';

/** Places of reported points (exact in the rubric; more would only show float noise). */
export const POINTS_DECIMALS = 6;

/** Text in both languages; reasons are generated from these pieces, never free-form. */
export interface Bilingual {
  th: string;
  en: string;
}

/** What an answer earns under its rubric, before verdicts. */
export interface Earned {
  points: Rational;
  capped: boolean;
  /** The value as reported on the scorecard (`{ rows }` / `{ files }` for lists). */
  answer: unknown;
  reason: Bilingual;
  /** The answer in words, without the points (e.g. "2 files attached"). */
  what: Bilingual;
  /** evidence with requireAccepted: the points wait for the operator. */
  needsAcceptance: boolean;
}

const r = Rational.from;

/** Reported points: exact, at most 6 places (more would only show float noise from elsewhere). */
export const fmt = (x: Rational): string => String(x.round(POINTS_DECIMALS));

/** "3 of 4 points" / "ได้ 3 จาก 4 คะแนน": the tail of every reason. */
export function outOf(points: Rational, max: Rational): Bilingual {
  const unit = max.cmp(Rational.ONE) === 0 ? 'point' : 'points';
  return { en: `${fmt(points)} of ${fmt(max)} ${unit}`, th: `ได้ ${fmt(points)} จาก ${fmt(max)} คะแนน` };
}

/** The most a question can earn; never below 0, because an unanswered question earns 0. */
export function maxPoints(x: Question, rubric: Rubric): Rational {
  switch (rubric.kind) {
    case 'yes_no':
      return Rational.max(Rational.max(r(rubric.yes), r(rubric.no)), Rational.ZERO);
    case 'choice': {
      const points = Object.values(rubric.points).map(r);
      if (x.type !== 'multiple_choice') return points.reduce(Rational.max, Rational.ZERO);
      const positive = Rational.sum(points.filter((p) => p.sign() > 0));
      return rubric.cap === undefined ? positive : Rational.min(positive, r(rubric.cap));
    }
    case 'range':
      return rubric.bands.map((b) => r(b.points)).reduce(Rational.max, Rational.ZERO);
    case 'count':
      return r(rubric.cap);
    case 'evidence':
      return Rational.max(r(rubric.points), Rational.ZERO);
  }
}

/**
 * Points for an answer, or null when there is no usable answer (none, empty, or of the wrong shape:
 * answers come from users, and a malformed one earns nothing rather than throwing).
 */
export function earn(
  x: Question,
  rubric: Rubric,
  value: unknown,
  max: Rational,
  accepted: boolean,
): Earned | null {
  if (!isAnswered(value)) return null;
  const of = (points: Rational) => outOf(points, max).en;
  const ofTh = (points: Rational) => outOf(points, max).th;
  const plain = (points: Rational, answer: unknown, en: string, th: string): Earned => ({
    points,
    capped: false,
    answer,
    reason: { en: `${en} = ${of(points)}`, th: `${th} ${ofTh(points)}` },
    what: { en, th },
    needsAcceptance: false,
  });
  /** `raw` limited to `cap`: the reason shows both when the cap bites. */
  const capped = (
    raw: Rational,
    cap: Rational | undefined,
    answer: unknown,
    en: string,
    th: string,
  ): Earned => {
    if (cap === undefined || raw.cmp(cap) <= 0) return plain(raw, answer, en, th);
    return {
      points: cap,
      capped: true,
      answer,
      reason: {
        en: `${en} = ${fmt(raw)}, capped at ${of(cap)}`,
        th: `${th} รวม ${fmt(raw)} คะแนน จำกัดไว้ที่ ${fmt(cap)} ${ofTh(cap)}`,
      },
      what: { en, th },
      needsAcceptance: false,
    };
  };

  switch (rubric.kind) {
    case 'yes_no': {
      if (typeof value !== 'boolean') return null;
      return value
        ? plain(r(rubric.yes), value, "answered 'yes'", "ตอบ 'ใช่'")
        : plain(r(rubric.no), value, "answered 'no'", "ตอบ 'ไม่ใช่'");
    }
    case 'choice': {
      const points = (v: string) => r(ownValue(rubric.points, v) ?? 0);
      const label = (v: string, lang: 'th' | 'en') =>
        `'${x.options?.find((o) => o.value === v)?.label[lang] ?? v}'`;
      if (x.type !== 'multiple_choice') {
        if (typeof value !== 'string') return null;
        return plain(points(value), value, `chose ${label(value, 'en')}`, `เลือก ${label(value, 'th')}`);
      }
      const chosen = distinctStrings(value);
      if (!chosen?.length) return null;
      const list = (lang: 'th' | 'en') => chosen.map((v) => label(v, lang)).join(', ');
      const sum = Rational.sum(chosen.map(points));
      const cap = rubric.cap === undefined ? undefined : r(rubric.cap);
      return capped(sum, cap, chosen, `chose ${list('en')}`, `เลือก ${list('th')}`);
    }
    case 'range': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return null;
      // min inclusive, max exclusive, a missing end open; the first band that fits wins.
      const band = rubric.bands.find(
        (b) => (b.min === undefined || b.min <= value) && (b.max === undefined || value < b.max),
      );
      if (!band) return plain(Rational.ZERO, value, `${value} is in no band`, `${value} ไม่อยู่ในช่วงใด`);
      const [en, th] = describeBand(band);
      return plain(r(band.points), value, `${value} falls in "${en}"`, `${value} อยู่ในช่วง${th}`);
    }
    case 'count': {
      if (!Array.isArray(value)) return null;
      const isGroup = x.type === 'repeating_group';
      const n = isGroup ? value.filter(isRecord).length : (distinctStrings(value)?.length ?? 0);
      if (n === 0) return null;
      const [en, th] = isGroup
        ? [`${n} ${n === 1 ? 'row' : 'rows'}`, `${n} แถว`]
        : [`${n} chosen`, `เลือก ${n} ข้อ`];
      const per = fmt(r(rubric.perItem));
      const answer = isGroup ? { rows: n } : value;
      return capped(
        r(rubric.perItem).mul(Rational.of(BigInt(n))),
        r(rubric.cap),
        answer,
        `${en} × ${per}`,
        `${th} × ${per}`,
      );
    }
    case 'evidence': {
      const files = distinctStrings(value)?.length ?? 0;
      if (files === 0) return null;
      const en = `${files} ${files === 1 ? 'file' : 'files'}`;
      const needsAcceptance = rubric.requireAccepted === true;
      // Accepted evidence says so: the acceptance is why its points count.
      const earned =
        needsAcceptance && accepted
          ? plain(
              r(rubric.points),
              { files },
              `${en} accepted by the operator`,
              `ผู้ตรวจรับหลักฐาน ${files} ไฟล์แล้ว`,
            )
          : plain(r(rubric.points), { files }, `${en} attached`, `แนบไฟล์ ${files} ไฟล์`);
      return { ...earned, needsAcceptance };
    }
  }
}

/** A list of distinct non-empty strings (a file or choice listed twice counts once), or null. */
function distinctStrings(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return [...new Set(value.filter((v): v is string => typeof v === 'string' && v.trim() !== ''))];
}

function isRecord(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeBand(b: { min?: number; max?: number }): [string, string] {
  if (b.min !== undefined && b.max !== undefined) {
    return [`${b.min} to under ${b.max}`, `ตั้งแต่ ${b.min} แต่น้อยกว่า ${b.max}`];
  }
  if (b.min !== undefined) return [`${b.min} or more`, `ตั้งแต่ ${b.min} ขึ้นไป`];
  if (b.max !== undefined) return [`under ${b.max}`, `น้อยกว่า ${b.max}`];
  return ['any value', 'ทุกค่า'];
}
