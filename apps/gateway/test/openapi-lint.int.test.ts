import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildOpenApiDocument } from '../src/openapi';
import { TestGateway } from './support/gateway';

/**
 * Redocly's `recommended` warnings accepted for this API, by rule and place (apps/gateway/README.md
 * says why); any other warning fails the test, so a new one is looked at before it is accepted.
 */
const ACCEPTED_WARNINGS = new Set<string>([
  // The platform's probes (outside /api/v1) have no client error to answer; the gateway's /metrics
  // is on its own port, outside the document.
  'operation-4xx-response #/paths/~1health~1live/get/responses',
  'operation-4xx-response #/paths/~1health~1ready/get/responses',
]);

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/** `@redocly/cli` has no stable Node API (its library, @redocly/openapi-core, is not installed): run its binary. */
async function redoclyLint(file: string): Promise<{ errors: LintProblem[]; warnings: LintProblem[] }> {
  const bin = resolve(require.resolve('@redocly/cli/package.json', { paths: [__dirname] }), '../bin/cli.js');
  const args = [
    bin,
    'lint',
    file,
    '--extends',
    'recommended',
    '--format',
    'json',
    '--max-problems',
    '100000',
  ];
  const env = {
    ...process.env,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    NODE_OPTIONS: '',
  };
  // Exit code 1 means "errors found": the JSON report is on stdout either way.
  const stdout = await promisify(execFile)(process.execPath, args, { env, maxBuffer: 64 * 1024 * 1024 })
    .then((r) => r.stdout)
    .catch((e: { stdout?: string }) => {
      if (!e.stdout) throw e;
      return e.stdout;
    });
  const report = JSON.parse(stdout) as { problems: LintProblem[] };
  return {
    errors: report.problems.filter((p) => p.severity === 'error'),
    warnings: report.problems.filter((p) => p.severity === 'warn'),
  };
}

const place = (p: LintProblem) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}`;
const where = (p: LintProblem) => `${place(p)}: ${p.message}`;

describe('OpenAPI document, linted by Redocly (recommended rules)', () => {
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    gw = await TestGateway.start();
    dir = await mkdtemp(join(tmpdir(), 'dg-openapi-'));
  });

  afterAll(async () => {
    await gw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is valid OpenAPI 3.1 with no error, and only the accepted warnings', async () => {
    // Built the way the app builds the one it serves at /docs-json.
    const document = buildOpenApiDocument(gw.app);
    expect((await gw.request('GET', '/docs-json')).body).toEqual(JSON.parse(JSON.stringify(document)));
    expect(document.openapi).toBe('3.1.0');
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document, null, 2));

    const { errors, warnings } = await redoclyLint(file);
    expect(errors.map(where)).toEqual([]);
    expect(warnings.filter((w) => !ACCEPTED_WARNINGS.has(place(w))).map(where)).toEqual([]);
  });
});
