import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DomainError, Events, parseEvent, Rpc, Streams } from '@dg/contracts';
import { Nats } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { AuditEntry } from '../src/entities';
import { admin, coordinatorOf, RegistryHarness, startRegistry } from './harness';

describe('registry events, contacts and cohorts (real PostgreSQL and NATS)', () => {
  let r: RegistryHarness;
  beforeAll(async () => {
    r = await startRegistry('regevents');
  });
  afterAll(async () => r?.close());

  /** Reads every event in the REGISTRY stream of this test's prefix. */
  async function streamEvents() {
    const nats = r.app.get(Nats);
    const js = jetstream(nats.nc);
    const consumer = await js.consumers.get(nats.stream(Streams.REGISTRY));
    const out: { subject: string; data: unknown }[] = [];
    const info = await (await jetstreamManager(nats.nc)).streams.info(nats.stream(Streams.REGISTRY));
    if (info.state.messages === 0) return out;
    const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
    for await (const m of batch) {
      out.push({ subject: m.subject.slice(r.prefix.length + 1), data: m.json() });
      if (out.length === info.state.messages) break;
    }
    return out;
  }

  it('publishes agency.created and agency.updated once each, with the change and the actor', async () => {
    const a = await r.call(Rpc.AgencyCreate, { code: 'EVT-001', nameTh: 'หน่วยงานเหตุการณ์', kind: 'department' });
    await r.call(Rpc.AgencyUpdate, { id: a.id, patch: { nameEn: 'Event Office', version: 1 } });
    const events = await waitFor(async () => {
      const e = await streamEvents();
      return e.length >= 2 ? e : undefined;
    });
    expect(events.map((e) => e.subject)).toEqual([Events.AgencyCreated, Events.AgencyUpdated]);
    const updated = parseEvent(Events.AgencyUpdated, events[1].data);
    expect(updated.payload.changed).toEqual(['nameEn']);
    expect(updated.payload.agency).toMatchObject({ code: 'EVT-001', version: 2 });
    expect(updated.actor.id).toBe(admin.id);
    expect(updated.correlationId).toBe('test-regevents');
    // The relay marks a row published after JetStream acknowledged it: the event can arrive first.
    await waitFor(async () => {
      const [pending] = (await r.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)) as {
        n: number;
      }[];
      return pending.n === 0;
    });
  });

  it('keeps contacts with purpose and legal basis, scoped to the agency, and erases them for good', async () => {
    const own = await r.call(Rpc.AgencyCreate, { code: 'CON-001', nameTh: 'หน่วยงานผู้ประสานงาน', kind: 'department' });
    const other = await r.call(Rpc.AgencyCreate, { code: 'CON-002', nameTh: 'หน่วยงานอื่น', kind: 'department' });
    const coord = coordinatorOf(own.id);
    const contact = await r.call(
      Rpc.ContactCreate,
      {
        agencyId: own.id,
        contact: {
          fullName: 'สมหญิง ใจดี',
          position: 'นักวิชาการคอมพิวเตอร์',
          email: 'Somying@Example.go.th',
          phone: '02-123-4567',
          lineId: 'somying.j',
          purpose: 'ประสานงานการสำรวจ 2565',
          legalBasis: 'public_task',
        },
      },
      coord,
    );
    expect(contact.email).toBe('somying@example.go.th');
    await expect(r.call(Rpc.ContactList, { agencyId: other.id }, coord)).rejects.toMatchObject({ code: 'AGENCY_NOT_FOUND' });
    await expect(
      r.call(Rpc.ContactCreate, { agencyId: own.id, contact: { fullName: 'x', purpose: 'p', legalBasis: 'consent' } }, coord),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await r.call(Rpc.ContactList, { agencyId: own.id }, coord)).items).toHaveLength(1);
    await expect(r.call(Rpc.ContactErase, { id: contact.id }, coordinatorOf(other.id))).rejects.toMatchObject({
      code: 'CONTACT_NOT_FOUND',
    });

    const erased = await r.call(Rpc.ContactErase, { id: contact.id }, coord);
    expect(erased).toMatchObject({ fullName: null, email: null, phone: null, lineId: null, position: null });
    expect(erased.erasedAt).not.toBeNull();
    expect((await r.call(Rpc.ContactList, { agencyId: own.id }, coord)).items).toHaveLength(0);
    const trail = JSON.stringify(await r.ds.getRepository(AuditEntry).find({ where: { entityId: contact.id } }));
    expect(trail).not.toMatch(/somying|สมหญิง|4567/i);
    await expect(r.ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('stores a cycle cohort with groups and announced vs final counts, and emits cohort.updated', async () => {
    for (const code of ['COH-D1', 'COH-D2']) await r.call(Rpc.AgencyCreate, { code, nameTh: `กรม ${code}`, kind: 'department' });
    await r.call(Rpc.AgencyCreate, { code: 'COH-R1', nameTh: 'หน่วยภูมิภาค', kind: 'regional_unit', parentCode: 'COH-D1', provinceCode: 'TH-50' });
    const summary = await r.call(Rpc.CohortPut, {
      cycleId: '2565',
      cohort: {
        announcedCount: 4,
        members: [{ agencyCode: 'COH-D1' }, { agencyCode: 'COH-D2' }, { agencyCode: 'COH-R1' }],
      },
    });
    expect(summary).toMatchObject({ announcedCount: 4, finalCount: 3, byGroup: { department: 2, provincial: 1 }, version: 1 });

    const bad = (await r
      .call(Rpc.CohortPut, { cycleId: '2565', cohort: { members: [{ agencyCode: 'COH-D1' }, { agencyCode: 'NOPE' }, { agencyCode: 'COH-D1' }] } })
      .catch((e: unknown) => e)) as DomainError;
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.errors!.map((e) => `${e.path}:${e.code}`)).toEqual(['members.1.agencyCode:UNKNOWN_AGENCY', 'members.2.agencyCode:DUPLICATE_MEMBER']);

    const page = await r.call(Rpc.CohortGet, { cycleId: '2565', pageSize: 2 });
    expect(page).toMatchObject({ total: 3, summary: { finalCount: 3, version: 1 } });
    expect(page.items.map((i) => i.agencyCode)).toEqual(['COH-D1', 'COH-D2']);
    await expect(r.call(Rpc.CohortGet, { cycleId: '2566' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const events = await waitFor(async () => {
      const e = (await streamEvents()).filter((x) => x.subject === Events.CohortUpdated);
      return e.length ? e : undefined;
    });
    expect(events).toHaveLength(1);
    expect(parseEvent(Events.CohortUpdated, events[0].data).payload).toMatchObject({ cycleId: '2565', finalCount: 3, announcedCount: 4 });
  });
});
