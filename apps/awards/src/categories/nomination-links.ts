import { unsafeUrlReason } from '@dg/contracts';

export interface EvidenceLink {
  name: string;
  url: string;
}

/**
 * The evidence links of a stored nomination that may be shown. Nominations are append-only and
 * some were saved before links had to be `https://` (SafeUrl): a `javascript:` or `data:` link
 * among them is never served, so the portal cannot render it; the row itself stays as it was
 * recorded. Answers the links to show and how many were held back.
 */
export function servableEvidence(stored: unknown): { links: EvidenceLink[]; withheld: number } {
  const all = Array.isArray(stored) ? (stored as Partial<EvidenceLink>[]) : [];
  const links = all.filter(
    (e): e is EvidenceLink =>
      typeof e?.name === 'string' && typeof e.url === 'string' && unsafeUrlReason(e.url) === null,
  );
  return { links, withheld: all.length - links.length };
}
