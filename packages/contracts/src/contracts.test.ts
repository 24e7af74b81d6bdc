import { EventSchemas, eventSubjectsOf, parseEvent } from './events';
import { ErrorCatalog } from './errors';
import { defaultGroupOf, AgencyKind, AgencyCreateInput, CohortPutInput } from './registry';
import { RpcSchemas } from './rpc';
import { Events, Rpc, Streams } from './subjects';

describe('contracts', () => {
  it('refuses a cohort announced count beyond the int column it is stored in (the fuzzer found a 500)', () => {
    expect(CohortPutInput.safeParse({ announcedCount: 2_147_483_647, members: [] }).success).toBe(true);
    expect(CohortPutInput.safeParse({ announcedCount: 680437781364736, members: [] }).success).toBe(false);
  });

  it('gives every RPC subject a request and a response schema', () => {
    for (const subject of Object.values(Rpc)) {
      expect(RpcSchemas[subject]).toBeDefined();
      expect(typeof RpcSchemas[subject].request.safeParse).toBe('function');
      expect(typeof RpcSchemas[subject].response.safeParse).toBe('function');
    }
    expect(Object.keys(RpcSchemas).sort()).toEqual(Object.values(Rpc).sort());
  });

  it('gives every event subject a payload schema, a version and a stream', () => {
    for (const subject of Object.values(Events)) {
      expect(EventSchemas[subject].schemaVersion).toBeGreaterThanOrEqual(1);
      expect(Object.values(Streams)).toContain(EventSchemas[subject].stream);
    }
    expect(Object.keys(EventSchemas).sort()).toEqual(Object.values(Events).sort());
  });

  it('never lets a stream capture an RPC subject', () => {
    const rpc = new Set<string>(Object.values(Rpc));
    for (const stream of Object.values(Streams)) {
      for (const s of eventSubjectsOf(stream)) expect(rpc.has(s)).toBe(false);
    }
  });

  it('keeps subject names in the <service>.<noun>.<verb> shape', () => {
    for (const s of [...Object.values(Rpc), ...Object.values(Events)])
      expect(s).toMatch(/^[a-z]+\.[a-z]+\.[a-z]+$/);
  });

  it('maps every error code to a 4xx or 5xx status, an English title and a Thai-first detail', () => {
    for (const [code, e] of Object.entries(ErrorCatalog)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.title).toMatch(/^[A-Z][^\u0E00-\u0E7F]*$/);
      expect(e.detail).toMatch(/^[\u0E00-\u0E7F]/);
    }
  });

  it('gives every agency kind a default group', () => {
    for (const kind of AgencyKind.options) expect(defaultGroupOf(kind)).toBeDefined();
  });

  it('rejects an event whose payload does not match its subject', () => {
    const envelope = {
      id: '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a11',
      type: Events.CohortUpdated,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'c1',
      actor: { id: 'system', roles: ['system'] },
      payload: { cycleId: 'x' },
    };
    expect(() => parseEvent(Events.CohortUpdated, envelope)).toThrow();
    const good = {
      ...envelope,
      payload: { cycleId: 'x', announcedCount: null, finalCount: 0, byGroup: {}, version: 1 },
    };
    expect(parseEvent(Events.CohortUpdated, good).payload.finalCount).toBe(0);
  });

  it('carries cycle changes on INTAKE and still reads an opened event written before it had a version', () => {
    expect(eventSubjectsOf(Streams.INTAKE)).toEqual(
      expect.arrayContaining([Events.CycleOpened, Events.CycleUpdated]),
    );
    const envelope = {
      id: '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a12',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'c1',
      actor: { id: 'admin-1', roles: ['dga_admin'] },
    };
    const opened = {
      cycleId: '2565',
      yearBE: 2565,
      opensAt: '2022-05-24T17:00:00.000Z',
      closesAt: '2022-07-31T16:59:59.999Z',
      questionnaireId: '00000000-0000-4000-8000-0000000000aa',
      questionnaireVersion: 1,
      agencyCount: 300,
    };
    expect(
      parseEvent(Events.CycleOpened, { ...envelope, type: Events.CycleOpened, payload: opened }).payload
        .version,
    ).toBeUndefined();
    const updated = {
      cycleId: '2565',
      yearBE: 2565,
      title: { th: 'ปี 2565', en: '2565' },
      status: 'open',
      opensAt: opened.opensAt,
      closesAt: '2022-08-15T16:59:59.999Z',
      version: 5,
      changed: ['closesAt'],
    };
    expect(
      parseEvent(Events.CycleUpdated, { ...envelope, type: Events.CycleUpdated, payload: updated }).payload
        .closesAt,
    ).toBe('2022-08-15T16:59:59.999Z');
    // An update that changed nothing is not an event.
    expect(() =>
      parseEvent(Events.CycleUpdated, {
        ...envelope,
        type: Events.CycleUpdated,
        payload: { ...updated, changed: [] },
      }),
    ).toThrow();
  });

  it('carries an agency’s own deadline on INTAKE, and still reads a return written before it had a version', () => {
    expect(eventSubjectsOf(Streams.INTAKE)).toEqual(
      expect.arrayContaining([Events.ResponseExtended, Events.ResponseReturned]),
    );
    const envelope = {
      id: '0b5cf3b4-6f5c-4f55-9d8e-3b8c0f6b2a13',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'c1',
      actor: { id: 'operator-1', roles: ['operator'] },
    };
    const key = {
      cycleId: '2565',
      responseId: '00000000-0000-4000-8000-0000000000b1',
      agencyId: '00000000-0000-4000-8000-0000000000a1',
      agencyCode: 'DEP-001',
    };
    const extended = {
      ...key,
      deadline: '2022-08-03T16:59:59.999Z',
      reason: 'ระบบของหน่วยงานขัดข้อง',
      responseVersion: 7,
    };
    expect(
      parseEvent(Events.ResponseExtended, { ...envelope, type: Events.ResponseExtended, payload: extended })
        .payload,
    ).toEqual(extended);
    // Without the version a consumer could not tell a late extension from a newer one.
    const { responseVersion: _v, ...versionless } = extended;
    expect(() =>
      parseEvent(Events.ResponseExtended, {
        ...envelope,
        type: Events.ResponseExtended,
        payload: versionless,
      }),
    ).toThrow();
    expect(() =>
      parseEvent(Events.ResponseExtended, {
        ...envelope,
        type: Events.ResponseExtended,
        payload: { ...extended, deadline: '3 August 2565' },
      }),
    ).toThrow();
    const returned = { ...key, comment: 'แนบหลักฐาน', rejectedQuestions: [], deadline: extended.deadline };
    expect(
      parseEvent(Events.ResponseReturned, { ...envelope, type: Events.ResponseReturned, payload: returned })
        .payload.responseVersion,
    ).toBeUndefined();
  });

  it('rejects agency codes with lower case or spaces', () => {
    expect(AgencyCreateInput.safeParse({ code: 'dep 1', nameTh: 'ก', kind: 'department' }).success).toBe(
      false,
    );
    expect(AgencyCreateInput.safeParse({ code: 'DEP-001', nameTh: 'ก', kind: 'department' }).success).toBe(
      true,
    );
  });
});
