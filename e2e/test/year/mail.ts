import type { CaughtMail } from '../platform';

/** What a message is, read from the Message-ID the platform sets: `<delivery id@dg-platform>`. */
export type MailKind = 'announce' | 'remind' | 'receipt' | 'return' | 'results' | 'award';

export interface ReadMail {
  kind: MailKind;
  /** The delivery id: `<message key>_<contact id>_email`. */
  deliveryId: string;
  /** For receipts: which submission of the response it confirms. */
  submission: number | null;
  to: string;
  mail: CaughtMail;
}

const KINDS: readonly MailKind[] = ['announce', 'remind', 'receipt', 'return', 'results', 'award'];

export function readMail(mail: CaughtMail): ReadMail {
  const m = /^<?([^@>]+)@dg-platform>?$/.exec(mail.messageId.trim());
  if (!m) throw new Error(`a message without the platform's Message-ID: ${mail.messageId} (${mail.subject})`);
  const deliveryId = m[1];
  const kind = deliveryId.slice(0, deliveryId.indexOf('-')) as MailKind;
  if (!KINDS.includes(kind)) throw new Error(`unknown message key ${deliveryId}`);
  if (mail.to.length !== 1) throw new Error(`${deliveryId} went to ${mail.to.length} recipients`);
  const key = deliveryId.slice(0, deliveryId.indexOf('_'));
  const submission = kind === 'receipt' ? Number(key.slice(key.lastIndexOf('-') + 1)) : null;
  return { kind, deliveryId, submission, to: mail.to[0], mail };
}

/** Counts per key, e.g. per recipient and kind. */
export function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of items) out.set(key(t), (out.get(key(t)) ?? 0) + 1);
  return out;
}
