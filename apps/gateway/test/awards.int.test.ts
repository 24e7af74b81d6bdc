import type { INestApplicationContext } from '@nestjs/common';
import { Rpc } from '@dg/contracts';
import type { Agency, RpcSubject } from '@dg/contracts';
import { FileTransfer, Nats } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { CERTIFICATE_PDF, StandInAwards, startStandInAwards } from './support/stand-in-awards';
import { TestGateway } from './support/gateway';

const PROBLEM = /^application\/problem\+json/;

/**
 * The awards routes, over real NATS to a stand-in awards service (the real one is tested in its
 * own app, the two together in e2e/): each route reaches its `awards.*` subject with the right
 * payload, actor and correlation id; roles are checked before the service hears of it; the
 * service's DomainErrors come back as problem+json with their stable code; certificates are
 * streamed from the transfer bucket like the exports.
 */
describe('awards routes: HTTP to awards RPCs', () => {
  let gw: TestGateway;
  let awardsApp: INestApplicationContext | undefined;
  let awards: StandInAwards;
  let agencyA: Agency;
  let agencyB: Agency;
  let agencyC: Agency;
  let admin: string;
  let operator: string;
  let chair: string;
  let member: string;
  let outsider: string;
  let coordinator: string;
  let approver: string;
  let coordinatorB: string;
  let adminId: string;
  let chairId: string;
  let memberId: string;
  /** An admin who also holds the committee role. */
  let adminJudgeId: string;

  beforeAll(async () => {
    gw = await TestGateway.start();
    ({ app: awardsApp, awards } = await startStandInAwards(gw.config.nats.url, gw.config.nats.prefix));
    admin = await gw.adminToken();
    adminId = (await gw.api('GET', '/auth/me', { token: admin })).body.id;
    agencyA = gw.registry.addAgency({ code: 'DEP-AWARD-A' });
    agencyB = gw.registry.addAgency({ code: 'DEP-AWARD-B' });
    agencyC = gw.registry.addAgency({ code: 'DEP-AWARD-C' });
    const users = await Promise.all([
      gw.userWithRoles(['operator']),
      gw.userWithRoles(['committee']),
      gw.userWithRoles(['committee']),
      gw.userWithRoles(['committee']),
      gw.userWithRoles(['coordinator'], agencyA.id),
      gw.userWithRoles(['approver'], agencyA.id),
      gw.userWithRoles(['coordinator'], agencyB.id),
      gw.userWithRoles(['dga_admin', 'committee']),
    ]);
    [operator, chair, member, outsider, coordinator, approver, coordinatorB] = users.map((u) => u.token);
    [chairId, memberId, adminJudgeId] = [users[1].user.id, users[2].user.id, users[7].user.id];
  });

  afterAll(async () => {
    await awardsApp?.close();
    await gw?.close();
  });

  const last = (subject: RpcSubject) => awards.lastCall(subject)!;
  const calls = () => awards.calls.length;

  /**
   * A fresh cycle scored for three agencies: A (90, ministry M1), B (80) and C (70), both ministry
   * M2. The member of the committees below belongs to C, so is excluded from C and from B.
   */
  let seq = 0;
  const freshCycle = (prefix = 'aw') => {
    const id = `${prefix}${++seq}`;
    awards.addScore(id, { agencyId: agencyA.id, agencyCode: agencyA.code, overall: 90, ministryId: 'M1' });
    awards.addScore(id, { agencyId: agencyB.id, agencyCode: agencyB.code, overall: 80, ministryId: 'M2' });
    awards.addScore(id, { agencyId: agencyC.id, agencyCode: agencyC.code, overall: 70, ministryId: 'M2' });
    return id;
  };

  const categoryInput = (over: Record<string, unknown> = {}) => ({
    key: 'top-department',
    name: { th: 'หน่วยงานดีเด่น', en: 'Outstanding agency' },
    group: 'department',
    metric: 'overall',
    winners: 2,
    eligibility: { minOverall: 50 },
    tieBreaks: ['pillar:1'],
    committee: [
      { userId: chairId, name: 'ประธานกรรมการ', chair: true },
      { userId: memberId, name: 'กรรมการ', agencyId: agencyC.id },
    ],
    quorum: 1,
    ...over,
  });

  /** A category created through the API (as dga_admin), with candidates computed when asked. */
  const freshCategory = async (opts: { candidates?: boolean; over?: Record<string, unknown> } = {}) => {
    const cycleId = freshCycle();
    const res = await gw.api('POST', `/cycles/${cycleId}/award-categories`, {
      token: admin,
      body: categoryInput(opts.over),
    });
    expect(res.status).toBe(201);
    if (opts.candidates) {
      expect((await gw.api('POST', `/cycles/${cycleId}/awards/candidates`, { token: admin })).status).toBe(
        200,
      );
    }
    return { cycleId, category: res.body as { id: string; version: number } };
  };

  const decide = (categoryId: string, token: string, body: unknown, headers?: Record<string, string>) =>
    gw.api('POST', `/award-categories/${categoryId}/decisions`, { token, body, headers });

  /** A cycle with one category decided (A and B win) and announced. */
  const announcedCycle = async () => {
    const { cycleId, category } = await freshCategory({ candidates: true });
    expect(
      (await decide(category.id, chair, { type: 'vote', scores: [{ agencyId: agencyA.id, score: 90 }] }))
        .status,
    ).toBe(200);
    expect((await decide(category.id, chair, { type: 'confirm' })).status).toBe(200);
    expect((await gw.api('POST', `/cycles/${cycleId}/awards/announce`, { token: admin })).status).toBe(200);
    return { cycleId, category };
  };

  /** True once the object is gone from the transfer bucket (opened, not read). */
  const gone = async (objectName: string) => {
    const stream = await gw.app.get(FileTransfer).stream(objectName);
    await stream?.cancel();
    return stream === null;
  };

  describe('categories', () => {
    it('lists the categories of a cycle to dga_admin, operator and committee, the actor reaching awards', async () => {
      const { cycleId, category } = await freshCategory();
      for (const [token, role] of [
        [admin, 'dga_admin'],
        [operator, 'operator'],
        [chair, 'committee'],
      ] as const) {
        const res = await gw.api('GET', `/cycles/${cycleId}/award-categories`, {
          token,
          headers: { 'x-correlation-id': `cat-list-${role}` },
        });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          items: [
            expect.objectContaining({ id: category.id, key: 'top-department', winners: 2, version: 1 }),
          ],
        });
        const call = last(Rpc.AwardCategoryList);
        expect(call.request).toEqual({ cycleId });
        expect(call.ctx.correlationId).toBe(`cat-list-${role}`);
        expect(call.ctx.actor.roles).toEqual([role]);
      }
      // The awards service knows cycles only by their categories: an unknown one has none.
      const unknown = await gw.api('GET', '/cycles/9999/award-categories', { token: admin });
      expect(unknown.status).toBe(200);
      expect(unknown.body).toEqual({ items: [] });
    });

    it('seats only accounts with the committee role: an admin cannot list themself as chair (422, awards never asked), nor decide', async () => {
      const operatorId = (await gw.api('GET', '/auth/me', { token: operator })).body.id as string;
      const cycleId = freshCycle();
      const before = calls();
      const committee = [
        { userId: adminId, name: 'ผู้ดูแลระบบ', chair: true },
        { userId: memberId, name: 'กรรมการ' },
        { userId: operatorId, name: 'เจ้าหน้าที่' },
        { userId: 'not-a-user-id', name: 'ไม่มีบัญชี' },
        { userId: adminJudgeId, name: 'ผู้ดูแลระบบที่เป็นกรรมการด้วย' },
      ];
      const create = await gw.api('POST', `/cycles/${cycleId}/award-categories`, {
        token: admin,
        body: categoryInput({ committee }),
      });
      expect([create.status, create.body.code]).toEqual([422, 'AWARD_CATEGORY_INVALID']);
      expect(create.headers.get('content-type')).toMatch(PROBLEM);
      const errors = create.body.errors as { path: string; code: string }[];
      expect(errors.map((e) => `${e.path}:${e.code}`)).toEqual([
        'committee.0.userId:ADMIN_ON_COMMITTEE',
        'committee.2.userId:NOT_A_COMMITTEE_USER',
        'committee.3.userId:NOT_A_COMMITTEE_USER',
        'committee.4.userId:ADMIN_ON_COMMITTEE',
      ]);
      const { category } = await freshCategory();
      const patch = await gw.api('PATCH', `/award-categories/${category.id}`, {
        token: admin,
        body: { version: category.version, committee },
      });
      expect([patch.status, patch.body.code]).toEqual([422, 'AWARD_CATEGORY_INVALID']);
      expect(calls()).toBe(before + 1); // the fresh category's create only
      // Decisions are the committee's: an admin is refused at the door.
      expect((await decide(category.id, admin, { type: 'confirm' })).status).toBe(403);
      expect(calls()).toBe(before + 1);
    });

    it('creates a category as dga_admin: 201 with its ETag, the defaults filled in, actor and correlation id reaching awards', async () => {
      const cycleId = freshCycle();
      const res = await gw.api('POST', `/cycles/${cycleId}/award-categories`, {
        token: admin,
        body: categoryInput({ eligibility: undefined, tieBreaks: undefined, quorum: undefined }),
        headers: { 'x-correlation-id': 'cat-create-1' },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.body).toMatchObject({
        id: expect.any(String),
        cycleId,
        key: 'top-department',
        status: 'draft',
        version: 1,
        eligibility: { verifiedOnly: true, excludePreviousWinners: false },
        tieBreaks: [],
        quorum: 1,
      });
      const call = last(Rpc.AwardCategoryCreate);
      expect(call.request).toEqual({
        cycleId,
        category: {
          key: 'top-department',
          name: { th: 'หน่วยงานดีเด่น', en: 'Outstanding agency' },
          group: 'department',
          metric: 'overall',
          winners: 2,
          eligibility: { verifiedOnly: true, excludePreviousWinners: false },
          tieBreaks: [],
          committee: [
            { userId: chairId, name: 'ประธานกรรมการ', agencyId: null, chair: true },
            { userId: memberId, name: 'กรรมการ', agencyId: agencyC.id, chair: false },
          ],
          quorum: 1,
          nominated: false,
        },
      });
      expect(call.ctx).toMatchObject({
        correlationId: 'cat-create-1',
        actor: { id: adminId, roles: ['dga_admin'] },
      });
    });

    it('passes AWARD_CATEGORY_INVALID (422) through with every problem in errors[]; a malformed body is 400 before awards', async () => {
      const cycleId = freshCycle();
      const path = `/cycles/${cycleId}/award-categories`;
      const invalid = await gw.api('POST', path, {
        token: admin,
        body: categoryInput({ metric: 'pillar', quorum: 5 }),
      });
      expect(invalid.status).toBe(422);
      expect(invalid.headers.get('content-type')).toMatch(PROBLEM);
      expect(invalid.body).toMatchObject({
        status: 422,
        code: 'AWARD_CATEGORY_INVALID',
        errors: [
          { path: 'pillar', code: 'REQUIRED' },
          { path: 'quorum', code: 'QUORUM_TOO_LARGE' },
        ],
      });
      expect(last(Rpc.AwardCategoryCreate).request).toMatchObject({
        cycleId,
        category: { metric: 'pillar' },
      });

      const before = calls();
      for (const body of [
        categoryInput({ key: 'Top Department' }),
        categoryInput({ winners: 0 }),
        categoryInput({ metric: 'luck' }),
        categoryInput({ tieBreaks: ['pillar:9'] }),
        { ...categoryInput(), surprise: true },
        {},
      ]) {
        const res = await gw.api('POST', path, { token: admin, body });
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      expect(calls()).toBe(before);
    });

    it('changes a category with the version from the body or If-Match, forwarding only the fields sent; ETag answers', async () => {
      const { category } = await freshCategory();
      const nats = gw.app.get(Nats);
      const nc = await nats.connect();
      // What travels on the wire (the stand-in sees it after the contract's parse, defaults added).
      const sub = nc.subscribe(nats.subject(Rpc.AwardCategoryUpdate), { max: 1 });
      const wire = (async () => {
        // Nest's NATS packet: {pattern, data, id}; the request is its data.
        for await (const msg of sub) return msg.json<{ data: unknown }>().data;
        return undefined;
      })();
      await nc.flush();

      const res = await gw.api('PATCH', `/award-categories/${category.id}`, {
        token: admin,
        body: { winners: 3, version: 1 },
        headers: { 'x-correlation-id': 'cat-patch-1' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(res.body).toMatchObject({ id: category.id, winners: 3, version: 2 });
      expect(await wire).toEqual({ id: category.id, patch: { winners: 3, version: 1 } });
      expect(last(Rpc.AwardCategoryUpdate).ctx).toMatchObject({
        correlationId: 'cat-patch-1',
        actor: { id: adminId, roles: ['dga_admin'] },
      });

      const viaIfMatch = await gw.api('PATCH', `/award-categories/${category.id}`, {
        token: admin,
        body: { name: { th: 'หน่วยงานภาครัฐดีเด่น', en: 'Outstanding government agency' } },
        headers: { 'if-match': '"2"' },
      });
      expect(viaIfMatch.status).toBe(200);
      expect(viaIfMatch.headers.get('etag')).toBe('"3"');
      expect(last(Rpc.AwardCategoryUpdate).request).toMatchObject({
        id: category.id,
        patch: { version: 2, name: { th: 'หน่วยงานภาครัฐดีเด่น' } },
      });

      const stale = await gw.api('PATCH', `/award-categories/${category.id}`, {
        token: admin,
        body: { winners: 1, version: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.headers.get('content-type')).toMatch(PROBLEM);
      expect(stale.body).toMatchObject({ code: 'AWARD_CATEGORY_VERSION_CONFLICT', currentVersion: 3 });
    });

    it('refuses a change without a version, with a key or a bad field (400), and a malformed id (404), before awards', async () => {
      const { category } = await freshCategory();
      const path = `/award-categories/${category.id}`;
      const before = calls();
      const noVersion = await gw.api('PATCH', path, { token: admin, body: { winners: 3 } });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.errors).toEqual([expect.objectContaining({ path: 'version', code: 'REQUIRED' })]);
      const mismatch = await gw.api('PATCH', path, {
        token: admin,
        body: { winners: 3, version: 1 },
        headers: { 'if-match': '"2"' },
      });
      expect(mismatch.status).toBe(400);
      for (const body of [{ key: 'other-key', version: 1 }, { winners: -1, version: 1 }, { version: 0 }]) {
        const res = await gw.api('PATCH', path, { token: admin, body });
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      const malformed = await gw.api('PATCH', '/award-categories/not-a-uuid', {
        token: admin,
        body: { winners: 3, version: 1 },
      });
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('AWARD_CATEGORY_NOT_FOUND');
      expect(calls()).toBe(before);

      const unknown = await gw.api('PATCH', '/award-categories/00000000-0000-4000-8000-000000000000', {
        token: admin,
        body: { winners: 3, version: 1 },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('AWARD_CATEGORY_NOT_FOUND');
    });
  });

  describe('candidates and overview', () => {
    it('computes candidates as dga_admin or operator (200) and shows every category’s state to staff and committee', async () => {
      const { cycleId, category } = await freshCategory();
      const res = await gw.api('POST', `/cycles/${cycleId}/awards/candidates`, {
        token: operator,
        headers: { 'x-correlation-id': 'candidates-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        cycleId,
        announcedAt: null,
        categories: [
          {
            id: category.id,
            status: 'candidates',
            candidates: [
              { agencyId: agencyA.id, rank: 1, eligible: true },
              { agencyId: agencyB.id, rank: 2 },
              { agencyId: agencyC.id, rank: 3 },
            ],
            // The member of C is excluded from C and from B (same ministry) automatically.
            conflicts: { [agencyA.id]: [], [agencyB.id]: [memberId], [agencyC.id]: [memberId] },
            awarded: [],
          },
        ],
      });
      const call = last(Rpc.AwardCandidatesCompute);
      expect(call.request).toEqual({ cycleId });
      expect(call.ctx).toMatchObject({ correlationId: 'candidates-1', actor: { roles: ['operator'] } });

      for (const [token, role] of [
        [admin, 'dga_admin'],
        [operator, 'operator'],
        [member, 'committee'],
      ] as const) {
        const overview = await gw.api('GET', `/cycles/${cycleId}/awards`, { token });
        expect(overview.status).toBe(200);
        expect(overview.body).toEqual(res.body);
        expect(last(Rpc.AwardsOverview).request).toEqual({ cycleId });
        expect(last(Rpc.AwardsOverview).ctx.actor.roles).toEqual([role]);
      }
    });
  });

  describe('candidate pages', () => {
    it('pages a category’s candidates with page/pageSize; agency people get their own row; unknown params are 400', async () => {
      const { category } = await freshCategory({ candidates: true });
      const res = await gw.api('GET', `/award-categories/${category.id}/candidates?page=2&pageSize=1`, {
        token: operator,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, page: 2, pageSize: 1, categoryId: category.id });
      expect(res.body.items).toHaveLength(1);
      expect(last(Rpc.AwardCandidateList).request).toEqual({ categoryId: category.id, page: 2, pageSize: 1 });

      const own = await gw.api('GET', `/award-categories/${category.id}/candidates`, { token: coordinatorB });
      expect(own.status).toBe(200);
      expect((own.body.items as { agencyId: string }[]).map((c) => c.agencyId)).toEqual([agencyB.id]);
      expect(last(Rpc.AwardCandidateList).ctx.actor.agencyId).toBe(agencyB.id);

      const before = calls();
      const unknown = await gw.api('GET', `/award-categories/${category.id}/candidates?agencyCode=X`, {
        token: operator,
      });
      expect(unknown.status).toBe(400);
      const tooBig = await gw.api('GET', `/award-categories/${category.id}/candidates?pageSize=501`, {
        token: operator,
      });
      expect(tooBig.status).toBe(400);
      expect(calls()).toBe(before);
    });
  });

  describe('nominations', () => {
    it('forwards a coordinator’s nomination with the actor (201), refuses a short statement before the service, and keeps committee members out', async () => {
      const { category } = await freshCategory({});
      const form = {
        agencyId: agencyA.id,
        nominee: { name: 'นางสาวทดสอบ ผู้นำ', position: 'CIO' },
        statement: 'นำการเปลี่ยนผ่านสู่ดิจิทัลของหน่วยงานอย่างเป็นรูปธรรม',
        evidence: [{ name: 'แผน', url: 'https://example.go.th/plan.pdf' }],
      };
      const res = await gw.api('POST', `/award-categories/${category.id}/nominations`, {
        token: coordinator,
        body: form,
      });
      expect(res.status).toBe(201);
      expect(last(Rpc.AwardNominationAdd).request).toEqual({ categoryId: category.id, nomination: form });
      expect(last(Rpc.AwardNominationAdd).ctx.actor.roles).toEqual(['coordinator']);
      const before = awards.seen(Rpc.AwardNominationAdd).length;
      const short = await gw.api('POST', `/award-categories/${category.id}/nominations`, {
        token: coordinator,
        body: { ...form, statement: 'สั้น' },
      });
      expect([short.status, short.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'http://example.go.th/plan.pdf']) {
        const unsafe = await gw.api('POST', `/award-categories/${category.id}/nominations`, {
          token: coordinator,
          body: { ...form, evidence: [{ name: 'แผน', url }] },
        });
        expect([url, unsafe.status, unsafe.body.errors]).toEqual([
          url,
          400,
          [expect.objectContaining({ path: 'evidence.0.url', code: 'UNSAFE_URL' })],
        ]);
      }
      expect(awards.seen(Rpc.AwardNominationAdd)).toHaveLength(before);
      expect(
        (await gw.api('POST', `/award-categories/${category.id}/nominations`, { token: member, body: form }))
          .status,
      ).toBe(403);
    });
  });

  describe('decisions', () => {
    it('forwards votes, declared conflicts and the chair’s confirmation with the member as actor, answering the category state', async () => {
      const { category } = await freshCategory({ candidates: true });
      const vote = { type: 'vote', scores: [{ agencyId: agencyA.id, score: 88.5 }] };
      const res = await decide(category.id, member, vote, { 'x-correlation-id': 'vote-1' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: category.id,
        status: 'candidates',
        decisions: [{ type: 'vote', by: memberId, details: vote }],
      });
      const call = last(Rpc.AwardDecisionAdd);
      expect(call.request).toEqual({ categoryId: category.id, decision: vote });
      expect(call.ctx).toMatchObject({
        correlationId: 'vote-1',
        actor: { id: memberId, roles: ['committee'] },
      });

      const conflict = { type: 'conflict', agencyId: agencyA.id, reason: 'เคยเป็นที่ปรึกษาของหน่วยงานนี้' };
      const declared = await decide(category.id, chair, conflict);
      expect(declared.status).toBe(200);
      expect(declared.body.conflicts[agencyA.id]).toEqual([chairId]);
      expect(last(Rpc.AwardDecisionAdd).request).toEqual({ categoryId: category.id, decision: conflict });

      const confirmed = await decide(category.id, chair, { type: 'confirm' });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({
        status: 'decided',
        awarded: [
          { agencyId: agencyA.id, rank: 1, shared: false },
          { agencyId: agencyB.id, rank: 2, shared: false },
        ],
      });
      const decisions = confirmed.body.decisions as { type: string }[];
      expect(decisions.map((d) => d.type)).toEqual(['vote', 'conflict', 'confirm']);
      expect(last(Rpc.AwardDecisionAdd).request).toEqual({
        categoryId: category.id,
        decision: { type: 'confirm' },
      });
    });

    it('passes the chair’s override with its reason; dga_admin is refused before awards (decisions are the committee’s)', async () => {
      const { category } = await freshCategory({ candidates: true });
      const override = {
        type: 'override',
        winners: [agencyC.id],
        reason: 'คณะกรรมการเห็นว่าผลงานเชิงประจักษ์โดดเด่นที่สุด',
      };
      const res = await decide(category.id, chair, override);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'decided', awarded: [{ agencyId: agencyC.id, rank: 1 }] });
      expect(last(Rpc.AwardDecisionAdd).request).toEqual({ categoryId: category.id, decision: override });

      const { category: other } = await freshCategory({ candidates: true });
      const before = awards.seen(Rpc.AwardDecisionAdd).length;
      const byAdmin = await decide(other.id, admin, { type: 'confirm' });
      expect([byAdmin.status, byAdmin.body.code]).toEqual([403, 'FORBIDDEN']);
      expect(awards.seen(Rpc.AwardDecisionAdd)).toHaveLength(before);
    });

    it('answers a vote on an agency the member is excluded from with 409 AWARD_CONFLICT_OF_INTEREST as problem+json', async () => {
      const { category } = await freshCategory({ candidates: true });
      // C is the member's own agency; B is of the same ministry.
      for (const agencyId of [agencyC.id, agencyB.id]) {
        const res = await decide(category.id, member, { type: 'vote', scores: [{ agencyId, score: 70 }] });
        expect(res.status).toBe(409);
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
        expect(res.body).toMatchObject({
          status: 409,
          code: 'AWARD_CONFLICT_OF_INTEREST',
          title: 'Conflict of interest',
          detail: expect.stringMatching(/[\u0E00-\u0E7F]/),
        });
      }
      // Someone on no committee of the category, and a member confirming without being chair.
      const outside = await decide(category.id, outsider, {
        type: 'vote',
        scores: [{ agencyId: agencyA.id, score: 1 }],
      });
      expect(outside.status).toBe(403);
      expect(outside.body.code).toBe('AWARD_NOT_A_MEMBER');
      const notChair = await decide(category.id, member, { type: 'confirm' });
      expect(notChair.status).toBe(403);
      expect(notChair.body.code).toBe('AWARD_NOT_A_MEMBER');
      // Confirming without the quorum having voted is the service's AWARD_QUORUM_NOT_REACHED.
      const early = await decide(category.id, chair, { type: 'confirm' });
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('AWARD_QUORUM_NOT_REACHED');
    });

    it('refuses an override without a reason of 10 characters, unknown types and stray fields with 400 before awards hears of it', async () => {
      const { category } = await freshCategory({ candidates: true });
      const before = calls();
      const noReason = await decide(category.id, chair, { type: 'override', winners: [agencyA.id] });
      expect(noReason.status).toBe(400);
      expect(noReason.headers.get('content-type')).toMatch(PROBLEM);
      expect(noReason.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: 'reason' })],
      });
      const short = await decide(category.id, chair, {
        type: 'override',
        winners: [agencyA.id],
        reason: 'ดีที่สุด',
      });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
      const blank = await decide(category.id, chair, {
        type: 'override',
        winners: [agencyA.id],
        reason: '          เหตุผล  ',
      });
      expect(blank.status).toBe(400);
      for (const body of [
        { type: 'override', winners: [], reason: 'a reason long enough' },
        { type: 'veto' },
        { type: 'confirm', winners: [agencyA.id] },
        { type: 'vote', scores: [{ agencyId: agencyA.id, score: 101 }] },
        { type: 'vote', scores: [] },
        { type: 'conflict', agencyId: 'not-a-uuid', reason: 'ญาติ' },
        {},
      ]) {
        const res = await decide(category.id, chair, body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      const malformed = await decide('not-a-uuid', chair, { type: 'confirm' });
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('AWARD_CATEGORY_NOT_FOUND');
      expect(calls()).toBe(before);
    });
  });

  describe('announcement and public winners', () => {
    it('announces as dga_admin (200 with the winners); again is 409 AWARDS_ANNOUNCED; undecided is AWARD_CATEGORIES_UNDECIDED', async () => {
      const undecided = await freshCategory({ candidates: true });
      const early = await gw.api('POST', `/cycles/${undecided.cycleId}/awards/announce`, { token: admin });
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('AWARD_CATEGORIES_UNDECIDED');
      expect(early.body.undecided).toEqual([expect.any(String)]);

      const { cycleId, category } = await freshCategory({ candidates: true });
      await decide(category.id, chair, { type: 'vote', scores: [{ agencyId: agencyA.id, score: 90 }] });
      await decide(category.id, chair, { type: 'confirm' });
      const res = await gw.api('POST', `/cycles/${cycleId}/awards/announce`, {
        token: admin,
        headers: { 'x-correlation-id': 'announce-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        cycleId,
        announcedAt: expect.any(String),
        categories: [
          {
            id: category.id,
            key: 'top-department',
            name: { th: 'หน่วยงานดีเด่น', en: 'Outstanding agency' },
            winners: [
              expect.objectContaining({ agencyId: agencyA.id, agencyCode: 'DEP-AWARD-A', rank: 1 }),
              expect.objectContaining({ agencyId: agencyB.id, rank: 2 }),
            ],
          },
        ],
      });
      const call = last(Rpc.AwardsAnnounce);
      expect(call.request).toEqual({ cycleId });
      expect(call.ctx).toMatchObject({ correlationId: 'announce-1', actor: { id: adminId } });

      const again = await gw.api('POST', `/cycles/${cycleId}/awards/announce`, { token: admin });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toMatch(PROBLEM);
      expect(again.body.code).toBe('AWARDS_ANNOUNCED');
      // Frozen: no more decisions or changes.
      const late = await decide(category.id, chair, { type: 'confirm' });
      expect(late.body.code).toBe('AWARDS_ANNOUNCED');
    });

    it('serves the announced winners without login, as the anonymous actor; before that 404 AWARDS_NOT_ANNOUNCED', async () => {
      const pending = await freshCategory();
      const early = await gw.api('GET', `/public/cycles/${pending.cycleId}/awards`);
      expect(early.status).toBe(404);
      expect(early.headers.get('content-type')).toMatch(PROBLEM);
      expect(early.body.code).toBe('AWARDS_NOT_ANNOUNCED');

      const { cycleId, category } = await announcedCycle();
      const res = await gw.api('GET', `/public/cycles/${cycleId}/awards`, {
        headers: { 'x-correlation-id': 'public-awards-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        cycleId,
        announcedAt: expect.any(String),
        categories: [{ id: category.id, winners: [{ agencyId: agencyA.id }, { agencyId: agencyB.id }] }],
      });
      expect(res.text).not.toContain('candidates');
      const call = last(Rpc.AwardsPublic);
      expect(call.request).toEqual({ cycleId });
      expect(call.ctx.correlationId).toBe('public-awards-1');
      expect(call.ctx.actor.id).toBe('anonymous');
      expect(call.ctx.actor.agencyId ?? null).toBeNull();
      expect(call.ctx.actor.roles).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(system|dga_admin|operator|committee)$/)]),
      );

      // A token changes nothing (and a broken one is not checked): the route is public.
      const withToken = await gw.api('GET', `/public/cycles/${cycleId}/awards`, { token: 'not-a-jwt' });
      expect(withToken.status).toBe(200);
      expect(last(Rpc.AwardsPublic).ctx.actor.id).toBe('anonymous');

      const before = calls();
      const badCycle = await gw.api('GET', '/public/cycles/a.b/awards');
      expect(badCycle.status).toBe(404);
      expect(badCycle.body.code).toBe('CYCLE_NOT_FOUND');
      expect(calls()).toBe(before);
    });
  });

  describe('certificates', () => {
    const certificatePath = (cycleId: string, categoryId: string, agencyId: string) =>
      `/cycles/${cycleId}/awards/${categoryId}/certificates/${agencyId}`;

    it('streams the PDF the awards service put in the transfer bucket: application/pdf, bytes intact, Thai name, then removed', async () => {
      const { cycleId, category } = await announcedCycle();
      const res = await fetch(`${gw.url}/api/v1${certificatePath(cycleId, category.id, agencyA.id)}`, {
        headers: { authorization: `Bearer ${operator}`, 'x-correlation-id': 'cert-1' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(CERTIFICATE_PDF.length);
      expect(bytes.equals(CERTIFICATE_PDF)).toBe(true);
      const name = 'เกียรติบัตร หน่วยงานดีเด่น DEP-AWARD-A.pdf';
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.pdf"; /);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('private, no-store');

      const call = last(Rpc.AwardCertificateGet);
      expect(call.request).toEqual({ cycleId, categoryId: category.id, agencyId: agencyA.id });
      expect(call.ctx).toMatchObject({ correlationId: 'cert-1', actor: { roles: ['operator'] } });
      await waitFor(() => gone(awards.lastCertificate!.objectName), 5000);
    });

    it('gives coordinators and approvers their own agency’s certificate; another agency’s is the service’s 404', async () => {
      const { cycleId, category } = await announcedCycle();
      for (const token of [coordinator, approver]) {
        const own = await gw.api('GET', certificatePath(cycleId, category.id, agencyA.id), { token });
        expect(own.status).toBe(200);
        expect(own.headers.get('content-type')).toBe('application/pdf');
        const theirs = await gw.api('GET', certificatePath(cycleId, category.id, agencyB.id), { token });
        expect(theirs.status).toBe(404);
        expect(theirs.headers.get('content-type')).toMatch(PROBLEM);
      }
      // The gateway let them through and told awards who asks: the decision is the service's.
      expect(last(Rpc.AwardCertificateGet).ctx.actor).toMatchObject({
        roles: ['approver'],
        agencyId: agencyA.id,
      });
      const committeeView = await gw.api('GET', certificatePath(cycleId, category.id, agencyB.id), {
        token: member,
      });
      expect(committeeView.status).toBe(200);
      const b = await gw.api('GET', certificatePath(cycleId, category.id, agencyB.id), {
        token: coordinatorB,
      });
      expect(b.status).toBe(200);
      // C did not win.
      const loser = await gw.api('GET', certificatePath(cycleId, category.id, agencyC.id), { token: admin });
      expect(loser.status).toBe(404);
    });

    it('passes CERTIFICATE_NOT_READY (409) through with Retry-After, and AWARDS_NOT_ANNOUNCED (404) before the announcement', async () => {
      const { cycleId, category } = await announcedCycle();
      awards.notReady.add(`${category.id}/${agencyB.id}`);
      const res = await gw.api('GET', certificatePath(cycleId, category.id, agencyB.id), {
        token: admin,
        headers: { 'x-correlation-id': 'cert-not-ready' },
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ code: 'CERTIFICATE_NOT_READY', correlationId: 'cert-not-ready' });

      const pending = await freshCategory({ candidates: true });
      const early = await gw.api('GET', certificatePath(pending.cycleId, pending.category.id, agencyA.id), {
        token: admin,
      });
      expect(early.status).toBe(404);
      expect(early.body.code).toBe('AWARDS_NOT_ANNOUNCED');
      expect(early.headers.get('retry-after')).toBeNull();
    });

    it('answers malformed ids with 404 without asking awards; a file missing from the bucket is 503', async () => {
      const { cycleId, category } = await announcedCycle();
      const before = calls();
      for (const [path, code] of [
        [certificatePath(cycleId, 'not-a-uuid', agencyA.id), 'AWARD_CATEGORY_NOT_FOUND'],
        [certificatePath(cycleId, category.id, 'not-a-uuid'), 'NOT_FOUND'],
        [certificatePath('a.b', category.id, agencyA.id), 'CYCLE_NOT_FOUND'],
      ]) {
        const res = await gw.api('GET', path, { token: admin });
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code });
      }
      expect(calls()).toBe(before);

      awards.certificateMissing = true;
      try {
        const missing = await gw.api('GET', certificatePath(cycleId, category.id, agencyA.id), {
          token: admin,
        });
        expect(missing.status).toBe(503);
        expect(missing.headers.get('content-type')).toMatch(PROBLEM);
        expect(missing.body.code).toBe('SERVICE_UNAVAILABLE');
      } finally {
        awards.certificateMissing = false;
      }
    });
  });

  describe('certificate check', () => {
    it('answers a genuine number without login as the anonymous actor; an unknown or malformed one is 404 CERTIFICATE_NOT_FOUND', async () => {
      const number = 'DGA-2565-top-department-001';
      awards.certificateNumbers.set(number, {
        number,
        genuine: true,
        agencyCode: agencyA.code,
        agencyName: 'กรมทดสอบ',
        category: { key: 'top-department', name: { th: 'หน่วยงานดีเด่น', en: 'Outstanding agency' } },
        cycleId: '2565',
        cycleYearBE: 2565,
        rank: 1,
        shared: false,
        announcedAt: '2022-12-01T03:00:00.000Z',
        issuedAt: '2022-12-01T03:00:05.000Z',
      });
      const res = await gw.api('GET', `/certificates/${number}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ number, genuine: true, cycleYearBE: 2565, agencyCode: agencyA.code });
      expect(last(Rpc.AwardCertificateCheck).request).toEqual({ number });
      expect(last(Rpc.AwardCertificateCheck).ctx.actor.id).toBe('anonymous');

      const unknown = await gw.api('GET', '/certificates/DGA-2565-top-department-999');
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(PROBLEM);
      expect(unknown.body.code).toBe('CERTIFICATE_NOT_FOUND');
      expect(unknown.body.detail).toMatch(/[\u0E00-\u0E7F]/);

      const before = calls();
      const malformed = await gw.api('GET', `/certificates/${encodeURIComponent('DGA 2565/1')}`);
      expect(malformed.status).toBe(404);
      expect(malformed.body.code).toBe('CERTIFICATE_NOT_FOUND');
      expect(calls()).toBe(before);
    });
  });

  describe('access', () => {
    const ID = '00000000-0000-4000-8000-000000000001';
    const routes = (cycleId: string): [label: string, method: string, path: string, body?: unknown][] => [
      ['list', 'GET', `/cycles/${cycleId}/award-categories`],
      ['create', 'POST', `/cycles/${cycleId}/award-categories`, categoryInput()],
      ['update', 'PATCH', `/award-categories/${ID}`, { winners: 1, version: 1 }],
      ['candidates', 'POST', `/cycles/${cycleId}/awards/candidates`],
      ['overview', 'GET', `/cycles/${cycleId}/awards`],
      ['candidate page', 'GET', `/award-categories/${ID}/candidates`],
      ['decide', 'POST', `/award-categories/${ID}/decisions`, { type: 'confirm' }],
      ['announce', 'POST', `/cycles/${cycleId}/awards/announce`],
      ['certificate', 'GET', `/cycles/${cycleId}/awards/${ID}/certificates/${ID}`],
    ];

    it('answers every route but the public one with 401 without a valid token, before awards hears of it', async () => {
      const cycleId = freshCycle();
      const before = calls();
      for (const [label, method, path, body] of routes(cycleId)) {
        for (const token of [undefined, 'not-a-jwt']) {
          const res = await gw.api(method, path, { token, body });
          expect({ label, token, status: res.status, code: res.body.code }).toEqual({
            label,
            token,
            status: 401,
            code: 'UNAUTHENTICATED',
          });
        }
      }
      expect(calls()).toBe(before);
    });

    it('lets each role reach only its routes (403 FORBIDDEN otherwise, before awards hears of it)', async () => {
      const cycleId = freshCycle();
      const allowed: Record<string, string[]> = {
        coordinator: ['certificate', 'candidate page'],
        approver: ['certificate', 'candidate page'],
        committee: ['list', 'overview', 'candidate page', 'decide', 'certificate'],
        operator: ['list', 'candidates', 'overview', 'candidate page', 'certificate'],
      };
      const tokens: Record<string, string> = { coordinator, approver, committee: outsider, operator };
      for (const [role, may] of Object.entries(allowed)) {
        for (const [label, method, path, body] of routes(cycleId)) {
          if (may.includes(label)) continue;
          const before = calls();
          const res = await gw.api(method, path, { token: tokens[role], body });
          expect({ role, label, status: res.status, code: res.body.code }).toEqual({
            role,
            label,
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
      requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
      responses: Record<
        string,
        { description?: string; content?: Record<string, { schema?: { $ref?: string; format?: string } }> }
      >;
    };
    let doc: {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };

    beforeAll(async () => {
      const res = await gw.request('GET', '/docs-json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('lists every awards route with an English and Thai summary and its response schema', () => {
      const expected: [string, string, string, string][] = [
        ['get', '/api/v1/cycles/{id}/award-categories', '200', 'CategoryListDto'],
        ['post', '/api/v1/cycles/{id}/award-categories', '201', 'CategoryDto'],
        ['patch', '/api/v1/award-categories/{id}', '200', 'CategoryDto'],
        ['post', '/api/v1/cycles/{id}/awards/candidates', '200', 'AwardsOverviewDto'],
        ['get', '/api/v1/cycles/{id}/awards', '200', 'AwardsOverviewDto'],
        ['post', '/api/v1/award-categories/{id}/decisions', '200', 'CategoryStateDto'],
        ['post', '/api/v1/cycles/{id}/awards/announce', '200', 'PublicWinnersDto'],
        ['get', '/api/v1/public/cycles/{id}/awards', '200', 'PublicWinnersDto'],
        ['get', '/api/v1/award-categories/{id}/candidates', '200', 'CandidatePageDto'],
        ['get', '/api/v1/certificates/{number}', '200', 'CertificateCheckDto'],
      ];
      for (const [method, path, status, dto] of expected) {
        const op = doc.paths[path]?.[method];
        expect({ method, path, defined: op !== undefined }).toEqual({ method, path, defined: true });
        expect(op.summary).toMatch(/[A-Za-z].*·.*[\u0E00-\u0E7F]/);
        expect(op.tags).toEqual([/\/(public|certificates)\//.test(path) ? 'public' : 'awards']);
        expect(op.responses[status]?.content?.['application/json']?.schema?.$ref).toBe(
          `#/components/schemas/${dto}`,
        );
      }
      expect(
        doc.paths['/api/v1/cycles/{id}/award-categories'].post.requestBody?.content['application/json'].schema
          ?.$ref,
      ).toBe('#/components/schemas/CategoryInputDto');
      expect(
        doc.paths['/api/v1/award-categories/{id}'].patch.requestBody?.content['application/json'].schema
          ?.$ref,
      ).toBe('#/components/schemas/CategoryPatchDto');
    });

    it('documents the decisions: the four types, their body schema, the 403 and 409 codes', () => {
      const op = doc.paths['/api/v1/award-categories/{id}/decisions'].post;
      for (const word of [
        '`conflict`',
        '`vote`',
        '`confirm`',
        '`override`',
        'quorum',
        '10',
        'append-only',
        'ministry',
      ])
        expect(op.description).toContain(word);
      expect(op.requestBody?.content['application/json'].schema?.$ref).toBe(
        '#/components/schemas/DecisionDto',
      );
      const schema = JSON.stringify(doc.components.schemas.DecisionDto);
      for (const type of ['conflict', 'vote', 'confirm', 'override']) expect(schema).toContain(`"${type}"`);
      expect(op.responses['403'].description).toContain('FORBIDDEN');
      expect(op.responses['403'].description).toContain('AWARD_NOT_A_MEMBER');
      expect(op.responses['409'].description).toContain('AWARD_CONFLICT_OF_INTEREST');
      expect(op.responses['400'].description).toContain('VALIDATION_FAILED');
      expect(op.security).toEqual([{ bearer: [] }]);
    });

    it('documents the certificate as a PDF download, the category errors and the public route without login', () => {
      const cert = doc.paths['/api/v1/cycles/{id}/awards/{categoryId}/certificates/{agencyId}'].get;
      expect(cert.summary).toMatch(/[A-Za-z].*·.*[\u0E00-\u0E7F]/);
      expect(cert.responses['200'].content?.['application/pdf']?.schema?.format).toBe('binary');
      expect(cert.responses['409'].description).toContain('CERTIFICATE_NOT_READY');
      expect(cert.responses['404'].description).toContain('AWARDS_NOT_ANNOUNCED');
      expect(cert.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
        'path:agencyId',
        'path:categoryId',
        'path:id',
      ]);

      const create = doc.paths['/api/v1/cycles/{id}/award-categories'].post;
      expect(create.responses['422'].description).toContain('AWARD_CATEGORY_INVALID');
      const patch = doc.paths['/api/v1/award-categories/{id}'].patch;
      expect(patch.responses['409'].description).toContain('AWARD_CATEGORY_VERSION_CONFLICT');
      expect(patch.responses['404'].description).toContain('AWARD_CATEGORY_NOT_FOUND');
      expect(patch.parameters?.map((p) => `${p.in}:${p.name}`)).toContain('header:If-Match');
      expect(doc.paths['/api/v1/cycles/{id}/awards/announce'].post.responses['409'].description).toContain(
        'AWARDS_ANNOUNCED',
      );

      const pub = doc.paths['/api/v1/public/cycles/{id}/awards'].get;
      expect(pub.security).toEqual([]);
      expect(pub.responses['401']).toBeUndefined();
      expect(pub.responses['404'].description).toContain('AWARDS_NOT_ANNOUNCED');

      const check = doc.paths['/api/v1/certificates/{number}'].get;
      expect(check.security).toEqual([]);
      expect(check.responses['401']).toBeUndefined();
      expect(check.responses['404'].description).toContain('CERTIFICATE_NOT_FOUND');
      const page = doc.paths['/api/v1/award-categories/{id}/candidates'].get;
      expect(page.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
        'path:id',
        'query:agencyId',
        'query:page',
        'query:pageSize',
      ]);
    });
  });

  describe('awards service down', () => {
    it('answers 503 SERVICE_UNAVAILABLE when no awards service answers', async () => {
      await awardsApp!.close();
      awardsApp = undefined;
      const res = await gw.api('GET', '/cycles/2565/awards', { token: admin });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect((await gw.api('GET', '/public/cycles/2565/awards')).status).toBe(503);
    });
  });
});
