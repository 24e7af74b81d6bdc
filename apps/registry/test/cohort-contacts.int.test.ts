import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type Actor, type ContactCreateInput, Events, parseEvent, Rpc, Streams, SYSTEM_ACTOR } from '@dg/contracts';
import { Nats } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { admin, coordinatorOf, operator, RegistryHarness, startRegistry } from './harness';

const contact = (fullName: string, email: string, lineId?: string): ContactCreateInput => ({
  fullName,
  position: 'ผู้ประสานงานการสำรวจ',
  email,
  lineId,
  purpose: 'ประสานงานการสำรวจ 2565',
  legalBasis: 'public_task',
});

describe('registry.cohort.contacts and registry.contact.erased (real PostgreSQL and NATS)', () => {
  let r: RegistryHarness;
  const ids: Record<string, string> = {};
  const contactIds: Record<string, string> = {};

  beforeAll(async () => {
    r = await startRegistry('cohortcontacts');
    // Created out of code order, so the answer's order is the query's, not the insertion's.
    for (const code of ['CC-C', 'CC-A', 'CC-B', 'CC-OUT']) {
      ids[code] = (await r.call(Rpc.AgencyCreate, { code, nameTh: `หน่วยงาน ${code}`, kind: 'department' })).id;
    }
    const add = async (key: string, code: string, input: ContactCreateInput) => {
      contactIds[key] = (await r.call(Rpc.ContactCreate, { agencyId: ids[code], contact: input })).id;
    };
    await add('c1', 'CC-C', contact('สมชาย ซี', 'c1@example.go.th'));
    await add('a1', 'CC-A', contact('สมศรี เอ', 'a1@example.go.th', 'U0123456789abcdef0123456789abcdef'));
    await add('b-erased', 'CC-B', contact('ลบแล้ว บี', 'gone@example.go.th'));
    await add('a2', 'CC-A', contact('สมหมาย เอ', 'a2@example.go.th'));
    await add('b1', 'CC-B', contact('สมใจ บี', 'b1@example.go.th'));
    await add('out', 'CC-OUT', contact('นอก กลุ่ม', 'out@example.go.th'));
    await r.call(Rpc.ContactErase, { id: contactIds['b-erased'] });
    await r.call(Rpc.CohortPut, {
      cycleId: '2565',
      cohort: { members: [{ agencyCode: 'CC-A' }, { agencyCode: 'CC-B', group: 'provincial' }, { agencyCode: 'CC-C' }] },
    });
  });
  afterAll(async () => r?.close());

  it('lists every active contact of the cohort by agency code then creation, paged, with agency and group', async () => {
    const first = await r.call(Rpc.CohortContacts, { cycleId: '2565', pageSize: 2 }, SYSTEM_ACTOR);
    expect(first).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(first.items.map((i) => i.contact.id)).toEqual([contactIds.a1, contactIds.a2]);
    expect(first.items[0]).toEqual({
      agencyId: ids['CC-A'],
      agencyCode: 'CC-A',
      agencyName: 'หน่วยงาน CC-A',
      group: 'department',
      contact: expect.objectContaining({
        agencyId: ids['CC-A'],
        fullName: 'สมศรี เอ',
        email: 'a1@example.go.th',
        lineId: 'U0123456789abcdef0123456789abcdef',
        legalBasis: 'public_task',
        erasedAt: null,
      }),
    });

    const second = await r.call(Rpc.CohortContacts, { cycleId: '2565', page: 2, pageSize: 2 }, SYSTEM_ACTOR);
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(second.items.map((i) => [i.agencyCode, i.group, i.contact.id])).toEqual([
      ['CC-B', 'provincial', contactIds.b1],
      ['CC-C', 'department', contactIds.c1],
    ]);
    expect((await r.call(Rpc.CohortContacts, { cycleId: '2565', page: 3, pageSize: 2 }, SYSTEM_ACTOR)).items).toEqual([]);

    const all = await r.call(Rpc.CohortContacts, { cycleId: '2565', pageSize: 500 }, operator);
    expect(all.items.map((i) => i.contact.id)).toEqual([contactIds.a1, contactIds.a2, contactIds.b1, contactIds.c1]);
    expect(all.items.map((i) => i.contact.id)).not.toContain(contactIds['b-erased']);
    expect(all.items.map((i) => i.agencyCode)).not.toContain('CC-OUT');
    expect((await r.call(Rpc.CohortContacts, { cycleId: '2565' }, admin)).total).toBe(4);
  });

  it('answers NOT_FOUND for a cycle without a cohort, and FORBIDDEN to other roles', async () => {
    await expect(r.call(Rpc.CohortContacts, { cycleId: '2566' }, SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const committee: Actor = { id: 'committee-1', roles: ['committee'] };
    for (const actor of [committee, coordinatorOf(ids['CC-A'])]) {
      await expect(r.call(Rpc.CohortContacts, { cycleId: '2565' }, actor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('says which agency a contact belongs to and whether it was erased (ids only); unknown or another agency’s is CONTACT_NOT_FOUND', async () => {
    expect(await r.call(Rpc.ContactOwner, { id: contactIds.a1 }, SYSTEM_ACTOR)).toEqual({
      id: contactIds.a1,
      agencyId: ids['CC-A'],
      erased: false,
    });
    expect(await r.call(Rpc.ContactOwner, { id: contactIds['b-erased'] }, admin)).toEqual({
      id: contactIds['b-erased'],
      agencyId: ids['CC-B'],
      erased: true,
    });
    expect(await r.call(Rpc.ContactOwner, { id: contactIds.a1 }, coordinatorOf(ids['CC-A']))).toMatchObject({
      agencyId: ids['CC-A'],
    });
    for (const [id, actor] of [
      ['00000000-0000-4000-8000-00000000dead', admin],
      [contactIds.a1, coordinatorOf(ids['CC-B'])],
    ] as const) {
      await expect(r.call(Rpc.ContactOwner, { id }, actor)).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
    }
    await expect(
      r.call(Rpc.ContactOwner, { id: contactIds.a1 }, { id: 'committee-1', roles: ['committee'] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('writes registry.contact.erased once, with ids and the time only, even when erased twice', async () => {
    const id = contactIds.c1;
    const first = await r.call(Rpc.ContactErase, { id }, coordinatorOf(ids['CC-C']));
    const again = await r.call(Rpc.ContactErase, { id }, admin);
    expect(again.erasedAt).toBe(first.erasedAt);

    const rows = (await r.ds.query(`SELECT envelope FROM outbox WHERE subject = $1 AND envelope->'payload'->>'contactId' = $2`, [
      Events.ContactErased,
      id,
    ])) as { envelope: unknown }[];
    expect(rows).toHaveLength(1);
    const event = parseEvent(Events.ContactErased, rows[0].envelope);
    expect(event.payload).toEqual({ contactId: id, agencyId: ids['CC-C'], erasedAt: first.erasedAt });
    expect(event.actor.id).toBe(coordinatorOf(ids['CC-C']).id);
    expect(JSON.stringify(rows[0].envelope)).not.toMatch(/สมชาย|c1@example|ผู้ประสานงาน/);

    // The erased contact drops out of the cohort's list at once.
    const all = await r.call(Rpc.CohortContacts, { cycleId: '2565', pageSize: 500 }, SYSTEM_ACTOR);
    expect(all.items.map((i) => i.contact.id)).toEqual([contactIds.a1, contactIds.a2, contactIds.b1]);

    // And it reaches the REGISTRY stream (two erasures in this file: b-erased in setup, c1 here).
    const nats = r.app.get(Nats);
    const published = await waitFor(async () => {
      const info = await (await jetstreamManager(nats.nc)).streams.info(nats.stream(Streams.REGISTRY));
      if (info.state.messages === 0) return undefined;
      const consumer = await jetstream(nats.nc).consumers.get(nats.stream(Streams.REGISTRY));
      const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
      const erased: unknown[] = [];
      let seen = 0;
      for await (const m of batch) {
        if (m.subject.endsWith(Events.ContactErased)) erased.push(m.json());
        if (++seen === info.state.messages) break;
      }
      return erased.length >= 2 ? erased : undefined;
    });
    expect(published.map((e) => parseEvent(Events.ContactErased, e).payload.contactId).sort()).toEqual(
      [contactIds['b-erased'], id].sort(),
    );
  });
});
