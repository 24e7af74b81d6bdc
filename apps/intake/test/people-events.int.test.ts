import { randomUUID } from 'node:crypto';
import { type Actor, Events, Rpc, type ResponseDetail } from '@dg/contracts';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { completeAnswers } from './answers';
import { approver, CohortAgency, coordinator, IntakeHarness, startIntake } from './harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const A: CohortAgency = {
  agencyId: randomUUID(),
  agencyCode: 'DEP-102',
  nameTh: 'กรมทดสอบการแจ้งผู้เกี่ยวข้อง',
  kind: 'department',
  group: 'department',
};
const key = { cycleId: '2565', agencyId: A.agencyId };

/**
 * The steps inside an agency are events too, so notifications can tell the people involved: the
 * request for approval (to the approvers), the approver's send-back with its comment (to the
 * coordinators), and the submission naming the coordinator who sent it (a receipt for them).
 */
describe('intake: events for the people of an agency', () => {
  let h: IntakeHarness;
  const outbox = async (subject: string) =>
    (
      (await h.ds.query(`SELECT envelope FROM outbox WHERE subject = $1 ORDER BY created_at`, [subject])) as {
        envelope: { actor: Actor; payload: Record<string, unknown> };
      }[]
    ).map((r) => r.envelope);

  beforeAll(async () => {
    h = await startIntake('peopleevents');
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

  it('records approval requested, sent back (with the comment) and who submitted', async () => {
    const coord = coordinator(A.agencyId);
    const head = approver(A.agencyId);
    const evidence = new Map<string, string>();
    for (const question of allQuestions(sample2565).filter((x) => x.type === 'evidence')) {
      const file = await h.files.put(
        { objectName: `import/${randomUUID()}`, fileName: 'plan.pdf', contentType: 'application/pdf' },
        PDF,
      );
      evidence.set(
        question.id,
        (await h.call(Rpc.EvidenceUpload, { ...key, questionId: question.id, file }, coord)).id,
      );
    }
    const answers = pruneHidden(
      sample2565,
      completeAnswers(sample2565, (id) => evidence.get(id)),
    );
    let r: ResponseDetail = await h.call(Rpc.ResponseSave, { ...key, patch: { version: 1, answers } }, coord);
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, coord);
    const [requested] = await outbox(Events.ResponseApprovalRequested);
    expect(requested.actor.id).toBe(coord.id);
    expect(requested.payload).toMatchObject({
      cycleId: '2565',
      responseId: r.id,
      agencyId: A.agencyId,
      agencyCode: 'DEP-102',
      responseVersion: r.version,
      submission: 1,
    });

    r = await h.call(
      Rpc.ResponseApprove,
      { ...key, version: r.version, decision: 'reject', comment: 'โปรดแนบแผนฉบับลงนาม' },
      head,
    );
    const [back] = await outbox(Events.ResponseSentBack);
    expect(back.actor.id).toBe(head.id);
    expect(back.payload).toMatchObject({
      responseVersion: r.version,
      comment: 'โปรดแนบแผนฉบับลงนาม',
      submittedBy: coord.id,
    });

    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, coord);
    await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, head);
    expect(await outbox(Events.ResponseApprovalRequested)).toHaveLength(2);
    const [submitted] = await outbox(Events.ResponseSubmitted);
    expect(submitted.payload).toMatchObject({ submission: 1, submittedBy: coord.id });
    expect(submitted.actor.id).toBe(head.id);
  });
});
