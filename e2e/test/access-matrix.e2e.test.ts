import { PlatformUnderTest } from './platform';
import { ROUTES, type Request, type Row } from './access/routes';
import { buildWorld, type Probe, probeName, PROBES, type World } from './access/world';

/**
 * The authorization matrix (issue 13, "Done when"): every route of the gateway × every role ×
 * own or other agency, against the real services behind the real gateway (the services re-check
 * the role and map another agency to not-found: only the whole platform can show both layers).
 * The routes come from the gateway's own OpenAPI document (which the gateway's openapi test keeps
 * equal to its controllers), and a route without a row in access/routes.ts fails the test:
 * read that file for the expectations and for how to add a route.
 *
 * Outcome classes: `allowed` (2xx, or a domain 4xx past the access checks: validation, state,
 * version; never 401, 403 FORBIDDEN, 404 or 5xx, since every row aims at something that exists),
 * `unauthenticated` (401 UNAUTHENTICATED), `forbidden` (403 FORBIDDEN), `hidden` (404 *NOT_FOUND).
 * A 403 with a domain code (AWARD_NOT_A_MEMBER) is a rule of the service, past the access checks.
 */
type Outcome = 'allowed' | 'unauthenticated' | 'forbidden' | 'hidden';

function expectedOutcome(row: Row, probe: Probe): Outcome {
  if (row.allow === 'public') return 'allowed';
  if (probe.role === 'anonymous') return 'unauthenticated';
  if (row.allow !== 'any' && !row.allow.includes(probe.role)) return 'forbidden';
  if ('agency' in probe && probe.agency === 'other') {
    if (row.scope === 'hidden') return 'hidden';
    if (row.scope === 'forbidden') return 'forbidden';
  }
  return 'allowed';
}

interface Seen {
  status: number;
  code?: string;
  body: unknown;
}

function observedOutcome(row: Row, seen: Seen): Outcome | 'error' | 'not found' {
  if (seen.status >= 500 || seen.status === 401)
    return seen.code === 'UNAUTHENTICATED' ? 'unauthenticated' : 'error';
  // A 403 with the domain's own code (e.g. AWARD_NOT_A_MEMBER) is a rule past the access checks.
  if (seen.status === 403) return seen.code === 'FORBIDDEN' ? 'forbidden' : 'allowed';
  if (seen.status === 404 && row.nothingYet && seen.code === row.nothingYet) return 'allowed';
  if (seen.status === 404) return seen.code?.endsWith('NOT_FOUND') ? 'hidden' : 'not found';
  return 'allowed';
}

/** Refusals first, then the other agency, then the allowed callers: an allowed write never changes what a refusal sees. */
function order(row: Row, probes: Probe[]): Probe[] {
  const rank = (p: Probe) =>
    ({ unauthenticated: 0, forbidden: 1, hidden: 2, allowed: 3 })[expectedOutcome(row, p)];
  return [...probes].sort((a, b) => rank(a) - rank(b));
}

async function send(w: World, req: Request & { method: string }, probe: Probe): Promise<Seen> {
  const headers: Record<string, string> = {};
  const token = req.token ?? w.tokens.get(probeName(probe));
  if (token) headers.authorization = `Bearer ${token}`;
  let body: RequestInit['body'];
  if (req.file) {
    const form = new FormData();
    form.append('file', new Blob([req.file.bytes], { type: req.file.type }), req.file.name);
    body = form;
  } else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.body);
  }
  const method = req.method;
  const res = await fetch(`${w.base}${req.root ? '' : '/api/v1'}${req.path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if (/json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
  const code = (parsed as { code?: unknown } | null)?.code;
  return { status: res.status, code: typeof code === 'string' ? code : undefined, body: parsed };
}

/** For `scope: 'filtered'` lists: the own agency is listed for everyone but the other agency's roles. */
function listsOwn(w: World, body: unknown): boolean {
  const items = (body as { items?: { id?: string; agencyId?: string }[] }).items ?? [];
  return items.some((i) => i.id === w.own.id || i.agencyId === w.own.id);
}

describe('authorization matrix: every gateway route × role × own or other agency', () => {
  const platform = new PlatformUnderTest();
  let world: World;
  let documented: string[];

  beforeAll(async () => {
    await platform.start({ env: { gateway: { BCRYPT_COST: '4' } } });
    // Cycle 2565 answered by 20 agencies, scored, published and awarded: every row has something real to ask for.
    await platform.loadSample(20);
    world = await buildWorld(platform.gateway.url, { email: 'admin@dga.or.th', password: 'admin-2565' });
    const doc = (await (await fetch(`${platform.gateway.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // The whole platform and the sample award round: minutes on a busy machine.
  }, 400_000);
  afterAll(async () => platform.stop());

  it('has one row for every route of the gateway, and none for a route that is gone', () => {
    const rows = ROUTES.map((r) => r.route);
    expect({
      'routes without a row in access/routes.ts': documented.filter((r) => !rows.includes(r)),
    }).toEqual({
      'routes without a row in access/routes.ts': [],
    });
    expect({ 'rows without a route': rows.filter((r) => !documented.includes(r)) }).toEqual({
      'rows without a route': [],
    });
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('answers every route × role × agency as the matrix says', async () => {
    const probeRow = async (row: Row): Promise<string[]> => {
      const method = row.route.split(' ')[0];
      const wrong: string[] = [];
      for (const probe of order(row, PROBES)) {
        const expected = expectedOutcome(row, probe);
        const seen = await send(world, { ...(await row.send(world, probe)), method }, probe);
        let observed: string = observedOutcome(row, seen);
        if (observed === 'allowed' && row.scope === 'filtered' && seen.status === 200) {
          const other = 'agency' in probe && probe.agency === 'other';
          if (listsOwn(world, seen.body) === other)
            observed = other ? 'lists the other agency' : 'leaves out the own agency';
        }
        if (observed !== expected) {
          wrong.push(
            `${row.route} as ${probeName(probe)}: expected ${expected}, got ${seen.status} ${seen.code ?? ''} (${observed})`,
          );
        }
      }
      return wrong;
    };
    // Rows are independent (each aims at its own resources or at state that refuses the change):
    // a few at a time keep the run short; the probes of one row stay in order.
    const rows = [...ROUTES];
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let row = rows.shift(); row; row = rows.shift()) wrong.push(...(await probeRow(row)));
      }),
    );
    expect(wrong.sort()).toEqual([]);
  });
});
