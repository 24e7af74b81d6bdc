import type { TemplateKey } from '@dg/contracts';

/**
 * The only portal addresses a message may link to: the "Portal addresses" table of docs/API.md,
 * which the portal serves (portal-links.test.ts parses that table, so the two cannot drift).
 * Every link a service puts in a message's variables is made here, on the configured public
 * PORTAL_URL — never on the API's host, where these paths are 404s.
 */
export const PORTAL_PATHS = {
  home: '/',
  response: '/cycles/:cycleId/response',
  review: '/cycles/:cycleId/review/:agencyCode',
  results: '/results/:cycleId',
  scorecard: '/results/:cycleId/agencies/:agencyCode',
  methodology: '/results/:cycleId/methodology',
  awards: '/awards/:cycleId',
  certificate: '/certificates/:number',
} as const;

export type PortalPage = keyof typeof PORTAL_PATHS;

/** `path` with each `:name` replaced by its encoded value, on `base` (a trailing slash dropped). */
export function portalUrl(base: string, path: string, params: Record<string, string> = {}): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`portal link ${path}: ${name} missing`);
    return encodeURIComponent(value);
  });
  return `${base.replace(/\/+$/, '')}${filled === '/' ? '/' : filled}`;
}

/** Links to the portal pages a message can name. */
export class PortalLinks {
  constructor(private readonly base: string) {}

  /** The signed-in agency's response in a cycle (coordinators and approvers). */
  response(cycleId: string): string {
    return portalUrl(this.base, PORTAL_PATHS.response, { cycleId });
  }

  /** A cycle's published results (public). */
  results(cycleId: string): string {
    return portalUrl(this.base, PORTAL_PATHS.results, { cycleId });
  }

  /** One agency's published scorecard (public), by the agency's code. */
  scorecard(cycleId: string, agencyCode: string): string {
    return portalUrl(this.base, PORTAL_PATHS.scorecard, { cycleId, agencyCode });
  }

  /** The winners of a cycle (public). */
  awards(cycleId: string): string {
    return portalUrl(this.base, PORTAL_PATHS.awards, { cycleId });
  }
}

/**
 * The link variables of a template (the only ones that point at the portal): every message names
 * the agency's response (`link`); the results notice the public results and the agency's scorecard
 * instead; the award news also the winners page.
 */
export function messageLinks(
  key: TemplateKey,
  links: PortalLinks,
  at: { cycleId: string; agencyCode: string },
): Record<string, string> {
  switch (key) {
    case 'results_published':
      return { link: links.results(at.cycleId), scoreLink: links.scorecard(at.cycleId, at.agencyCode) };
    case 'award_announced':
      return { link: links.response(at.cycleId), winnersLink: links.awards(at.cycleId) };
    case 'briefing_invitation':
    case 'deadline_reminder':
    case 'submission_receipt':
    case 'response_returned':
    case 'approval_requested':
    case 'response_sent_back':
    case 'extension_granted':
      return { link: links.response(at.cycleId) };
  }
}
