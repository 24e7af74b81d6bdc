import { DomainError, Rpc } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { contact, coordinatorOf, type NotificationsHarness, startNotifications, testAgency } from './harness';

/**
 * Chasing non-submitters (issue 14 item 5): a reminder to a chosen set of agencies (codes and/or
 * the responses list's filters) reaches only the non-submitters of that set, once per set.
 */
describe('notifications: reminders to a chosen set', () => {
  let h: NotificationsHarness;
  const north = { ministryId: '15', province: 'TH-50' };
  const A = { ...testAgency('CH-A', (id) => [contact(id, 'a@ch-a.go.th')]), ...north };
  const B = { ...testAgency('CH-B', (id) => [contact(id, 'b@ch-b.go.th')]), ...north };
  const C = {
    ...testAgency('CH-C', (id) => [contact(id, 'c@ch-c.go.th')]),
    ministryId: '15',
    province: 'TH-10',
  };
  const D = { ...testAgency('CH-D', (id) => [contact(id, 'd@ch-d.go.th')], 'submitted'), ...north };

  beforeAll(async () => {
    h = await startNotifications('ntfchase');
    h.others.agencies = [A, B, C, D];
  });
  afterAll(async () => {
    await h?.close();
  });

  const reminded = async (campaignId: string) =>
    (
      (await h.ds.query(
        `SELECT d.agency_code AS code, d.status, d.skip_reason AS reason FROM deliveries d
          WHERE d.campaign_id = $1 ORDER BY d.agency_code`,
        [campaignId],
      )) as { code: string; status: string; reason: string | null }[]
    ).map((d) => d.code);

  it('reminds only the chosen agencies that have not submitted', async () => {
    const r = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { channels: ['email'], agencyCodes: ['CH-A', 'CH-D'] },
    });
    // D has submitted: left out and counted; B and C were not chosen: neither reminded nor counted.
    expect(r).toMatchObject({ kind: 'reminder', queued: 1, agenciesSkipped: 1 });
    expect(await reminded(r.id)).toEqual(['CH-A']);
    await waitFor(
      () => Promise.resolve(h.smtp.messages.some((m) => m.to === 'a@ch-a.go.th') ? true : undefined),
      20_000,
    );
    expect(h.smtp.messages.map((m) => m.to)).not.toContain('b@ch-b.go.th');
  });

  it('reminds the agencies of a filter (province), and codes and filter together narrow each other', async () => {
    const byProvince = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { channels: ['email'], province: 'TH-50' },
    });
    expect(await reminded(byProvince.id)).toEqual(['CH-A', 'CH-B']);
    const both = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { channels: ['email'], ministryId: '15', agencyCodes: ['CH-B', 'CH-C'] },
    });
    expect(await reminded(both.id)).toEqual(['CH-B', 'CH-C']);
    const none = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { channels: ['email'], province: 'TH-10', agencyCodes: ['CH-A'] },
    });
    expect(none).toMatchObject({ queued: 0, agenciesSkipped: 0 });
  });

  it('names each set in the run: two sets are two reminders, the same set (in any order) twice is one', async () => {
    const first = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { label: 'chase-1', channels: ['email'], agencyCodes: ['CH-B', 'CH-C'] },
    });
    const again = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { label: 'chase-1', channels: ['email'], agencyCodes: ['CH-C', 'CH-B', 'CH-C'] },
    });
    const other = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { label: 'chase-1', channels: ['email'], agencyCodes: ['CH-A'] },
    });
    const whole = await h.call(Rpc.ReminderSend, {
      cycleId: '2565',
      input: { label: 'chase-1', channels: ['email'] },
    });
    expect(again.id).toBe(first.id);
    expect(first.id).toMatch(/^remind-2565-chase-1-set-[0-9a-f]{12}$/);
    expect(new Set([first.id, other.id, whole.id]).size).toBe(3);
    expect(whole.id).toBe('remind-2565-chase-1');
    expect(await reminded(first.id)).toEqual(['CH-B', 'CH-C']);
    expect(await reminded(other.id)).toEqual(['CH-A']);
    expect(await reminded(whole.id)).toEqual(['CH-A', 'CH-B', 'CH-C']);
  });

  it('refuses a code outside the cohort with AGENCY_NOT_IN_COHORT naming it, and queues nothing', async () => {
    const before = (await h.deliveries('true')).length;
    const err = await h
      .call(Rpc.ReminderSend, {
        cycleId: '2565',
        input: { channels: ['email'], agencyCodes: ['CH-A', 'NOPE-9'] },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'AGENCY_NOT_IN_COHORT', meta: { agencyCodes: ['NOPE-9'] } });
    expect((err as DomainError).detail).toContain('NOPE-9');
    expect((await h.deliveries('true')).length).toBe(before);
  });

  describe('the delivery log', () => {
    it('filters by agency code, and names the agency and the subject of each message', async () => {
      const page = await h.call(Rpc.DeliveryList, { agencyCode: 'CH-A', page: 1, pageSize: 100 });
      expect(page.total).toBeGreaterThan(0);
      expect(new Set(page.items.map((d) => d.agencyCode))).toEqual(new Set(['CH-A']));
      for (const d of page.items) {
        expect(d.agencyName).toBe('หน่วยงาน CH-A');
        expect(d.subject).toMatch(/^แจ้งเตือน.*\| Reminder/); // Thai first, then English
      }
      const none = await h.call(Rpc.DeliveryList, { agencyCode: 'NOPE-9', page: 1, pageSize: 10 });
      expect(none).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('the export of non-submitters', () => {
    const read = async (objectName: string) =>
      Buffer.from((await h.app.get(FileTransfer).get(objectName))!).toString('utf8');
    const parse = (csv: string) =>
      csv
        .slice(1)
        .trim()
        .split('\r\n')
        .map((l) => l.split(','));

    it('lists every agency that has not submitted with its contacts and their latest delivery, as CSV with a BOM', async () => {
      await waitFor(
        async () =>
          (await h.deliveries(`agency_code = 'CH-A' AND status = 'queued'`)).length === 0 ? true : undefined,
        20_000,
      );
      const file = await h.call(Rpc.NonSubmittersExport, { cycleId: '2565' });
      expect(file).toMatchObject({
        contentType: 'text/csv; charset=utf-8',
        fileName: expect.stringMatching(/^non-submitters-2565-.*\.csv$/),
      });
      const csv = await read(file.objectName);
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const [header, ...rows] = parse(csv);
      expect(header.slice(0, 8)).toEqual([
        'agency_code',
        'agency_name',
        'agency_group',
        'response_status',
        'deadline',
        'contact_name',
        'contact_position',
        'email',
      ]);
      const col = (name: string) => header.indexOf(name);
      expect(rows.map((r) => r[0])).toEqual(['CH-A', 'CH-B', 'CH-C']); // D submitted
      const a = rows[0];
      expect(a[col('email')]).toBe('a@ch-a.go.th');
      expect(a[col('email_last_status')]).toBe('sent');
      expect(a[col('email_last_template')]).toBe('deadline_reminder');
      expect(a[col('line_last_status')]).toBe(''); // no LINE message this cycle
    });

    it('narrows by the responses filters, masks addresses for operators, and refuses agency roles', async () => {
      const file = await h.call(
        Rpc.NonSubmittersExport,
        { cycleId: '2565', province: 'TH-10' },
        {
          id: 'op-1',
          roles: ['operator'],
        },
      );
      const [header, ...rows] = parse(await read(file.objectName));
      expect(rows.map((r) => r[0])).toEqual(['CH-C']);
      expect(rows[0][header.indexOf('email')]).toBe('c***@ch-c.go.th');
      const err = await h
        .call(Rpc.NonSubmittersExport, { cycleId: '2565' }, coordinatorOf(A.id))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'FORBIDDEN' });
      const missing = await h.call(Rpc.NonSubmittersExport, { cycleId: '2599' }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: 'CYCLE_NOT_FOUND' });
    });
  });
});
