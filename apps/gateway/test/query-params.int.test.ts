import { Rpc } from '@dg/contracts';
import { type Json, TestGateway } from './support/gateway';

const PROBLEM = /^application\/problem\+json/;

/**
 * Issue 14 item 4: a query parameter a route does not take is refused (400
 * UNKNOWN_QUERY_PARAMETER naming it and the accepted ones), never ignored; filters have one name
 * across the API; responses and progress filter by ministry, province, group and several statuses.
 */
describe('query parameters: unknown ones refused, one name per filter', () => {
  let gw: TestGateway;
  let admin: string;

  beforeAll(async () => {
    gw = await TestGateway.start();
    admin = await gw.adminToken();
  });

  afterAll(async () => {
    await gw?.close();
  });

  const sample = (path: string) =>
    path
      .replace('/api/v1', '')
      .replace(/:id|:cycleId/g, '2565')
      .replace(/:agencyId|:categoryId|:contactId/g, '7d0f7a4e-93a1-4c71-9a43-0d6a1f0e2b55')
      .replace(/:key/g, 'briefing_invitation')
      .replace(/:channel/g, 'email');

  it('refuses an unknown parameter on every GET route of the API with 400 naming it, before any service is called', async () => {
    const gets = gw.routes.filter((r) => r.startsWith('GET /api/v1/')).map((r) => r.slice(4));
    expect(gets.length).toBeGreaterThan(25);
    const callsBefore = gw.intake.seen(Rpc.ResponseList).length + gw.intake.seen(Rpc.CycleProgress).length;
    for (const route of gets) {
      const res = await gw.api('GET', `${sample(route)}?bogusFilter=1`, { token: admin });
      expect({ route, status: res.status, code: res.body.code }).toEqual({
        route,
        status: 400,
        code: 'UNKNOWN_QUERY_PARAMETER',
      });
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ path: 'bogusFilter', code: 'UNKNOWN_QUERY_PARAMETER' }),
      ]);
      expect(res.body.detail).toContain('bogusFilter');
      expect(Array.isArray(res.body.accepted)).toBe(true);
    }
    expect(gw.intake.seen(Rpc.ResponseList).length + gw.intake.seen(Rpc.CycleProgress).length).toBe(
      callsBefore,
    );
  });

  it('names the accepted parameters, checks the login first, and applies to other methods too', async () => {
    const res = await gw.api('GET', '/cycles/2565/responses?provinceCode=TH-10&agencyCode=DEP-1', {
      token: admin,
    });
    expect(res.status).toBe(400);
    expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'provinceCode',
      'agencyCode',
    ]);
    expect([...res.body.accepted].sort()).toEqual(
      ['group', 'ministryId', 'page', 'pageSize', 'province', 'q', 'status'].sort(),
    );
    expect(res.body.detail).toMatch(/^ไม่รู้จักพารามิเตอร์.*province/);

    // An unsupported export filter no longer exports everything.
    const exp = await gw.api('GET', '/cycles/2565/responses/export?format=csv&status=verified', {
      token: admin,
    });
    expect({ status: exp.status, code: exp.body.code, accepted: exp.body.accepted }).toEqual({
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
      accepted: ['format'],
    });
    // A route that takes no query at all.
    const me = await gw.api('GET', '/auth/me?x=1', { token: admin });
    expect({ status: me.status, accepted: me.body.accepted }).toEqual({ status: 400, accepted: [] });
    // Not logged in: 401 first, the query is not looked at.
    expect((await gw.api('GET', '/cycles/2565/responses?province=TH-10&bogus=1')).status).toBe(401);
    // A POST with a query of its own.
    const imp = await gw.api('POST', '/agencies/import?dryRun=true&dryrun=true', { token: admin });
    expect({ status: imp.status, code: imp.body.code }).toEqual({
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
    });
    // The agencies filter by `province`, as results and responses do; `provinceCode` is refused.
    const agencies = await gw.api('GET', '/agencies?provinceCode=TH-10', { token: admin });
    expect({ status: agencies.status, code: agencies.body.code }).toEqual({
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
    });
    expect(agencies.body.accepted).toContain('province');
    expect((await gw.api('GET', '/agencies?province=TH-10', { token: admin })).status).toBe(200);
  });

  it('forwards the responses filters: ministry, province, group and several statuses (not_submitted too)', async () => {
    gw.intake.addCycle({ id: 'q1', status: 'open' });
    const res = await gw.api(
      'GET',
      '/cycles/q1/responses?ministryId=M01&province=TH-10&group=local&status=not_started,returned&status=not_submitted',
      { token: admin },
    );
    expect(res.status).toBe(200);
    expect(gw.intake.lastCall(Rpc.ResponseList)!.request).toEqual({
      cycleId: 'q1',
      ministryId: 'M01',
      province: 'TH-10',
      group: 'local',
      status: ['not_started', 'returned', 'not_submitted'],
      page: 1,
      pageSize: 50,
    });
    const bad = await gw.api('GET', '/cycles/q1/responses?status=not_started,done', { token: admin });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(bad.body.errors[0].path).toMatch(/^status/);
  });

  it('forwards the progress filters under the same names', async () => {
    gw.intake.addCycle({ id: 'q2', status: 'open' });
    const res = await gw.api(
      'GET',
      '/cycles/q2/progress?group=provincial&province=TH-50&status=not_submitted',
      {
        token: admin,
      },
    );
    expect(res.status).toBe(200);
    expect(gw.intake.lastCall(Rpc.CycleProgress)!.request).toEqual({
      cycleId: 'q2',
      group: 'provincial',
      province: 'TH-50',
      status: ['not_submitted'],
    });
    const bad = await gw.api('GET', '/cycles/q2/progress?ministry=M01', { token: admin });
    expect({ status: bad.status, code: bad.body.code }).toEqual({
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
    });
    expect(bad.body.accepted).toEqual(expect.arrayContaining(['ministryId', 'province', 'group', 'status']));
  });

  it('documents the code and the filters in OpenAPI', async () => {
    type Op = { parameters: { in: string; name: string }[]; responses: Record<string, Json> };
    const doc = (await gw.request<{ paths: Record<string, { get: Op }> }>('GET', '/docs-json')).body;
    const queryOf = (op: Op) =>
      op.parameters
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort();
    const list = doc.paths['/api/v1/cycles/{id}/responses'].get;
    expect(list.responses['400'].content['application/problem+json'].examples).toHaveProperty(
      'UNKNOWN_QUERY_PARAMETER',
    );
    expect(queryOf(list)).toEqual(
      ['group', 'ministryId', 'page', 'pageSize', 'province', 'q', 'status'].sort(),
    );
    const progress = doc.paths['/api/v1/cycles/{id}/progress'].get;
    expect(queryOf(progress)).toEqual(['group', 'ministryId', 'province', 'status']);
  });
});
