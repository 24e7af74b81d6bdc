import { randomUUID } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import { allQuestions, sample2565 } from '@dg/survey-model';
import { approver, coordinator, IntakeHarness, operator, startIntake } from './harness';

const KB = 1024;
const pdf = (size: number, fill = 'a') =>
  Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size - 9, fill)]);

/**
 * Issue 14 item 8: a response's evidence files are listed with names, sizes and who uploaded them;
 * the coordinator deletes one while the response is editable (freeing quota, and an answer that
 * named it no longer does); uploads and deletes are refused once submitted or verified; every
 * upload and delete is in the response's audit trail.
 */
describe('evidence: list, delete, locked after submission, audited', () => {
  let h: IntakeHarness;
  const A = randomUUID();
  const B = randomUUID();
  const keyA = { cycleId: '2565', agencyId: A };
  const question = allQuestions(sample2565).find((q) => q.type === 'evidence' && !q.visibleIf)!;
  const fail = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as DomainError);

  const upload = async (bytes: Buffer, fileName: string, agencyId = A) => {
    const file = await h.files.put(
      { objectName: `import/${randomUUID()}`, fileName, contentType: 'application/pdf' },
      bytes,
    );
    return h.call(
      Rpc.EvidenceUpload,
      { cycleId: '2565', agencyId, questionId: question.id, file },
      coordinator(agencyId),
    );
  };
  const list = () => h.call(Rpc.EvidenceList, keyA, coordinator(A));

  beforeAll(async () => {
    h = await startIntake('intakeevid', {
      EVIDENCE_QUOTA_BYTES: String(64 * KB),
      EVIDENCE_MAX_BYTES: String(32 * KB),
    });
    h.cohort.cohorts.set('2565', [
      { agencyId: A, agencyCode: 'DEP-EVA', nameTh: 'กรมหลักฐาน', kind: 'department', group: 'department' },
      { agencyId: B, agencyCode: 'DEP-EVB', nameTh: 'กรมอื่น', kind: 'department', group: 'department' },
    ]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
  });
  afterAll(async () => h?.close());

  it('lists the files with names, sizes and uploader; deleting one frees its quota', async () => {
    const plan = await upload(pdf(20 * KB), 'แผนดิจิทัล.pdf');
    const budget = await upload(pdf(20 * KB, 'b'), 'budget.pdf');
    const listed = await list();
    expect(listed).toMatchObject({ usedBytes: 40 * KB, quotaBytes: 64 * KB, maxFileBytes: 32 * KB });
    expect(listed.items.map((e) => [e.fileName, e.size, e.uploadedBy, e.questionId]).sort()).toEqual(
      [
        ['budget.pdf', 20 * KB, coordinator(A).id, question.id],
        ['แผนดิจิทัล.pdf', 20 * KB, coordinator(A).id, question.id],
      ].sort(),
    );
    // Staff and the agency's head see the list; another agency does not.
    expect((await h.call(Rpc.EvidenceList, keyA, operator)).items).toHaveLength(2);
    expect((await h.call(Rpc.EvidenceList, keyA, approver(A))).items).toHaveLength(2);
    expect(await fail(h.call(Rpc.EvidenceList, keyA, coordinator(B)))).toMatchObject({
      code: 'RESPONSE_NOT_FOUND',
    });

    // The quota is full for a third file of 30 KB ...
    expect(await fail(upload(pdf(30 * KB, 'c'), 'third.pdf'))).toMatchObject({ code: 'EVIDENCE_TOO_LARGE' });
    // ... another agency cannot delete the file (not found), nor can DGA staff (the answers are the agency's).
    expect(await fail(h.call(Rpc.EvidenceDelete, { id: plan.id }, coordinator(B)))).toMatchObject({
      code: 'EVIDENCE_NOT_FOUND',
    });
    expect(await fail(h.call(Rpc.EvidenceDelete, { id: plan.id }, operator))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const deleted = await h.call(Rpc.EvidenceDelete, { id: budget.id }, coordinator(A));
    expect(deleted).toMatchObject({ id: budget.id, fileName: 'budget.pdf' });
    expect(await list()).toMatchObject({
      usedBytes: 20 * KB,
      items: [expect.objectContaining({ id: plan.id })],
    });
    expect(await fail(h.call(Rpc.EvidenceDelete, { id: budget.id }, coordinator(A)))).toMatchObject({
      code: 'EVIDENCE_NOT_FOUND',
    });
    // ... and the third file now fits.
    await upload(pdf(30 * KB, 'c'), 'third.pdf');
  });

  it('deleting a file named by an answer takes it out of the answer', async () => {
    const [plan] = (await list()).items.filter((e) => e.fileName === 'แผนดิจิทัล.pdf');
    const before = await h.call(Rpc.ResponseGet, keyA, coordinator(A));
    const saved = await h.call(
      Rpc.ResponseSave,
      { ...keyA, patch: { version: before.version, answers: { [question.id]: [plan.id] } } },
      coordinator(A),
    );
    expect(saved.answers[question.id]).toEqual([plan.id]);
    await h.call(Rpc.EvidenceDelete, { id: plan.id }, coordinator(A));
    const after = await h.call(Rpc.ResponseGet, keyA, coordinator(A));
    expect(after.answers[question.id]).toEqual([]);
    expect(after.version).toBe(saved.version + 1);
  });

  it('writes every upload and delete in the response audit trail', async () => {
    const audit = await h.call(Rpc.ResponseAudit, keyA, operator);
    const evidence = audit.items
      .filter((a) => a.action.startsWith('evidence.'))
      .map((a) => [
        a.action,
        (a.changes as { fileName: string }).fileName,
        (a.changes as { size: number }).size,
      ]);
    expect(evidence).toEqual([
      ['evidence.uploaded', 'แผนดิจิทัล.pdf', 20 * KB],
      ['evidence.uploaded', 'budget.pdf', 20 * KB],
      ['evidence.deleted', 'budget.pdf', 20 * KB],
      ['evidence.uploaded', 'third.pdf', 30 * KB],
      ['evidence.deleted', 'แผนดิจิทัล.pdf', 20 * KB],
    ]);
    expect(
      audit.items
        .filter((a) => a.action.startsWith('evidence.'))
        .every((a) => a.actorId === coordinator(A).id),
    ).toBe(true);
  });

  it('refuses uploads and deletes once the response is submitted or verified', async () => {
    const [third] = (await list()).items;
    for (const status of ['awaiting_approval', 'submitted', 'verified']) {
      await h.ds.query(`UPDATE responses SET status = $1 WHERE agency_id = $2`, [status, A]);
      const up = await fail(upload(pdf(1 * KB), 'late.pdf'));
      expect({ status, code: up?.code, meta: up?.meta }).toEqual({
        status,
        code: 'RESPONSE_LOCKED',
        meta: { status },
      });
      const del = await fail(h.call(Rpc.EvidenceDelete, { id: third.id }, coordinator(A)));
      expect({ status, code: del?.code }).toEqual({ status, code: 'RESPONSE_LOCKED' });
      expect(del!.detail).toMatch(/^ลบไฟล์หลักฐานไม่ได้/);
    }
    expect((await list()).items.map((e) => e.id)).toEqual([third.id]);
  });
});
