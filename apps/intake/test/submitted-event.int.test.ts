import { randomUUID } from 'node:crypto';
import { Events, Rpc, Streams, type ResponseDetail } from '@dg/contracts';
import { DurableConsumer, Metrics, Nats } from '@dg/platform';
import { PrivateNatsServer, waitFor } from '@dg/platform/testing';
import { allQuestions, pruneHidden, sample2565 } from '@dg/survey-model';
import { DataSource } from 'typeorm';
import { completeAnswers } from './answers';
import { ResponsesService } from '../src/responses/responses.service';
import { approver, coordinator, IntakeHarness, startIntake } from './harness';

/**
 * The submitted event leaves through the outbox: approved while NATS is down, it is published
 * once NATS is back, and a durable consumer with an inbox handles it exactly once.
 */
describe('intake.response.submitted reaches a consumer exactly once after NATS was down', () => {
  let nats: PrivateNatsServer;
  let h: IntakeHarness;
  const agencyId = randomUUID();

  beforeAll(async () => {
    nats = await PrivateNatsServer.start();
    h = await startIntake('intakeevt', { NATS_URL: nats.url });
    h.cohort.cohorts.set('2565', [
      { agencyId, agencyCode: 'DEP-EVT', nameTh: 'กรมเหตุการณ์', kind: 'department', group: 'department' },
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
    await h.ds.query(`CREATE TABLE received (event_id uuid, agency_code text)`);
  });
  afterAll(async () => {
    await h?.close();
    await nats?.stop();
  });

  it('publishes after NATS comes back and is handled once', async () => {
    const key = { cycleId: '2565', agencyId };
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

    // The consumer: durable, inbox-backed, as scoring and notifications will run it.
    const consumer = new DurableConsumer(
      {
        stream: Streams.INTAKE,
        durable: 'test-submitted',
        subjects: [Events.ResponseSubmitted],
        ackWaitMs: 1000,
        handle: async (event, m) => {
          await m.query(`INSERT INTO received VALUES ($1, $2)`, [event.id, event.payload.agencyCode]);
        },
      },
      h.app.get(Nats),
      h.app.get(DataSource),
      h.app.get(Metrics),
    );
    await consumer.start();

    // The approver approves while NATS is down. The RPC itself needs NATS, so the service is
    // called in-process, exactly as its RPC handler calls it: the approval commits, and the event
    // waits in the outbox.
    await nats.down();
    const approved = await h.app
      .get(ResponsesService)
      .approve(
        key,
        { version: r.version, decision: 'approve' },
        { correlationId: 'nats-down', actor: approver(agencyId) },
      );
    expect(approved.status).toBe('submitted');
    await new Promise((res) => setTimeout(res, 1000));
    const [pending] = (await h.ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND published_at IS NULL`,
      [Events.ResponseSubmitted],
    )) as { n: number }[];
    expect(pending.n).toBe(1);

    await nats.up();
    await waitFor(async () => {
      const [row] = (await h.ds.query(`SELECT count(*)::int AS n FROM received`)) as { n: number }[];
      return row.n >= 1;
    }, 30_000);
    await new Promise((res) => setTimeout(res, 1500)); // past ack_wait: nothing arrives again
    const rows = (await h.ds.query(`SELECT agency_code FROM received`)) as { agency_code: string }[];
    expect(rows).toEqual([{ agency_code: 'DEP-EVT' }]);
    await consumer.stop();
  });
});
