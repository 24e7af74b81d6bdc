import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type EventEnvelope, Events, Rpc, Streams } from '@dg/contracts';
import { DurableConsumer, Metrics, Nats } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { sample2565 } from '@dg/survey-model';
import { IntakeHarness, startIntake } from './harness';

const DAY = 86_400_000;

/**
 * A cycle's change of dates, title or status leaves as `intake.cycle.updated` through the outbox,
 * once per real change (the cycle as it is after it, with its version), and reaches a consumer on
 * stream INTAKE; a patch that changes nothing tells nobody.
 */
describe('intake.cycle.updated', () => {
  let h: IntakeHarness;
  let consumer: DurableConsumer<typeof Events.CycleUpdated>;

  const written = async () =>
    (
      (await h.ds.query(`SELECT envelope FROM outbox WHERE subject = $1 ORDER BY created_at`, [
        Events.CycleUpdated,
      ])) as {
        envelope: EventEnvelope<typeof Events.CycleUpdated>;
      }[]
    ).map((r) => r.envelope);
  const current = () => h.call(Rpc.CycleGet, { cycleId: '2565' });
  const patch = async (p: { title?: { th: string; en: string }; closesAt?: string; status?: 'archived' }) =>
    h.call(Rpc.CycleUpdate, { cycleId: '2565', patch: { ...p, version: (await current()).version } });

  beforeAll(async () => {
    h = await startIntake('intakecycupd');
    h.cohort.cohorts.set('2565', [
      {
        agencyId: randomUUID(),
        agencyCode: 'DEP-UPD',
        nameTh: 'กรมทดสอบ',
        kind: 'department',
        group: 'department',
      },
    ]);
    await h.ds.query(`CREATE TABLE received (event_id uuid, version int, closes_at text)`);
    consumer = new DurableConsumer(
      {
        stream: Streams.INTAKE,
        durable: 'test-cycle-updated',
        subjects: [Events.CycleUpdated],
        handle: async (event, m) => {
          await m.query(`INSERT INTO received VALUES ($1, $2, $3)`, [
            event.id,
            event.payload.version,
            event.payload.closesAt,
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

  it('writes one event per real change of an open cycle and none for a patch that changes nothing', async () => {
    await h.call(Rpc.CycleCreate, {
      yearBE: 2565,
      title: { th: 'ทดสอบ', en: 'Test' },
      opensAt: '2022-05-01',
      closesAt: new Date(Date.now() + 10 * DAY).toISOString(),
    });
    const q = await h.call(Rpc.QuestionnaireCreate, { definition: sample2565 });
    await h.call(Rpc.QuestionnaireAttach, { cycleId: '2565', questionnaireId: q.id, version: 1 });
    const opened = await h.call(Rpc.CycleOpen, { cycleId: '2565' });
    // The opened event carries the version its dates belong to, so a later update can be told apart.
    const [openedEvent] = (await h.ds.query(`SELECT envelope FROM outbox WHERE subject = $1`, [
      Events.CycleOpened,
    ])) as {
      envelope: EventEnvelope<typeof Events.CycleOpened>;
    }[];
    expect(openedEvent.envelope.payload.version).toBe(opened.version);

    // The operator moves the deadline to the end of a day 20 days out (a bare date: 23:59:59.999 in Bangkok).
    const day = new Date(Date.now() + 20 * DAY + 7 * 3_600_000).toISOString().slice(0, 10);
    const moved = await patch({ closesAt: day });
    expect(moved.closesAt).toBe(new Date(`${day}T23:59:59.999+07:00`).toISOString());
    let events = await written();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: Events.CycleUpdated,
      schemaVersion: 1,
      actor: { id: 'admin-1' },
      payload: {
        cycleId: '2565',
        yearBE: 2565,
        title: { th: 'ทดสอบ', en: 'Test' },
        status: 'open',
        opensAt: moved.opensAt,
        closesAt: moved.closesAt,
        version: moved.version,
        changed: ['closesAt'],
      },
    });

    // The same instant written another way, an empty patch and the same title: no event.
    await patch({ closesAt: `${day}T23:59:59.999+07:00` });
    await patch({});
    await patch({ title: { th: 'ทดสอบ', en: 'Test' } });
    expect(await written()).toHaveLength(1);

    // A new title is a change too; the deadline it carries is unchanged.
    const renamed = await patch({ title: { th: 'การสำรวจ ปี 2565', en: 'Survey 2565' } });
    events = await written();
    expect(events).toHaveLength(2);
    expect(events[1].payload).toMatchObject({
      title: { th: 'การสำรวจ ปี 2565', en: 'Survey 2565' },
      closesAt: moved.closesAt,
      version: renamed.version,
      changed: ['title'],
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(2);

    // A stale version is refused and writes nothing.
    await expect(
      h.call(Rpc.CycleUpdate, { cycleId: '2565', patch: { closesAt: '2030-01-01', version: moved.version } }),
    ).rejects.toMatchObject({ code: 'CYCLE_VERSION_CONFLICT' });
    expect(await written()).toHaveLength(2);

    // Both reach a consumer of stream INTAKE, once each, in order.
    const received = await waitFor(async () => {
      const rows = (await h.ds.query(
        `SELECT event_id AS id, version, closes_at AS "closesAt" FROM received ORDER BY version`,
      )) as {
        id: string;
        version: number;
        closesAt: string;
      }[];
      return rows.length >= 2 ? rows : undefined;
    }, 15_000);
    expect(received).toEqual(
      events.map((e) => ({ id: e.id, version: e.payload.version, closesAt: e.payload.closesAt })),
    );
  });

  it('tells of the archiving of a closed cycle', async () => {
    await h.call(Rpc.CycleClose, { cycleId: '2565' });
    const archived = await patch({ status: 'archived' });
    const events = await written();
    expect(events).toHaveLength(3);
    expect(events[2].payload).toMatchObject({
      status: 'archived',
      version: archived.version,
      changed: ['status'],
    });
  });
});
