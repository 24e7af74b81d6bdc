import type { ReactNode } from 'react';

/**
 * A small state label ("ตอบแล้ว", "ยังไม่ได้ตอบ", "ส่งกลับ: ต้องแก้ไข"): a plain span, not a Badge,
 * because a Badge has a fixed height that can cut Thai vowels and tone marks, and its light
 * colours fall under 4.5:1. Each tone here is above 7:1.
 */
export type Tone = 'done' | 'missing' | 'invalid' | 'returned' | 'info';

const TONES: Record<Tone, { color: string; background: string; border: string }> = {
  done: { color: '#14532d', background: '#ecfdf3', border: '#14532d' },
  missing: { color: '#343a40', background: '#ffffff', border: '#495057' },
  invalid: { color: '#8a1c1c', background: '#fff1f1', border: '#8a1c1c' },
  returned: { color: '#ffffff', background: '#9a3412', border: '#9a3412' },
  info: { color: '#1e3a8a', background: '#eff6ff', border: '#1e3a8a' },
};

export function Marker({ tone, size = 'sm', children, ...rest }: { tone: Tone; size?: 'sm' | 'lg'; children: ReactNode; 'data-testid'?: string }) {
  const t = TONES[tone];
  return (
    <span
      {...rest}
      style={{
        display: 'inline-block',
        flexShrink: 0,
        fontSize: size === 'lg' ? '0.9375rem' : '0.8125rem',
        lineHeight: 1.6,
        fontWeight: 700,
        padding: size === 'lg' ? '0.1em 0.75em' : '0 0.5em',
        borderRadius: 999,
        border: `1px solid ${t.border}`,
        color: t.color,
        background: t.background,
        whiteSpace: 'nowrap',
      }}
    >
      {children}
    </span>
  );
}
