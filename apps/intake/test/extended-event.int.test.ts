import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type EventEnvelope, Events, Rpc, Streams, type ResponseDetail } from '@dg/contracts';
import { DurableConsumer, Metrics, Nats } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { completeAnswers } from './answers';
import { approver, coordinator, IntakeHarness, operator, startIntake } from './harness';

const DAY = 86_400_000;

/**
 * An agency's own deadline leaves intake with the change that sets it: an extension as
 * `intake.response.extended`, a return as `intake.response.returned`, both through the outbox in
 * the same transaction and both with the response's version after the change, so a consumer
 * (notifications' reminders) can apply them in order.
 */
describe('intake.response.extended', () => {
  let h: IntakeHarness;
  let consumer: DurableConsumer<typeof Events.ResponseExtended | typeof Events.ResponseReturned>;
  const agencyId = randomUUID();
  const key = { cycleId: '2565', agencyId };

  type DeadlineEvent = EventEnvelope<typeof Events.ResponseExtended | typeof Events.ResponseReturned>;
  const written = async () =>
    (
      (await h.ds.query(`SELECT envelope FROM outbox WHERE subject = ANY($1) ORDER BY created_at`, [
        [Events.ResponseExtended, Events.ResponseReturned],
      ])) as { envelope: DeadlineEvent }[]
    ).map((r) => r.envelope);
  const received = async () =>
    (await h.ds.query(`SELECT event_id, type, version FROM received ORDER BY version`)) as {
      event_id: string;
      type: string;
      version: number;
    }[];

  beforeAll(async () => {
    h = await startIntake('intakeext');
    h.cohort.cohorts.set('2565', [
      { agencyId, agencyCode: 'DEP-EXT', nameTh: 'กรมขยายเวลา', kind: 'department', group: 'department' },
    ]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + DAY).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
    await h.ds.query(`CREATE TABLE received (event_id uuid, type text, version int, deadline text)`);
    consumer = new DurableConsumer(
      {
        stream: Streams.INTAKE,
        durable: 'test-extended',
        subjects: [Events.ResponseExtended, Events.ResponseReturned],
        handle: async (event, m) => {
          await m.query(`INSERT INTO received VALUES ($1, $2, $3, $4)`, [
            event.id,
            event.type,
            event.payload.responseVersion ?? null,
            event.payload.deadline,
          ]);
        },
      },
      h.app.get(Nats),
      h.app.get(DataSource),
      h.app.get(Metrics),
    );
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.stop();
    await h?.close();
  });

  it('writes the extension to the outbox with its deadline, reason and version, and a consumer receives it', async () => {
    const until = new Date(Date.now() + 5 * DAY).toISOString();
    const reason = 'ระบบของหน่วยงานขัดข้อง (the agency’s systems were down)';
    const extended = await h.call(Rpc.ResponseExtend, { ...key, until, reason }, operator);
    expect(extended.deadline).toBe(until);

    const [event] = await written();
    expect(event).toMatchObject({
      type: Events.ResponseExtended,
      actor: { id: operator.id },
      payload: {
        cycleId: '2565',
        responseId: extended.id,
        agencyId,
        agencyCode: 'DEP-EXT',
        deadline: until,
        reason,
        responseVersion: extended.version,
      },
    });
    // The same change is in the audit trail.
    const audit = await h.call(Rpc.ResponseAudit, key, operator);
    expect(audit.items.at(-1)).toMatchObject({
      action: 'deadline.extended',
      version: extended.version,
      changes: { until, reason },
    });
    await waitFor(async () => ((await received()).length === 1 ? true : undefined), 30_000);
    expect(await received()).toEqual([
      { event_id: event.id, type: Events.ResponseExtended, version: extended.version },
    ]);
  });

  it('gives each later change a higher version, a return included, and writes nothing for a refused extension', async () => {
    // A second extension, then the agency answers, submits and is returned for correction.
    const later = new Date(Date.now() + 8 * DAY).toISOString();
    const second = await h.call(Rpc.ResponseExtend, { ...key, until: later, reason: 'ขยายเพิ่ม' }, operator);
    const evidence = new Map<string, string>();
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    for (const question of allQuestions(sample2565).filter((x) => x.type === 'evidence')) {
      const file = await h.files.put(
        { objectName: `import/${randomUUID()}`, fileName: 'a.pdf', contentType: 'application/pdf' },
        pdf,
      );
      evidence.set(
        question.id,
        (await h.call(Rpc.EvidenceUpload, { ...key, questionId: question.id, file }, coordinator(agencyId)))
          .id,
      );
    }
    const answers = pruneHidden(
      sample2565,
      completeAnswers(sample2565, (id) => evidence.get(id)),
    );
    let r: ResponseDetail = await h.call(
      Rpc.ResponseSave,
      { ...key, patch: { version: second.version, answers } },
      coordinator(agencyId),
    );
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, coordinator(agencyId));
    r = await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, approver(agencyId));
    const returned = await h.call(
      Rpc.ResponseReturn,
      { ...key, version: r.version, comment: 'แนบหลักฐานที่ลงนามแล้ว' },
      operator,
    );
    // The return never shortens the time the agency had: its deadline stays the extension's.
    expect(returned.deadline).toBe(later);

    const events = await written();
    expect(events.map((e) => [e.type, e.payload.responseVersion, e.payload.deadline])).toEqual([
      [Events.ResponseExtended, second.version - 1, expect.any(String)],
      [Events.ResponseExtended, second.version, later],
      [Events.ResponseReturned, returned.version, later],
    ]);
    await waitFor(async () => ((await received()).length === 3 ? true : undefined), 30_000);
    expect((await received()).map((e) => e.version)).toEqual([
      second.version - 1,
      second.version,
      returned.version,
    ]);

    // Corrected, approved again and verified: verified is final, so extending it is refused, and
    // no event leaves for the refused change.
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: returned.version }, coordinator(agencyId));
    r = await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, approver(agencyId));
    r = await h.call(
      Rpc.ResponseVerify,
      { ...key, input: { version: r.version, verdicts: [], complete: true } },
      operator,
    );
    expect(r.status).toBe('verified');
    await expect(
      h.call(
        Rpc.ResponseExtend,
        { ...key, until: new Date(Date.now() + 9 * DAY).toISOString(), reason: 'x' },
        operator,
      ),
    ).rejects.toMatchObject({ code: 'RESPONSE_LOCKED' });
    expect(await written()).toHaveLength(3);
  });
});
