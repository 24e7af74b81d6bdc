import { randomUUID } from 'node:crypto';
import { type EventEnvelope, Events, Rpc, Streams, type ResponseDetail } from '@dg/contracts';
import { DurableConsumer, Metrics, Nats } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { DataSource } from 'typeorm';
import { completeAnswers } from './answers';
import { approver, coordinator, IntakeHarness, operator, startIntake } from './harness';

/**
 * An operator may finish verification with some answers rejected: the response is verified, and
 * `intake.response.verified` (through the outbox) carries the rejected verdicts, so scoring gives
 * those answers no points.
 */
describe('verification completes with rejected answers', () => {
  let h: IntakeHarness;
  const agencyId = randomUUID();
  const key = { cycleId: '2565', agencyId };

  beforeAll(async () => {
    h = await startIntake('intakever');
    h.cohort.cohorts.set('2565', [
      { agencyId, agencyCode: 'DEP-VER', nameTh: 'กรมตรวจสอบ', kind: 'department', group: 'department' },
    ]);
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    await h.call(Rpc.CycleOpen, { cycleId: '2565' });
    await h.ds.query(`CREATE TABLE received (event_id uuid, verdicts jsonb)`);
  });
  afterAll(async () => h?.close());

  it('verifies the response and the event carries the rejected verdict', async () => {
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
      { ...key, patch: { version: 1, answers } },
      coordinator(agencyId),
    );
    r = await h.call(Rpc.ResponseSubmit, { ...key, version: r.version }, coordinator(agencyId));
    r = await h.call(Rpc.ResponseApprove, { ...key, version: r.version }, approver(agencyId));
    expect(r.status).toBe('submitted');

    const consumer = new DurableConsumer(
      {
        stream: Streams.INTAKE,
        durable: 'test-verified',
        subjects: [Events.ResponseVerified],
        handle: async (event, m) => {
          await m.query(`INSERT INTO received VALUES ($1, $2)`, [
            event.id,
            JSON.stringify(event.payload.verdicts),
          ]);
        },
      },
      h.app.get(Nats),
      h.app.get(DataSource),
      h.app.get(Metrics),
    );
    await consumer.start();
    try {
      const [q1, q2] = Object.keys(r.answers);
      await expect(
        h.call(
          Rpc.ResponseVerify,
          {
            ...key,
            input: {
              version: r.version,
              verdicts: [{ questionId: 'no-such-question', verdict: 'rejected' }],
              complete: true,
            },
          },
          operator,
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      r = await h.call(
        Rpc.ResponseVerify,
        {
          ...key,
          input: {
            version: r.version,
            verdicts: [
              { questionId: q1, verdict: 'accepted' },
              { questionId: q2, verdict: 'rejected', comment: 'เอกสารไม่ตรงกับคำตอบ' },
            ],
            complete: true,
          },
        },
        operator,
      );
      expect(r.status).toBe('verified');
      expect(r.verdicts.find((v) => v.questionId === q2)).toMatchObject({
        verdict: 'rejected',
        comment: 'เอกสารไม่ตรงกับคำตอบ',
      });
      const verdicts = [
        { questionId: q1, verdict: 'accepted' },
        { questionId: q2, verdict: 'rejected' },
      ];

      // Written to the outbox in the verification's transaction ...
      const rows = (await h.ds.query(`SELECT envelope FROM outbox WHERE subject = $1`, [
        Events.ResponseVerified,
      ])) as {
        envelope: EventEnvelope<typeof Events.ResponseVerified>;
      }[];
      expect(rows).toHaveLength(1);
      expect(rows[0].envelope.payload).toMatchObject({
        responseId: r.id,
        agencyCode: 'DEP-VER',
        submission: 1,
        responseVersion: r.version,
        verdicts,
      });

      // ... and published to JetStream, where a consumer receives it.
      await waitFor(async () => {
        const [row] = (await h.ds.query(`SELECT count(*)::int AS n FROM received`)) as { n: number }[];
        return row.n >= 1;
      }, 30_000);
      const received = (await h.ds.query(`SELECT event_id, verdicts FROM received`)) as {
        event_id: string;
        verdicts: unknown;
      }[];
      expect(received).toEqual([{ event_id: rows[0].envelope.id, verdicts }]);
    } finally {
      await consumer.stop();
    }

    // Verified is final: no further verdicts.
    await expect(
      h.call(
        Rpc.ResponseVerify,
        { ...key, input: { version: r.version, verdicts: [], complete: true } },
        operator,
      ),
    ).rejects.toMatchObject({ code: 'RESPONSE_LOCKED' });
  });
});
