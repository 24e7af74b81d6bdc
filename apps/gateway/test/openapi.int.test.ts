import { ErrorCatalog, ErrorCode, Rpc, rpcErrorCodes } from '@dg/contracts';
import { TestGateway } from './support/gateway';

/** The API.md routes this gateway implements (and the few it adds, marked). */
const IMPLEMENTED: [method: string, path: string][] = [
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/refresh'],
  ['post', '/api/v1/auth/logout'],
  ['post', '/api/v1/auth/password'],
  ['get', '/api/v1/auth/me'],
  ['get', '/api/v1/users'],
  ['post', '/api/v1/users'],
  ['get', '/api/v1/users/{id}'], // not in API.md: one user with its version, for the PATCH that follows
  ['patch', '/api/v1/users/{id}'],
  ['get', '/api/v1/ministries'],
  ['get', '/api/v1/provinces'],
  ['get', '/api/v1/agencies'],
  ['get', '/api/v1/agencies/{id}'],
  ['post', '/api/v1/agencies'],
  ['patch', '/api/v1/agencies/{id}'],
  ['post', '/api/v1/agencies/import'],
  ['get', '/api/v1/agencies/export'],
  ['get', '/api/v1/agencies/{id}/contacts'],
  ['post', '/api/v1/agencies/{id}/contacts'],
  ['delete', '/api/v1/contacts/{id}'],
  ['put', '/api/v1/cycles/{id}/cohort'],
  ['get', '/api/v1/cycles/{id}/cohort'],
  ['get', '/api/v1/cycles'],
  ['post', '/api/v1/cycles'],
  ['get', '/api/v1/cycles/{id}'],
  ['patch', '/api/v1/cycles/{id}'],
  ['post', '/api/v1/cycles/{id}/open'],
  ['post', '/api/v1/cycles/{id}/close'],
  ['get', '/api/v1/cycles/{id}/progress'],
  ['get', '/api/v1/cycles/{id}/publication-readiness'],
  ['post', '/api/v1/questionnaires'],
  ['get', '/api/v1/questionnaires/{id}'],
  ['put', '/api/v1/cycles/{id}/questionnaire'],
  ['get', '/api/v1/cycles/{id}/responses'],
  ['get', '/api/v1/cycles/{id}/responses/{agencyId}'],
  ['patch', '/api/v1/cycles/{id}/responses/{agencyId}/answers'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/submit'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/approve'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/return'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/verify'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/set-aside'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/extension'], // not in API.md: deadline extension for one agency
  ['get', '/api/v1/cycles/{id}/responses/{agencyId}/audit'], // not in API.md: the response's audit trail
  ['get', '/api/v1/cycles/{id}/responses/{agencyId}/completeness'],
  ['post', '/api/v1/cycles/{id}/responses/{agencyId}/evidence'],
  ['get', '/api/v1/evidence/{id}'],
  ['get', '/api/v1/cycles/{id}/responses/{agencyId}/evidence'],
  ['delete', '/api/v1/evidence/{id}'],
  ['get', '/api/v1/cycles/{id}/responses/export'],
  ['get', '/api/v1/cycles/{id}/non-submitters/export'],
  ['get', '/api/v1/cycles/{id}/scorecards/{agencyId}'],
  ['get', '/api/v1/cycles/{id}/results'],
  ['post', '/api/v1/cycles/{id}/rescore'],
  ['get', '/api/v1/cycles/{id}/rescore'], // not in API.md: progress of the latest rescore
  ['post', '/api/v1/cycles/{id}/results/publish'],
  ['get', '/api/v1/cycles/{id}/scoring-rules'], // not in API.md: the scoring rules of a cycle
  ['put', '/api/v1/cycles/{id}/scoring-rules'], // not in API.md
  ['get', '/api/v1/cycles/{id}/scoring-failures'], // not in API.md: responses that could not be scored
  ['post', '/api/v1/cycles/{id}/results/import'], // not in API.md: previous results, for year-over-year change
  ['get', '/api/v1/public/cycles/{id}/results'],
  ['get', '/api/v1/public/cycles'],
  ['get', '/api/v1/public/cycles/{id}/scorecards/{agencyCode}'],
  ['get', '/api/v1/public/cycles/{id}/methodology'],
  ['post', '/api/v1/cycles/{id}/announcements'],
  ['post', '/api/v1/cycles/{id}/reminders'],
  ['get', '/api/v1/notifications'],
  ['get', '/api/v1/templates/{key}'],
  ['put', '/api/v1/templates/{key}'],
  ['post', '/api/v1/templates/{key}/preview'], // not in API.md: render a template with sample variables
  ['put', '/api/v1/contacts/{id}/channels/{channel}'], // not in API.md: a contact's opt-out of a channel (PDPA)
  ['get', '/api/v1/cycles/{id}/award-categories'],
  ['post', '/api/v1/cycles/{id}/award-categories'],
  ['patch', '/api/v1/award-categories/{id}'],
  ['post', '/api/v1/cycles/{id}/awards/candidates'],
  ['get', '/api/v1/cycles/{id}/awards'],
  ['post', '/api/v1/award-categories/{id}/decisions'],
  ['post', '/api/v1/award-categories/{id}/nominations'],
  ['post', '/api/v1/cycles/{id}/awards/announce'],
  ['get', '/api/v1/cycles/{id}/awards/{categoryId}/certificates/{agencyId}'],
  ['get', '/api/v1/public/cycles/{id}/awards'],
  ['get', '/api/v1/award-categories/{id}/candidates'],
  ['get', '/api/v1/certificates/{number}'],
  ['get', '/health/live'],
  ['get', '/health/ready'],
  ['get', '/api/v1/health/services'], // operators' view: which service is not ready
];

type Operation = {
  summary?: string;
  security?: unknown[];
  responses: Record<
    string,
    {
      description: string;
      content?: Record<string, { schema?: { $ref?: string }; examples?: Record<string, { value: unknown }> }>;
    }
  >;
  requestBody?: { content: Record<string, unknown> };
};

describe('OpenAPI document at /docs-json and the UI at /docs', () => {
  let gw: TestGateway;
  let doc: {
    openapi: string;
    servers: { url: string }[];
    info: { title: string };
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  };

  beforeAll(async () => {
    gw = await TestGateway.start();
    const res = await gw.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });

  afterAll(async () => {
    await gw?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );

  it('is titled, OpenAPI 3.1, served from this host, and declares bearer auth', () => {
    expect(doc.info.title).toBe('DG Readiness Platform API');
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists every implemented route of API.md, and no undeclared one', () => {
    for (const [method, path] of IMPLEMENTED) expect(doc.paths[path]?.[method]).toBeDefined();
    const documented = operations().map(({ method, path }) => `${method} ${path}`);
    expect(documented.sort()).toEqual(IMPLEMENTED.map(([m, p]) => `${m} ${p}`).sort());
  });

  it('documents every route Fastify serves but the documentation itself, so no route escapes the access matrix', () => {
    // e2e/test/access-matrix.e2e.test.ts takes the routes from this document: one left out of it
    // (e.g. by @ApiExcludeEndpoint) would have no row there and no check of who may call it.
    const documented = new Set(operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`));
    const served = gw.routes.filter((r) => !/^GET \/docs/.test(r)).map((r) => r.replace(/:(\w+)/g, '{$1}'));
    expect(served.length).toBeGreaterThan(60);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('gives every route a summary in English and Thai', () => {
    for (const { method, path, op } of operations()) {
      expect({ route: `${method} ${path}`, summary: op.summary }).toEqual({
        route: `${method} ${path}`,
        summary: expect.stringMatching(/[A-Za-z].*[\u0E00-\u0E7F]/),
      });
    }
  });

  it('marks protected routes with bearer auth and documents their errors as problem+json', () => {
    const open = new Set([
      'post /api/v1/auth/login',
      'post /api/v1/auth/refresh',
      'get /api/v1/public/cycles/{id}/results',
      'get /api/v1/public/cycles',
      'get /api/v1/public/cycles/{id}/scorecards/{agencyCode}',
      'get /api/v1/public/cycles/{id}/methodology',
      'get /api/v1/public/cycles/{id}/awards',
      'get /api/v1/certificates/{number}',
      'get /health/live',
      'get /health/ready',
    ]);
    for (const { method, path, op } of operations()) {
      const route = `${method} ${path}`;
      if (open.has(route)) {
        expect({ route, security: op.security }).toEqual({ route, security: [] });
        continue;
      }
      expect({ route, security: op.security }).toEqual({ route, security: [{ bearer: [] }] });
      for (const status of ['401', '403']) {
        expect({
          route,
          status,
          ref: op.responses[status]?.content?.['application/problem+json']?.schema?.$ref,
        }).toEqual({
          route,
          status,
          ref: '#/components/schemas/ProblemDto',
        });
      }
    }
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.responses['401'].content?.['application/problem+json']).toBeDefined();
  });

  it('lists each error code of the API under its status, once, with an example body, as problem+json', () => {
    // The platform's probes answer their own JSON (a 503 with the failed checks), not a problem.
    for (const { method, path, op } of operations().filter((o) => o.path.startsWith('/api/'))) {
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => Number(s) >= 400)) {
        const route = `${method} ${path} ${status}`;
        const media = response.content?.['application/problem+json'];
        expect({ route, ref: media?.schema?.$ref }).toEqual({
          route,
          ref: '#/components/schemas/ProblemDto',
        });
        const listed = [...response.description.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
        expect({ route, examples: Object.keys(media?.examples ?? {}) }).toEqual({ route, examples: listed });
        for (const code of listed) {
          const entry = ErrorCatalog[code as ErrorCode];
          expect({ route, code, status: entry.status }).toEqual({ route, code, status: Number(status) });
          expect(media?.examples?.[code].value).toEqual(
            expect.objectContaining({ code, status: entry.status, title: entry.title, detail: entry.detail }),
          );
        }
      }
    }
  });

  it('derives the error codes from the RPCs a route calls, plus its own checks', () => {
    const codesOf = (op: Operation) =>
      Object.entries(op.responses)
        .filter(([s]) => Number(s) >= 400)
        .flatMap(([, r]) => Object.keys(r.content?.['application/problem+json']?.examples ?? {}))
        .sort();
    const fromRpc = (subject: Parameters<typeof rpcErrorCodes>[0]) =>
      rpcErrorCodes(subject).filter((c) => c !== 'UNAUTHENTICATED' && c !== 'ACTOR_UNVERIFIED');
    // The RPC's codes, the login check's UNAUTHENTICATED and FORBIDDEN, the cycle id's CYCLE_NOT_FOUND,
    // and on every API route UNKNOWN_QUERY_PARAMETER (QueryParamsInterceptor).
    expect(codesOf(doc.paths['/api/v1/cycles/{id}/open'].post)).toEqual(
      [
        ...new Set([
          ...fromRpc(Rpc.CycleOpen),
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'CYCLE_NOT_FOUND',
          'UNKNOWN_QUERY_PARAMETER',
        ]),
      ].sort(),
    );
    expect(codesOf(doc.paths['/api/v1/cycles/{id}/open'].post)).toEqual(
      expect.arrayContaining(['CYCLE_ALREADY_OPEN', 'CYCLE_QUESTIONNAIRE_MISSING', 'CYCLE_COHORT_MISSING']),
    );
    // No login: no 401 and no FORBIDDEN, the RPC does not check roles.
    expect(codesOf(doc.paths['/api/v1/public/cycles/{id}/results'].get)).toEqual(
      [...new Set([...fromRpc(Rpc.ResultsPublic), 'CYCLE_NOT_FOUND', 'UNKNOWN_QUERY_PARAMETER'])].sort(),
    );
    // An upload adds the gateway's own refusals of the file.
    expect(codesOf(doc.paths['/api/v1/agencies/import'].post)).toEqual(
      [
        ...new Set([
          ...fromRpc(Rpc.AgencyImport),
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
          'UNKNOWN_QUERY_PARAMETER',
        ]),
      ].sort(),
    );
    // The users are the gateway's own: their codes are listed by hand (`@ApiProblems`).
    expect(codesOf(doc.paths['/api/v1/users/{id}'].patch)).toEqual(
      [
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'VALIDATION_FAILED',
        'UNKNOWN_QUERY_PARAMETER',
        'USER_NOT_FOUND',
        'USER_VERSION_CONFLICT',
        'SERVICE_UNAVAILABLE',
      ].sort(),
    );
  });

  it('documents request and response schemas', () => {
    expect(doc.paths['/api/v1/agencies'].post.requestBody?.content['application/json']).toEqual({
      schema: { $ref: '#/components/schemas/AgencyCreateDto' },
    });
    expect(
      doc.paths['/api/v1/agencies/{id}'].get.responses['200'].content?.['application/json'].schema?.$ref,
    ).toBe('#/components/schemas/AgencyDto');
    expect(
      doc.paths['/api/v1/agencies/import'].post.requestBody?.content['multipart/form-data'],
    ).toBeDefined();
    expect(doc.components.schemas.UserDto).toMatchObject({
      properties: expect.not.objectContaining({ passwordHash: expect.anything() }),
    });
  });

  it('serves the Swagger UI without login', async () => {
    const ui = await gw.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
    expect(ui.text).toContain('swagger-ui');
  });
});
