import 'reflect-metadata';
import { TemplateKey } from '@dg/contracts';
import { DEFAULT_TEMPLATES, sampleVariables, TEMPLATE_VARIABLES } from '../src/templates/defaults';
import { messageLinks, PORTAL_PATHS, PortalLinks, portalUrl } from '../src/templates/portal-links';
import { TemplateRenderer } from '../src/templates/renderer';
import { linkProblems, portalAddresses, urlsIn } from './support/portal-addresses';

// A portal under a path, to prove links keep it (and never fall back to the API's host).
const BASE = 'https://portal.example.go.th/dg';
const AT = { cycleId: '2565', agencyCode: '1001' };
/** Variables a person fills in (the briefing's meeting link and documents): not portal links. */
const EXTERNAL_VARIABLES = new Set(['meetingLink', 'documents']);

describe('portal links in messages', () => {
  it('are exactly the "Portal addresses" of docs/API.md', () => {
    expect(Object.values(PORTAL_PATHS).sort()).toEqual(portalAddresses().sort());
  });

  it('are made on the configured portal URL, with encoded parameters', () => {
    const links = new PortalLinks(`${BASE}/`);
    expect(links.response('2565')).toBe(`${BASE}/cycles/2565/response`);
    expect(links.scorecard('2565', 'A 1/2')).toBe(`${BASE}/results/2565/agencies/A%201%2F2`);
    expect(links.awards('2565')).toBe(`${BASE}/awards/2565`);
    expect(portalUrl(BASE, PORTAL_PATHS.home)).toBe(`${BASE}/`);
    expect(() => portalUrl(BASE, PORTAL_PATHS.results, {})).toThrow(/cycleId/);
  });

  it('every link variable of every template is a portal link made here (or one a person typed)', () => {
    for (const key of TemplateKey.options) {
      const linkVariables = Object.keys(TEMPLATE_VARIABLES[key]).filter(
        (v) => /link|url/i.test(v) && !EXTERNAL_VARIABLES.has(v),
      );
      expect({ key, vars: linkVariables.sort() }).toEqual({
        key,
        vars: Object.keys(messageLinks(key, new PortalLinks(BASE), AT)).sort(),
      });
    }
  });

  const renderer = new TemplateRenderer();
  const cases = TemplateKey.options.flatMap((key) =>
    (['th', 'en'] as const).map((lang) => [key, lang] as const),
  );

  it.each(cases)('%s (%s): every link it produces is a listed portal address', (key, lang) => {
    const variables = { ...sampleVariables(key), ...messageLinks(key, new PortalLinks(BASE), AT) };
    const external = [
      ...(typeof variables.meetingLink === 'string' ? [variables.meetingLink] : []),
      ...((variables.documents as { url: string }[] | undefined) ?? []).map((d) => d.url),
    ];
    const message = renderer.render(DEFAULT_TEMPLATES[key], lang, variables);
    const all = [message.subject, message.html, message.text, message.line].join('\n');
    expect(linkProblems(all, BASE, external)).toEqual([]);
    // The message does link to the portal (its own page at least), in the e-mail and on LINE.
    for (const part of [message.html, message.text, message.line])
      expect(urlsIn(part).some((u) => u.startsWith(`${BASE}/`))).toBe(true);
  });

  it('the check itself refuses a path the portal does not serve and the API host', () => {
    expect(linkProblems(`see ${BASE}/cycles/2565/scorecards/x`, BASE)).toEqual([
      `${BASE}/cycles/2565/scorecards/x`,
    ]);
    expect(linkProblems('at https://api.example.go.th/cycles/2565/response.', BASE)).toEqual([
      'https://api.example.go.th/cycles/2565/response',
    ]);
    expect(linkProblems(`<a href="${BASE}/results/2565">x</a>`, BASE)).toEqual([]);
  });
});
