import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** docs/API.md, the public contract: its "Portal addresses" table lists what messages may link to. */
const API_MD = join(__dirname, '../../../../docs/API.md');

/** The paths of the "Portal addresses" table of docs/API.md, read from the document itself. */
export function portalAddresses(): string[] {
  const doc = readFileSync(API_MD, 'utf8');
  const start = doc.indexOf('## Portal addresses');
  if (start < 0) throw new Error('docs/API.md has no "## Portal addresses" section');
  const next = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, next < 0 ? undefined : next);
  const paths = [...section.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]);
  if (!paths.length) throw new Error('the "Portal addresses" table of docs/API.md lists no path');
  return paths;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every http(s) URL in a text or HTML message (HTML entities in it undone first). */
export function urlsIn(message: string): string[] {
  const plain = message
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"');
  return [...plain.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0].replace(/[.,;:)]+$/, ''));
}

/**
 * The URLs of `message` that are on the portal (`base`) but are not one of its listed addresses,
 * and those elsewhere that are not in `external` (the links a person gave, e.g. a meeting link).
 */
export function linkProblems(message: string, base: string, external: readonly string[] = []): string[] {
  const root = base.replace(/\/+$/, '');
  const patterns = portalAddresses().map(
    (p) =>
      new RegExp(
        `^${escape(root)}${p
          .split('/')
          .map((s) => (s.startsWith(':') ? '[^/?#]+' : escape(s)))
          .join('/')}$`,
      ),
  );
  return urlsIn(message).filter((url) =>
    url.startsWith(`${root}/`) ? !patterns.some((re) => re.test(url)) : !external.includes(url),
  );
}
