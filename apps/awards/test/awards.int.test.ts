import { randomUUID } from 'node:crypto';
import { type Actor, DomainError, Events, Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { agency, type AwardsHarness, member, startAwards } from './harness';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      if (!(e instanceof DomainError)) throw e;
      return e;
    },
  );

/**
 * A whole award round on a synthetic cohort, winners worked out by hand: eligibility with reasons,
 * ties, improvement against last year, a conflicted member kept out, segregation of duties, the
 * chair's override with its reason, announcement, public winners and a certificate PDF.
 */
describe('awards round', () => {
  let h: AwardsHarness;
  // Departments: A 92 (+3), B 90 (+8), C 90 (+8, ministry MDES), D 85 (+15, not verified), E 80 (no previous score)
  const A = agency(1, 92, { change: 3 });
  const B = agency(2, 90, { change: 8, verifiedBy: 'judge-3' });
  const C = agency(3, 90, { change: 8, ministryId: 'MDES' });
  const D = agency(4, 85, { change: 15, verified: false });
  const E = agency(5, 80, { change: null });
  const chair = 'chair-1';
  let topId = '';
  let improvedId = '';
  let leaderId = '';

  beforeAll(async () => {
    h = await startAwards('awardsround');
    h.others.agencies = [A, B, C, D, E];
  });
  afterAll(async () => {
    await h?.close();
  });

  const committee = (extra: { userId: string; name: string; agencyId?: string }[] = []) => [
    { userId: chair, name: 'ประธานกรรมการ', chair: true },
    ...extra,
  ];

  it('refuses categories that do not fit the cycle, naming every problem', async () => {
    const e = await refusal(
      h.call(Rpc.AwardCategoryCreate, {
        cycleId: '2565',
        category: {
          key: 'bad',
          name: { th: 'ผิด', en: 'Bad' },
          metric: 'pillar',
          pillar: 6,
          winners: 1,
          tieBreaks: ['committee'],
          eligibility: { minPillar: { '6': 50 } },
          committee: [{ userId: 'x', name: 'x', chair: false }],
          quorum: 3,
        },
      }),
    );
    // The cycle's questionnaire has five pillars: pillar 6 is named twice; no chair; quorum above the members.
    expect(e.code).toBe('AWARD_CATEGORY_INVALID');
    expect(e.errors!.map((x) => `${x.path}:${x.code}`).sort()).toEqual([
      'committee:COMMITTEE_TOO_SMALL',
      'committee:ONE_CHAIR',
      'eligibility.minPillar.6:UNKNOWN_PILLAR',
      'pillar:UNKNOWN_PILLAR',
      'quorum:QUORUM_TOO_HIGH',
    ]);
    expect(await h.call(Rpc.AwardCategoryList, { cycleId: '2565' })).toEqual({ items: [] });
  });

  it('refuses a committee of the chair alone, and a committee ranking that one vote would decide', async () => {
    const e = await refusal(
      h.call(Rpc.AwardCategoryCreate, {
        cycleId: '2565',
        category: {
          key: 'solo',
          name: { th: 'ประธานคนเดียว', en: 'Chair alone' },
          metric: 'committee',
          winners: 1,
          committee: committee(),
          quorum: 1,
        },
      }),
    );
    expect(e.code).toBe('AWARD_CATEGORY_INVALID');
    expect(e.errors!.map((x) => `${x.path}:${x.code}`).sort()).toEqual([
      'committee:COMMITTEE_TOO_SMALL',
      'quorum:QUORUM_TOO_LOW',
    ]);
  });

  it('computes candidates from the published results: ties, reasons, improvement', async () => {
    const top = await h.call(Rpc.AwardCategoryCreate, {
      cycleId: '2565',
      category: {
        key: 'top-department',
        name: { th: 'หน่วยงานระดับกรมที่มีความพร้อมสูงสุด', en: 'Highest readiness, departments' },
        group: 'department',
        metric: 'overall',
        winners: 2,
        committee: committee([
          { userId: 'judge-2', name: 'กรรมการ', agencyId: C.row.agencyId },
          { userId: 'judge-3', name: 'กรรมการ' },
        ]),
        quorum: 1,
      },
    });
    topId = top.id;
    const improved = await h.call(Rpc.AwardCategoryCreate, {
      cycleId: '2565',
      category: {
        key: 'most-improved',
        name: { th: 'หน่วยงานที่มีพัฒนาการโดดเด่น', en: 'Outstanding development' },
        group: 'department',
        metric: 'improvement',
        winners: 1,
        tieBreaks: ['overall'],
        committee: committee([{ userId: 'judge-5', name: 'กรรมการ' }]),
        quorum: 1,
      },
    });
    improvedId = improved.id;
    const leader = await h.call(Rpc.AwardCategoryCreate, {
      cycleId: '2565',
      category: {
        key: 'digital-leader',
        name: { th: 'ผู้นำดิจิทัลดีเด่น', en: 'Outstanding digital leader' },
        group: 'department',
        metric: 'committee',
        winners: 1,
        nominated: true,
        committee: committee([{ userId: 'judge-4', name: 'กรรมการ' }]),
        quorum: 2,
      },
    });
    leaderId = leader.id;
    const coordinatorOf = (agencyId: string) => ({
      id: `coord-${agencyId.slice(0, 4)}`,
      roles: ['coordinator' as const],
      agencyId,
    });
    const form = (agencyId: string) => ({
      agencyId,
      nominee: { name: 'นางสาวทดสอบ ผู้นำ', position: 'ผู้บริหารเทคโนโลยีสารสนเทศระดับสูง (CIO)' },
      statement: 'นำการเปลี่ยนผ่านสู่ดิจิทัลของหน่วยงาน เปิดบริการออนไลน์ครบทุกงานบริการ',
      evidence: [{ name: 'แผนปฏิบัติการดิจิทัล', url: 'https://example.go.th/plan.pdf' }],
    });
    expect(
      (
        await refusal(
          h.call(
            Rpc.AwardNominationAdd,
            { categoryId: leaderId, nomination: form(B.row.agencyId) },
            coordinatorOf(A.row.agencyId),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    await h.call(
      Rpc.AwardNominationAdd,
      { categoryId: leaderId, nomination: form(B.row.agencyId) },
      coordinatorOf(B.row.agencyId),
    );
    await h.call(Rpc.AwardNominationAdd, { categoryId: leaderId, nomination: form(E.row.agencyId) });
    expect(
      (
        await refusal(
          h.call(Rpc.AwardNominationAdd, { categoryId: leaderId, nomination: form(E.row.agencyId) }),
        )
      ).code,
    ).toBe('AWARD_ALREADY_NOMINATED');
    expect(
      (await refusal(h.call(Rpc.AwardNominationAdd, { categoryId: topId, nomination: form(A.row.agencyId) })))
        .code,
    ).toBe('AWARD_NOMINATIONS_NOT_ACCEPTED');
    h.others.published = false;
    expect((await refusal(h.call(Rpc.AwardCandidatesCompute, { cycleId: '2565' }))).code).toBe(
      'AWARD_RESULTS_NOT_PUBLISHED',
    );
    h.others.published = true;
    const overview = await h.call(Rpc.AwardCandidatesCompute, { cycleId: '2565' });
    const topState = overview.categories.find((c) => c.id === topId)!;
    // A 92 first; B and C tie at 90 for second (both win: 3 winners for 2 places); D not verified.
    expect(topState.candidates.map((c) => [c.agencyCode, c.rank, c.tied, c.eligible])).toEqual([
      ['DEP-001', 1, false, true],
      ['DEP-002', 2, true, true],
      ['DEP-003', 2, true, true],
      ['DEP-005', 4, false, true],
      ['DEP-004', null, false, false],
    ]);
    expect(topState.candidates.find((c) => c.agencyCode === 'DEP-004')!.reasons.map((r) => r.code)).toEqual([
      'NOT_VERIFIED',
    ]);
    // judge-2 works at C, ministry MDES: excluded from judging C automatically.
    expect(topState.conflicts[C.row.agencyId]).toEqual(['judge-2']);
    const improvedState = overview.categories.find((c) => c.id === improvedId)!;
    // +8 for B and C, broken by overall (90 = 90): still tied; D +15 not verified; E has no previous score.
    expect(
      improvedState.candidates.filter((c) => c.rank !== null).map((c) => [c.agencyCode, c.rank, c.tied]),
    ).toEqual([
      ['DEP-002', 1, true],
      ['DEP-003', 1, true],
      ['DEP-001', 3, false],
    ]);
    expect(
      improvedState.candidates.find((c) => c.agencyCode === 'DEP-005')!.reasons.map((r) => r.code),
    ).toEqual(['NO_PREVIOUS_SCORE']);
    // Only the nominated compete in the nominated category, unranked until the committee scores them.
    const leaderState = overview.categories.find((c) => c.id === leaderId)!;
    expect(leaderState.candidates.map((c) => [c.agencyCode, c.rank])).toEqual([
      ['DEP-002', null],
      ['DEP-005', null],
    ]);
    expect(leaderState.nominations.map((n) => [n.agencyCode, n.by])).toEqual([
      ['DEP-002', `coord-${B.row.agencyId.slice(0, 4)}`],
      ['DEP-005', 'admin-1'],
    ]);
  });

  it('pages a category’s candidates in rank order; an agency reads its own row and reasons only', async () => {
    const all = (await h.call(Rpc.AwardsOverview, { cycleId: '2565' })).categories.find((c) => c.id === topId)!;
    const pages = [1, 2, 3].map((page) => h.call(Rpc.AwardCandidateList, { categoryId: topId, page, pageSize: 2 }));
    const [p1, p2, p3] = await Promise.all(pages);
    expect([p1.total, p1.eligibleCount, p1.page, p1.pageSize]).toEqual([all.candidateCount, all.eligibleCount, 1, 2]);
    expect([...p1.items, ...p2.items, ...p3.items].map((c) => c.agencyCode)).toEqual(
      all.candidates.map((c) => c.agencyCode),
    );
    expect(p1.items.map((c) => c.agencyCode)).toEqual(['DEP-001', 'DEP-002']);

    // D's coordinator sees D's row with why it is not eligible, whatever agency it asks for.
    const coordD = { id: 'coord-d', roles: ['coordinator' as const], agencyId: D.row.agencyId };
    const own = await h.call(Rpc.AwardCandidateList, { categoryId: topId }, coordD);
    expect(own.total).toBe(1);
    expect(own.items[0].agencyCode).toBe('DEP-004');
    expect(own.items[0].eligible).toBe(false);
    expect(own.items[0].reasons.length).toBeGreaterThan(0);
    const other = await h.call(Rpc.AwardCandidateList, { categoryId: topId, agencyId: A.row.agencyId }, coordD);
    expect(other).toMatchObject({ items: [], total: 0 });
    expect(
      (await refusal(h.call(Rpc.AwardCandidateList, { categoryId: randomUUID() }))).code,
    ).toBe('AWARD_CATEGORY_NOT_FOUND');
  });

  it('ranks a nominated category by the committee’s scores once the quorum has voted', async () => {
    const vote = (by: string, b: number, e: number) =>
      h.call(
        Rpc.AwardDecisionAdd,
        {
          categoryId: leaderId,
          decision: {
            type: 'vote',
            scores: [
              { agencyId: B.row.agencyId, score: b },
              { agencyId: E.row.agencyId, score: e },
            ],
          },
        },
        member(by),
      );
    await vote(chair, 70, 80);
    expect(
      (
        await refusal(
          h.call(
            Rpc.AwardDecisionAdd,
            { categoryId: leaderId, decision: { type: 'confirm' } },
            member(chair),
          ),
        )
      ).detail,
    ).toMatch(/quorum/);
    const state = await vote('judge-4', 90, 70);
    // B: (70 + 90) / 2 = 80; E: (80 + 70) / 2 = 75
    expect(state.candidates.map((c) => [c.agencyCode, c.committeeScore, c.rank])).toEqual([
      ['DEP-002', 80, 1],
      ['DEP-005', 75, 2],
    ]);
    const confirmed = await h.call(
      Rpc.AwardDecisionAdd,
      { categoryId: leaderId, decision: { type: 'confirm' } },
      member(chair),
    );
    expect(confirmed.status).toBe('decided');
  });

  it('keeps conflicted members and verifiers out, and only members decide', async () => {
    const vote = (by: string, agencyId: string) =>
      h.call(
        Rpc.AwardDecisionAdd,
        { categoryId: topId, decision: { type: 'vote', scores: [{ agencyId, score: 80 }] } },
        member(by),
      );
    expect((await refusal(vote('judge-2', C.row.agencyId))).code).toBe('AWARD_CONFLICT_OF_INTEREST');
    const verifier = await refusal(vote('judge-3', B.row.agencyId));
    expect(verifier.code).toBe('AWARD_CONFLICT_OF_INTEREST');
    expect(verifier.detail).toMatch(/segregation of duties/);
    expect((await refusal(vote('stranger', A.row.agencyId))).code).toBe('AWARD_NOT_A_MEMBER');
    await h.call(
      Rpc.AwardDecisionAdd,
      { categoryId: topId, decision: { type: 'conflict', agencyId: A.row.agencyId, reason: 'เคยเป็นที่ปรึกษา' } },
      member('judge-3'),
    );
    expect((await refusal(vote('judge-3', A.row.agencyId))).code).toBe('AWARD_CONFLICT_OF_INTEREST');
    const state = await h.call(
      Rpc.AwardDecisionAdd,
      { categoryId: topId, decision: { type: 'vote', scores: [{ agencyId: C.row.agencyId, score: 75 }] } },
      member('judge-3'),
    );
    expect(state.decisions.map((d) => [d.type, d.by])).toEqual([
      ['conflict', 'judge-3'],
      ['vote', 'judge-3'],
    ]);
    expect(
      (
        await refusal(
          h.call(
            Rpc.AwardDecisionAdd,
            { categoryId: topId, decision: { type: 'confirm' } },
            member('judge-3'),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
  });

  it('confirms one list, overrides another with its reason, and refuses to announce before all are decided', async () => {
    const confirmed = await h.call(
      Rpc.AwardDecisionAdd,
      { categoryId: topId, decision: { type: 'confirm' } },
      member(chair),
    );
    expect(confirmed.status).toBe('decided');
    const undecided = await refusal(h.call(Rpc.AwardsAnnounce, { cycleId: '2565' }));
    expect(undecided.code).toBe('AWARD_CATEGORIES_UNDECIDED');
    expect(undecided.meta).toEqual({ undecided: expect.arrayContaining([expect.any(String)]) });
    const override = () =>
      h.call(
        Rpc.AwardDecisionAdd,
        {
          categoryId: improvedId,
          decision: {
            type: 'override',
            winners: [C.row.agencyId],
            reason: 'คณะกรรมการพิจารณาผลงานเชิงประจักษ์แล้ว C โดดเด่นกว่า',
          },
        },
        member(chair),
      );
    const vote = (actor: Actor) =>
      h.call(
        Rpc.AwardDecisionAdd,
        { categoryId: improvedId, decision: { type: 'vote', scores: [{ agencyId: C.row.agencyId, score: 90 }] } },
        actor,
      );
    // The chair never decides alone: an override needs two members at least to have voted.
    expect(await refusal(override())).toMatchObject({
      code: 'AWARD_QUORUM_NOT_REACHED',
      meta: { voted: 0, quorum: 2 },
    });
    await vote(member(chair));
    expect(await refusal(override())).toMatchObject({
      code: 'AWARD_QUORUM_NOT_REACHED',
      meta: { voted: 1, quorum: 2 },
    });
    // Listed on the committee is not enough: an account without the committee role (e.g. an admin
    // who put themself on it) decides nothing.
    expect((await refusal(vote({ id: 'judge-5', roles: ['dga_admin'] }))).code).toBe(
      'AWARD_COMMITTEE_ROLE_REQUIRED',
    );
    await vote(member('judge-5'));
    const overridden = await override();
    const last = overridden.decisions.at(-1)!;
    expect(overridden.status).toBe('decided');
    expect(last).toMatchObject({ type: 'override', by: chair });
    expect((last.details as { reason: string }).reason).toContain('โดดเด่นกว่า');
    await expect(h.ds.query(`UPDATE decisions SET by = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('refuses to announce while the cycle is open or a submitted response is neither verified nor set aside', async () => {
    const base = {
      cycleId: '2565',
      cycleStatus: 'open' as const,
      closed: false,
      ready: false,
      blocking: { total: 0, byReason: {}, items: [] },
      setAside: 0,
    };
    h.others.readiness = base;
    const open = await refusal(h.call(Rpc.AwardsAnnounce, { cycleId: '2565' }));
    expect([open.code, open.meta]).toEqual(['CYCLE_NOT_CLOSED', { cycleStatus: 'open' }]);
    expect(open.detail).toContain('ประกาศรางวัล');
    // An extension granted after the results were published: that agency may still answer.
    const item = {
      agencyId: randomUUID(),
      agencyCode: 'DEP-009',
      agencyName: 'กรมที่ได้ขยายเวลา',
      status: 'in_progress' as const,
      reason: 'EXTENSION_OPEN' as const,
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    };
    h.others.readiness = {
      ...base,
      cycleStatus: 'closed',
      closed: true,
      blocking: { total: 1, byReason: { EXTENSION_OPEN: 1 }, items: [item] },
    };
    const blocked = await refusal(h.call(Rpc.AwardsAnnounce, { cycleId: '2565' }));
    expect(blocked).toMatchObject({
      code: 'RESPONSES_NOT_VERIFIED',
      meta: {
        blockingCount: 1,
        byReason: { EXTENSION_OPEN: 1 },
        agencies: [expect.objectContaining({ agencyCode: 'DEP-009' })],
      },
    });
    expect(blocked.detail).toContain('DEP-009');
    h.others.readiness = null;
  });

  it('announces once: winners frozen and public, the event in the outbox, certificates made', async () => {
    const winners = await h.call(Rpc.AwardsAnnounce, { cycleId: '2565' });
    const top = winners.categories.find((c) => c.key === 'top-department')!;
    expect(top.winners.map((w) => [w.agencyCode, w.rank, w.shared])).toEqual([
      ['DEP-001', 1, false],
      ['DEP-002', 2, true],
      ['DEP-003', 2, true],
    ]);
    expect(
      winners.categories.find((c) => c.key === 'most-improved')!.winners.map((w) => w.agencyCode),
    ).toEqual(['DEP-003']);
    expect((await refusal(h.call(Rpc.AwardsAnnounce, { cycleId: '2565' }))).code).toBe('AWARDS_ANNOUNCED');
    expect(
      (
        await refusal(
          h.call(
            Rpc.AwardDecisionAdd,
            {
              categoryId: topId,
              decision: { type: 'vote', scores: [{ agencyId: A.row.agencyId, score: 1 }] },
            },
            member(chair),
          ),
        )
      ).code,
    ).toBe('AWARDS_ANNOUNCED');
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE subject = $1`, [
      Events.AwardsAnnounced,
    ])) as { n: number }[];
    expect(n).toBe(1);
    expect((await h.call(Rpc.AwardsPublic, { cycleId: '2565' })).categories).toHaveLength(3);
    expect(
      winners.categories.find((c) => c.key === 'digital-leader')!.winners.map((w) => w.agencyCode),
    ).toEqual(['DEP-002']);

    const file = await waitFor(
      async () =>
        h
          .call(Rpc.AwardCertificateGet, { cycleId: '2565', categoryId: topId, agencyId: A.row.agencyId })
          .catch((e: unknown) => {
            if (e instanceof DomainError && e.code === 'CERTIFICATE_NOT_READY') return undefined;
            throw e;
          }),
      30_000,
    );
    expect(file.contentType).toBe('application/pdf');
    const pdf = await h.files.get(file.objectName);
    expect(Buffer.from(pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    const otherAgency = { id: 'coord', roles: ['coordinator' as const], agencyId: B.row.agencyId };
    expect(
      (
        await refusal(
          h.call(
            Rpc.AwardCertificateGet,
            { cycleId: '2565', categoryId: topId, agencyId: A.row.agencyId },
            otherAgency,
          ),
        )
      ).code,
    ).toBe('NOT_FOUND');

    // The number printed on the certificate is checked by anyone, without login.
    const [{ no }] = (await h.ds.query(
      `SELECT certificate_no AS no FROM certificates WHERE category_id = $1 AND agency_id = $2`,
      [topId, A.row.agencyId],
    )) as { no: string }[];
    expect(no).toBe('DGA-2565-top-department-001');
    // The public winners carry it, so the portal links each winner to the check.
    const publicTop = (await h.call(Rpc.AwardsPublic, { cycleId: '2565' })).categories.find((c) => c.id === topId)!;
    expect(publicTop.winners.find((w) => w.agencyId === A.row.agencyId)!.certificateNo).toBe(no);
    const anonymous: Actor = { id: 'anonymous', roles: ['coordinator'], agencyId: null };
    const check = await h.call(Rpc.AwardCertificateCheck, { number: no }, anonymous);
    expect(check).toMatchObject({
      number: no,
      genuine: true,
      agencyCode: 'DEP-001',
      category: { key: 'top-department', name: { th: 'หน่วยงานระดับกรมที่มีความพร้อมสูงสุด' } },
      cycleId: '2565',
      cycleYearBE: 2565,
      rank: 1,
      shared: false,
    });
    expect(
      (await refusal(h.call(Rpc.AwardCertificateCheck, { number: 'DGA-2565-top-department-999' }))).code,
    ).toBe('CERTIFICATE_NOT_FOUND');
  });
});
