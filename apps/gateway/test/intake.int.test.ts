import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, Rpc } from '@dg/contracts';
import type { Agency } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { RESPONSES_CSV } from './support/stand-in-intake';
import { TestGateway } from './support/gateway';

const MAX_UPLOAD = 256 * 1024;

/**
 * The cycle, questionnaire, response and evidence routes, over real NATS to a stand-in intake
 * service (the real intake service is tested in apps/intake, the two together in e2e/).
 */
describe('intake routes: HTTP to intake RPCs', () => {
  let gw: TestGateway;
  let admin: string;
  let agency: Agency;
  let other: Agency;
  let coordinator: string;
  let approver: string;
  let operator: string;
  let committee: string;

  beforeAll(async () => {
    gw = await TestGateway.start({ env: { IMPORT_MAX_BYTES: String(MAX_UPLOAD) } });
    admin = await gw.adminToken();
    agency = gw.registry.addAgency({ code: 'DEP-INTAKE' });
    other = gw.registry.addAgency({ code: 'DEP-ELSEWHERE' });
    [coordinator, approver, operator, committee] = await Promise.all([
      gw.userWithRoles(['coordinator'], agency.id).then((u) => u.token),
      gw.userWithRoles(['approver'], agency.id).then((u) => u.token),
      gw.userWithRoles(['operator']).then((u) => u.token),
      gw.userWithRoles(['committee']).then((u) => u.token),
    ]);
  });

  afterAll(async () => {
    await gw?.close();
  });

  const intake = () => gw.intake;
  const last = (subject: Parameters<typeof gw.intake.lastCall>[0]) => intake().lastCall(subject)!;
  const callsOf = (subject: Parameters<typeof gw.intake.seen>[0]) => intake().seen(subject).length;

  /** True once the object is gone from the transfer bucket (opened, not read: see registry test). */
  const gone = async (objectName: string) => {
    const stream = await gw.intakeApp.get(FileTransfer).stream(objectName);
    await stream?.cancel();
    return stream === null;
  };

  /** A fresh cycle with one response for `agency`, so each test has its own versions. */
  let seq = 0;
  const freshResponse = (input: Parameters<typeof gw.intake.addResponse>[2] = {}) => {
    const cycle = intake().addCycle({ id: `t${++seq}`, status: 'open' });
    const response = intake().addResponse(cycle.id, agency.id, input);
    return { cycle, response, path: `/cycles/${cycle.id}/responses/${agency.id}` };
  };

  describe('cycles', () => {
    it('lists cycles for any role, forwarding page and pageSize', async () => {
      intake().addCycle({ id: '2565' });
      const res = await gw.api('GET', '/cycles?page=1&pageSize=20', { token: committee });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        page: 1,
        pageSize: 20,
        items: expect.arrayContaining([expect.objectContaining({ id: '2565' })]),
      });
      expect(last(Rpc.CycleList).request).toEqual({ page: 1, pageSize: 20 });
      expect(last(Rpc.CycleList).ctx.actor.roles).toEqual(['committee']);
      expect((await gw.api('GET', '/cycles?pageSize=501', { token: committee })).status).toBe(400);
      expect((await gw.api('GET', '/cycles')).status).toBe(401);
    });

    it('creates a cycle as dga_admin (201), with the actor and correlation id reaching intake', async () => {
      const body = {
        id: '2566',
        yearBE: 2566,
        title: { th: 'การสำรวจ 2566', en: 'Survey 2566' },
        opensAt: '2023-06-01',
        closesAt: '2023-08-31T23:59:59+07:00',
      };
      const res = await gw.api('POST', '/cycles', {
        token: admin,
        body,
        headers: { 'x-correlation-id': 'cycle-2566' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: '2566', status: 'draft', version: 1 });
      expect(res.headers.get('etag')).toBe('"1"');
      const call = last(Rpc.CycleCreate);
      expect(call.request).toEqual(body);
      expect(call.ctx.correlationId).toBe('cycle-2566');
      expect(call.ctx.actor).toMatchObject({ email: 'admin@dga.or.th', roles: ['dga_admin'] });

      const again = await gw.api('POST', '/cycles', { token: admin, body });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CYCLE_EXISTS');

      const bad = await gw.api('POST', '/cycles', {
        token: admin,
        body: { ...body, id: 'bad id', yearBE: 1999, extra: 1 },
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
        expect.arrayContaining(['id', 'yearBE']),
      );
    });

    it('refuses POST /cycles to a coordinator with 403, before intake hears of it', async () => {
      const before = callsOf(Rpc.CycleCreate);
      const res = await gw.api('POST', '/cycles', {
        token: coordinator,
        body: { yearBE: 2567, title: { th: 'x', en: 'x' }, opensAt: '2024-06-01', closesAt: '2024-08-31' },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(callsOf(Rpc.CycleCreate)).toBe(before);
    });

    it('gets a cycle with its ETag; a malformed cycle id is 404 CYCLE_NOT_FOUND without asking intake', async () => {
      intake().addCycle({ id: 'get-me', version: 4 });
      const res = await gw.api('GET', '/cycles/get-me', { token: approver });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"4"');
      expect(last(Rpc.CycleGet).request).toEqual({ cycleId: 'get-me' });

      expect((await gw.api('GET', '/cycles/nope', { token: admin })).body.code).toBe('CYCLE_NOT_FOUND');
      const before = intake().calls.length;
      for (const bad of ['-2565', 'x'.repeat(65), '%E0%B8%9B%E0%B8%B5', 'a.b']) {
        const res = await gw.api('GET', `/cycles/${bad}`, { token: admin });
        expect({ bad, status: res.status, code: res.body.code }).toEqual({
          bad,
          status: 404,
          code: 'CYCLE_NOT_FOUND',
        });
      }
      expect(intake().calls.length).toBe(before);
    });

    it('patches with the body version or If-Match, and answers a stale one with 409 and currentVersion', async () => {
      intake().addCycle({ id: 'patch-me' });
      const first = await gw.api('PATCH', '/cycles/patch-me', {
        token: admin,
        body: { closesAt: '2022-09-15', version: 1 },
      });
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toBe('"2"');
      expect(last(Rpc.CycleUpdate).request).toEqual({
        cycleId: 'patch-me',
        patch: { closesAt: '2022-09-15', version: 1 },
      });

      const viaHeader = await gw.api('PATCH', '/cycles/patch-me', {
        token: admin,
        headers: { 'if-match': '"2"' },
        body: { title: { th: 'ชื่อใหม่', en: 'New title' } },
      });
      expect(viaHeader.status).toBe(200);
      expect(last(Rpc.CycleUpdate).request).toEqual({
        cycleId: 'patch-me',
        patch: { title: { th: 'ชื่อใหม่', en: 'New title' }, version: 2 },
      });

      const stale = await gw.api('PATCH', '/cycles/patch-me', { token: admin, body: { version: 1 } });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'CYCLE_VERSION_CONFLICT', currentVersion: 3 });

      const none = await gw.api('PATCH', '/cycles/patch-me', {
        token: admin,
        body: { closesAt: '2022-09-30' },
      });
      expect(none.status).toBe(400);
      expect(none.body.errors).toEqual([expect.objectContaining({ path: 'version' })]);
      expect(
        (await gw.api('PATCH', '/cycles/patch-me', { token: operator, body: { version: 3 } })).status,
      ).toBe(403);
    });

    it('opens and closes a cycle (200), for dga_admin only', async () => {
      intake().addCycle({ id: 'life' });
      const opened = await gw.api('POST', '/cycles/life/open', { token: admin });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ id: 'life', status: 'open' });
      expect(last(Rpc.CycleOpen).request).toEqual({ cycleId: 'life' });
      const again = await gw.api('POST', '/cycles/life/open', { token: admin });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CYCLE_ALREADY_OPEN');
      expect((await gw.api('POST', '/cycles/life/close', { token: operator })).status).toBe(403);
      const closed = await gw.api('POST', '/cycles/life/close', { token: admin });
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
      expect(last(Rpc.CycleClose).request).toEqual({ cycleId: 'life' });
    });

    it('shows progress to dga_admin, operator and committee, not to agencies', async () => {
      const { cycle } = freshResponse({ status: 'submitted', submissionCount: 1 });
      for (const token of [admin, operator, committee]) {
        const res = await gw.api('GET', `/cycles/${cycle.id}/progress`, { token });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ cycleId: cycle.id, total: 1, submitted: 1, responseRate: 1 });
      }
      expect(last(Rpc.CycleProgress).request).toEqual({ cycleId: cycle.id });
      for (const token of [coordinator, approver]) {
        expect((await gw.api('GET', `/cycles/${cycle.id}/progress`, { token })).status).toBe(403);
      }
    });
  });

  describe('questionnaires', () => {
    const definition = {
      formatVersion: 1,
      id: 'dg-readiness',
      version: 1,
      cycleYear: 2565,
      title: { th: 'แบบสำรวจความพร้อมรัฐบาลดิจิทัล', en: 'Digital government readiness' },
      general: { title: { th: 'ทั่วไป', en: 'General' }, questions: [] },
      pillars: [{ id: 'P1', title: { th: 'ด้านที่ 1', en: 'Pillar 1' }, indicators: [] }],
    };

    it('stores the body as the definition itself (201) and reads it back', async () => {
      const res = await gw.api('POST', '/questionnaires', { token: admin, body: definition });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ key: 'dg-readiness', version: 1 });
      expect(last(Rpc.QuestionnaireCreate).request).toEqual({ definition });

      const got = await gw.api('GET', `/questionnaires/${res.body.id}`, { token: committee });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id: res.body.id, definition });
      expect(last(Rpc.QuestionnaireGet).request).toEqual({ id: res.body.id });

      const missing = await gw.api('GET', `/questionnaires/${randomUUID()}`, { token: admin });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('QUESTIONNAIRE_NOT_FOUND');
      const malformed = await gw.api('GET', '/questionnaires/latest', { token: admin });
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('QUESTIONNAIRE_NOT_FOUND');
    });

    it('carries the real 2565 sample definition (about 120 KB) unchanged, within the JSON body limit', async () => {
      const sample = JSON.parse(
        readFileSync(
          join(__dirname, '../../../packages/survey-model/samples/questionnaire-2565.json'),
          'utf8',
        ),
      ) as Record<string, unknown>;
      const res = await gw.api('POST', '/questionnaires', { token: admin, body: sample });
      expect(res.status).toBe(201);
      expect(last(Rpc.QuestionnaireCreate).request).toEqual({ definition: sample });
    });

    it('lets QUESTIONNAIRE_INVALID (422) flow through with errors[], and refuses a non-object with 400', async () => {
      const res = await gw.api('POST', '/questionnaires', {
        token: admin,
        body: { formatVersion: 1, pillars: [] },
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        code: 'QUESTIONNAIRE_INVALID',
        errors: [
          { path: 'id', code: 'REQUIRED' },
          { path: 'pillars', code: 'TOO_SMALL' },
        ],
      });
      const before = callsOf(Rpc.QuestionnaireCreate);
      for (const body of [[definition], 'text', 42]) {
        expect((await gw.api('POST', '/questionnaires', { token: admin, body })).status).toBe(400);
      }
      expect(callsOf(Rpc.QuestionnaireCreate)).toBe(before);
      expect((await gw.api('POST', '/questionnaires', { token: operator, body: definition })).status).toBe(
        403,
      );
    });

    it("attaches a questionnaire to a cycle with the cycle's version, in the body or as If-Match", async () => {
      const q = await gw.api('POST', '/questionnaires', { token: admin, body: definition });
      intake().addCycle({ id: 'attach' });
      const res = await gw.api('PUT', '/cycles/attach/questionnaire', {
        token: admin,
        body: { questionnaireId: q.body.id, version: 1 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        questionnaireId: q.body.id,
        version: 2,
        carriedOver: 0,
        droppedAnswers: 0,
      });
      expect(res.headers.get('etag')).toBe('"2"');
      expect(last(Rpc.QuestionnaireAttach).request).toEqual({
        cycleId: 'attach',
        questionnaireId: q.body.id,
        version: 1,
      });

      const viaHeader = await gw.api('PUT', '/cycles/attach/questionnaire', {
        token: admin,
        headers: { 'if-match': 'W/"2"' },
        body: { questionnaireId: q.body.id },
      });
      expect(viaHeader.status).toBe(200);
      expect(last(Rpc.QuestionnaireAttach).request).toMatchObject({ version: 2 });

      const stale = await gw.api('PUT', '/cycles/attach/questionnaire', {
        token: admin,
        body: { questionnaireId: q.body.id, version: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'CYCLE_VERSION_CONFLICT', currentVersion: 3 });
      const bad = await gw.api('PUT', '/cycles/attach/questionnaire', {
        token: admin,
        body: { questionnaireId: 'x', version: 3 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('questionnaireId');
    });
  });

  describe('responses', () => {
    it('lists a cycle’s responses for dga_admin and operator with filters', async () => {
      const { cycle } = freshResponse();
      const res = await gw.api(
        'GET',
        `/cycles/${cycle.id}/responses?status=not_started&group=department&q=DEP&page=1&pageSize=100`,
        { token: operator },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 1, items: [expect.objectContaining({ agencyId: agency.id })] });
      expect(last(Rpc.ResponseList).request).toEqual({
        cycleId: cycle.id,
        status: ['not_started'],
        group: 'department',
        q: 'DEP',
        page: 1,
        pageSize: 100,
      });
      const bad = await gw.api('GET', `/cycles/${cycle.id}/responses?status=done&group=ministry`, {
        token: admin,
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        'group',
        'status.0',
      ]);
      for (const token of [coordinator, approver, committee]) {
        expect((await gw.api('GET', `/cycles/${cycle.id}/responses`, { token })).status).toBe(403);
      }
    });

    it('gets one response with ETag; another agency’s is 404; a non-uuid agencyId is 404', async () => {
      const { cycle, path } = freshResponse({ version: 7 });
      intake().addResponse(cycle.id, other.id);
      for (const token of [coordinator, approver, operator, admin]) {
        const res = await gw.api('GET', path, { token });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBe('"7"');
        expect(res.body).toMatchObject({ cycleId: cycle.id, agencyId: agency.id, version: 7 });
      }
      expect(last(Rpc.ResponseGet).request).toEqual({ cycleId: cycle.id, agencyId: agency.id });
      expect(last(Rpc.ResponseGet).ctx.actor.roles).toEqual(['dga_admin']);

      const foreign = await gw.api('GET', `/cycles/${cycle.id}/responses/${other.id}`, {
        token: coordinator,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('RESPONSE_NOT_FOUND');
      expect((await gw.api('GET', path, { token: committee })).status).toBe(403);

      const before = intake().calls.length;
      const malformed = await gw.api('GET', `/cycles/${cycle.id}/responses/DEP-INTAKE`, { token: admin });
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('RESPONSE_NOT_FOUND');
      expect((await gw.api('GET', `/cycles/${cycle.id}/responses/x/audit`, { token: admin })).status).toBe(
        404,
      );
      expect(intake().calls.length).toBe(before);
    });

    describe('autosave', () => {
      it('sends { cycleId, agencyId, patch: { version, answers } } with the coordinator as actor', async () => {
        const { cycle, path } = freshResponse();
        const answers = { 'P1.Q1': 'yes', 'P1.Q2': ['a', 'b'], 'P2.Q1': null, 'G.Q1': { n: 3 } };
        const res = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          body: { version: 1, answers },
          headers: { 'x-correlation-id': 'autosave-1' },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBe('"2"');
        expect(res.body).toMatchObject({ version: 2, status: 'in_progress', answers: { 'P1.Q1': 'yes' } });
        const call = last(Rpc.ResponseSave);
        expect(call.request).toEqual({
          cycleId: cycle.id,
          agencyId: agency.id,
          patch: { version: 1, answers },
        });
        expect(call.ctx).toMatchObject({
          correlationId: 'autosave-1',
          actor: { roles: ['coordinator'], agencyId: agency.id },
        });
      });

      it('accepts the version as If-Match, and refuses none or two that disagree with 400', async () => {
        const { path } = freshResponse({ version: 5 });
        const res = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          headers: { 'if-match': '"5"' },
          body: { answers: { 'P1.Q1': 'no' } },
        });
        expect(res.status).toBe(200);
        expect(last(Rpc.ResponseSave).request).toMatchObject({
          patch: { version: 5, answers: { 'P1.Q1': 'no' } },
        });
        expect(res.headers.get('etag')).toBe('"6"');

        const none = await gw.api('PATCH', `${path}/answers`, { token: coordinator, body: { answers: {} } });
        expect(none.status).toBe(400);
        expect(none.body.errors).toEqual([expect.objectContaining({ path: 'version' })]);
        const disagree = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          headers: { 'if-match': '6' },
          body: { version: 5, answers: {} },
        });
        expect(disagree.status).toBe(400);
        const shape = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          body: { version: 6, answers: 'P1.Q1=yes', note: 'x' },
        });
        expect(shape.status).toBe(400);
        expect((shape.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
          expect.arrayContaining(['answers']),
        );
      });

      it('answers a stale version with problem+json 409 RESPONSE_VERSION_CONFLICT and currentVersion', async () => {
        const { path } = freshResponse({ version: 3 });
        const res = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          body: { version: 2, answers: { 'P1.Q1': 'yes' } },
        });
        expect(res.status).toBe(409);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({
          status: 409,
          code: 'RESPONSE_VERSION_CONFLICT',
          currentVersion: 3,
          title: 'Response was changed by someone else',
        });
        expect(res.body.detail).toMatch(/[\u0E00-\u0E7F]/);
      });

      it('answers a 409 with the current answers, status and who made them (with their name), to merge per question', async () => {
        const { path } = freshResponse({ version: 1, answers: { 'P1.Q1': 'yes' } });
        const first = await gw.userWithRoles(['coordinator'], agency.id);
        const saved = await gw.api('PATCH', `${path}/answers`, {
          token: first.token,
          body: { version: 1, answers: { 'P1.Q2': 'ข้อความของผู้ประสานงานคนแรก' } },
        });
        expect(saved.status).toBe(200);
        // A second tab (or a second coordinator) still on version 1.
        const stale = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          body: { version: 1, answers: { 'P1.Q2': 'ข้อความของอีกแท็บ', 'P1.Q3': 12 } },
        });
        expect(stale.status).toBe(409);
        expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(stale.body).toEqual(
          expect.objectContaining({
            status: 409,
            code: 'RESPONSE_VERSION_CONFLICT',
            currentVersion: 2,
            responseStatus: 'in_progress',
            answers: { 'P1.Q1': 'yes', 'P1.Q2': 'ข้อความของผู้ประสานงานคนแรก' },
            updatedAt: saved.body.updatedAt,
            updatedBy: first.user.id,
            updatedByName: first.user.displayName,
          }),
        );
        // Nothing of the stale patch was kept.
        expect((await gw.api('GET', path, { token: coordinator })).body.answers).toEqual(stale.body.answers);
      });

      it('lets 422 ANSWERS_INVALID through with every wrong answer in errors[]', async () => {
        const { path } = freshResponse();
        intake().failNext(
          Rpc.ResponseSave,
          new DomainError('ANSWERS_INVALID', undefined, [
            { path: 'P1.Q3', code: 'NOT_A_NUMBER', message: 'expected a number', messageTh: 'ต้องเป็นตัวเลข' },
            {
              path: 'P2.Q1',
              code: 'BAD_URL',
              message: 'not a URL',
              messageTh: 'URL ไม่ถูกต้อง',
              value: 'htp:/x',
            },
          ]),
        );
        const res = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          body: { version: 1, answers: { 'P1.Q3': 'many', 'P2.Q1': 'htp:/x' } },
        });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({
          code: 'ANSWERS_INVALID',
          errors: [
            { path: 'P1.Q3', code: 'NOT_A_NUMBER', messageTh: 'ต้องเป็นตัวเลข' },
            { path: 'P2.Q1', code: 'BAD_URL', value: 'htp:/x' },
          ],
        });
      });

      it('answers 200 with the saved response and the refused answers in rejected[] (a partial save)', async () => {
        const { path } = freshResponse();
        const res = await gw.api('PATCH', `${path}/answers`, {
          token: coordinator,
          body: { version: 1, answers: { 'P1.Q1': 'yes', 'P1.Q2': 'INVALID' } },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBe('"2"');
        expect(res.body).toMatchObject({
          version: 2,
          answers: { 'P1.Q1': 'yes' },
          rejected: [
            {
              questionId: 'P1.Q2',
              questionText: { th: 'คำถาม P1.Q2' },
              code: 'NOT_AN_OPTION',
              messageTh: expect.any(String),
            },
          ],
        });
      });

      it('is for coordinators only: an operator gets 403 without reaching intake', async () => {
        const { path } = freshResponse();
        const before = callsOf(Rpc.ResponseSave);
        for (const token of [operator, approver, admin]) {
          const res = await gw.api('PATCH', `${path}/answers`, { token, body: { version: 1, answers: {} } });
          expect(res.status).toBe(403);
        }
        expect(callsOf(Rpc.ResponseSave)).toBe(before);
      });
    });

    it('tells what is missing before submitting, per pillar, to the agency and DGA only', async () => {
      const { path } = freshResponse();
      const res = await gw.api('GET', `${path}/completeness`, { token: coordinator });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        complete: false,
        sections: [
          { pillarId: 'P1', missing: [{ questionId: 'P1.Q1', questionText: { th: 'คำถาม P1.Q1' } }] },
        ],
      });
      for (const token of [approver, operator, admin]) {
        expect((await gw.api('GET', `${path}/completeness`, { token })).status).toBe(200);
      }
      expect((await gw.api('GET', `${path}/completeness`, { token: committee })).status).toBe(403);
      expect(last(Rpc.ResponseCompleteness).request).toMatchObject({ agencyId: agency.id });
    });

    it('submits with the body version, or with If-Match and no body at all', async () => {
      const { cycle, path } = freshResponse({ status: 'in_progress', version: 2 });
      const res = await gw.api('POST', `${path}/submit`, { token: coordinator, body: { version: 2 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'awaiting_approval', version: 3 });
      expect(res.headers.get('etag')).toBe('"3"');
      expect(last(Rpc.ResponseSubmit).request).toEqual({
        cycleId: cycle.id,
        agencyId: agency.id,
        version: 2,
      });

      const again = freshResponse({ status: 'in_progress', version: 9 });
      const viaHeader = await gw.api('POST', `${again.path}/submit`, {
        token: coordinator,
        headers: { 'if-match': '"9"' },
      });
      expect(viaHeader.status).toBe(200);
      expect(last(Rpc.ResponseSubmit).request).toEqual({
        cycleId: again.cycle.id,
        agencyId: agency.id,
        version: 9,
      });

      const stale = await gw.api('POST', `${again.path}/submit`, {
        token: coordinator,
        headers: { 'if-match': '9' },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'RESPONSE_VERSION_CONFLICT', currentVersion: 10 });
      expect((await gw.api('POST', `${again.path}/submit`, { token: coordinator })).status).toBe(400);
      expect(
        (await gw.api('POST', `${again.path}/submit`, { token: approver, body: { version: 10 } })).status,
      ).toBe(403);
    });

    it('approves or rejects as the agency’s approver', async () => {
      const { cycle, path } = freshResponse({ status: 'awaiting_approval', version: 4 });
      const res = await gw.api('POST', `${path}/approve`, { token: approver, body: { version: 4 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'submitted', submissionCount: 1, version: 5 });
      expect(last(Rpc.ResponseApprove).request).toEqual({
        cycleId: cycle.id,
        agencyId: agency.id,
        version: 4,
        decision: 'approve',
      });
      expect(last(Rpc.ResponseApprove).ctx.actor).toMatchObject({ roles: ['approver'], agencyId: agency.id });

      const second = freshResponse({ status: 'awaiting_approval', version: 2 });
      const rejected = await gw.api('POST', `${second.path}/approve`, {
        token: approver,
        headers: { 'if-match': '"2"' },
        body: { decision: 'reject', comment: 'แก้ไขข้อ 3' },
      });
      expect(rejected.status).toBe(200);
      expect(last(Rpc.ResponseApprove).request).toEqual({
        cycleId: second.cycle.id,
        agencyId: agency.id,
        version: 2,
        decision: 'reject',
        comment: 'แก้ไขข้อ 3',
      });
      const third = freshResponse({ status: 'awaiting_approval', version: 8 });
      const headerOnly = await gw.api('POST', `${third.path}/approve`, {
        token: approver,
        headers: { 'if-match': '8' },
      });
      expect(headerOnly.status).toBe(200);
      expect(last(Rpc.ResponseApprove).request).toEqual({
        cycleId: third.cycle.id,
        agencyId: agency.id,
        version: 8,
        decision: 'approve',
      });
      const bad = await gw.api('POST', `${second.path}/approve`, {
        token: approver,
        body: { version: 3, decision: 'maybe' },
      });
      expect(bad.status).toBe(400);
      expect(
        (await gw.api('POST', `${path}/approve`, { token: coordinator, body: { version: 5 } })).status,
      ).toBe(403);
    });

    it('returns a response for correction as operator; a coordinator gets 403', async () => {
      const { cycle, path } = freshResponse({ status: 'submitted', version: 6 });
      const before = callsOf(Rpc.ResponseReturn);
      const denied = await gw.api('POST', `${path}/return`, {
        token: coordinator,
        body: { version: 6, comment: 'x' },
      });
      expect(denied.status).toBe(403);
      expect(callsOf(Rpc.ResponseReturn)).toBe(before);

      const body = { version: 6, comment: 'กรุณาแนบหลักฐานข้อ 2.1', extendUntil: '2022-09-15T23:59:59+07:00' };
      const res = await gw.api('POST', `${path}/return`, { token: operator, body });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'returned',
        returnComment: body.comment,
        deadline: body.extendUntil,
      });
      expect(last(Rpc.ResponseReturn).request).toEqual({ cycleId: cycle.id, agencyId: agency.id, ...body });

      const noComment = await gw.api('POST', `${path}/return`, { token: operator, body: { version: 7 } });
      expect(noComment.status).toBe(400);
      expect(noComment.body.errors).toEqual([expect.objectContaining({ path: 'comment' })]);
      const badDate = await gw.api('POST', `${path}/return`, {
        token: operator,
        body: { version: 7, comment: 'x', extendUntil: '15/09/2565' },
      });
      expect(badDate.status).toBe(400);
      // A plain date is accepted as the README says (the end of that day in Asia/Bangkok, in intake);
      // a Buddhist Era year is refused with the hint.
      const plain = await gw.api('POST', `${path}/return`, {
        token: operator,
        body: { version: 7, comment: 'x', extendUntil: '2022-09-15' },
      });
      expect(plain.status).toBe(200);
      expect(last(Rpc.ResponseReturn).request).toMatchObject({ extendUntil: '2022-09-15' });
      const buddhist = await gw.api('POST', `${path}/return`, {
        token: operator,
        body: { version: 8, comment: 'x', extendUntil: '2565-09-15' },
      });
      expect(buddhist.status).toBe(400);
      expect(buddhist.body.errors).toEqual([
        expect.objectContaining({ path: 'extendUntil', message: expect.stringContaining('B.E.') }),
      ]);
    });

    it('records verification verdicts as { cycleId, agencyId, input }; a coordinator gets 403', async () => {
      const { cycle, path } = freshResponse({ status: 'submitted', version: 2 });
      const verdicts = [
        { questionId: 'P1.Q1', verdict: 'accepted' },
        { questionId: 'P1.Q2', verdict: 'rejected', comment: 'หลักฐานไม่ตรง' },
      ];
      const denied = await gw.api('POST', `${path}/verify`, {
        token: coordinator,
        body: { version: 2, verdicts },
      });
      expect(denied.status).toBe(403);

      const res = await gw.api('POST', `${path}/verify`, {
        token: admin,
        headers: { 'if-match': '2' },
        body: { verdicts },
      });
      expect(res.status).toBe(200);
      expect(res.body.verdicts).toHaveLength(2);
      expect(last(Rpc.ResponseVerify).request).toEqual({
        cycleId: cycle.id,
        agencyId: agency.id,
        input: { verdicts, complete: false, version: 2 },
      });

      const done = await gw.api('POST', `${path}/verify`, {
        token: operator,
        body: { version: 3, verdicts: [{ questionId: 'P1.Q2', verdict: 'accepted' }], complete: true },
      });
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('verified');
      // Verdicts name their verifier by display name beside the id, in the write's reply and on reading.
      expect(done.body.verdicts).toEqual(
        expect.arrayContaining([expect.objectContaining({ questionId: 'P1.Q2', byName: 'Test operator' })]),
      );
      const read = await gw.api('GET', path, { token: coordinator });
      expect(read.body.verdicts).toEqual(
        expect.arrayContaining([expect.objectContaining({ questionId: 'P1.Q2', byName: 'Test operator' })]),
      );
      const bad = await gw.api('POST', `${path}/verify`, {
        token: operator,
        body: { version: 4, verdicts: [{ questionId: 'P1.Q1', verdict: 'ok' }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('verdicts.0.verdict');
    });

    it('sets a response aside with a reason (DGA staff), and shows what holds publication back', async () => {
      const { cycle, path } = freshResponse({ status: 'submitted', version: 3, submissionCount: 1 });
      const readiness = `/cycles/${cycle.id}/publication-readiness`;
      expect((await gw.api('GET', readiness, { token: coordinator })).status).toBe(403);
      expect((await gw.api('GET', readiness, { token: committee })).status).toBe(403);
      const before = await gw.api('GET', readiness, { token: operator });
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({
        cycleStatus: 'open',
        closed: false,
        ready: false,
        blocking: { total: 1, items: [{ agencyId: agency.id, reason: 'AWAITING_VERIFICATION' }] },
      });
      expect(last(Rpc.CycleReadiness).request).toEqual({ cycleId: cycle.id });

      const reason = 'ตรวจไม่ทันก่อนประกาศผล (not verified in time)';
      expect(
        (await gw.api('POST', `${path}/set-aside`, { token: coordinator, body: { reason, version: 3 } }))
          .status,
      ).toBe(403);
      const short = await gw.api('POST', `${path}/set-aside`, {
        token: operator,
        body: { reason: 'สั้น', version: 3 },
      });
      expect([short.status, short.body.code, short.body.errors[0].path]).toEqual([
        400,
        'VALIDATION_FAILED',
        'reason',
      ]);
      const unknown = await gw.api('POST', `${path}/set-aside`, {
        token: operator,
        body: { reason, version: 3, why: 1 },
      });
      expect(unknown.status).toBe(400);
      const res = await gw.api('POST', `${path}/set-aside`, {
        token: admin,
        headers: { 'if-match': '3' },
        body: { reason },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"4"');
      expect(res.body).toMatchObject({ status: 'submitted', setAside: { reason } });
      expect(last(Rpc.ResponseSetAside).request).toEqual({
        cycleId: cycle.id,
        agencyId: agency.id,
        version: 3,
        reason,
      });
      const after = await gw.api('GET', readiness, { token: admin });
      expect(after.body).toMatchObject({ setAside: 1, blocking: { total: 0, items: [] } });
    });

    it('extends one agency’s deadline (operator) and shows the audit trail (agency and DGA roles)', async () => {
      const { cycle, path } = freshResponse();
      const body = { until: '2022-09-30T23:59:59+07:00', reason: 'ระบบของหน่วยงานขัดข้อง' };
      expect((await gw.api('POST', `${path}/extension`, { token: coordinator, body })).status).toBe(403);
      const res = await gw.api('POST', `${path}/extension`, { token: operator, body });
      expect(res.status).toBe(200);
      expect(res.body.deadline).toBe(body.until);
      expect(last(Rpc.ResponseExtend).request).toEqual({ cycleId: cycle.id, agencyId: agency.id, ...body });
      const plain = await gw.api('POST', `${freshResponse().path}/extension`, {
        token: operator,
        body: { until: '2022-10-15', reason: 'ขยายถึงสิ้นวัน' },
      });
      expect(plain.status).toBe(200);
      expect(last(Rpc.ResponseExtend).request).toMatchObject({ until: '2022-10-15' });
      const buddhist = await gw.api('POST', `${path}/extension`, {
        token: operator,
        body: { until: '2565-10-15', reason: 'ปี พ.ศ.' },
      });
      expect(buddhist.status).toBe(400);
      expect(buddhist.body.errors[0].message).toContain('B.E.');
      const bad = await gw.api('POST', `${path}/extension`, { token: operator, body: { until: 'tomorrow' } });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['reason', 'until']);

      for (const token of [coordinator, approver, operator, admin]) {
        const audit = await gw.api('GET', `${path}/audit`, { token });
        expect(audit.status).toBe(200);
        expect(audit.body.items[0]).toMatchObject({ action: 'save', version: 2, actorName: expect.any(String) });
      }
      // Each entry names its actor by display name beside the id (here the caller, as the stand-in records).
      const named = await gw.api('GET', `${path}/audit`, { token: coordinator });
      expect(named.body.items[0]).toMatchObject({ actorId: expect.any(String), actorName: 'Test coordinator' });
      expect(last(Rpc.ResponseAudit).request).toEqual({ cycleId: cycle.id, agencyId: agency.id });
      expect((await gw.api('GET', `${path}/audit`, { token: committee })).status).toBe(403);
    });
  });

  describe('evidence', () => {
    const form = (bytes: Uint8Array, name: string, type = 'application/pdf', field = 'file') => {
      const data = new FormData();
      data.append(field, new Blob([bytes], { type }), name);
      return data;
    };
    const uploadedObject = () =>
      (last(Rpc.EvidenceUpload).request as { file: { objectName: string } }).file.objectName;
    const pdf = () =>
      Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(100_000), Buffer.from('\n%%EOF\n')]);

    it('carries the bytes intact through the transfer bucket, ignoring the browser’s type; 201 with the record', async () => {
      const { cycle, path } = freshResponse();
      const bytes = pdf();
      const res = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(bytes, '../../รายงาน ประจำปี.html', 'text/html'),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        cycleId: cycle.id,
        agencyId: agency.id,
        questionId: 'P1.Q4',
        fileName: 'รายงาน ประจำปี.html',
        contentType: 'application/pdf',
        size: bytes.length,
      });

      const seen = intake().lastUpload!;
      expect(Buffer.from(seen.bytes!).equals(bytes)).toBe(true);
      expect(seen.request).toMatchObject({ cycleId: cycle.id, agencyId: agency.id, questionId: 'P1.Q4' });
      expect(seen.request.file).toEqual({
        objectName: expect.stringMatching(/^evidence-upload\/[0-9a-f-]{36}$/),
        fileName: 'รายงาน ประจำปี.html',
        contentType: 'application/octet-stream',
        size: bytes.length,
      });
      expect(last(Rpc.EvidenceUpload).ctx.actor).toMatchObject({
        roles: ['coordinator'],
        agencyId: agency.id,
      });
      expect(await gone(seen.request.file.objectName)).toBe(true);
    });

    it('lets the service’s 413 and 415 through and removes the upload; refuses past IMPORT_MAX_BYTES itself', async () => {
      const { path } = freshResponse();
      intake().failNext(
        Rpc.EvidenceUpload,
        new DomainError('EVIDENCE_TYPE_NOT_ALLOWED', undefined, undefined, {
          detected: 'application/x-msdownload',
          accepted: ['application/pdf'],
        }),
      );
      const exe = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(Buffer.from('MZ\u0090\u0000binary'), 'report.pdf'),
      });
      expect(exe.status).toBe(415);
      expect(exe.body).toMatchObject({
        code: 'EVIDENCE_TYPE_NOT_ALLOWED',
        detected: 'application/x-msdownload',
      });
      expect(await gone(uploadedObject())).toBe(true);

      intake().failNext(Rpc.EvidenceUpload, new DomainError('EVIDENCE_TOO_LARGE'));
      const quota = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(pdf(), 'big.pdf'),
      });
      expect(quota.status).toBe(413);
      expect(quota.body.code).toBe('EVIDENCE_TOO_LARGE');
      expect(await gone(uploadedObject())).toBe(true);

      const before = callsOf(Rpc.EvidenceUpload);
      const huge = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(Buffer.alloc(MAX_UPLOAD + 1000, 1), 'huge.pdf'),
      });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(callsOf(Rpc.EvidenceUpload)).toBe(before);
    });

    it('needs questionId, a file in field "file", a coordinator and a uuid agency id', async () => {
      const { cycle, path } = freshResponse();
      const before = callsOf(Rpc.EvidenceUpload);
      const noQuestion = await gw.api('POST', `${path}/evidence`, {
        token: coordinator,
        raw: form(pdf(), 'a.pdf'),
      });
      expect(noQuestion.status).toBe(400);
      expect(noQuestion.body.errors[0].path).toBe('questionId');
      const wrongField = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(pdf(), 'a.pdf', 'application/pdf', 'upload'),
      });
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.errors[0]).toMatchObject({ path: 'file' });
      const asOperator = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: operator,
        raw: form(pdf(), 'a.pdf'),
      });
      expect(asOperator.status).toBe(403);
      const badAgency = await gw.api('POST', `/cycles/${cycle.id}/responses/abc/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(pdf(), 'a.pdf'),
      });
      expect(badAgency.status).toBe(404);
      expect(badAgency.body.code).toBe('RESPONSE_NOT_FOUND');
      expect(callsOf(Rpc.EvidenceUpload)).toBe(before);
    });

    it('downloads as an attachment with nosniff and a sandbox CSP, bytes intact, then removes the object', async () => {
      const { path } = freshResponse();
      const bytes = pdf();
      intake().detectedType = 'text/html; charset=utf-8';
      let uploaded;
      try {
        uploaded = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
          token: coordinator,
          raw: form(bytes, 'C:\\fakepath\\หลักฐาน 1.html'),
        });
      } finally {
        intake().detectedType = 'application/pdf';
      }
      expect(uploaded.status).toBe(201);

      const res = await fetch(`${gw.url}/api/v1/evidence/${uploaded.body.id}`, {
        headers: { authorization: `Bearer ${committee}`, 'x-correlation-id': 'evidence-dl' },
      });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(uploaded.body.fileName).toBe('หลักฐาน 1.html');
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; filename="[_ 1.a-z]+"; /);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('หลักฐาน 1.html')}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
      expect(res.headers.get('cache-control')).toContain('no-store');
      const call = last(Rpc.EvidenceGet);
      expect(call.request).toEqual({ id: uploaded.body.id });
      expect(call.ctx).toMatchObject({ correlationId: 'evidence-dl', actor: { roles: ['committee'] } });
      const objectName = intake().lastEvidenceDownload!.objectName;
      await waitFor(() => gone(objectName), 5000);
    });

    it('answers another agency’s or a malformed evidence id with 404 EVIDENCE_NOT_FOUND', async () => {
      const { path } = freshResponse();
      const uploaded = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(pdf(), 'a.pdf'),
      });
      const foreign = await gw.userWithRoles(['coordinator'], other.id);
      const res = await gw.api('GET', `/evidence/${uploaded.body.id}`, { token: foreign.token });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('EVIDENCE_NOT_FOUND');
      const malformed = await gw.api('GET', '/evidence/not-a-uuid', { token: admin });
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('EVIDENCE_NOT_FOUND');
      expect((await gw.api('GET', `/evidence/${uploaded.body.id}`, { token: approver })).status).toBe(200);
    });

    it('lists a response’s files (staff and the agency) and lets the coordinator delete one (issue 14 item 8)', async () => {
      const { cycle, path } = freshResponse();
      const uploaded = await gw.api('POST', `${path}/evidence?questionId=P1.Q4`, {
        token: coordinator,
        raw: form(pdf(), 'แผน.pdf'),
      });
      for (const token of [coordinator, approver, operator, admin]) {
        const res = await gw.api('GET', `${path}/evidence`, { token });
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([
          expect.objectContaining({
            id: uploaded.body.id,
            fileName: 'แผน.pdf',
            size: uploaded.body.size,
            uploadedBy: expect.any(String),
            uploadedByName: 'Test coordinator',
          }),
        ]);
        // The portal checks a file against the smaller of intake's limit and the gateway's own.
        expect(res.body).toMatchObject({ quotaBytes: 500 * 1048576, maxFileBytes: MAX_UPLOAD });
      }
      expect(last(Rpc.EvidenceList).request).toEqual({ cycleId: cycle.id, agencyId: agency.id });
      expect((await gw.api('GET', `${path}/evidence`, { token: committee })).status).toBe(403);
      expect((await gw.api('GET', `${path}/evidence?questionId=P1.Q4`, { token: admin })).status).toBe(400);

      const before = callsOf(Rpc.EvidenceDelete);
      expect((await gw.api('DELETE', `/evidence/${uploaded.body.id}`, { token: operator })).status).toBe(403);
      expect((await gw.api('DELETE', '/evidence/not-a-uuid', { token: coordinator })).body.code).toBe(
        'EVIDENCE_NOT_FOUND',
      );
      expect(callsOf(Rpc.EvidenceDelete)).toBe(before);
      const foreign = await gw.userWithRoles(['coordinator'], other.id);
      const theirs = await gw.api('DELETE', `/evidence/${uploaded.body.id}`, { token: foreign.token });
      expect({ status: theirs.status, code: theirs.body.code }).toEqual({
        status: 404,
        code: 'EVIDENCE_NOT_FOUND',
      });
      const deleted = await gw.api('DELETE', `/evidence/${uploaded.body.id}`, { token: coordinator });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({ id: uploaded.body.id, fileName: 'แผน.pdf' });
      expect(last(Rpc.EvidenceDelete).request).toEqual({ id: uploaded.body.id });
      expect((await gw.api('GET', `${path}/evidence`, { token: coordinator })).body.items).toEqual([]);
    });
  });

  describe('export', () => {
    it('streams the file intake stored, as an attachment, then removes it', async () => {
      intake().addCycle({ id: 'export-2565' });
      const res = await gw.api('GET', '/cycles/export-2565/responses/export?format=csv', { token: operator });
      expect(res.status).toBe(200);
      expect(res.text).toBe(RESPONSES_CSV.replace(/^\ufeff/, ''));
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="_+-export-2565\.csv"; /);
      expect(res.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent('คำตอบ-export-2565.csv')}`,
      );
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-personal-data')).toBe('excluded');
      expect(last(Rpc.ResponseExport).request).toEqual({ cycleId: 'export-2565', format: 'csv' });
      await waitFor(() => gone(intake().lastExport!.objectName), 5000);
    });

    it('keeps its bytes (BOM included), is not captured by :agencyId, validates the format and the roles', async () => {
      intake().addCycle({ id: 'export-2566' });
      const gets = callsOf(Rpc.ResponseGet);
      const raw = await fetch(`${gw.url}/api/v1/cycles/export-2566/responses/export?format=xlsx`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(raw.status).toBe(200);
      expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(RESPONSES_CSV, 'utf8'))).toBe(true);
      expect(raw.headers.get('content-disposition')).toContain('export-2566.xlsx');
      // Intake says the file holds personal data (a DGA admin's export); the gateway says so too.
      expect(raw.headers.get('x-personal-data')).toBe('included');
      expect(last(Rpc.ResponseExport).request).toEqual({ cycleId: 'export-2566', format: 'xlsx' });
      expect(callsOf(Rpc.ResponseGet)).toBe(gets);

      expect(
        (await gw.api('GET', '/cycles/export-2566/responses/export?format=pdf', { token: admin })).status,
      ).toBe(400);
      const missing = await gw.api('GET', '/cycles/none/responses/export', { token: admin });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('CYCLE_NOT_FOUND');
      for (const token of [coordinator, committee]) {
        expect((await gw.api('GET', '/cycles/export-2566/responses/export', { token })).status).toBe(403);
      }
    });
  });

  it('documents the new routes in /docs-json with their problem codes', async () => {
    const res = await gw.request('GET', '/docs-json');
    const paths = res.body.paths as Record<
      string,
      Record<string, { responses: Record<string, { description?: string }> }>
    >;
    const autosave = paths['/api/v1/cycles/{id}/responses/{agencyId}/answers'].patch;
    expect(autosave.responses['409'].description).toContain('RESPONSE_VERSION_CONFLICT');
    expect(autosave.responses['422'].description).toContain('ANSWERS_INVALID');
    expect(paths['/api/v1/cycles/{id}/responses/{agencyId}/completeness'].get).toBeDefined();
    expect(paths['/api/v1/evidence/{id}'].get.responses['404'].description).toContain('EVIDENCE_NOT_FOUND');
    expect(paths['/api/v1/cycles/{id}/responses/export'].get).toBeDefined();
  });
});
