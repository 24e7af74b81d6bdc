import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { PORTAL_CSP } from '../src/http/portal';
import { TestGateway } from './support/gateway';

/** What a browser sends when it navigates to a page. */
const NAVIGATE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const INDEX =
  '<!doctype html><html lang="th"><head><script type="module" src="/assets/index-3f9a1c.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("portal")';

describe('The web portal at / (WEB_DIR)', () => {
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    // A stand-in for apps/web/dist: index.html, a hashed asset, an unhashed file at the root.
    dir = mkdtempSync(join(tmpdir(), 'dg-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-3f9a1c.js'), SCRIPT);
    // The build writes compressed copies beside each script (apps/web/vite.config.ts).
    writeFileSync(join(dir, 'assets', 'index-3f9a1c.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(dir, 'assets', 'index-3f9a1c.js.gz'), gzipSync(SCRIPT));
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    gw = await TestGateway.start({ env: { WEB_DIR: dir } });
  });

  afterAll(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows where the portal comes from', () => {
    expect(gw.config.portal).toEqual({ dir, reason: `WEB_DIR=${dir}` });
  });

  it('answers index.html at / with the portal CSP, no-cache and no framing', async () => {
    for (const headers of [NAVIGATE, {}]) {
      const res = await gw.request('GET', '/', { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toBe(INDEX);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(PORTAL_CSP);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-correlation-id')).toBeTruthy();
    }
    const csp = PORTAL_CSP.split('; ');
    expect(csp).toEqual(
      expect.arrayContaining([
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(PORTAL_CSP).not.toMatch(/unsafe-eval|https:|\*/);
  });

  it('answers index.html for a deep link a browser reloads, with or without a query', async () => {
    for (const path of [
      '/cycles/2566/response',
      '/results/2565/agencies/D001',
      '/results/2565/methodology?lang=en',
      '/certificates/DGA-2565-top-department-001',
    ]) {
      const res = await gw.request('GET', path, { headers: NAVIGATE });
      expect({
        path,
        status: res.status,
        body: res.text,
        csp: res.headers.get('content-security-policy'),
      }).toEqual({
        path,
        status: 200,
        body: INDEX,
        csp: PORTAL_CSP,
      });
    }
    const head = await gw.request('HEAD', '/cycles/2566/response', { headers: NAVIGATE });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('serves hashed assets as immutable, other files of the build revalidated', async () => {
    const js = await gw.request('GET', '/assets/index-3f9a1c.js');
    expect(js.status).toBe(200);
    expect(js.text).toBe(SCRIPT);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('etag')).toBeTruthy();

    const icon = await gw.request('GET', '/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('sends the build’s compressed copy of a script to a browser that accepts it, the plain file to one that does not', async () => {
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const res = await gw.request('GET', '/assets/index-3f9a1c.js', { headers: { 'accept-encoding': accept } });
      expect({ accept, status: res.status, encoding: res.headers.get('content-encoding'), body: res.text }).toEqual({
        accept,
        status: 200,
        encoding,
        body: SCRIPT, // fetch decompresses: the same script either way
      });
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers 404 problem+json for a missing asset, a path that is not a page, and anything outside the build', async () => {
    for (const [path, headers] of [
      ['/assets/index-old.js', NAVIGATE],
      ['/assets/index-old.js', {}],
      ['/cycles/2566/response', { accept: 'application/json' }],
      ['/cycles/2566/response', {}],
      ['/.env', {}],
      ['/%2e%2e/%2e%2e/etc/passwd', {}],
      ['/assets/..%2f..%2fpackage.json', {}],
    ] as const) {
      const res = await gw.request('GET', path, { headers });
      expect({ path, headers, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        headers,
        status: expect.any(Number),
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect([400, 403, 404]).toContain(res.status);
      expect(res.text).not.toContain('SECRET');
      expect(res.text).not.toContain('<!doctype');
    }
    // A dot-file is never a file of the build: a browser gets the app's page, never the file.
    const dot = await gw.request('GET', '/.env', { headers: NAVIGATE });
    expect(dot.text).toBe(INDEX);
  });

  it('keeps the API, docs, probes and metrics out of the fallback: an unknown API path stays a problem+json 404', async () => {
    for (const path of [
      '/api/v1/no-such-route',
      '/api/v1/cycles/2565/nothing/here',
      '/api',
      '/health/nothing',
      '/metrics',
      '/docs/nothing',
    ]) {
      const res = await gw.request('GET', path, { headers: NAVIGATE });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    // The API itself is untouched.
    expect((await gw.request('GET', '/health/live')).status).toBe(200);
    expect((await gw.api('GET', '/auth/me')).status).toBe(401);
    const docs = await gw.request('GET', '/docs-json', { headers: NAVIGATE });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/json/);
  });

  it('does not answer other methods with the page', async () => {
    const res = await gw.request('POST', '/cycles/2566/response', { headers: NAVIGATE, body: {} });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
