import { randomUUID } from 'node:crypto';
import { type Actor, DomainError, Rpc } from '@dg/contracts';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { completeAnswers } from './answers';
import { admin, approver, CohortAgency, coordinator, IntakeHarness, operator, startIntake } from './harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const agency = (code: string): CohortAgency => ({
  agencyId: randomUUID(),
  agencyCode: code,
  nameTh: `หน่วยงาน ${code}`,
  kind: 'department',
  group: 'department',
});
/** A: submitted, never verified. B: verified. C: returned. D: never answered. E: inside an extension. */
const [A, B, C, D, E] = ['DEP-001', 'DEP-002', 'DEP-003', 'DEP-004', 'DEP-005'].map(agency);
const CYCLE = '2565';
const REASON = 'ตรวจไม่ทันก่อนประกาศผล (not verified in time for publication)';

/**
 * Publication waits for the cycle to close and for every submitted response to be verified or set
 * aside (issue 14, item 1): `intake.cycle.readiness` says what holds it back, and DGA staff can set
 * a response aside, with a reason, in its audit trail.
 */
describe('intake: publication readiness and setting a response aside', () => {
  let h: IntakeHarness;
  const key = (a: CohortAgency) => ({ cycleId: CYCLE, agencyId: a.agencyId });
  const readiness = (actor: Actor = operator) => h.call(Rpc.CycleReadiness, { cycleId: CYCLE }, actor);
  const get = (a: CohortAgency) => h.call(Rpc.ResponseGet, key(a), operator);

  /** Answers completely, sends for approval and has the head approve: submitted. */
  const submit = async (a: CohortAgency) => {
    const evidence = new Map<string, string>();
    for (const q of allQuestions(sample2565).filter((x) => x.type === 'evidence')) {
      const file = await h.files.put(
        { objectName: `import/${randomUUID()}`, fileName: 'plan.pdf', contentType: 'application/pdf' },
        PDF,
      );
      const up = await h.call(
        Rpc.EvidenceUpload,
        { ...key(a), questionId: q.id, file },
        coordinator(a.agencyId),
      );
      evidence.set(q.id, up.id);
    }
    const answers = pruneHidden(
      sample2565,
      completeAnswers(sample2565, (id) => evidence.get(id)),
    );
    let r = await get(a);
    r = await h.call(
      Rpc.ResponseSave,
      { ...key(a), patch: { version: r.version, answers } },
      coordinator(a.agencyId),
    );
    r = await h.call(Rpc.ResponseSubmit, { ...key(a), version: r.version }, coordinator(a.agencyId));
    return h.call(Rpc.ResponseApprove, { ...key(a), version: r.version }, approver(a.agencyId));
  };

  beforeAll(async () => {
    h = await startIntake('intake-readiness', { EVIDENCE_QUOTA_BYTES: String(1024 * 1024) });
    h.cohort.cohorts.set(CYCLE, [A, B, C, D, E]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'รอบทดสอบการประกาศผล', en: 'Publication test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: CYCLE, questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: CYCLE });
  });
  afterAll(async () => h?.close());

  it('is not ready while the cycle is open, nor while submitted responses wait for verification', async () => {
    for (const a of [A, B, C]) await submit(a);
    let b = await get(B);
    b = await h.call(
      Rpc.ResponseVerify,
      { ...key(B), input: { version: b.version, verdicts: [], complete: true } },
      operator,
    );
    expect(b.status).toBe('verified');
    let c = await get(C);
    c = await h.call(
      Rpc.ResponseReturn,
      { ...key(C), version: c.version, comment: 'แนบเอกสารที่ลงนามแล้ว' },
      operator,
    );
    expect(c.status).toBe('returned');
    const e = await get(E);
    await h.call(
      Rpc.ResponseExtend,
      { ...key(E), until: new Date(Date.now() + 40 * 86_400_000).toISOString(), reason: 'ระบบขัดข้อง' },
      operator,
    );
    expect(e.status).toBe('not_started');

    const open = await readiness();
    expect(open).toMatchObject({ cycleStatus: 'open', closed: false, ready: false });

    await h.call(Rpc.CycleClose, { cycleId: CYCLE });
    const closed = await readiness({ id: 'system', roles: ['system'] } as Actor);
    expect(closed).toMatchObject({
      cycleStatus: 'closed',
      closed: true,
      ready: false,
      setAside: 0,
      blocking: { total: 3, byReason: { AWAITING_VERIFICATION: 1, RETURNED: 1, EXTENSION_OPEN: 1 } },
    });
    // Verified (B) and never answered without an extension (D) hold nothing back.
    expect(closed.blocking.items.map((i) => [i.agencyCode, i.status, i.reason])).toEqual([
      ['DEP-001', 'submitted', 'AWAITING_VERIFICATION'],
      ['DEP-003', 'returned', 'RETURNED'],
      ['DEP-005', 'not_started', 'EXTENSION_OPEN'],
    ]);
    await expect(readiness(coordinator(A.agencyId))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets DGA staff set a response aside with a reason, audited; nothing else can be set aside', async () => {
    const a = await get(A);
    await expect(
      h.call(
        Rpc.ResponseSetAside,
        { ...key(A), version: a.version, reason: REASON },
        coordinator(A.agencyId),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      h.call(Rpc.ResponseSetAside, { ...key(A), version: a.version, reason: 'สั้น' }, operator),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      h.call(Rpc.ResponseSetAside, { ...key(A), version: a.version - 1, reason: REASON }, operator),
    ).rejects.toMatchObject({ code: 'RESPONSE_VERSION_CONFLICT' });
    for (const x of [B, D]) {
      const r = await get(x);
      const refused = (await h
        .call(Rpc.ResponseSetAside, { ...key(x), version: r.version, reason: REASON }, admin)
        .catch((err: unknown) => err)) as DomainError;
      expect([refused.code, refused.meta]).toEqual(['RESPONSE_LOCKED', { status: r.status }]);
    }

    const setAside = await h.call(
      Rpc.ResponseSetAside,
      { ...key(A), version: a.version, reason: REASON },
      operator,
    );
    expect(setAside).toMatchObject({ status: 'submitted', setAside: { by: operator.id, reason: REASON } });
    const audit = await h.call(Rpc.ResponseAudit, key(A), operator);
    expect(audit.items.at(-1)).toMatchObject({
      actorId: operator.id,
      action: 'set-aside',
      changes: { reason: REASON, blocking: 'AWAITING_VERIFICATION' },
    });
    for (const x of [C, E]) {
      const r = await get(x);
      await h.call(Rpc.ResponseSetAside, { ...key(x), version: r.version, reason: REASON }, admin);
    }
    expect(await readiness()).toMatchObject({
      ready: true,
      setAside: 3,
      blocking: { total: 0, byReason: {}, items: [] },
    });
    const listed = await h.call(Rpc.ResponseList, { cycleId: CYCLE, page: 1, pageSize: 10 }, operator);
    expect(listed.items.filter((r) => r.setAside).map((r) => r.agencyCode)).toEqual([
      'DEP-001',
      'DEP-003',
      'DEP-005',
    ]);
  });

  it('a new submission clears the set-aside: publication waits for it again', async () => {
    let c = await get(C);
    c = await h.call(Rpc.ResponseSubmit, { ...key(C), version: c.version }, coordinator(C.agencyId));
    c = await h.call(Rpc.ResponseApprove, { ...key(C), version: c.version }, approver(C.agencyId));
    expect(c).toMatchObject({ status: 'resubmitted', setAside: null });
    expect(await readiness()).toMatchObject({
      ready: false,
      setAside: 2,
      blocking: {
        total: 1,
        items: [expect.objectContaining({ agencyCode: 'DEP-003', reason: 'AWAITING_VERIFICATION' })],
      },
    });
  });
});
