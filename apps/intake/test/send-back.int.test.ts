import { randomUUID } from 'node:crypto';
import { DomainError, type EventEnvelope, Events, Rpc } from '@dg/contracts';
import { allQuestions, sample2565 } from '@dg/survey-model';
import { approver, coordinator, IntakeHarness, operator, startIntake } from './harness';

const DAY = 86_400_000;

/** The end of a day in Asia/Bangkok, as a plain date `YYYY-MM-DD` means it. */
const endOfBangkokDay = (day: string) => new Date(`${day}T23:59:59.999+07:00`).toISOString();
/** The Bangkok calendar day `days` from now. */
const bangkokDay = (days: number) =>
  new Date(Date.now() + days * DAY + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Issue 14 items 6 and 7: sending a response back. DGA's return (a deadline in the past or before
 * the agency's own is refused with a Thai message, a plain date is the end of that day in
 * Bangkok, the message lists the questions to fix with the verifier's remarks) and the head's
 * send-back (needs a comment, shown to the coordinator as the head's; the approval comment kept).
 */
describe('sending a response back: DGA returns and the head’s send-back', () => {
  let h: IntakeHarness;
  const A = randomUUID();
  const B = randomUUID();
  const keyOf = (agencyId: string) => ({ cycleId: '2565', agencyId });
  const texts = allQuestions(sample2565).filter((q) => q.type === 'text' && !q.visibleIf);
  const [q1, q2] = texts;

  const fail = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as DomainError);
  const get = (agencyId: string) => h.call(Rpc.ResponseGet, keyOf(agencyId), operator);
  /** Puts a response straight into a state (the full path is responses.int.test.ts). */
  const setState = async (agencyId: string, status: string, submissionCount: number) => {
    await h.ds.query(
      `UPDATE responses SET status = $1, submission_count = $2, answers = $3 WHERE cycle_id = '2565' AND agency_id = $4`,
      [status, submissionCount, JSON.stringify({ [q1.id]: 'หนึ่ง', [q2.id]: 'สอง' }), agencyId],
    );
    return get(agencyId);
  };

  beforeAll(async () => {
    h = await startIntake('intakesendback');
    h.cohort.cohorts.set('2565', [
      { agencyId: A, agencyCode: 'DEP-RET', nameTh: 'กรมส่งกลับ', kind: 'department', group: 'department' },
      { agencyId: B, agencyCode: 'DEP-HEAD', nameTh: 'กรมหัวหน้า', kind: 'department', group: 'department' },
    ]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
  });
  afterAll(async () => h?.close());

  it('refuses a correction deadline in the past or before the agency’s own, with a Thai message, and changes nothing', async () => {
    let r = await setState(A, 'submitted', 1);
    r = await h.call(
      Rpc.ResponseVerify,
      {
        ...keyOf(A),
        input: {
          version: r.version,
          // Rejected in the reverse order of the questionnaire: the message follows the questionnaire.
          verdicts: [
            { questionId: q2.id, verdict: 'rejected', comment: 'ไม่ชัดเจน' },
            { questionId: q1.id, verdict: 'rejected', comment: 'แนบเอกสารไม่ครบ' },
          ],
        },
      },
      operator,
    );
    const past = await fail(
      h.call(
        Rpc.ResponseReturn,
        { ...keyOf(A), version: r.version, comment: 'แก้ไข', extendUntil: '2022-08-05' },
        operator,
      ),
    );
    expect(past).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'extendUntil', code: 'DEADLINE_IN_PAST' })],
    });
    expect(past!.detail).toMatch(/^กำหนดส่ง 5 สิงหาคม 2565 เวลา 23:59 ผ่านไปแล้ว/);
    // The cycle closes in 30 days: a correction deadline in 10 would shorten the agency's time.
    const early = await fail(
      h.call(
        Rpc.ResponseReturn,
        { ...keyOf(A), version: r.version, comment: 'แก้ไข', extendUntil: bangkokDay(10) },
        operator,
      ),
    );
    expect(early).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'extendUntil', code: 'BEFORE_CURRENT_DEADLINE' })],
    });
    expect(early!.detail).toContain('กำหนดส่งเดิมของหน่วยงาน');
    // A Buddhist Era year is refused with its hint, not read as a year 543 years later.
    const buddhist = await fail(
      h.call(
        Rpc.ResponseReturn,
        { ...keyOf(A), version: r.version, comment: 'แก้ไข', extendUntil: '2565-09-01' },
        operator,
      ),
    );
    expect(buddhist).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(buddhist!.errors)).toContain('B.E.');
    expect(await get(A)).toMatchObject({ status: 'submitted', version: r.version });
  });

  it('takes a plain date as the end of that day in Bangkok, and the returned event lists the questions with the remarks', async () => {
    const r = await get(A);
    const day = bangkokDay(40);
    const returned = await h.call(
      Rpc.ResponseReturn,
      { ...keyOf(A), version: r.version, comment: 'กรุณาแก้ไขข้อที่ระบุ', extendUntil: day },
      operator,
    );
    expect(returned).toMatchObject({
      status: 'returned',
      deadline: endOfBangkokDay(day),
      returnComment: 'กรุณาแก้ไขข้อที่ระบุ',
      sentBack: { by: 'verifier', actorId: operator.id, comment: 'กรุณาแก้ไขข้อที่ระบุ' },
    });
    const [event] = (
      (await h.ds.query(`SELECT envelope FROM outbox WHERE subject = $1`, [Events.ResponseReturned])) as {
        envelope: EventEnvelope<typeof Events.ResponseReturned>;
      }[]
    ).map((x) => x.envelope);
    expect(event.payload).toMatchObject({
      deadline: endOfBangkokDay(day),
      rejectedQuestions: [q1.id, q2.id],
      rejected: [
        { questionId: q1.id, textTh: q1.text.th, textEn: q1.text.en, comment: 'แนบเอกสารไม่ครบ' },
        { questionId: q2.id, textTh: q2.text.th, textEn: q2.text.en, comment: 'ไม่ชัดเจน' },
      ],
    });
  });

  it('extends with a plain date to the end of that day in Bangkok', async () => {
    const day = bangkokDay(45);
    const extended = await h.call(
      Rpc.ResponseExtend,
      { ...keyOf(B), until: day, reason: 'ระบบขัดข้อง' },
      operator,
    );
    expect(extended.deadline).toBe(endOfBangkokDay(day));
    const buddhist = await fail(
      h.call(Rpc.ResponseExtend, { ...keyOf(B), until: '2565-09-01', reason: 'ปี พ.ศ.' }, operator),
    );
    expect(JSON.stringify(buddhist!.errors)).toContain('B.E.');
  });

  it('needs the head’s comment to send back, shows it to the coordinator as the head’s, and keeps the approval comment', async () => {
    // B was returned by DGA before: the coordinator corrected it and sent it to the head again.
    await h.ds.query(`UPDATE responses SET return_comment = 'ความเห็นเดิมของ สพร.' WHERE agency_id = $1`, [B]);
    let r = await setState(B, 'awaiting_approval', 1);
    for (const comment of [undefined, null, '   ']) {
      const refused = await fail(
        h.call(
          Rpc.ResponseApprove,
          { ...keyOf(B), version: r.version, decision: 'reject', comment },
          approver(B),
        ),
      );
      expect(refused).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: 'comment', code: 'REQUIRED' })],
      });
      expect(refused!.detail).toMatch(/^กรุณาระบุเหตุผลที่ส่งกลับ/);
    }
    r = await h.call(
      Rpc.ResponseApprove,
      { ...keyOf(B), version: r.version, decision: 'reject', comment: 'ตัวเลขงบประมาณไม่ตรงกับเอกสาร' },
      approver(B),
    );
    // The coordinator reads the head's comment as the head's, not DGA's older one.
    const seen = await h.call(Rpc.ResponseGet, keyOf(B), coordinator(B));
    expect(seen).toMatchObject({
      status: 'returned',
      returnComment: 'ความเห็นเดิมของ สพร.',
      sentBack: { by: 'approver', actorId: approver(B).id, comment: 'ตัวเลขงบประมาณไม่ตรงกับเอกสาร' },
    });

    await h.ds.query(`UPDATE responses SET status = 'awaiting_approval' WHERE agency_id = $1`, [B]);
    r = await h.call(
      Rpc.ResponseApprove,
      { ...keyOf(B), version: r.version, comment: 'ตรวจแล้ว ถูกต้อง' },
      approver(B),
    );
    expect(r).toMatchObject({ status: 'resubmitted', sentBack: null });
    const audit = await h.call(Rpc.ResponseAudit, keyOf(B), operator);
    expect(
      audit.items.filter((a) => a.action.startsWith('approval.')).map((a) => [a.action, a.changes]),
    ).toEqual([
      ['approval.rejected', { comment: 'ตัวเลขงบประมาณไม่ตรงกับเอกสาร' }],
      ['approval.approved', expect.objectContaining({ submission: 2, comment: 'ตรวจแล้ว ถูกต้อง' })],
    ]);
  });
});
