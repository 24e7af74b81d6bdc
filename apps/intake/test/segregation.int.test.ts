import { randomUUID } from 'node:crypto';
import { type Actor, DomainError, Rpc, type ResponseDetail } from '@dg/contracts';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { completeAnswers } from './answers';
import { approver, CohortAgency, coordinator, IntakeHarness, startIntake } from './harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const A: CohortAgency = {
  agencyId: randomUUID(),
  agencyCode: 'DEP-101',
  nameTh: 'กรมทดสอบการแบ่งแยกหน้าที่',
  kind: 'department',
  group: 'department',
};
const key = { cycleId: '2565', agencyId: A.agencyId };
/** One account holding both agency roles: it may answer and submit, and approve others' submissions. */
const both: Actor = {
  id: `both-${A.agencyId.slice(0, 8)}`,
  roles: ['coordinator', 'approver'],
  agencyId: A.agencyId,
};
const evidenceQuestion = allQuestions(sample2565).find((q) => q.type === 'evidence')!;

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

describe('intake: segregation of duties and evidence of a sent response', () => {
  let h: IntakeHarness;

  const upload = async (actor: Actor = coordinator(A.agencyId)) => {
    const file = await h.files.put(
      { objectName: `import/${randomUUID()}`, fileName: 'plan.pdf', contentType: 'application/pdf' },
      PDF,
    );
    return h.call(Rpc.EvidenceUpload, { ...key, questionId: evidenceQuestion.id, file }, actor);
  };
  const auditActions = async () =>
    (await h.call(Rpc.ResponseAudit, key)).items.map((a) => [a.action, a.actorId, a.toStatus]);

  beforeAll(async () => {
    h = await startIntake('segregation');
    h.cohort.cohorts.set('2565', [A]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'การสำรวจ ปี 2565', en: 'Survey 2022' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
  });
  afterAll(async () => h?.close());

  it('refuses approval by the person who submitted, records the attempt, and takes another approver’s', async () => {
    const evidence = new Map<string, string>();
    for (const question of allQuestions(sample2565).filter((x) => x.type === 'evidence'))
      evidence.set(question.id, (await upload(both)).id);
    const answers = pruneHidden(
      sample2565,
      completeAnswers(sample2565, (id) => evidence.get(id)),
    );
    let r: ResponseDetail = await h.call(Rpc.ResponseSave, { ...key, patch: { version: 1, answers } }, both);
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, both);
    expect(r.status).toBe('awaiting_approval');

    const self = await refusal(h.call(Rpc.ResponseApprove, { ...key, version: r.version }, both));
    expect(self).toMatchObject({ code: 'SELF_APPROVAL_FORBIDDEN' });
    // Nothing changed but the record of the refused attempt.
    expect(await h.call(Rpc.ResponseGet, key)).toMatchObject({
      status: 'awaiting_approval',
      version: r.version,
    });
    expect((await auditActions()).slice(-2)).toEqual([
      ['submit.for-approval', both.id, 'awaiting_approval'],
      ['approval.refused', both.id, 'awaiting_approval'],
    ]);
    const refused = (await h.call(Rpc.ResponseAudit, key)).items.at(-1)!;
    expect(refused.changes).toEqual({
      code: 'SELF_APPROVAL_FORBIDDEN',
      submittedBy: both.id,
      authors: [both.id],
    });

    // Sending it back to the coordinators is not approving it: the same person may withdraw it.
    r = await h.call(
      Rpc.ResponseApprove,
      { ...key, version: r.version, decision: 'reject', comment: 'ขอแก้ไขก่อน' },
      both,
    );
    expect(r.status).toBe('in_progress');
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, both);
    r = await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, approver(A.agencyId));
    expect(r).toMatchObject({ status: 'submitted', submissionCount: 1 });
  });

  it('refuses new evidence once the response is submitted', async () => {
    const e = await refusal(upload());
    expect(e).toMatchObject({ code: 'RESPONSE_LOCKED', meta: { status: 'submitted' } });
    // Returned for correction, the agency may add files again.
    const r = await h.call(Rpc.ResponseGet, key);
    await h.call(Rpc.ResponseReturn, { ...key, version: r.version, comment: 'แนบแผนฉบับลงนาม' });
    expect((await upload()).contentType).toBe('application/pdf');
  });

  it('refuses approval by an approver who edited the answers, though a colleague sent them', async () => {
    const colleague = coordinator(A.agencyId, 2);
    let r = await h.call(Rpc.ResponseGet, key);
    expect(r.status).toBe('returned');
    r = await h.call(
      Rpc.ResponseSave,
      { ...key, patch: { version: r.version, answers: { g_staff_count: 321 } } },
      both,
    );
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, colleague);
    expect(r.status).toBe('awaiting_approval');

    const self = await refusal(h.call(Rpc.ResponseApprove, { ...key, version: r.version }, both));
    expect(self).toMatchObject({ code: 'SELF_APPROVAL_FORBIDDEN' });
    const refused = (await h.call(Rpc.ResponseAudit, key)).items.at(-1)!;
    expect(refused).toMatchObject({ action: 'approval.refused', actorId: both.id });
    expect(refused.changes).toEqual({
      code: 'SELF_APPROVAL_FORBIDDEN',
      submittedBy: colleague.id,
      authors: expect.arrayContaining([both.id, colleague.id]),
    });
    // An approver who did not touch this round approves it.
    r = await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, approver(A.agencyId));
    expect(r).toMatchObject({ status: 'resubmitted', submissionCount: 2 });
  });

  it('counts whoever uploaded evidence as an author, and a send-back does not clear the round', async () => {
    const colleague = coordinator(A.agencyId, 2);
    let r = await h.call(Rpc.ResponseGet, key);
    await h.call(Rpc.ResponseReturn, { ...key, version: r.version, comment: 'แนบหลักฐานเพิ่ม' });
    // The approver only adds a file; the colleague sends the response.
    await upload(both);
    r = await h.call(Rpc.ResponseGet, key);
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, colleague);
    expect(await refusal(h.call(Rpc.ResponseApprove, { ...key, version: r.version }, both))).toMatchObject({
      code: 'SELF_APPROVAL_FORBIDDEN',
    });
    // Sending it back and having it sent again unchanged does not make the approver a stranger to it.
    r = await h.call(
      Rpc.ResponseApprove,
      { ...key, version: r.version, decision: 'reject', comment: 'ตรวจอีกครั้ง' },
      both,
    );
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, colleague);
    expect(await refusal(h.call(Rpc.ResponseApprove, { ...key, version: r.version }, both))).toMatchObject({
      code: 'SELF_APPROVAL_FORBIDDEN',
    });
    r = await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, approver(A.agencyId));
    expect(r).toMatchObject({ status: 'resubmitted', submissionCount: 3 });
  });
});
