import { randomUUID } from 'node:crypto';
import { Events, Rpc } from '@dg/contracts';
import { waitFor } from '@dg/platform/testing';
import { contact, type NotificationsHarness, startNotifications, testAgency } from './harness';
import { linkProblems } from './support/portal-addresses';

const category = (key: string, th: string, en: string) => ({
  categoryId: randomUUID(),
  categoryKey: key,
  categoryName: { th, en },
});

/**
 * Award news (awards.results.announced) against a real SMTP server and a LINE stand-in: one
 * message per winning agency's contact and channel listing every award it won, sent once however
 * often the announcement arrives, and never to an opted-out contact.
 */
describe('notifications award news', () => {
  let h: NotificationsHarness;
  // W1 wins two categories, W2 one; L takes part and wins nothing.
  const W1 = testAgency('DEP-W1', (id) => [
    contact(id, 'w1a@dep-w1.go.th', 'Ue1000000000000000000000000000001'),
    contact(id, 'w1b@dep-w1.go.th'),
  ]);
  const W2 = testAgency('PRV-W2', (id) => [contact(id, 'w2a@prv-w2.go.th'), contact(id, 'w2b@prv-w2.go.th')]);
  const L = testAgency('DEP-L', (id) => [contact(id, 'l1@dep-l.go.th')]);

  const topDepartment = category('top-department', 'รางวัลหน่วยงานระดับกรมดีเด่น', 'Outstanding Department');
  const dataGovernance = category('data-governance', 'รางวัลธรรมาภิบาลข้อมูลดีเด่น', 'Outstanding Data Governance');
  const topProvincial = category(
    'top-provincial',
    'รางวัลหน่วยงานระดับจังหวัดดีเด่น',
    'Outstanding Provincial Agency',
  );

  const announcement = {
    cycleId: '2565',
    announcedAt: '2022-09-20T10:00:00+07:00',
    winners: [
      { ...topDepartment, agencyId: W1.id, agencyCode: W1.code, agencyName: W1.nameTh, rank: 1 },
      { ...topProvincial, agencyId: W2.id, agencyCode: W2.code, agencyName: W2.nameTh, rank: 1 },
      { ...dataGovernance, agencyId: W1.id, agencyCode: W1.code, agencyName: W1.nameTh, rank: 2 },
    ],
  };

  const awardRows = () => h.deliveries(`template_key = 'award_announced'`);
  const handled = async (eventId: string) =>
    (
      (await h.ds.query(`SELECT 1 FROM inbox WHERE consumer = 'notifications' AND event_id = $1`, [
        eventId,
      ])) as unknown[]
    ).length > 0 || undefined;

  beforeAll(async () => {
    h = await startNotifications('ntfawards');
    h.others.agencies = [W1, W2, L];
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends each winner contact one message listing all its awards, and skips an opted-out contact', async () => {
    const w2b = W2.contacts[1];
    await h.call(Rpc.OptOutSet, { contactId: w2b.id, channel: 'email', optedOut: true });

    await h.publish(Events.AwardsAnnounced, announcement);
    // 4 winner contacts × 2 channels = 8 rows: 3 e-mails and 1 LINE message go out.
    const rows = await waitFor(async () => {
      const r = await awardRows();
      return r.length === 8 && r.every((d) => d.status !== 'queued') ? r : undefined;
    }, 20_000);
    expect(rows.filter((d) => d.status === 'sent')).toHaveLength(4);
    expect(rows.every((d) => d.id.startsWith('award-2565_'))).toBe(true);
    expect(rows.find((d) => d.contact_id === w2b.id && d.channel === 'email')).toMatchObject({
      status: 'skipped',
      skip_reason: 'opted_out',
    });
    expect(
      rows.filter((d) => d.status === 'skipped' && d.channel === 'line').map((d) => d.skip_reason),
    ).toEqual(['no_address', 'no_address', 'no_address']);

    const awardMails = () => h.smtp.messages.filter((m) => m.messageId.startsWith('<award-2565_'));
    expect(
      awardMails()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['w1a@dep-w1.go.th', 'w1b@dep-w1.go.th', 'w2a@prv-w2.go.th']);

    const w1 = awardMails().find((m) => m.to === 'w1a@dep-w1.go.th')!;
    expect(w1.subject).toContain('ขอแสดงความยินดี หน่วยงาน DEP-W1');
    expect(w1.text).toContain('- รางวัลหน่วยงานระดับกรมดีเด่น (อันดับที่ 1)');
    expect(w1.text).toContain('- รางวัลธรรมาภิบาลข้อมูลดีเด่น (อันดับที่ 2)');
    expect(w1.text).toContain('- Outstanding Data Governance (rank 2)');
    expect(w1.text).not.toContain('รางวัลหน่วยงานระดับจังหวัดดีเด่น');
    expect(w1.text).toContain('https://survey.example.go.th/awards/2565');
    expect(linkProblems(w1.text + w1.html, 'https://survey.example.go.th')).toEqual([]);
    expect(w1.text).toContain('20 กันยายน 2565');
    expect(w1.html).toContain('<strong>รางวัลธรรมาภิบาลข้อมูลดีเด่น</strong>');

    const w2 = awardMails().find((m) => m.to === 'w2a@prv-w2.go.th')!;
    expect(w2.text).toContain('- รางวัลหน่วยงานระดับจังหวัดดีเด่น (อันดับที่ 1)');
    expect(w2.text).not.toContain('รางวัลหน่วยงานระดับกรมดีเด่น');
    expect(w2.text).not.toContain('รางวัลธรรมาภิบาลข้อมูลดีเด่น');

    const push = h.line.pushes.filter((p) => p.to === 'Ue1000000000000000000000000000001');
    expect(push).toHaveLength(1);
    expect(push[0].text).toContain('รางวัลหน่วยงานระดับกรมดีเด่น');
    expect(push[0].text).toContain('รางวัลธรรมาภิบาลข้อมูลดีเด่น');

    // The agency that won nothing hears nothing.
    expect(h.smtp.messages.find((m) => m.to === 'l1@dep-l.go.th')).toBeUndefined();
    expect(await h.deliveries(`agency_id = $1`, [L.id])).toEqual([]);
  });

  it('sends nothing more when the announcement arrives again, under the same or a new event id', async () => {
    const mails = h.smtp.messages.length;
    const pushes = h.line.pushes.length;
    const rows = (await awardRows()).length;
    const first = randomUUID();
    await h.publish(Events.AwardsAnnounced, announcement, first);
    await waitFor(() => handled(first), 10_000);
    await h.publish(Events.AwardsAnnounced, announcement, first); // a relay retry: the same event id
    const second = await h.publish(Events.AwardsAnnounced, {
      ...announcement,
      announcedAt: '2022-09-21T10:00:00+07:00',
    });
    await waitFor(() => handled(second), 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.smtp.messages).toHaveLength(mails);
    expect(h.line.pushes).toHaveLength(pushes);
    expect(await awardRows()).toHaveLength(rows);
  });
});
