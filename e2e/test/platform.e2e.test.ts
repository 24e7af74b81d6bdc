import iconv from 'iconv-lite';
import { allQueues } from '@dg/contracts';
import { allQuestions, sample2565 } from '@dg/survey-model';
import { waitFor } from '@dg/platform/testing';
import { api, PlatformUnderTest } from './platform';

interface Page<T> {
  items: T[];
  total: number;
}
interface Agency {
  id: string;
  code: string;
  kind: string;
  version: number;
}
interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { row?: number; column?: string; code: string }[];
}

/**
 * The quick start, end to end: the built registry and gateway as processes on the real
 * PostgreSQL and NATS, the sample cohort loaded by the same script `npm start` runs, and a DGA
 * admin and an agency coordinator using the public API.
 */
describe('platform end to end: registry + intake + scoring + notifications + awards + gateway over real PostgreSQL, Redis and NATS', () => {
  const platform = new PlatformUnderTest();
  let admin: string;
  const gw = () => platform.gateway.url;

  beforeAll(async () => {
    await platform.start();
    const out = await platform.loadSample();
    expect(out).toContain('imported 1876 agencies');
    expect(out).toMatch(/contacts: 1876 created \(\d+ with LINE\), 0 agencies already had one, 0 failed/);
    expect(out).toMatch(/cycle 2565 open for 1876 agencies/);
    // Then the year in DGA's order: closed, the unverified set aside, published, awarded.
    expect(out).toMatch(/cycle 2565 closed \(the real order/);
    expect(out).toMatch(/\d+ submitted responses set aside/);
    expect(out).toMatch(/results 2565 published/);
    expect(out).toMatch(
      /answers: \d+ responses taken to their sample stage \(.*\d+ verified\), \d+ left as they were, 0 failed/,
    );
    // Then, in development, something for a newcomer to answer in the portal, with the logins.
    expect(out).toMatch(/cycle 2566 open for 1876 agencies until .*nobody's answers filled/);
    expect(out).toContain('coordinator@sample.go.th / sample-coordinator-2566');
    expect(out).toContain('head@sample.go.th / sample-head-2566');
    const login = await api<{ accessToken: string }>(gw(), 'POST', '/auth/login', {
      body: { email: 'admin@dga.or.th', password: 'admin-2565' },
    });
    expect(login.status).toBe(200);
    admin = login.body.accessToken;
  });
  afterAll(async () => platform.stop());

  it('answers 401 problem+json without a token', async () => {
    const res = await api<Problem>(gw(), 'GET', '/agencies');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('serves the 1,876 agencies of the 2565 sample: 324 / 1,550 / 2 by kind', async () => {
    const total = async (query: string) =>
      (await api<Page<Agency>>(gw(), 'GET', `/agencies?pageSize=1${query}`, { token: admin })).body.total;
    expect(await total('')).toBe(1876);
    expect(await total('&kind=department')).toBe(324);
    expect(await total('&kind=regional_unit')).toBe(1550);
    expect(await total('&kind=special_local')).toBe(2);
    const cohort = await api<{ summary: Record<string, unknown> }>(
      gw(),
      'GET',
      '/cycles/2565/cohort?pageSize=1',
      { token: admin },
    );
    expect(cohort.body.summary).toMatchObject({
      announcedCount: 1876,
      finalCount: 1876,
      byGroup: { department: 324, provincial: 1550, local: 2 },
    });
  });

  it('loads the sample only once', async () => {
    const again = await platform.loadSample();
    expect(again).toContain('import skipped');
    expect(again).toMatch(/contacts: 0 created \(0 with LINE\), 1876 agencies already had one, 0 failed/);
    expect(again).toMatch(/answers already loaded \(60 responses/);
    expect(again).toMatch(/cycle 2566 is open \(until /);
    expect(again).toContain('coordinator@sample.go.th / sample-coordinator-2566');
  });

  it('leaves cycle 2566 open for a sample coordinator and head of DEP-001: same questionnaire and rules, nobody’s answers, a deadline ahead', async () => {
    const signIn = async (email: string, password: string) => {
      const res = await api<{ accessToken: string }>(gw(), 'POST', '/auth/login', {
        body: { email, password },
      });
      expect([email, res.status]).toEqual([email, 200]);
      return res.body.accessToken;
    };
    const coord = await signIn('coordinator@sample.go.th', 'sample-coordinator-2566');
    const head = await signIn('head@sample.go.th', 'sample-head-2566');
    const me = await api<{ roles: string[]; agencyId: string }>(gw(), 'GET', '/auth/me', { token: coord });
    const headMe = await api<{ roles: string[]; agencyId: string }>(gw(), 'GET', '/auth/me', { token: head });
    expect([me.body.roles, headMe.body.roles]).toEqual([['coordinator'], ['approver']]);
    expect(headMe.body.agencyId).toBe(me.body.agencyId);
    const agency = await api<Agency>(gw(), 'GET', `/agencies/${me.body.agencyId}`, { token: coord });
    expect(agency.body.code).toBe('DEP-001');

    const [open, previous] = await Promise.all(
      ['2566', '2565'].map(
        async (id) =>
          (
            await api<{ status: string; closesAt: string; questionnaireId: string; agencyCount: number }>(
              gw(),
              'GET',
              `/cycles/${id}`,
              { token: admin },
            )
          ).body,
      ),
    );
    expect(open).toMatchObject({
      status: 'open',
      agencyCount: 1876,
      questionnaireId: previous.questionnaireId,
    });
    expect(Date.parse(open.closesAt)).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    const rules = await api<{ rulesId: string }>(gw(), 'GET', '/cycles/2566/scoring-rules', { token: admin });
    expect(rules.body.rulesId).toBe(
      (await api<{ rulesId: string }>(gw(), 'GET', '/cycles/2565/scoring-rules', { token: admin })).body
        .rulesId,
    );

    // Nobody's answers: only the profile questions the registry pre-fills.
    const response = await api<{ status: string; answers: Record<string, unknown> }>(
      gw(),
      'GET',
      `/cycles/2566/responses/${me.body.agencyId}`,
      { token: coord },
    );
    expect(response.body.status).toBe('not_started');
    const prefilled = new Set(allQuestions(sample2565).filter((q) => q.prefill).map((q) => q.id));
    expect(Object.keys(response.body.answers).filter((id) => !prefilled.has(id))).toEqual([]);
    const progress = await api<{ byStatus: Record<string, number> }>(gw(), 'GET', '/cycles/2566/progress', {
      token: admin,
    });
    expect(progress.body.byStatus).toEqual({ not_started: 1876 });

    // Its methodology is public before anyone answers; it is not among the published cycles.
    expect((await api(gw(), 'GET', '/public/cycles/2566/methodology')).status).toBe(200);
    const published = await api<{ items: { id: string }[] }>(gw(), 'GET', '/public/cycles');
    expect(published.body.items.map((c) => c.id)).toEqual(['2565']);
  });

  it('gives each cohort agency one made-up survey coordinator, some with LINE', async () => {
    const [dep] = (await api<Page<Agency>>(gw(), 'GET', '/agencies?q=DEP-001&pageSize=1', { token: admin }))
      .body.items;
    const contacts = await api<{ items: Record<string, unknown>[] }>(
      gw(),
      'GET',
      `/agencies/${dep.id}/contacts`,
      { token: admin },
    );
    expect(contacts.body.items).toEqual([
      expect.objectContaining({
        position: 'ผู้ประสานงานการสำรวจ',
        email: 'dep-001@example.go.th',
        legalBasis: 'public_task',
        purpose: 'ประสานงานการสำรวจความพร้อมรัฐบาลดิจิทัล (survey coordination)',
      }),
    ]);
    const lineId = contacts.body.items[0].lineId;
    if (lineId !== null) expect(lineId).toMatch(/^U[0-9a-f]{32}$/);
  });

  it('answers part of the sample through intake’s own rules: submitted, approved, verified, with evidence', async () => {
    const progress = await api<{ byStatus: Record<string, number> }>(gw(), 'GET', '/cycles/2565/progress', {
      token: admin,
    });
    expect(progress.body.byStatus.verified).toBeGreaterThan(30);
    const verified = await api<Page<{ agencyId: string; agencyCode: string }>>(
      gw(),
      'GET',
      '/cycles/2565/responses?status=verified&pageSize=500',
      {
        token: admin,
      },
    );
    expect(verified.body.items.every((r) => r.agencyCode.startsWith('DEP-'))).toBe(true);
    const path = `/cycles/2565/responses/${verified.body.items[0].agencyId}`;
    const detail = await api<{ answers: Record<string, unknown> }>(gw(), 'GET', path, { token: admin });
    expect(Object.keys(detail.body.answers).length).toBeGreaterThan(40);
    // The seeding tool's actors are named in the audit trail; the operator's step is the admin's.
    const audit = await api<{ items: { actorId: string; action: string }[] }>(gw(), 'GET', `${path}/audit`, {
      token: admin,
    });
    expect(audit.body.items.map((a) => [a.action, a.actorId.replace(/:DEP-\d+$/, '')])).toEqual(
      expect.arrayContaining([
        ['answers.save', 'sample-loader:coordinator'],
        ['submit.for-approval', 'sample-loader:coordinator'],
        ['approval.approved', 'sample-loader:approver'],
      ]),
    );
    expect(audit.body.items.find((a) => a.action === 'verify.complete')?.actorId).not.toMatch(
      /^sample-loader/,
    );
  });

  it('keeps a coordinator inside their own agency: another agency and its contacts are 404', async () => {
    const [own, other] = (
      await api<Page<Agency>>(gw(), 'GET', '/agencies?kind=department&pageSize=2', { token: admin })
    ).body.items;
    const created = await api(gw(), 'POST', '/users', {
      token: admin,
      body: {
        email: 'coordinator@example.go.th',
        displayName: 'ผู้ประสานงาน',
        password: 'coordinator-2565',
        roles: ['coordinator'],
        agencyId: own.id,
      },
    });
    expect(created.status).toBe(201);
    const login = await api<{ accessToken: string }>(gw(), 'POST', '/auth/login', {
      body: { email: 'coordinator@example.go.th', password: 'coordinator-2565' },
    });
    const coord = login.body.accessToken;

    expect((await api(gw(), 'GET', `/agencies/${own.id}`, { token: coord })).status).toBe(200);
    expect((await api(gw(), 'GET', `/agencies/${own.id}/contacts`, { token: coord })).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', `/agencies/${other.id}`, undefined],
      ['GET', `/agencies/${other.id}/contacts`, undefined],
      [
        'POST',
        `/agencies/${other.id}/contacts`,
        { fullName: 'x', email: 'x@example.go.th', purpose: 'survey', legalBasis: 'public_task' },
      ],
    ] as const) {
      const res = await api<Problem>(gw(), method, path, { token: coord, body });
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 404, 'AGENCY_NOT_FOUND']);
    }
    const patch = await api<Problem>(gw(), 'PATCH', `/agencies/${other.id}`, {
      token: coord,
      body: { nameEn: 'x', version: other.version },
    });
    expect(patch.status).toBe(403); // the route is for DGA admins: refused before any lookup
    const list = await api<Page<Agency>>(gw(), 'GET', '/agencies', { token: coord });
    expect(list.body.items.map((a) => a.id)).toEqual([own.id]);
  });

  it('rejects a Windows-874 file with one bad row with 422 and the row, and saves nothing', async () => {
    const csv =
      'code,name_th,kind,province_code\r\n' +
      'E2E-001,สำนักงานทดสอบหนึ่ง,department,TH-10\r\n' +
      'E2E-002,สำนักงานทดสอบสอง,department,TH-99\r\n';
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(iconv.encode(csv, 'windows-874'))], { type: 'text/csv' }),
      'agencies.csv',
    );
    const res = await api<Problem>(gw(), 'POST', '/agencies/import', { token: admin, body: form });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IMPORT_INVALID');
    expect(res.body.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'province_code', code: 'UNKNOWN_PROVINCE' }),
    ]);
    const search = await api<Page<Agency>>(gw(), 'GET', '/agencies?q=E2E-00', { token: admin });
    expect(search.body.total).toBe(0);
  });

  it('answers a duplicate agency code with 409', async () => {
    const body = { code: 'LOC-BMA', nameTh: 'ซ้ำ', kind: 'special_local' };
    const res = await api<Problem>(gw(), 'POST', '/agencies', { token: admin, body });
    expect([res.status, res.body.code]).toEqual([409, 'AGENCY_CODE_TAKEN']);
  });

  it('exports the registry as CSV with every agency', async () => {
    const res = await fetch(`${gw()}/api/v1/agencies/export?format=csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="?agencies-\d{4}-\d{2}-\d{2}\.csv/,
    );
    const text = new TextDecoder().decode(await res.arrayBuffer());
    expect(text.trim().split('\r\n')).toHaveLength(1876 + 1);
  });

  it('carries the correlation id from HTTP through NATS into both services’ logs', async () => {
    const id = `e2e-corr-${Date.now()}`;
    const res = await api(gw(), 'GET', '/ministries', { token: admin, headers: { 'x-correlation-id': id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe(id);
    const logged = (lines: string[]) => lines.some((l) => l.includes(`"correlationId":"${id}"`));
    await new Promise((r) => setTimeout(r, 300));
    expect(logged(platform.gateway.lines)).toBe(true);
    expect(logged(platform.registry.lines)).toBe(true);
  });

  it('opens the sample 2565 cycle for the whole cohort, and closes it after answering (the real order)', async () => {
    const cycle = await api<{ status: string; agencyCount: number }>(gw(), 'GET', '/cycles/2565', {
      token: admin,
    });
    expect(cycle.body).toMatchObject({ status: 'closed', agencyCount: 1876 });
    const progress = await api<{ total: number; byGroup: Record<string, { total: number }> }>(
      gw(),
      'GET',
      '/cycles/2565/progress',
      { token: admin },
    );
    expect(progress.body.total).toBe(1876);
    expect(progress.body.byGroup.department.total).toBe(324);
    expect(progress.body.byGroup.provincial.total).toBe(1550);
  });

  it('lets a coordinator autosave, answers a stale save with 409 and the current version, and checks completeness', async () => {
    const agency = (
      await api<Page<Agency>>(gw(), 'GET', '/agencies?kind=special_local&pageSize=1', { token: admin })
    ).body.items[0];
    await api(gw(), 'POST', '/users', {
      token: admin,
      body: {
        email: 'bma@example.go.th',
        displayName: 'ผู้ประสานงาน กทม.',
        password: 'coordinator-2565',
        roles: ['coordinator'],
        agencyId: agency.id,
      },
    });
    const coord = (
      await api<{ accessToken: string }>(gw(), 'POST', '/auth/login', {
        body: { email: 'bma@example.go.th', password: 'coordinator-2565' },
      })
    ).body.accessToken;
    const path = `/cycles/2565/responses/${agency.id}`;
    // The loader ran the year to its end (the cycle is closed): DGA extends this late agency past
    // the cycle's own closing date (an extension must end after it; the sample's is 90 days out).
    const extended = await api(gw(), 'POST', `${path}/extension`, {
      token: admin,
      body: {
        until: new Date(Date.now() + 120 * 86_400_000).toISOString(),
        reason: 'ขยายเวลาให้หน่วยงานที่ส่งช้า',
      },
    });
    expect(extended.status).toBe(200);
    const response = await api<{ status: string; version: number }>(gw(), 'GET', path, { token: coord });
    expect(response.body.status).toBe('not_started');
    const v = response.body.version;
    const text = allQuestions(sample2565).find((q) => q.type === 'text' && !q.visibleIf)!;
    const saved = await api<{ status: string; version: number }>(gw(), 'PATCH', `${path}/answers`, {
      token: coord,
      body: { version: v, answers: { [text.id]: 'กรุงเทพมหานคร' } },
    });
    expect(saved.body).toMatchObject({ status: 'in_progress', version: v + 1 });
    const stale = await api<Problem & { currentVersion: number }>(gw(), 'PATCH', `${path}/answers`, {
      token: coord,
      body: { version: v, answers: { [text.id]: 'ฉบับเก่า' } },
    });
    expect([stale.status, stale.body.code, stale.body.currentVersion]).toEqual([
      409,
      'RESPONSE_VERSION_CONFLICT',
      v + 1,
    ]);
    const submit = await api<Problem>(gw(), 'POST', `${path}/submit`, {
      token: coord,
      body: { version: v + 1 },
    });
    expect([submit.status, submit.body.code]).toEqual([422, 'ANSWERS_INVALID']);
    expect(submit.body.errors!.length).toBeGreaterThan(10);
    const other = (
      await api<Page<Agency>>(gw(), 'GET', '/agencies?kind=department&pageSize=1', { token: admin })
    ).body.items[0];
    expect((await api(gw(), 'GET', `/cycles/2565/responses/${other.id}`, { token: coord })).status).toBe(404);
  });

  it('answers /health/ready and /metrics on every service', async () => {
    for (const [service, metric] of [
      [platform.registry, /registry_agencies\{[^}]*kind="regional_unit"[^}]*\} 1550/],
      [platform.intake, /rpc_server_duration_seconds_bucket/],
      [platform.scoring, /scoring_scorecards\{[^}]*cycle="2565"/],
      [platform.notifications, /notifications_queue_jobs\{/],
      [platform.awards, /awards_winners\{[^}]*cycle="2565"/],
      [platform.gateway, /http_request_duration_seconds_bucket/],
    ] as const) {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
      // The gateway serves /metrics on its METRICS_PORT only; its public port answers 404.
      const metrics = await fetch(`${service.metricsUrl ?? service.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(metric);
    }
  });

  it('scores every submitted sample response, ranks them, and the published results are public', async () => {
    interface Results {
      status: string;
      scored: number;
      failed: number;
      previousCycleId: string | null;
      statistics: { byGroup: { key: string; overall: { n: number; mean: number } }[] };
      rankings: {
        total: number;
        items: {
          agencyId: string;
          agencyCode: string;
          rank: number;
          overall: number;
          change: number | null;
          verified: boolean;
        }[];
      };
    }
    const progress = await api<{ byStatus: Record<string, number> }>(gw(), 'GET', '/cycles/2565/progress', {
      token: admin,
    });
    const submitted = ['submitted', 'resubmitted', 'verified'].reduce(
      (n, s) => n + (progress.body.byStatus[s] ?? 0),
      0,
    );
    expect(submitted).toBeGreaterThan(30);
    // The loader's award round published the results once scoring had caught up.
    const results = (
      await api<Results>(gw(), 'GET', '/cycles/2565/results?group=department&pageSize=500', { token: admin })
    ).body;
    expect(results).toMatchObject({
      status: 'published',
      scored: submitted,
      failed: 0,
      previousCycleId: '2564',
    });
    const overall = results.rankings.items.map((r) => r.overall);
    expect(overall).toEqual([...overall].sort((a, b) => b - a)); // best first
    expect(results.rankings.items[0].rank).toBe(1);
    expect(results.rankings.items.some((r) => r.change !== null)).toBe(true); // against the imported 2564 results
    expect(results.statistics.byGroup.find((g) => g.key === 'department')?.overall.n).toBe(submitted);

    const verified = results.rankings.items.find((r) => r.verified)!;
    const card = await api<{
      card: {
        overall: number;
        pillars: { score: number; indicators: unknown[] }[];
        level: { level: number } | null;
      };
    }>(gw(), 'GET', `/cycles/2565/scorecards/${verified.agencyId}`, { token: admin });
    expect(card.status).toBe(200);
    expect(card.body.card.overall).toBe(verified.overall);
    expect(card.body.card.pillars).toHaveLength(6);
    expect(card.body.card.level?.level).toBeGreaterThanOrEqual(1);

    const again = await api<{ code: string }>(gw(), 'POST', '/cycles/2565/results/publish', { token: admin });
    expect([again.status, again.body.code]).toEqual([409, 'RESULTS_PUBLISHED']);
    const publicResults = await api<Results>(
      gw(),
      'GET',
      '/public/cycles/2565/results?group=department&pageSize=5',
    );
    expect(publicResults.status).toBe(200);
    expect(publicResults.body.status).toBe('published');
    expect(publicResults.body.rankings.items.map((r) => r.agencyCode)).toEqual(
      results.rankings.items.slice(0, 5).map((r) => r.agencyCode),
    );
  });

  it('runs the award round: winners public, a Thai certificate PDF, and one award e-mail per winning agency', async () => {
    interface PublicWinners {
      announcedAt: string;
      categories: {
        id: string;
        key: string;
        name: { th: string };
        winners: { agencyId: string; agencyCode: string; rank: number }[];
      }[];
    }
    const winners = await api<PublicWinners>(gw(), 'GET', '/public/cycles/2565/awards');
    expect(winners.status).toBe(200);
    const top = winners.body.categories.find((c) => c.key === 'top-department')!;
    expect(top.winners.length).toBeGreaterThanOrEqual(3);
    expect(top.winners[0].rank).toBe(1);
    const results = await api<{ rankings: { items: { agencyCode: string; verified: boolean }[] } }>(
      gw(),
      'GET',
      '/public/cycles/2565/results?group=department&pageSize=500',
    );
    // The winner is the best verified department in the published results.
    expect(top.winners[0].agencyCode).toBe(results.body.rankings.items.find((r) => r.verified)!.agencyCode);

    const path = `/cycles/2565/awards/${top.id}/certificates/${top.winners[0].agencyId}`;
    const pdf = await waitFor(async () => {
      const res = await fetch(`${gw()}/api/v1${path}`, { headers: { authorization: `Bearer ${admin}` } });
      return res.status === 200 ? res : undefined;
    }, 30_000);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const winningAgencies = new Set(winners.body.categories.flatMap((c) => c.winners.map((w) => w.agencyId)));
    const log = await waitFor(async () => {
      const r = await api<{ byStatus: Record<string, number>; total: number }>(
        gw(),
        'GET',
        '/notifications?templateKey=award_announced&channel=email&pageSize=1',
        {
          token: admin,
        },
      );
      return r.body.byStatus?.sent === winningAgencies.size ? r.body : undefined;
    }, 60_000);
    expect(log.total).toBe(winningAgencies.size); // one e-mail per winning agency's contact, however many awards
  });

  it('shows operators every queue of the platform on the queue dashboard, to admins only', async () => {
    const anonymous = await fetch(`${gw()}/admin/queues/api/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const board = await fetch(`${gw()}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(board.status).toBe(200);
    const { queues } = (await board.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(allQueues.map((q) => q.name).sort());
    expect(queues).toHaveLength(6);
    // The sample's scoring and certificate work went through these very queues.
    const scoring = queues.find((q) => q.name === 'scoring')!;
    expect(Object.values(scoring.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('sends each submitting agency a Thai receipt by e-mail (caught by the SMTP server) and LINE, once', async () => {
    interface Deliveries {
      total: number;
      byStatus: Record<string, number>;
      items: { agencyCode: string; channel: string; status: string }[];
    }
    const progress = await api<{ byStatus: Record<string, number> }>(gw(), 'GET', '/cycles/2565/progress', {
      token: admin,
    });
    const submitted = ['submitted', 'resubmitted', 'verified'].reduce(
      (n, s) => n + (progress.body.byStatus[s] ?? 0),
      0,
    );
    const log = await waitFor(async () => {
      const r = await api<Deliveries>(
        gw(),
        'GET',
        '/notifications?templateKey=submission_receipt&channel=email&pageSize=500',
        { token: admin },
      );
      return r.status === 200 && r.body.byStatus.sent === submitted ? r.body : undefined;
    }, 60_000);
    expect(log.total).toBe(submitted); // one contact per agency, one receipt each: nothing doubled
    const mail = await waitFor(async () => {
      const messages = (await (await fetch(`${platform.mailUrl}/api/messages`)).json()) as {
        to: string[];
        subject: string;
        text?: string;
      }[];
      return messages.find((m) => m.subject.includes('DEP-001') || m.to.includes('dep-001@example.go.th'));
    }, 30_000);
    expect(mail.to).toEqual(['dep-001@example.go.th']);
    expect(mail.subject).toMatch(/[\u0E00-\u0E7F]/);
    const line = await api<Deliveries>(
      gw(),
      'GET',
      '/notifications?templateKey=submission_receipt&channel=line&pageSize=500',
      { token: admin },
    );
    expect(
      (line.body.byStatus.sent ?? 0) + (line.body.byStatus.skipped ?? 0) + (line.body.byStatus.queued ?? 0),
    ).toBe(submitted);
  });
});
