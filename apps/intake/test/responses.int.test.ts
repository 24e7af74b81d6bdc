import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { DomainError, Rpc, SYSTEM_ACTOR, type ResponseDetail } from '@dg/contracts';
import { Metrics } from '@dg/platform';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { CycleCloser } from '../src/cycles/cycle-closer';
import { completeAnswers } from './answers';
import { admin, approver, CohortAgency, coordinator, IntakeHarness, operator, startIntake } from './harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const agencies: CohortAgency[] = [
  {
    agencyId: randomUUID(),
    agencyCode: 'DEP-001',
    nameTh: 'กรมทดสอบหนึ่ง',
    kind: 'department',
    group: 'department',
  },
  {
    agencyId: randomUUID(),
    agencyCode: 'DEP-002',
    nameTh: 'กรมทดสอบสอง',
    kind: 'department',
    group: 'department',
  },
  {
    agencyId: randomUUID(),
    agencyCode: 'REG-001-TH-50',
    nameTh: 'สำนักงานทดสอบจังหวัดเชียงใหม่',
    kind: 'regional_unit',
    group: 'provincial',
    ministryId: 'MOI',
    provinceCode: 'TH-50',
  },
];
const [A, B] = agencies;
const keyA = { cycleId: '2565', agencyId: A.agencyId };

describe('intake: cycles and responses on real PostgreSQL and NATS', () => {
  let h: IntakeHarness;
  let questionnaireId: string;

  const upload = async (
    agencyId: string,
    questionId: string,
    bytes: Buffer,
    actor = coordinator(agencyId),
    fileName = 'plan.pdf',
  ) => {
    const file = await h.files.put(
      { objectName: `import/${randomUUID()}`, fileName, contentType: 'application/pdf' },
      bytes,
    );
    return h.call(Rpc.EvidenceUpload, { cycleId: '2565', agencyId, questionId, file }, actor);
  };
  const get = (agencyId = A.agencyId) => h.call(Rpc.ResponseGet, { cycleId: '2565', agencyId }, operator);

  beforeAll(async () => {
    h = await startIntake('intake', {
      EVIDENCE_QUOTA_BYTES: String(64 * 1024),
      EVIDENCE_MAX_BYTES: String(32 * 1024),
    });
    h.cohort.cohorts.set('2565', agencies);
    const cycle = await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'การสำรวจระดับความพร้อมรัฐบาลดิจิทัล ปี 2565', en: 'Digital Government Readiness Survey 2022' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(cycle).toMatchObject({ id: '2565', status: 'draft', version: 1 });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    questionnaireId = q.id;
    const attached = await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId, version: 1 });
    const opened = await h.call(Rpc.CycleOpen, { cycleId: '2565' });
    expect(opened).toMatchObject({
      status: 'open',
      agencyCount: 3,
      questionnaireId: q.id,
      version: attached.version + 1,
    });
  });
  afterAll(async () => h?.close());

  it('refuses a broken questionnaire with every problem listed', async () => {
    const broken = structuredClone(sample2565) as unknown as {
      version: number;
      pillars: { indicators: { questions: { id: string; visibleIf?: unknown }[] }[] }[];
    };
    broken.version = 99;
    const first = broken.pillars[0].indicators[0].questions[0];
    broken.pillars[0].indicators[0].questions[1].id = first.id;
    first.visibleIf = { question: 'no-such-question', equals: true };
    const e = (await h
      .call(Rpc.QuestionnaireCreate, { definition: broken })
      .catch((x: unknown) => x)) as DomainError;
    expect(e.code).toBe('QUESTIONNAIRE_INVALID');
    expect(e.errors!.map((x) => x.code).sort()).toEqual(
      expect.arrayContaining(['DUPLICATE_ID', 'UNKNOWN_REFERENCE']),
    );
  });

  it('takes a response from not started to verified, through return and resubmission', async () => {
    expect((await get()).status).toBe('not_started');
    const evidence = new Map<string, string>();
    for (const question of allQuestions(sample2565).filter((x) => x.type === 'evidence')) {
      evidence.set(question.id, (await upload(A.agencyId, question.id, PDF)).id);
    }
    const answers = pruneHidden(
      sample2565,
      completeAnswers(sample2565, (id) => evidence.get(id)),
    );
    const ids = Object.keys(answers);
    const half = Object.fromEntries(ids.slice(0, Math.floor(ids.length / 2)).map((id) => [id, answers[id]]));

    let r: ResponseDetail = await h.call(
      Rpc.ResponseSave,
      { ...keyA, patch: { version: 1, answers: half } },
      coordinator(A.agencyId),
    );
    expect(r).toMatchObject({ status: 'in_progress', version: 2 });

    const incomplete = (await h
      .call(Rpc.ResponseSubmit, { ...keyA, version: 2 }, coordinator(A.agencyId))
      .catch((x: unknown) => x)) as DomainError;
    expect(incomplete.code).toBe('ANSWERS_INVALID');
    expect(incomplete.errors!.every((x) => x.code === 'REQUIRED')).toBe(true);
    expect((await get()).version).toBe(2); // nothing saved by a refused submission

    r = await h.call(Rpc.ResponseSave, { ...keyA, patch: { version: 2, answers } }, coordinator(A.agencyId));
    r = await h.call(Rpc.ResponseSubmit, { ...keyA, version: r.version }, coordinator(A.agencyId));
    expect(r.status).toBe('awaiting_approval');
    await expect(
      h.call(
        Rpc.ResponseSave,
        { ...keyA, patch: { version: r.version, answers: {} } },
        coordinator(A.agencyId),
      ),
    ).rejects.toMatchObject({
      code: 'RESPONSE_LOCKED',
      detail: expect.stringContaining('สถานะรอผู้บริหารอนุมัติ (awaiting_approval)'),
    });
    await expect(
      h.call(Rpc.ResponseApprove, { ...keyA, version: r.version }, coordinator(A.agencyId)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    r = await h.call(Rpc.ResponseApprove, { ...keyA, version: r.version }, approver(A.agencyId));
    expect(r).toMatchObject({ status: 'submitted', submissionCount: 1 });
    const first = r;

    // Verdicts without `complete` leave it submitted; the operator returns it for correction
    // (completing with a rejected answer verifies it instead: verified-event.int.test.ts).
    const [q1, q2] = Object.keys(r.answers);
    const text = allQuestions(sample2565).find((q) => q.type === 'text' && !q.visibleIf && q.id in answers)!;
    r = await h.call(
      Rpc.ResponseVerify,
      {
        ...keyA,
        input: {
          version: r.version,
          verdicts: [
            { questionId: q1, verdict: 'accepted' },
            { questionId: q2, verdict: 'rejected', comment: 'แนบเอกสารไม่ครบ' },
            { questionId: text.id, verdict: 'rejected', comment: 'ไม่ชัดเจน' },
          ],
        },
      },
      operator,
    );
    expect(r.status).toBe('submitted');
    const deadlineBefore = r.deadline;
    r = await h.call(
      Rpc.ResponseReturn,
      { ...keyA, version: r.version, comment: 'กรุณาแก้ไขข้อที่ระบุ' },
      operator,
    );
    expect(r).toMatchObject({ status: 'returned', returnComment: 'กรุณาแก้ไขข้อที่ระบุ' });
    expect(r.deadline >= deadlineBefore).toBe(true); // the 7-day correction window never shortens the cycle's 30 days

    // The correction changes one answer.
    const corrected = { ...answers, [text.id]: 'แก้ไขตามที่ผู้ตรวจแจ้ง (corrected)' };
    r = await h.call(
      Rpc.ResponseSave,
      {
        ...keyA,
        patch: { version: r.version, answers: { [q2]: answers[q2], [text.id]: corrected[text.id] } },
      },
      coordinator(A.agencyId),
    );
    r = await h.call(Rpc.ResponseSubmit, { ...keyA, version: r.version }, coordinator(A.agencyId));
    r = await h.call(Rpc.ResponseApprove, { ...keyA, version: r.version }, approver(A.agencyId));
    expect(r).toMatchObject({ status: 'resubmitted', submissionCount: 2 });
    // A verdict on an answer the agency changed no longer holds; verdicts on unchanged answers stay.
    expect(r.verdicts.map((v) => [v.questionId, v.verdict]).sort()).toEqual(
      [
        [q1, 'accepted'],
        [q2, 'rejected'],
      ].sort(),
    );
    const second = r;
    r = await h.call(
      Rpc.ResponseVerify,
      {
        ...keyA,
        input: { version: r.version, verdicts: [{ questionId: q2, verdict: 'accepted' }], complete: true },
      },
      operator,
    );
    expect(r.status).toBe('verified');

    const versions = (await h.ds.query(
      `SELECT submission FROM response_versions WHERE response_id = $1 ORDER BY 1`,
      [r.id],
    )) as { submission: number }[];
    expect(versions.map((v) => v.submission)).toEqual([1, 2]);
    await expect(h.ds.query(`UPDATE response_versions SET answers = '{}'`)).rejects.toThrow(/append-only/);

    // Each submission stays readable exactly as it was approved (scoring reads it as the system actor).
    const common = {
      responseId: r.id,
      cycleId: '2565',
      agencyId: A.agencyId,
      agencyCode: A.agencyCode,
      agencyName: A.nameTh,
      group: A.group,
      questionnaireId,
      questionnaireVersion: 1,
    };
    const sub1 = await h.call(Rpc.SubmissionGet, { responseId: r.id, submission: 1 }, SYSTEM_ACTOR);
    expect(sub1).toEqual({
      ...common,
      submission: 1,
      responseVersion: first.version,
      answers,
      submittedAt: first.submittedAt,
    });
    const sub2 = await h.call(Rpc.SubmissionGet, { responseId: r.id, submission: 2 }, operator);
    expect(sub2).toEqual({
      ...common,
      submission: 2,
      responseVersion: second.version,
      answers: corrected,
      submittedAt: second.submittedAt,
    });
    expect(sub1.answers[text.id]).not.toEqual(sub2.answers[text.id]);
    expect(sub2.responseVersion).toBeGreaterThan(sub1.responseVersion);
    await expect(
      h.call(Rpc.SubmissionGet, { responseId: r.id, submission: 3 }, operator),
    ).rejects.toMatchObject({ code: 'SUBMISSION_NOT_FOUND' });
    await expect(
      h.call(Rpc.SubmissionGet, { responseId: randomUUID(), submission: 1 }, admin),
    ).rejects.toMatchObject({ code: 'SUBMISSION_NOT_FOUND' });
    await expect(
      h.call(Rpc.SubmissionGet, { responseId: r.id, submission: 1 }, coordinator(A.agencyId)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const trail = await h.call(Rpc.ResponseAudit, keyA, coordinator(A.agencyId));
    expect(trail.items.map((a) => a.action)).toEqual([
      // Every evidence upload is in the trail too (evidence.int.test.ts).
      ...Array<string>(evidence.size).fill('evidence.uploaded'),
      'answers.save',
      'answers.save',
      'submit.for-approval',
      'approval.approved',
      'verify.verdicts',
      'return',
      'answers.save',
      'submit.for-approval',
      'approval.approved',
      'verify.complete',
    ]);
    // An upload leaves the response's version as it was (1 here, before the first save).
    const changes = trail.items.filter((a) => a.action !== 'evidence.uploaded');
    expect(trail.items.slice(0, evidence.size).map((a) => a.version)).toEqual(
      Array<number>(evidence.size).fill(1),
    );
    expect(changes.map((a) => a.version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(changes[0].changes).toMatchObject({ [ids[0]]: { before: null, after: answers[ids[0]] } });
  });

  it('never loses a concurrent edit: one of two saves on the same version gets 409 with the current version and answers', async () => {
    const start = (await get(B.agencyId)).version;
    const [yesNo] = allQuestions(sample2565).filter((q) => q.type === 'text' && !q.visibleIf);
    const save = (n: number, text: string) =>
      h.call(
        Rpc.ResponseSave,
        { cycleId: '2565', agencyId: B.agencyId, patch: { version: start, answers: { [yesNo.id]: text } } },
        coordinator(B.agencyId, n),
      );
    const results = await Promise.allSettled([
      save(1, 'ฉบับของผู้ประสานงานคนที่หนึ่ง'),
      save(2, 'ฉบับของผู้ประสานงานคนที่สอง'),
    ]);
    const ok = results.filter((x) => x.status === 'fulfilled');
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(ok).toHaveLength(1);
    const saved = await get(B.agencyId);
    expect(saved.version).toBe(start + 1);
    expect(saved.answers[yesNo.id]).toBe(
      (ok[0] as PromiseFulfilledResult<{ answers: Record<string, unknown> }>).value.answers[yesNo.id],
    );
    // The loser gets what it needs to merge per question without reading again: the whole answer
    // map now stored (the winner's text included), its status, when and by which coordinator.
    const winner = saved.answers[yesNo.id] === 'ฉบับของผู้ประสานงานคนที่หนึ่ง' ? 1 : 2;
    expect(failed[0].reason).toMatchObject({
      code: 'RESPONSE_VERSION_CONFLICT',
      meta: {
        currentVersion: start + 1,
        responseStatus: saved.status,
        answers: saved.answers,
        updatedAt: saved.updatedAt,
        updatedBy: coordinator(B.agencyId, winner).id,
      },
    });
  });

  it('serves many first saves at once after a restart (no pool starvation while caches are cold)', async () => {
    const many: CohortAgency[] = Array.from({ length: 24 }, (_, i) => ({
      agencyId: randomUUID(),
      agencyCode: `LOAD-${String(i).padStart(3, '0')}`,
      nameTh: `หน่วยงานทดสอบภาระ ${i}`,
      kind: 'department',
      group: 'department',
    }));
    h.cohort.cohorts.set('2565-load', many);
    await h.call(Rpc.CycleCreate, {
      id: '2565-load',
      yearBE: 2565,
      title: { th: 'ภาระ', en: 'Load' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565-load', questionnaireId, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565-load' });
    await h.restart();
    const text = allQuestions(sample2565).find((q) => q.type === 'text' && !q.visibleIf)!;
    const saves = await Promise.all(
      many.map((a) =>
        h.call(
          Rpc.ResponseSave,
          {
            cycleId: '2565-load',
            agencyId: a.agencyId,
            patch: { version: 1, answers: { [text.id]: a.nameTh } },
          },
          coordinator(a.agencyId),
        ),
      ),
    );
    expect(saves.map((r) => r.version)).toEqual(many.map(() => 2));
  });

  it('refuses unknown, hidden and wrongly typed answers precisely, and another agency’s response', async () => {
    const r = await get(B.agencyId);
    const number = allQuestions(sample2565).find((q) => q.type === 'number')!;
    const e = (await h
      .call(
        Rpc.ResponseSave,
        {
          cycleId: '2565',
          agencyId: B.agencyId,
          patch: { version: r.version, answers: { nope: 1, [number.id]: 'ten' } },
        },
        coordinator(B.agencyId),
      )
      .catch((x: unknown) => x)) as DomainError;
    expect(e.code).toBe('ANSWERS_INVALID');
    expect(e.errors!.map((x) => `${x.path}:${x.code}`).sort()).toEqual(
      [`${number.id}:WRONG_TYPE`, 'nope:UNKNOWN_QUESTION'].sort(),
    );
    expect((await get(B.agencyId)).version).toBe(r.version);

    const hidden = allQuestions(sample2565).find(
      (q) => q.visibleIf && 'question' in q.visibleIf && q.type !== 'evidence',
    );
    if (hidden) {
      const h2 = (await h
        .call(
          Rpc.ResponseSave,
          {
            cycleId: '2565',
            agencyId: B.agencyId,
            patch: { version: r.version, answers: { [hidden.id]: 'x' } },
          },
          coordinator(B.agencyId),
        )
        .catch((x: unknown) => x)) as DomainError;
      expect(h2.errors?.map((x) => x.code)).toContain('HIDDEN_QUESTION');
    }
    const nul = (await h
      .call(
        Rpc.ResponseSave,
        {
          cycleId: '2565',
          agencyId: B.agencyId,
          patch: {
            version: r.version,
            answers: {
              [number.id]: null,
              [allQuestions(sample2565).find((q) => q.type === 'text' && !q.visibleIf)!.id]:
                'ข้อความ\u0000จาก PDF',
            },
          },
        },
        coordinator(B.agencyId),
      )
      .catch((x: unknown) => x)) as DomainError;
    expect(nul.code).toBe('VALIDATION_FAILED');
    await expect(
      h.call(Rpc.CycleCreate, {
        id: 'be-year',
        yearBE: 2565,
        title: { th: 'ก', en: 'a' },
        opensAt: '2565-05-01',
        closesAt: '2565-07-31',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const evidenceQuestion = allQuestions(sample2565).find((q) => q.type === 'evidence' && !q.visibleIf)!;
    const foreign = (await h
      .call(
        Rpc.ResponseSave,
        {
          cycleId: '2565',
          agencyId: B.agencyId,
          patch: { version: r.version, answers: { [evidenceQuestion.id]: [randomUUID()] } },
        },
        coordinator(B.agencyId),
      )
      .catch((x: unknown) => x)) as DomainError;
    expect(foreign.errors?.map((x) => x.code)).toContain('UNKNOWN_EVIDENCE');
    await expect(
      h.call(Rpc.ResponseGet, { cycleId: '2565', agencyId: B.agencyId }, coordinator(A.agencyId)),
    ).rejects.toMatchObject({ code: 'RESPONSE_NOT_FOUND' });
    await expect(
      h.call(
        Rpc.ResponseSave,
        { cycleId: '2565', agencyId: B.agencyId, patch: { version: r.version, answers: {} } },
        coordinator(A.agencyId),
      ),
    ).rejects.toMatchObject({ code: 'RESPONSE_NOT_FOUND' });
  });

  it('starts the profile from the registry (one code list); autosave keeps the valid answers of a patch and names the invalid ones; completeness lists what is missing per pillar', async () => {
    const C = agencies[2];
    const keyC = { cycleId: '2565', agencyId: C.agencyId };
    const before = await get(C.agencyId);
    // Kind, ministry and province come from the agency's registry record, in the registry's codes.
    expect(before).toMatchObject({
      status: 'not_started',
      answers: { g_kind: 'regional_unit', g_ministry: 'MOI', g_province: 'TH-50' },
    });
    // A department has no province question, and B has no ministry in the registry.
    const b = (await get(B.agencyId)).answers;
    expect(b).toMatchObject({ g_kind: 'department', g_ministry: 'none' });
    expect(b).not.toHaveProperty('g_province');

    const empty = await h.call(Rpc.ResponseCompleteness, keyC, coordinator(C.agencyId));
    expect(empty).toMatchObject({ complete: false, status: 'not_started', version: before.version });
    expect(empty.sections.map((s) => s.pillarId)).toEqual([null, ...sample2565.pillars.map((p) => p.id)]);
    const general = empty.sections[0];
    expect(general.missing.map((m) => m.questionId)).toContain('g_address');
    expect(general.missing.map((m) => m.questionId)).not.toEqual(
      expect.arrayContaining(['g_kind', 'g_ministry', 'g_province']),
    );
    expect(general.missing.find((m) => m.questionId === 'g_address')).toMatchObject({
      code: 'REQUIRED',
      questionText: { th: 'ที่อยู่หน่วยงาน' },
    });

    const saved = await h.call(
      Rpc.ResponseSave,
      {
        ...keyC,
        patch: {
          version: before.version,
          answers: { g_ministry: 'no-such-ministry', g_staff_count: 'ten', g_address: 'เชียงใหม่' },
        },
      },
      coordinator(C.agencyId),
    );
    expect(saved).toMatchObject({ status: 'in_progress', version: before.version + 1 });
    expect(saved.answers).toMatchObject({ g_ministry: 'MOI', g_address: 'เชียงใหม่' }); // the refused one left as it was
    expect(saved.rejected.map((x) => `${x.questionId}:${x.code}`).sort()).toEqual([
      'g_ministry:NOT_AN_OPTION',
      'g_staff_count:WRONG_TYPE',
    ]);
    expect(saved.rejected.find((x) => x.questionId === 'g_ministry')?.questionText.th).toBe('สังกัดกระทรวง');
    expect(saved.rejected.find((x) => x.questionId === 'g_ministry')?.messageTh).toMatch(
      /^ข้อ “สังกัดกระทรวง” \(g_ministry\): /,
    );

    const after = await h.call(Rpc.ResponseCompleteness, keyC, coordinator(C.agencyId));
    const missing = after.sections[0].missing.map((m) => m.questionId);
    expect(missing).toContain('g_staff_count');
    expect(missing).not.toContain('g_address');
    expect(after.answered).toBe(empty.answered + 1);
    await expect(h.call(Rpc.ResponseCompleteness, keyC, coordinator(A.agencyId))).rejects.toMatchObject({
      code: 'RESPONSE_NOT_FOUND',
    });
    const audit = await h.call(Rpc.ResponseAudit, keyC, operator);
    expect(audit.items.at(-1)?.changes).toMatchObject({
      rejected: expect.arrayContaining([{ questionId: 'g_ministry', code: 'NOT_AN_OPTION' }]),
    });
    // Cleared again: a later test counts the answers carried over by the responses being answered.
    await h.call(
      Rpc.ResponseSave,
      {
        ...keyC,
        patch: {
          version: saved.version,
          answers: { g_kind: null, g_ministry: null, g_province: null, g_address: null },
        },
      },
      coordinator(C.agencyId),
    );
  });

  it('checks evidence from its content, its size and the agency quota', async () => {
    const question = allQuestions(sample2565).find((q) => q.type === 'evidence')!;
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
    await expect(
      upload(B.agencyId, question.id, exe, coordinator(B.agencyId), 'plan.pdf'),
    ).rejects.toMatchObject({
      code: 'EVIDENCE_TYPE_NOT_ALLOWED',
      meta: { detected: 'application/x-msdownload' },
      detail: expect.stringMatching(/^ไฟล์นี้เป็นโปรแกรม Windows \(\.exe\) แต่ข้อนี้รับเฉพาะ ไฟล์ PDF/),
    });
    const big = Buffer.concat([PDF, Buffer.alloc(40 * 1024)]);
    await expect(upload(B.agencyId, question.id, big, coordinator(B.agencyId))).rejects.toMatchObject({
      code: 'EVIDENCE_TOO_LARGE',
    });
    const chunk = Buffer.concat([PDF, Buffer.alloc(30 * 1024)]);
    const ok = await upload(B.agencyId, question.id, chunk, coordinator(B.agencyId));
    expect(ok.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ok.contentType).toBe('application/pdf');
    await upload(B.agencyId, question.id, chunk, coordinator(B.agencyId));
    await expect(upload(B.agencyId, question.id, chunk, coordinator(B.agencyId))).rejects.toMatchObject({
      code: 'EVIDENCE_TOO_LARGE',
      meta: { quotaBytes: 65536 },
    });
    const back = await h.call(Rpc.EvidenceGet, { id: ok.id }, operator);
    expect(Buffer.from((await h.files.get(back.objectName))!)).toEqual(chunk);
    await expect(h.call(Rpc.EvidenceGet, { id: ok.id }, coordinator(A.agencyId))).rejects.toMatchObject({
      code: 'EVIDENCE_NOT_FOUND',
    });
  });

  it('enforces the deadline on the server, with a per-agency extension by an operator', async () => {
    await h.call(Rpc.CycleCreate, {
      id: '2565-late',
      yearBE: 2565,
      title: { th: 'รอบทดสอบกำหนดส่ง', en: 'Deadline test' },
      opensAt: '2022-05-01',
      closesAt: '2022-07-31',
    });
    h.cohort.cohorts.set('2565-late', agencies);
    const cycle = await h.call(Rpc.QuestionnaireAttach, {
      cycleId: '2565-late',
      questionnaireId,
      version: 1,
    });
    expect(cycle.version).toBe(2);
    await h.call(Rpc.CycleOpen, { cycleId: '2565-late' });
    const key = { cycleId: '2565-late', agencyId: A.agencyId };
    const text = allQuestions(sample2565).find((q) => q.type === 'text' && !q.visibleIf)!;
    const late = (await h
      .call(
        Rpc.ResponseSave,
        { ...key, patch: { version: 1, answers: { [text.id]: 'สาย' } } },
        coordinator(A.agencyId),
      )
      .catch((x: unknown) => x)) as DomainError;
    expect(late).toMatchObject({ code: 'DEADLINE_PASSED', meta: { deadline: '2022-07-31T16:59:59.999Z' } });
    expect(late.detail).toContain('31 กรกฎาคม 2565 เวลา 23:59');
    // An "extension" that ends before the cycle does is refused: it would change nothing.
    const early = (await h
      .call(Rpc.ResponseExtend, { ...key, until: '2022-07-30T17:00:00.000Z', reason: 'ก่อนปิดรอบ' }, operator)
      .catch((x: unknown) => x)) as DomainError;
    expect(early).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(early.detail).toContain('31 กรกฎาคม 2565');
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const extended = await h.call(
      Rpc.ResponseExtend,
      { ...key, until, reason: 'ระบบของหน่วยงานขัดข้อง' },
      operator,
    );
    expect(extended.deadline).toBe(until);
    // The closing time passed: the sweeper closes the cycle (and says so once) ...
    expect(await h.app.get(CycleCloser).sweep()).toEqual(['2565-late']);
    expect(await h.app.get(CycleCloser).sweep()).toEqual([]);
    expect((await h.call(Rpc.CycleGet, { cycleId: '2565-late' })).status).toBe('closed');
    // ... and the agency with an extension can still finish.
    const saved = await h.call(
      Rpc.ResponseSave,
      { ...key, patch: { version: extended.version, answers: { [text.id]: 'ทันเวลา' } } },
      coordinator(A.agencyId),
    );
    expect(saved.status).toBe('in_progress');
    // The extension is for that agency only.
    await expect(
      h.call(
        Rpc.ResponseSave,
        { cycleId: '2565-late', agencyId: B.agencyId, patch: { version: 1, answers: { [text.id]: 'x' } } },
        coordinator(B.agencyId),
      ),
    ).rejects.toMatchObject({ code: 'DEADLINE_PASSED' });
  });

  it('reports progress by status and group, and exports every answer as CSV', async () => {
    const p = await h.call(Rpc.CycleProgress, { cycleId: '2565' }, operator);
    expect(p).toMatchObject({ total: 3, submitted: 1, responseRate: 33.33 });
    expect(p.byGroup.department).toMatchObject({ total: 2, submitted: 1, responseRate: 50 });
    expect(p.byStatus.verified).toBe(1);
    // A DGA admin's export carries every answer (an operator's leaves personal data out: responses-export.int.test.ts).
    const file = await h.call(Rpc.ResponseExport, { cycleId: '2565', format: 'csv' }, admin);
    const text = Buffer.from((await h.files.get(file.objectName))!).toString('utf8');
    const lines = text.trim().split('\r\n');
    const answered = (await h.ds.query(
      `SELECT sum((SELECT count(*) FROM jsonb_object_keys(answers)))::int AS n FROM responses WHERE cycle_id = '2565'`,
    )) as { n: number }[];
    expect(lines).toHaveLength(answered[0].n + 1);
    expect(lines[0]).toContain('cycle_id,agency_code,agency_name');
    await expect(
      h.call(Rpc.ResponseExport, { cycleId: '2565', format: 'csv' }, coordinator(A.agencyId)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const xlsx = await h.call(Rpc.ResponseExport, { cycleId: '2565', format: 'xlsx' }, admin);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from((await h.files.get(xlsx.objectName))!) as unknown as ArrayBuffer);
    // XLSX is wide: one row per agency, one column per question of the cycle's questionnaire.
    const sheet = workbook.worksheets[0];
    expect(sheet.actualRowCount).toBe(3 + 1);
    expect(sheet.getRow(1).cellCount).toBe(6 + allQuestions(sample2565).length);
    const rowA = [2, 3, 4].map((n) => sheet.getRow(n)).find((row) => row.getCell(2).text === A.agencyCode)!;
    expect(rowA.getCell(5).text).toBe('verified');

    const metrics = await h.app.get(Metrics).registry.metrics();
    expect(metrics).toMatch(/intake_responses\{[^}]*status="verified"[^}]*\} 1/);
  });

  it('freezes the questionnaire of an open cycle; a corrected version carries matching answers over', async () => {
    const cycle = await h.call(Rpc.CycleGet, { cycleId: '2565' });
    const other = await h.call(Rpc.QuestionnaireCreate, {
      definition: { ...structuredClone(sample2565), id: 'another-questionnaire' },
    });
    await expect(
      h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: other.id, version: cycle.version }),
    ).rejects.toMatchObject({ code: 'QUESTIONNAIRE_NOT_A_REVISION' });

    const corrected = structuredClone(sample2565) as unknown as {
      version: number;
      general: { questions: { id: string; type: string }[] };
    };
    corrected.version = 2;
    const before = await get(B.agencyId);
    // The correction renames one answered question: its answer cannot carry over.
    // (a text question: renaming one that a condition names would make the definition invalid)
    const target = corrected.general.questions.find((q) => q.id in before.answers && q.type === 'text')!;
    const changed = { id: target.id };
    target.id = `${changed.id}_v2`;
    // Only responses still being answered move; A (verified) stays on the version it was checked against.
    const [{ n: holders }] = (await h.ds.query(
      `SELECT count(*)::int AS n FROM responses WHERE cycle_id = '2565' AND answers ? $1 AND status IN ('not_started', 'in_progress', 'returned')`,
      [changed.id],
    )) as { n: number }[];
    const v2 = await h.call(Rpc.QuestionnaireCreate, { definition: corrected });
    const attached = await h.call(Rpc.QuestionnaireAttach, {
      cycleId: '2565',
      questionnaireId: v2.id,
      version: cycle.version,
    });
    expect(attached.questionnaireVersion).toBe(2);
    // B is the only response still being answered that has answers: all but the renamed one carry over.
    expect(attached.carriedOver).toBe(Object.keys(before.answers).length - 1);
    const after = await get(B.agencyId);
    expect(after.questionnaireVersion).toBe(2);
    expect(after.version).toBe(before.version + 1);
    expect(attached.droppedAnswers).toBe(holders);
    expect(holders).toBeGreaterThanOrEqual(1);
    expect(after.answers[changed.id]).toBeUndefined();
    expect(Object.keys(after.answers)).toHaveLength(Object.keys(before.answers).length - 1);
    const trail = await h.call(Rpc.ResponseAudit, { cycleId: '2565', agencyId: B.agencyId }, operator);
    expect(trail.items.at(-1)).toMatchObject({ action: 'questionnaire.corrected' });
    expect((await get(A.agencyId)).questionnaireVersion).toBe(1);
  });
});
