import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaughtMail, E2E_PORTAL_URL } from '../platform';

/** What a message is, read from the Message-ID the platform sets: `<delivery id@dg-platform>`. */
export type MailKind =
  'announce' | 'remind' | 'receipt' | 'return' | 'results' | 'award' | 'approval' | 'extension' | 'sentback';

export interface ReadMail {
  kind: MailKind;
  /** The delivery id: `<message key>_<contact id>_email`. */
  deliveryId: string;
  /** For receipts: which submission of the response it confirms. */
  submission: number | null;
  to: string;
  mail: CaughtMail;
}

const KINDS: readonly MailKind[] = [
  'announce',
  'remind',
  'receipt',
  'return',
  'results',
  'award',
  'approval',
  'extension',
  'sentback',
];

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

/** The paths of the "Portal addresses" table of docs/API.md: all that messages may link to. */
function portalAddresses(): string[] {
  const doc = readFileSync(join(__dirname, '../../../docs/API.md'), 'utf8');
  const start = doc.indexOf('## Portal addresses');
  const next = doc.indexOf('\n## ', start + 1);
  return [...doc.slice(start, next < 0 ? undefined : next).matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map(
    (m) => m[1],
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The links of a message that are not a listed portal address on E2E_PORTAL_URL (the briefing's
 * meeting link and documents, typed by the operator, are `external`).
 */
export function portalLinkProblems(message: string, external: readonly string[] = []): string[] {
  const patterns = portalAddresses().map(
    (p) =>
      new RegExp(
        `^${escape(E2E_PORTAL_URL)}${p
          .split('/')
          .map((s) => (s.startsWith(':') ? '[^/?#]+' : escape(s)))
          .join('/')}$`,
      ),
  );
  const plain = message.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
  const urls = [...plain.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0].replace(/[.,;:)]+$/, ''));
  return urls.filter((url) =>
    url.startsWith(`${E2E_PORTAL_URL}/`) ? !patterns.some((re) => re.test(url)) : !external.includes(url),
  );
}
