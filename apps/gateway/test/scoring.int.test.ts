import type { INestApplicationContext } from '@nestjs/common';
import { DomainError, Rpc } from '@dg/contracts';
import type { Agency, RpcSubject } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { StandInScoring, startStandInScoring } from './support/stand-in-scoring';
import { TestGateway } from './support/gateway';

const MAX_UPLOAD = 64 * 1024;
const PROBLEM = /^application\/problem\+json/;

/**
 * The scoring routes, over real NATS to a stand-in scoring service (the real one is tested in its
 * own app, the two together in e2e/): each route reaches its `scoring.*` subject with the right
 * payload, actor and correlation id; roles are checked before the service hears of it; the
 * service's DomainErrors come back as problem+json with their stable code.
 */
describe('scoring routes: HTTP to scoring RPCs', () => {
  let gw: TestGateway;
  let scoringApp: INestApplicationContext | undefined;
  let scoring: StandInScoring;
  let agency: Agency;
  let other: Agency;
  let admin: string;
  let operator: string;
  let committee: string;
  let coordinator: string;
  let approver: string;
  let adminId: string;
  let coordinatorId: string;

  beforeAll(async () => {
    gw = await TestGateway.start({ env: { IMPORT_MAX_BYTES: String(MAX_UPLOAD) } });
    ({ app: scoringApp, scoring } = await startStandInScoring(gw.config.nats.url, gw.config.nats.prefix));
    admin = await gw.adminToken();
    adminId = (await gw.api('GET', '/auth/me', { token: admin })).body.id;
    agency = gw.registry.addAgency({ code: 'DEP-SCORE' });
    other = gw.registry.addAgency({ code: 'DEP-OTHER' });
    const [coordinatorUser, ...others] = await Promise.all([
      gw.userWithRoles(['coordinator'], agency.id),
      gw.userWithRoles(['approver'], agency.id),
      gw.userWithRoles(['operator']),
      gw.userWithRoles(['committee']),
    ]);
    ({
      token: coordinator,
      user: { id: coordinatorId },
    } = coordinatorUser);
    [approver, operator, committee] = others.map((u) => u.token);
  });

  afterAll(async () => {
    await scoringApp?.close();
    await gw?.close();
  });

  const last = (subject: RpcSubject) => scoring.lastCall(subject)!;
  const calls = () => scoring.calls.length;

  /** A fresh cycle id, so each test has its own published state, rules and rescores. */
  let seq = 0;
  const freshCycle = (prefix = 'c') => {
    const id = `${prefix}${++seq}`;
    scoring.addCycle(id);
    return id;
  };

  const rulesDoc = (over: Record<string, unknown> = {}) => ({
    id: 'dg-2565-rules',
    method: 'raw',
    weights: { P1: 20, P2: 20, P3: 15, P4: 15, P5: 15, P6: 15 },
    levels: [
      { level: 1, min: 0 },
      { level: 5, min: 80 },
    ],
    hiddenQuestions: 'zero',
    ...over,
  });

  /** True once the object is gone from the transfer bucket (opened, not read). */
  const gone = async (objectName: string) => {
    const stream = await gw.app.get(FileTransfer).stream(objectName);
    await stream?.cancel();
    return stream === null;
  };

  const upload = (bytes: Uint8Array, name = 'results-2564.csv', field = 'file') => {
    const form = new FormData();
    form.append(field, new Blob([bytes]), name);
    return form;
  };

  describe('scorecards', () => {
    it('shows an agency’s scorecard to staff, every point explained, with actor and correlation id reaching scoring', async () => {
      const cycleId = freshCycle();
      scoring.addScore(cycleId, { agencyId: agency.id, agencyCode: agency.code, overall: 61.25 });

      for (const [token, role] of [
        [admin, 'dga_admin'],
        [operator, 'operator'],
        [committee, 'committee'],
      ] as const) {
        const res = await gw.api('GET', `/cycles/${cycleId}/scorecards/${agency.id}`, {
          token,
          headers: { 'x-correlation-id': `card-${role}` },
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          cycleId,
          agencyId: agency.id,
          agencyCode: 'DEP-SCORE',
          card: {
            overall: 61.25,
            level: { level: 4 },
            pillars: [
              {
                id: 'P1',
                indicators: [
                  {
                    questions: [
                      {
                        questionId: 'P1.Q1',
                        points: 61.25,
                        maxPoints: 100,
                        outcome: 'earned',
                        reason: { th: expect.any(String), en: 'An approved digital plan' },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        });
        const call = last(Rpc.ScorecardGet);
        expect(call.request).toEqual({ cycleId, agencyId: agency.id });
        expect(call.ctx.correlationId).toBe(`card-${role}`);
        expect(call.ctx.actor.roles).toEqual([role]);
      }
      expect(last(Rpc.ScorecardGet).ctx.actor).toMatchObject({
        id: expect.any(String),
        roles: ['committee'],
      });
    });

    it('forwards coordinators and approvers with their agency: scoring shows their own card once published, else 404', async () => {
      const cycleId = freshCycle();
      scoring.addScore(cycleId, { agencyId: agency.id, agencyCode: agency.code, overall: 70 });
      scoring.addScore(cycleId, { agencyId: other.id, agencyCode: other.code, overall: 80 });
      const own = `/cycles/${cycleId}/scorecards/${agency.id}`;

      const early = await gw.api('GET', own, { token: coordinator });
      expect(early.status).toBe(404);
      expect(early.headers.get('content-type')).toMatch(PROBLEM);
      expect(early.body).toMatchObject({ status: 404, code: 'SCORECARD_NOT_FOUND' });
      // The gateway let the request through and told scoring who asks: the decision is scoring's.
      expect(last(Rpc.ScorecardGet).ctx.actor).toEqual({
        id: coordinatorId,
        email: expect.stringContaining('@example.go.th'),
        roles: ['coordinator'],
        agencyId: agency.id,
      });

      scoring.published.set(cycleId, { at: new Date().toISOString(), by: adminId });
      for (const token of [coordinator, approver]) {
        const mine = await gw.api('GET', own, { token });
        expect(mine.status).toBe(200);
        expect(mine.body).toMatchObject({ agencyId: agency.id, published: true, card: { overall: 70 } });
        const theirs = await gw.api('GET', `/cycles/${cycleId}/scorecards/${other.id}`, { token });
        expect(theirs.status).toBe(404);
        expect(theirs.body.code).toBe('SCORECARD_NOT_FOUND');
      }
      expect(last(Rpc.ScorecardGet).ctx.actor).toMatchObject({ roles: ['approver'], agencyId: agency.id });
    });

    it('answers malformed agency and cycle ids with 404 without asking scoring; an unknown cycle is scoring’s 404', async () => {
      const cycleId = freshCycle();
      const before = calls();
      const badAgency = await gw.api('GET', `/cycles/${cycleId}/scorecards/not-a-uuid`, { token: admin });
      expect(badAgency.status).toBe(404);
      expect(badAgency.body.code).toBe('SCORECARD_NOT_FOUND');
      for (const bad of ['-2565', 'a.b', 'x'.repeat(65)]) {
        const res = await gw.api('GET', `/cycles/${bad}/scorecards/${agency.id}`, { token: admin });
        expect({ bad, status: res.status, code: res.body.code }).toEqual({
          bad,
          status: 404,
          code: 'CYCLE_NOT_FOUND',
        });
      }
      expect(calls()).toBe(before);

      const unknown = await gw.api('GET', `/cycles/9999/scorecards/${agency.id}`, { token: admin });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('SCORECARD_NOT_FOUND');
      expect(last(Rpc.ScorecardGet).request).toEqual({ cycleId: '9999', agencyId: agency.id });
    });
  });

  describe('results', () => {
    it('gives staff the rankings and statistics, forwarding every filter and the page', async () => {
      const cycleId = freshCycle();
      scoring.addScore(cycleId, {
        agencyCode: 'DEP-A',
        overall: 90,
        ministryId: 'M01',
        provinceCode: 'TH-10',
      });
      scoring.addScore(cycleId, {
        agencyCode: 'DEP-B',
        overall: 75,
        ministryId: 'M01',
        provinceCode: 'TH-10',
      });
      scoring.addScore(cycleId, {
        agencyCode: 'DEP-C',
        overall: 60,
        ministryId: 'M02',
        provinceCode: 'TH-50',
      });
      scoring.addScore(cycleId, { agencyCode: 'PRV-A', overall: 99, group: 'provincial' });

      const res = await gw.api(
        'GET',
        `/cycles/${cycleId}/results?group=department&ministryId=M01&province=TH-10&page=1&pageSize=1`,
        { token: committee },
      );
      expect(res.status).toBe(200);
      expect(last(Rpc.ResultsGet).request).toEqual({
        cycleId,
        group: 'department',
        ministryId: 'M01',
        province: 'TH-10',
        page: 1,
        pageSize: 1,
      });
      expect(last(Rpc.ResultsGet).ctx.actor.roles).toEqual(['committee']);
      expect(res.body).toMatchObject({
        cycleId,
        status: 'provisional',
        publishedAt: null,
        scored: 4,
        statistics: { all: { key: 'all', overall: { n: 4, max: 99 } } },
        rankings: {
          total: 2,
          page: 1,
          pageSize: 1,
          items: [{ rank: 1, agencyCode: 'DEP-A', overall: 90, group: 'department', ministryId: 'M01' }],
        },
      });

      const all = await gw.api('GET', `/cycles/${cycleId}/results`, { token: operator });
      expect(all.status).toBe(200);
      expect(last(Rpc.ResultsGet).request).toEqual({ cycleId, page: 1, pageSize: 50 });
      expect((all.body.rankings.items as { agencyCode: string }[]).map((r) => r.agencyCode)).toEqual([
        'PRV-A',
        'DEP-A',
        'DEP-B',
        'DEP-C',
      ]);
      expect((await gw.api('GET', `/cycles/${cycleId}/results`, { token: admin })).status).toBe(200);
    });

    it('refuses a bad query with 400 VALIDATION_FAILED naming the field, before scoring hears of it', async () => {
      const cycleId = freshCycle();
      const before = calls();
      for (const [query, path] of [
        ['pageSize=9999', 'pageSize'],
        ['pageSize=0', 'pageSize'],
        ['page=0', 'page'],
        ['page=abc', 'page'],
        ['group=ministry', 'group'],
        [`ministryId=${'M'.repeat(21)}`, 'ministryId'],
        [`province=${'T'.repeat(11)}`, 'province'],
      ]) {
        for (const path_ of [`/cycles/${cycleId}/results`, `/public/cycles/${cycleId}/results`]) {
          const res = await gw.api('GET', `${path_}?${query}`, { token: admin });
          expect({ query, path_, status: res.status, code: res.body.code }).toEqual({
            query,
            path_,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
          expect(res.headers.get('content-type')).toMatch(PROBLEM);
          expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
        }
      }
      expect(calls()).toBe(before);
    });
  });

  describe('rescoring', () => {
    it('starts a rescore with 202 and its status, shows its progress, and refuses a second one with 409 RESCORE_RUNNING', async () => {
      const cycleId = freshCycle();
      scoring.addScore(cycleId, { agencyCode: 'DEP-A', overall: 50 });
      scoring.addScore(cycleId, { agencyCode: 'DEP-B', overall: 40 });
      expect(
        (await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, { token: admin, body: rulesDoc() })).status,
      ).toBe(200);

      const started = await gw.api('POST', `/cycles/${cycleId}/rescore`, {
        token: operator,
        headers: { 'x-correlation-id': 'rescore-1' },
      });
      expect(started.status).toBe(202);
      expect(started.headers.get('location')).toBe(`/api/v1/cycles/${cycleId}/rescore`);
      expect(started.body).toMatchObject({ cycleId, state: 'queued', total: 2, done: 0, rulesVersion: 1 });
      expect(last(Rpc.RescoreStart).request).toEqual({ cycleId });
      expect(last(Rpc.RescoreStart).ctx).toMatchObject({
        correlationId: 'rescore-1',
        actor: { roles: ['operator'] },
      });

      const progress = await gw.api('GET', `/cycles/${cycleId}/rescore`, { token: admin });
      expect(progress.status).toBe(200);
      expect(progress.body).toEqual(started.body);
      expect(last(Rpc.RescoreGet).request).toEqual({ cycleId });

      const again = await gw.api('POST', `/cycles/${cycleId}/rescore`, { token: admin });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toMatch(PROBLEM);
      expect(again.body).toMatchObject({ status: 409, code: 'RESCORE_RUNNING' });

      scoring.finishRescore(cycleId);
      const done = await gw.api('GET', `/cycles/${cycleId}/rescore`, { token: operator });
      expect(done.body).toMatchObject({ state: 'completed', done: 2, finishedAt: expect.any(String) });
    });

    it('passes SCORING_RULES_MISSING (409) through when the cycle has no rules', async () => {
      const cycleId = freshCycle();
      const res = await gw.api('POST', `/cycles/${cycleId}/rescore`, { token: admin });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SCORING_RULES_MISSING');
    });
  });

  describe('publication', () => {
    it('publishes as dga_admin (200 with the summary); then results are frozen: 409 RESULTS_PUBLISHED', async () => {
      const cycleId = freshCycle();
      scoring.addScore(cycleId, { agencyCode: 'DEP-A', overall: 50 });
      scoring.addScore(cycleId, { agencyCode: 'PRV-A', overall: 45, group: 'provincial' });
      await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, { token: admin, body: rulesDoc() });

      const res = await gw.api('POST', `/cycles/${cycleId}/results/publish`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        cycleId,
        publishedAt: expect.any(String),
        publishedBy: adminId,
        rulesVersion: 1,
        scored: 2,
        byGroup: { department: 1, provincial: 1 },
      });
      expect(last(Rpc.ResultsPublish).request).toEqual({ cycleId });
      expect(last(Rpc.ResultsPublish).ctx.actor).toMatchObject({ id: adminId, roles: ['dga_admin'] });

      for (const [method, path, body] of [
        ['POST', `/cycles/${cycleId}/results/publish`, undefined],
        ['POST', `/cycles/${cycleId}/rescore`, undefined],
        ['PUT', `/cycles/${cycleId}/scoring-rules`, rulesDoc()],
      ] as const) {
        const frozen = await gw.api(method, path, { token: admin, body });
        expect({ path, status: frozen.status, code: frozen.body.code }).toEqual({
          path,
          status: 409,
          code: 'RESULTS_PUBLISHED',
        });
        expect(frozen.body.detail).toMatch(/ประกาศผลแล้ว/);
      }

      const results = await gw.api('GET', `/cycles/${cycleId}/results`, { token: committee });
      expect(results.body).toMatchObject({ status: 'published', publishedAt: res.body.publishedAt });
    });
  });

  describe('scoring rules', () => {
    it('stores the rules document as sent (200 with the rule set) and shows it to staff', async () => {
      const cycleId = freshCycle();
      const doc = rulesDoc({ note: 'ปรับน้ำหนักด้านที่ 1', nested: { deep: [1, 2, { x: null }] } });
      const put = await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, {
        token: admin,
        body: doc,
        headers: { 'x-correlation-id': 'rules-put' },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        cycleId,
        version: 1,
        rulesId: 'dg-2565-rules',
        method: 'raw',
        createdBy: adminId,
      });
      expect(put.body.rules).toEqual(doc);
      expect(last(Rpc.ScoringRulesPut).request).toEqual({ cycleId, rules: doc });
      expect(last(Rpc.ScoringRulesPut).ctx.correlationId).toBe('rules-put');

      const second = await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, {
        token: admin,
        body: rulesDoc({ method: 'standardised' }),
      });
      expect(second.body).toMatchObject({ version: 2, method: 'standardised' });

      for (const token of [admin, operator, committee]) {
        const get = await gw.api('GET', `/cycles/${cycleId}/scoring-rules`, { token });
        expect(get.status).toBe(200);
        expect(get.body).toEqual(second.body);
      }
      expect(last(Rpc.ScoringRulesGet).request).toEqual({ cycleId });
    });

    it('answers rules that do not fit the questionnaire with 422 SCORING_RULES_INVALID listing every problem', async () => {
      const cycleId = freshCycle();
      const res = await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, {
        token: admin,
        body: rulesDoc({ id: 7, method: 'median', weights: { P1: 50, P9: 25, PX: 25 } }),
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 422, code: 'SCORING_RULES_INVALID' });
      expect((res.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        'id',
        'method',
        'weights.P9',
        'weights.PX',
      ]);
      expect(res.body.errors).toContainEqual(
        expect.objectContaining({ path: 'weights.P9', code: 'UNKNOWN_PILLAR' }),
      );

      const missing = await gw.api('GET', `/cycles/${cycleId}/scoring-rules`, { token: operator });
      expect(missing.status).toBe(409);
      expect(missing.body.code).toBe('SCORING_RULES_MISSING');
    });

    it('takes only a JSON object as the rules document (400 otherwise, without asking scoring)', async () => {
      const cycleId = freshCycle();
      const before = calls();
      for (const body of [[rulesDoc()], 'rules', 42, null]) {
        const res = await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, { token: admin, body });
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      const notJson = await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, {
        token: admin,
        raw: '{"id": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(notJson.status).toBe(400);
      expect(calls()).toBe(before);
    });
  });

  describe('scoring failures', () => {
    it('lists the responses that could not be scored, for dga_admin and operator', async () => {
      const cycleId = freshCycle();
      const failure = scoring.addFailure(cycleId, { agencyCode: 'DEP-BROKEN' });
      for (const token of [admin, operator]) {
        const res = await gw.api('GET', `/cycles/${cycleId}/scoring-failures`, { token });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ items: [failure] });
      }
      expect(last(Rpc.ScoringFailureList).request).toEqual({ cycleId });
      expect((await gw.api('GET', `/cycles/${cycleId}/scoring-failures`, { token: committee })).status).toBe(
        403,
      );
    });
  });

  describe('import of previous results', () => {
    it('hands the file over through the transfer bucket: scoring reads back exactly the bytes sent', async () => {
      const cycleId = freshCycle('prev');
      const csv = Buffer.from('\ufeffagency_code,overall,level\nDEP-001,72.50,4\nจังหวัด-01,55.00,3\n', 'utf8');
      const res = await gw.api('POST', `/cycles/${cycleId}/results/import?dryRun=true`, {
        token: admin,
        raw: upload(csv, 'ผลปี 2564.csv'),
        headers: { 'x-correlation-id': 'import-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ cycleId, imported: 2, replaced: 0, dryRun: true });

      const seen = scoring.lastImport!;
      expect(Buffer.from(seen.bytes!).equals(csv)).toBe(true);
      expect(seen.request).toEqual({
        cycleId,
        dryRun: true,
        file: {
          objectName: expect.stringMatching(/^results-import\/[0-9a-f-]{36}\.csv$/),
          fileName: 'ผลปี 2564.csv',
          contentType: 'text/csv; charset=utf-8',
          size: csv.length,
        },
      });
      expect(last(Rpc.ResultsImport).ctx).toMatchObject({
        correlationId: 'import-1',
        actor: { id: adminId, roles: ['dga_admin'] },
      });
      // Removed from the bucket once the call is over.
      expect(await gone(seen.request.file.objectName)).toBe(true);

      const saved = await gw.api('POST', `/cycles/${cycleId}/results/import`, {
        token: admin,
        raw: upload(csv, '../../etc/ผล.csv'),
      });
      expect(saved.body).toMatchObject({ dryRun: false, imported: 2 });
      expect(scoring.lastImport!.request.dryRun).toBe(false);
      expect(scoring.lastImport!.request.file.fileName).toBe('ผล.csv');
    });

    it('passes IMPORT_INVALID (422) through with the bad rows, and still removes the upload', async () => {
      const cycleId = freshCycle('prev');
      scoring.failNext(
        Rpc.ResultsImport,
        new DomainError('IMPORT_INVALID', undefined, [
          {
            row: 3,
            column: 'overall',
            code: 'NOT_A_NUMBER',
            message: 'overall must be a number',
            value: 'สูง',
          },
        ]),
      );
      const res = await gw.api('POST', `/cycles/${cycleId}/results/import`, {
        token: admin,
        raw: upload(Buffer.from('agency_code,overall\nDEP-001,70\nDEP-002,สูง\n')),
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        code: 'IMPORT_INVALID',
        errors: [{ row: 3, column: 'overall', code: 'NOT_A_NUMBER', value: 'สูง' }],
      });
      expect(scoring.lastImport!.bytes).not.toBeNull();
      expect(await gone(scoring.lastImport!.request.file.objectName)).toBe(true);
    });

    it('refuses binary files (415), missing or empty files (400), oversize files (413) and a bad dryRun (400) before scoring', async () => {
      const cycleId = freshCycle('prev');
      const path = `/cycles/${cycleId}/results/import`;
      const before = calls();
      const pdf = await gw.api('POST', path, {
        token: admin,
        raw: upload(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 0])]), 'results.csv'),
      });
      expect(pdf.status).toBe(415);
      expect(pdf.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

      const wrongField = await gw.api('POST', path, {
        token: admin,
        raw: upload(Buffer.from('a\n'), 'a.csv', 'data'),
      });
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.errors).toEqual([expect.objectContaining({ path: 'file' })]);
      const json = await gw.api('POST', path, { token: admin, body: { file: 'x' } });
      expect(json.status).toBe(400);
      expect((await gw.api('POST', path, { token: admin, raw: upload(new Uint8Array()) })).status).toBe(400);

      const big = await gw.api('POST', path, {
        token: admin,
        raw: upload(Buffer.alloc(MAX_UPLOAD + 1, 'a')),
      });
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');

      const badQuery = await gw.api('POST', `${path}?dryRun=yes`, {
        token: admin,
        raw: upload(Buffer.from('a\n')),
      });
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.errors).toEqual([expect.objectContaining({ path: 'dryRun' })]);
      expect(calls()).toBe(before);
    });
  });

  describe('public results', () => {
    it('serves published results without login, with the query forwarded and no user’s identity', async () => {
      const cycleId = freshCycle('pub');
      scoring.addScore(cycleId, { agencyCode: 'DEP-A', overall: 88 });
      scoring.addScore(cycleId, { agencyCode: 'LOC-A', overall: 64, group: 'local', provinceCode: 'TH-50' });

      const early = await gw.api('GET', `/public/cycles/${cycleId}/results`);
      expect(early.status).toBe(404);
      expect(early.headers.get('content-type')).toMatch(PROBLEM);
      expect(early.body.code).toBe('RESULTS_NOT_PUBLISHED');

      scoring.published.set(cycleId, { at: '2023-01-10T09:00:00.000Z', by: adminId });
      const res = await gw.api(
        'GET',
        `/public/cycles/${cycleId}/results?group=local&province=TH-50&pageSize=10`,
        {
          headers: { 'x-correlation-id': 'public-1' },
        },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        cycleId,
        status: 'published',
        publishedAt: '2023-01-10T09:00:00.000Z',
        rankings: { total: 1, pageSize: 10, items: [{ agencyCode: 'LOC-A', rank: 1 }] },
      });
      const call = last(Rpc.ResultsPublic);
      expect(call.request).toEqual({ cycleId, group: 'local', province: 'TH-50', page: 1, pageSize: 10 });
      expect(call.ctx.correlationId).toBe('public-1');
      // No user: an actor with no staff role and no agency, never `system`.
      expect(call.ctx.actor.id).toBe('anonymous');
      expect(call.ctx.actor.agencyId ?? null).toBeNull();
      expect(call.ctx.actor.roles).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(system|dga_admin|operator|committee)$/)]),
      );

      // A token changes nothing (and a broken one is not checked): the route is public.
      const withToken = await gw.api('GET', `/public/cycles/${cycleId}/results`, { token: 'not-a-jwt' });
      expect(withToken.status).toBe(200);
      expect(last(Rpc.ResultsPublic).ctx.actor.id).toBe('anonymous');
    });

    it('never lets unpublished results out without login, even if scoring hands them over', async () => {
      const cycleId = freshCycle('pub');
      scoring.addScore(cycleId, { agencyCode: 'DEP-SECRET', overall: 91 });
      scoring.publicAnswersProvisional = true;
      try {
        const res = await gw.api('GET', `/public/cycles/${cycleId}/results`);
        expect(scoring.lastCall(Rpc.ResultsPublic)?.request).toMatchObject({ cycleId });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('RESULTS_NOT_PUBLISHED');
        expect(res.text).not.toContain('DEP-SECRET');
      } finally {
        scoring.publicAnswersProvisional = false;
      }
      const badCycle = await gw.api('GET', '/public/cycles/a.b/results');
      expect(badCycle.status).toBe(404);
      expect(badCycle.body.code).toBe('CYCLE_NOT_FOUND');
    });

    /** The actor of the last call of `subject`: nobody (an agency role without an agency), never `system`. */
    const expectAnonymous = (subject: RpcSubject) => {
      const { actor } = last(subject).ctx;
      expect(actor.id).toBe('anonymous');
      expect(actor.agencyId ?? null).toBeNull();
      expect(actor.roles).toEqual(['coordinator']);
    };

    it('lists the cycles whose results are published, without login', async () => {
      const cycleId = freshCycle('list');
      const before = await gw.api('GET', '/public/cycles', { token: 'not-a-jwt' });
      expect(before.status).toBe(200);
      expect((before.body as { items: { id: string }[] }).items.map((c) => c.id)).not.toContain(cycleId);
      scoring.published.set(cycleId, { at: '2023-02-01T03:00:00.000Z', by: adminId });
      const res = await gw.api('GET', '/public/cycles', { headers: { 'x-correlation-id': 'public-cycles' } });
      expect(res.status).toBe(200);
      expect(res.body.items[0]).toEqual({
        id: cycleId,
        yearBE: null,
        title: { th: `รอบ ${cycleId}`, en: `Cycle ${cycleId}` },
        publishedAt: '2023-02-01T03:00:00.000Z',
      });
      expect(last(Rpc.ResultsPublishedCycles)).toMatchObject({
        request: {},
        ctx: { correlationId: 'public-cycles' },
      });
      expectAnonymous(Rpc.ResultsPublishedCycles);
      const extra = await gw.api('GET', '/public/cycles?page=2');
      expect([extra.status, extra.body.code]).toEqual([400, 'UNKNOWN_QUERY_PARAMETER']);
    });

    it("serves an agency's published scorecard by code without login; 404 before publication and for an unknown or malformed code", async () => {
      const cycleId = freshCycle('card');
      const record = scoring.addScore(cycleId, { agencyCode: 'DEP-PUBLIC', overall: 72.5 });
      const early = await gw.api('GET', `/public/cycles/${cycleId}/scorecards/DEP-PUBLIC`);
      expect([early.status, early.body.code]).toEqual([404, 'RESULTS_NOT_PUBLISHED']);
      expect(early.headers.get('content-type')).toMatch(PROBLEM);

      scoring.published.set(cycleId, { at: '2023-02-01T03:00:00.000Z', by: adminId });
      const res = await gw.api('GET', `/public/cycles/${cycleId}/scorecards/DEP-PUBLIC`, {
        token: 'not-a-jwt',
      });
      expect(res.status).toBe(200);
      // The same shape as the staff scorecard, every point with its reason.
      expect(res.body).toEqual({ ...record, published: true });
      expect(res.body.card.pillars[0].indicators[0].questions[0].reason.th).toMatch(/[\u0E00-\u0E7F]/);
      expect(last(Rpc.ScorecardPublic).request).toEqual({ cycleId, agencyCode: 'DEP-PUBLIC' });
      expectAnonymous(Rpc.ScorecardPublic);

      const unknown = await gw.api('GET', `/public/cycles/${cycleId}/scorecards/DEP-NOBODY`);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'SCORECARD_NOT_FOUND']);
      const before = calls();
      for (const code of ['dep-public', 'D', 'DEP PUBLIC', '%20DEP-PUBLIC']) {
        const malformed = await gw.api('GET', `/public/cycles/${cycleId}/scorecards/${code}`);
        expect({ code, status: malformed.status, problem: malformed.body.code }).toEqual({
          code,
          status: 404,
          problem: 'SCORECARD_NOT_FOUND',
        });
      }
      expect(calls()).toBe(before);
    });

    it('never lets an unpublished scorecard out without login, even if scoring hands it over', async () => {
      const cycleId = freshCycle('card');
      // A figure that cannot turn up by chance (ids and cycle numbers have no dot in them).
      scoring.addScore(cycleId, { agencyCode: 'DEP-HIDDEN', overall: 87.654 });
      scoring.publicAnswersProvisional = true;
      try {
        const res = await gw.api('GET', `/public/cycles/${cycleId}/scorecards/DEP-HIDDEN`);
        expect(scoring.lastCall(Rpc.ScorecardPublic)?.request).toMatchObject({ agencyCode: 'DEP-HIDDEN' });
        expect([res.status, res.body.code]).toEqual([404, 'RESULTS_NOT_PUBLISHED']);
        expect(res.text).not.toContain('87.654');
        expect(res.text).not.toMatch(/"overall"|"pillars"/);
      } finally {
        scoring.publicAnswersProvisional = false;
      }
    });

    it('serves the methodology without login once the cycle has rules, before any publication', async () => {
      const cycleId = freshCycle('method');
      const early = await gw.api('GET', `/public/cycles/${cycleId}/methodology`);
      expect([early.status, early.body.code]).toEqual([404, 'METHODOLOGY_NOT_READY']);
      expect(early.body.detail).toMatch(/[\u0E00-\u0E7F]/);
      expect(
        (await gw.api('PUT', `/cycles/${cycleId}/scoring-rules`, { token: admin, body: rulesDoc() })).status,
      ).toBe(200);
      const res = await gw.api('GET', `/public/cycles/${cycleId}/methodology`, {
        headers: { 'x-correlation-id': 'method-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        cycleId,
        method: 'raw',
        pillars: [
          {
            id: 'P1',
            indicators: [{ questions: [{ id: 'P1.Q1', rubric: { kind: 'yes_no' }, maxPoints: 1 }] }],
          },
        ],
        rounding: { mode: 'half_away_from_zero', statistics: { decimals: 2 }, change: { decimals: 4 } },
        outcomes: { unanswered: { counted: true, points: 'zero' }, not_applicable: { counted: false } },
      });
      expect(last(Rpc.MethodologyPublic)).toMatchObject({
        request: { cycleId },
        ctx: { correlationId: 'method-1' },
      });
      expectAnonymous(Rpc.MethodologyPublic);
      expect(scoring.published.has(cycleId)).toBe(false);
      const unknown = await gw.api('GET', '/public/cycles/nope-1/methodology');
      expect([unknown.status, unknown.body.code]).toEqual([404, 'CYCLE_NOT_FOUND']);
      const bad = await gw.api('GET', '/public/cycles/a.b/methodology');
      expect([bad.status, bad.body.code]).toEqual([404, 'CYCLE_NOT_FOUND']);
    });
  });

  describe('access', () => {
    const routes = (cycleId: string): [method: string, path: string][] => [
      ['GET', `/cycles/${cycleId}/scorecards/${agency.id}`],
      ['GET', `/cycles/${cycleId}/results`],
      ['POST', `/cycles/${cycleId}/rescore`],
      ['GET', `/cycles/${cycleId}/rescore`],
      ['POST', `/cycles/${cycleId}/results/publish`],
      ['GET', `/cycles/${cycleId}/scoring-rules`],
      ['PUT', `/cycles/${cycleId}/scoring-rules`],
      ['GET', `/cycles/${cycleId}/scoring-failures`],
      ['POST', `/cycles/${cycleId}/results/import`],
    ];

    it('answers every route but the public one with 401 without a valid token, before scoring hears of it', async () => {
      const cycleId = freshCycle();
      const before = calls();
      for (const [method, path] of routes(cycleId)) {
        for (const token of [undefined, 'not-a-jwt']) {
          const res = await gw.api(method, path, { token, body: method === 'PUT' ? rulesDoc() : undefined });
          expect({ method, path, token, status: res.status, code: res.body.code }).toEqual({
            method,
            path,
            token,
            status: 401,
            code: 'UNAUTHENTICATED',
          });
          expect(res.headers.get('content-type')).toMatch(PROBLEM);
        }
      }
      expect(calls()).toBe(before);
    });

    it('lets each role reach only its routes (403 FORBIDDEN otherwise, before scoring hears of it)', async () => {
      const cycleId = freshCycle();
      const allowed: Record<string, string[]> = {
        coordinator: ['GET scorecards'],
        approver: ['GET scorecards'],
        committee: ['GET scorecards', 'GET results', 'GET scoring-rules'],
        operator: [
          'GET scorecards',
          'GET results',
          'POST rescore',
          'GET rescore',
          'GET scoring-rules',
          'GET scoring-failures',
        ],
      };
      const tokens: Record<string, string> = { coordinator, approver, committee, operator };
      for (const [role, may] of Object.entries(allowed)) {
        for (const [method, path] of routes(cycleId)) {
          const name = `${method} ${path.split('/')[3]}`;
          if (may.includes(name)) continue;
          const before = calls();
          const res = await gw.api(method, path, {
            token: tokens[role],
            body: method === 'PUT' ? rulesDoc() : undefined,
          });
          expect({ role, method, path, status: res.status, code: res.body.code }).toEqual({
            role,
            method,
            path,
            status: 403,
            code: 'FORBIDDEN',
          });
          expect(calls()).toBe(before);
        }
      }
    });
  });

  describe('OpenAPI', () => {
    type Operation = {
      summary?: string;
      description?: string;
      security?: unknown[];
      tags?: string[];
      parameters?: { name: string; in: string }[];
      requestBody?: { content: Record<string, unknown> };
      responses: Record<
        string,
        { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }
      >;
    };
    let paths: Record<string, Record<string, Operation>>;

    beforeAll(async () => {
      const res = await gw.request('GET', '/docs-json');
      expect(res.status).toBe(200);
      paths = res.body.paths;
    });

    it('lists every scoring route with an English and Thai summary and its response schema', () => {
      const expected: [string, string, string, string][] = [
        ['get', '/api/v1/cycles/{id}/scorecards/{agencyId}', '200', 'ScorecardDto'],
        ['get', '/api/v1/cycles/{id}/results', '200', 'ResultsDto'],
        ['post', '/api/v1/cycles/{id}/rescore', '202', 'RescoreStatusDto'],
        ['get', '/api/v1/cycles/{id}/rescore', '200', 'RescoreStatusDto'],
        ['post', '/api/v1/cycles/{id}/results/publish', '200', 'PublishSummaryDto'],
        ['get', '/api/v1/cycles/{id}/scoring-rules', '200', 'RuleSetRecordDto'],
        ['put', '/api/v1/cycles/{id}/scoring-rules', '200', 'RuleSetRecordDto'],
        ['get', '/api/v1/cycles/{id}/scoring-failures', '200', 'ScoringFailureListDto'],
        ['post', '/api/v1/cycles/{id}/results/import', '200', 'ResultsImportReportDto'],
        ['get', '/api/v1/public/cycles/{id}/results', '200', 'ResultsDto'],
        ['get', '/api/v1/public/cycles', '200', 'PublishedCyclesDto'],
        ['get', '/api/v1/public/cycles/{id}/scorecards/{agencyCode}', '200', 'ScorecardDto'],
        ['get', '/api/v1/public/cycles/{id}/methodology', '200', 'MethodologyDto'],
      ];
      for (const [method, path, status, dto] of expected) {
        const op = paths[path]?.[method];
        expect({ method, path, defined: op !== undefined }).toEqual({ method, path, defined: true });
        expect(op.summary).toMatch(/[A-Za-z].*·.*[\u0E00-\u0E7F]/);
        expect(op.responses[status]?.content?.['application/json']?.schema?.$ref).toBe(
          `#/components/schemas/${dto}`,
        );
      }
      expect(paths['/api/v1/cycles/{id}/scorecards/{agencyId}'].get.summary).toBe(
        'Scorecard of an agency · ผลคะแนนของหน่วยงาน',
      );
      expect(
        paths['/api/v1/cycles/{id}/results'].get.parameters?.map((p) => `${p.in}:${p.name}`).sort(),
      ).toEqual([
        'path:id',
        'query:group',
        'query:ministryId',
        'query:page',
        'query:pageSize',
        'query:province',
        'query:q',
      ]);
    });

    it('documents the public route without login and the others with bearer auth and their error codes', () => {
      const pub = paths['/api/v1/public/cycles/{id}/results'].get;
      expect(pub.security).toEqual([]);
      expect(pub.responses['401']).toBeUndefined();
      expect(pub.responses['404'].description).toContain('RESULTS_NOT_PUBLISHED');
      for (const path of [
        '/api/v1/public/cycles',
        '/api/v1/public/cycles/{id}/scorecards/{agencyCode}',
        '/api/v1/public/cycles/{id}/methodology',
      ]) {
        expect({ path, security: paths[path].get.security, r401: paths[path].get.responses['401'] }).toEqual({
          path,
          security: [],
          r401: undefined,
        });
      }
      const card404 =
        paths['/api/v1/public/cycles/{id}/scorecards/{agencyCode}'].get.responses['404'].description;
      expect(card404).toContain('RESULTS_NOT_PUBLISHED');
      expect(card404).toContain('SCORECARD_NOT_FOUND');
      expect(paths['/api/v1/public/cycles/{id}/methodology'].get.responses['404'].description).toContain(
        'METHODOLOGY_NOT_READY',
      );

      const publish = paths['/api/v1/cycles/{id}/results/publish'].post;
      expect(publish.security).toEqual([{ bearer: [] }]);
      expect(publish.responses['409'].description).toContain('RESULTS_PUBLISHED');
      expect(publish.responses['409'].content?.['application/problem+json']?.schema?.$ref).toBe(
        '#/components/schemas/ProblemDto',
      );
      expect(paths['/api/v1/cycles/{id}/rescore'].post.responses['409'].description).toContain(
        'RESCORE_RUNNING',
      );
      expect(paths['/api/v1/cycles/{id}/scorecards/{agencyId}'].get.responses['404'].description).toContain(
        'SCORECARD_NOT_FOUND',
      );

      const putRules = paths['/api/v1/cycles/{id}/scoring-rules'].put;
      expect(putRules.description).toMatch(/questionnaire/);
      expect(putRules.description).toContain('errors[]');
      expect(putRules.responses['422'].description).toContain('SCORING_RULES_INVALID');
      expect(putRules.requestBody?.content['application/json']).toBeDefined();

      const importOp = paths['/api/v1/cycles/{id}/results/import'].post;
      expect(importOp.requestBody?.content['multipart/form-data']).toBeDefined();
      expect(importOp.responses['415'].description).toContain('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('scoring service down', () => {
    it('answers 503 SERVICE_UNAVAILABLE when no scoring service answers', async () => {
      await scoringApp!.close();
      scoringApp = undefined;
      const res = await gw.api('GET', `/cycles/2565/results`, { token: admin });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      const pub = await gw.api('GET', '/public/cycles/2565/results');
      expect(pub.status).toBe(503);
    });
  });
});
