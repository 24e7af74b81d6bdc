import { TestGateway } from './support/gateway';

describe('HTTP edge: problem+json, limits, correlation ids, ops routes', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('answers /health/live and /health/ready at the root, without login (metrics: edge.int.test.ts)', async () => {
    const live = await gw.request('GET', '/health/live');
    expect(live.status).toBe(200);
    const ready = await gw.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, nats: { status: 'up' } },
    });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    for (const path of ['/api/v1/nowhere', '/nowhere', '/api/v2/agencies']) {
      const res = await gw.request('GET', path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
  });

  it('refuses a JSON body over 1 MiB with 413 problem+json, before any route logic', async () => {
    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024 + 10) });
    const res = await gw.api('POST', '/auth/login', {
      raw: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('takes import files far larger than the JSON limit (multipart has its own, IMPORT_MAX_BYTES)', async () => {
    const row = 'DEP-001,กรมทดสอบ,department\n';
    const csv = Buffer.from(
      'code,nameTh,kind\n' + row.repeat(Math.ceil((3 * 1024 * 1024) / row.length)),
      'utf8',
    );
    const form = new FormData();
    form.append('file', new Blob([csv]), 'big.csv');
    const res = await gw.api('POST', '/agencies/import?dryRun=true', {
      token: await gw.adminToken(),
      raw: form,
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(gw.registry.lastImport!.bytes!).equals(csv)).toBe(true);
  });

  it('answers malformed JSON and a wrong content type with 4xx problem+json, never 5xx', async () => {
    const bad = await gw.api('POST', '/auth/login', {
      raw: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const text = await gw.api('POST', '/auth/login', {
      raw: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const xml = await gw.api('POST', '/auth/login', {
      raw: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const none = await gw.api('POST', '/auth/login');
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('echoes x-correlation-id, and makes one when absent or malformed', async () => {
    const given = await gw.request('GET', '/health/live', { headers: { 'x-correlation-id': 'abc-123' } });
    expect(given.headers.get('x-correlation-id')).toBe('abc-123');
    const made = await gw.request('GET', '/health/live');
    expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await gw.request('GET', '/health/live', {
      headers: { 'x-correlation-id': 'no spaces allowed' },
    });
    expect(bad.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await gw.api('GET', '/users', { headers: { 'x-correlation-id': 'corr-401' } });
    expect(problem.body).toMatchObject({ code: 'UNAUTHENTICATED', correlationId: 'corr-401' });
  });
});
