import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sample2565 } from '@dg/survey-model';
import { waitFor } from '@dg/platform/testing';
import { api, PlatformUnderTest } from './platform';
import {
  chooseCohort,
  contactsOf,
  type ContactInput,
  departmentsFile,
  type Plan,
  previousResultsFile,
  regionalFileWindows874,
  type SampleAgency,
  samplePlans,
  tinyPdf,
} from './year/cohort';
import { fileForm, login, type Page, pool, type Problem, Session } from './year/http';
import { countBy, type MailKind, portalLinkProblems, readMail } from './year/mail';

/**
 * A whole survey year, 2565, through the public HTTP API only, the way DGA, the survey operator,
 * 300 agencies and the award committee go through it: every service a separate process on the
 * real PostgreSQL, Redis and NATS, the development SMTP server and LINE stand-in as the outside
 * world. Nothing is seeded: no sample loader, no NATS, no database writes from the test.
 *
 * The steps depend on each other (a year happens in order), so they share the state below.
 */
const ROOT = join(__dirname, '../..');
const CYCLE = '2565';
const PASSWORD = 'e2e-year-2565-pass';
/** HTTP calls in flight at once: a few offices working at the same time. */
const CONCURRENCY = 12;
const DAY = 86_400_000;

/** What happens to an agency this year. */
type Fate =
  | 'on_time' // answers, is approved and submitted before the deadline, verified
  | 'returned' // submitted on time, returned by the operator, corrected and resubmitted, verified
  | 'unverified' // submitted on time; the operator has not finished checking it when results are published
  | 'awaiting_approval' // the coordinator submitted, the head never approved before the deadline
  | 'late_extended' // not finished by the deadline; the operator extends it; submits late, verified
  | 'late_refused' // not finished by the deadline, no extension: refused
  | 'not_started'; // never answers

interface ResponseDetail {
  agencyId: string;
  agencyCode: string;
  status: string;
  version: number;
  submissionCount: number;
  deadline: string;
  answers: Record<string, unknown>;
  verdicts: { questionId: string; verdict: string; comment: string | null }[];
  returnComment: string | null;
}
interface Progress {
  total: number;
  byStatus: Record<string, number>;
  byGroup: Record<string, { total: number; submitted: number; responseRate: number }>;
  submitted: number;
  responseRate: number;
  deadline: string;
}
interface RankingRow {
  rank: number;
  tied: boolean;
  agencyId: string;
  agencyCode: string;
  group: string;
  value: number;
  overall: number;
  verified: boolean;
  previous: number | null;
  change: number | null;
}
interface Results {
  status: string;
  scored: number;
  failed: number;
  previousCycleId: string | null;
  statistics: { byGroup: { key: string; overall: { n: number } }[] };
  rankings: Page<RankingRow>;
}
interface CategoryState {
  id: string;
  key: string;
  status: string;
  version: number;
  candidateCount: number;
  eligibleCount: number;
  candidates: {
    agencyId: string;
    agencyCode: string;
    eligible: boolean;
    rank: number | null;
    overall: number;
    reasons: { code: string }[];
  }[];
}
interface Campaign {
  id: string;
  queued: number;
  skipped: number;
  agenciesSkipped: number;
}
interface Deliveries {
  total: number;
  byStatus: Record<string, number>;
}

interface Member {
  agency: SampleAgency;
  id: string;
  group: 'department' | 'provincial' | 'local';
  fate: Fate;
  plan: Plan;
  contacts: ContactInput[];
  coordinatorEmail: string;
  approverEmail: string;
  coordinator?: Session;
  approver?: Session;
  /** The evidence question the operator rejects (returned agencies). */
  rejected?: string;
}

const generalIds = new Set(sample2565.general.questions.map((q) => q.id));
const beYear = (d: Date) =>
  Number(d.toLocaleDateString('en-CA', { timeZone: 'Asia/Bangkok' }).slice(0, 4)) + 543;

describe('the 2565 survey year end to end, through the public API only', () => {
  const platform = new PlatformUnderTest();
  const cohort = chooseCohort();
  const plans = samplePlans(cohort.all.map((a) => a.code));
  const members: Member[] = [];
  const byCode = new Map<string, Member>();
  const path = (m: Member) => `/cycles/${CYCLE}/responses/${m.id}`;
  const of = (fate: Fate) => members.filter((m) => m.fate === fate);
  const contactCount = (list: Member[]) => list.reduce((n, m) => n + m.contacts.length, 0);
  const lineCount = (list: Member[]) =>
    list.reduce((n, m) => n + m.contacts.filter((c) => c.lineId).length, 0);
  let admin: Session;
  let verifiers: Session[];
  let committee: { session: Session; userId: string; name: string }[];
  let gw: string;
  let originalDeadline: string;
  /** Agencies not submitted when the reminder went out. */
  let reminded: Member[] = [];
  /** Winning agency ids (any category). */
  let winners = new Set<string>();

  // Who does what: fixed, so every run tells the same story (and the counts below are exact).
  const fates = new Map<string, Fate>();
  {
    const D = cohort.departments;
    const R = cohort.regional;
    const put = (fate: Fate, list: SampleAgency[]) => list.forEach((a) => fates.set(a.code, fate));
    put('not_started', [D[149], D[148], R[147], R[146]]);
    put('late_refused', [D[147], D[146], R[145], R[144]]);
    put('awaiting_approval', [D[145], R[143], R[142]]);
    put('late_extended', [D[144], D[143], D[142], R[141], R[140], R[139]]);
    put('unverified', [D[141], D[140], R[138], R[137], R[136]]);
    // The operator returns five departments and five provincial units for a wrong evidence file.
    const withEvidence = (list: SampleAgency[]) =>
      list.filter((a, i) => i < 100 && i % 10 === 5 && plans[a.code].evidence.length > 0).slice(0, 5);
    put('returned', [...withEvidence(D), ...withEvidence(R)]);
  }

  beforeAll(async () => {
    await platform.start({
      env: {
        // Six hundred agency accounts log in: a test work factor (production refuses below 10).
        gateway: { BCRYPT_COST: '4', LOG_LEVEL: 'info' },
        registry: { LOG_LEVEL: 'info' },
        intake: { LOG_LEVEL: 'info' },
        scoring: { LOG_LEVEL: 'info' },
        notifications: { LOG_LEVEL: 'info' },
        awards: { LOG_LEVEL: 'info' },
      },
    });
    gw = platform.gateway.url;
    // The first DGA admin, made by the gateway at boot from ADMIN_EMAIL / ADMIN_PASSWORD (development defaults).
    admin = await login(gw, 'admin@dga.or.th', 'admin-2565');
  }, 120_000);
  afterAll(async () => platform.stop(), 60_000);

  it('loads the cohort: departments from a UTF-8 export, provincial units from a Thai Excel CSV (Windows-874)', async () => {
    expect((await admin.ok<Page<unknown>>('GET', '/agencies?pageSize=1')).total).toBe(0);
    const departments = fileForm(departmentsFile(cohort), 'หน่วยงานระดับกรม-2565.csv', 'text/csv');
    const dry = await admin.ok<Record<string, unknown>>('POST', '/agencies/import?dryRun=true', departments);
    expect(dry).toMatchObject({ dryRun: true, format: 'csv', encoding: 'utf-8', rows: 152, created: 152 });
    expect((await admin.ok<Page<unknown>>('GET', '/agencies?pageSize=1')).total).toBe(0); // a dry run saves nothing
    const first = await admin.ok<Record<string, unknown>>(
      'POST',
      '/agencies/import',
      fileForm(departmentsFile(cohort), 'departments.csv', 'text/csv'),
    );
    expect(first).toMatchObject({ dryRun: false, rows: 152, created: 152, updated: 0 });
    const regional = regionalFileWindows874(cohort);
    expect(regional.includes(Buffer.from('สำนักงาน', 'utf8'))).toBe(false); // really not UTF-8
    const second = await admin.ok<Record<string, unknown>>(
      'POST',
      '/agencies/import',
      fileForm(regional, 'ส่วนภูมิภาค-2565.csv', 'text/csv'),
    );
    expect(second).toMatchObject({
      dryRun: false,
      encoding: 'windows-874',
      rows: 148,
      created: 148,
      updated: 0,
    });
    // The same file again changes nothing.
    const again = await admin.ok<Record<string, unknown>>(
      'POST',
      '/agencies/import',
      fileForm(regional, 'ส่วนภูมิภาค-2565.csv', 'text/csv'),
    );
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 148 });

    const total = async (q: string) =>
      (await admin.ok<Page<unknown>>('GET', `/agencies?pageSize=1${q}`)).total;
    expect([
      await total(''),
      await total('&kind=department'),
      await total('&kind=regional_unit'),
      await total('&kind=special_local'),
    ]).toEqual([300, 150, 148, 2]);
    const agencies = await admin.all<{
      id: string;
      code: string;
      nameTh: string;
      parentCode: string | null;
      effectiveFrom: string | null;
    }>('/agencies');
    const unit = agencies.find((a) => a.code === 'REG-041-TH-11')!;
    // Thai read back exactly from Windows-874, the B.E. date as the Common Era one, the parent linked.
    expect(unit).toMatchObject({
      nameTh: 'สำนักงานคลังจังหวัดสมุทรปราการ',
      effectiveFrom: '2022-05-01',
      parentCode: 'DEP-041',
    });
    const idOf = new Map(agencies.map((a) => [a.code, a.id]));
    cohort.all.forEach((agency, index) => {
      const fate = fates.get(agency.code) ?? 'on_time';
      const code = agency.code.toLowerCase();
      const m: Member = {
        agency,
        id: idOf.get(agency.code)!,
        group:
          agency.kind === 'department'
            ? 'department'
            : agency.kind === 'regional_unit'
              ? 'provincial'
              : 'local',
        fate,
        plan: plans[agency.code],
        contacts: contactsOf(agency, index),
        coordinatorEmail: `coordinator.${code}@example.go.th`,
        approverEmail: `head.${code}@example.go.th`,
      };
      expect([agency.code, m.id, m.plan?.code]).toEqual([agency.code, expect.any(String), agency.code]);
      members.push(m);
      byCode.set(agency.code, m);
    });
    expect(Object.fromEntries(countBy(members, (m) => m.fate))).toEqual({
      on_time: 268,
      returned: 10,
      unverified: 5,
      awaiting_approval: 3,
      late_extended: 6,
      late_refused: 4,
      not_started: 4,
    });
  }, 60_000);

  it('registers the contact people, the agencies’ coordinators and heads, the operator’s staff and the committee', async () => {
    await pool(members, CONCURRENCY, async (m) => {
      for (const c of m.contacts) await admin.ok('POST', `/agencies/${m.id}/contacts`, c);
    });
    const user = (email: string, displayName: string, roles: string[], agencyId?: string) =>
      admin.ok<{ id: string }>('POST', '/users', {
        email,
        displayName,
        password: PASSWORD,
        roles,
        ...(agencyId ? { agencyId } : {}),
      });
    await pool(members, CONCURRENCY, async (m) => {
      await user(m.coordinatorEmail, `ผู้ประสานงาน ${m.agency.nameTh}`, ['coordinator'], m.id);
      await user(m.approverEmail, `หัวหน้าส่วนราชการ ${m.agency.nameTh}`, ['approver'], m.id);
    });
    // The survey operator's verifiers, and the award committee (the first chairs).
    const staff = [
      ['verifier.a@survey-operator.co.th', 'นางสาวตรวจสอบ ละเอียด (ผู้ตรวจสอบ)'],
      ['verifier.b@survey-operator.co.th', 'นายทาน ถี่ถ้วน (ผู้ตรวจสอบ)'],
    ];
    for (const [email, name] of staff) await user(email, name, ['operator']);
    verifiers = await Promise.all(staff.map(([email]) => login(gw, email, PASSWORD)));
    const people = [
      ['committee.chair@dga.or.th', 'ศาสตราจารย์สมมติ ใจกว้าง (ประธานกรรมการ)'],
      ['committee.member1@dga.or.th', 'นางวิจิตรา รอบคอบ (กรรมการ)'],
      ['committee.member2@dga.or.th', 'นายทดลอง เที่ยงธรรม (กรรมการ)'],
    ];
    committee = [];
    for (const [email, name] of people) {
      const { id } = await user(email, name, ['committee']);
      committee.push({ session: await login(gw, email, PASSWORD), userId: id, name });
    }
    const count = async (q: string) => (await admin.ok<Page<unknown>>('GET', `/users?pageSize=1&${q}`)).total;
    expect([
      await count('role=coordinator'),
      await count('role=approver'),
      await count('role=operator'),
      await count('role=committee'),
    ]).toEqual([300, 300, 2, 3]);
    const contacts = await admin.ok<{ items: ContactInput[] }>('GET', `/agencies/${members[0].id}/contacts`);
    expect(contacts.items.map((c) => c.email).sort()).toEqual(members[0].contacts.map((c) => c.email).sort());
  }, 90_000);

  it('prepares and opens the 2565 cycle: questionnaire, cohort (302 announced, 300 measured), scoring rules, last year’s results', async () => {
    originalDeadline = new Date(Date.now() + 30 * DAY).toISOString();
    const cycle = await admin.ok<{ version: number; status: string }>('POST', '/cycles', {
      id: CYCLE,
      yearBE: 2565,
      title: {
        th: 'การสำรวจระดับความพร้อมรัฐบาลดิจิทัลของหน่วยงานภาครัฐ ประจำปี พ.ศ. 2565',
        en: 'Digital Government Readiness Survey B.E. 2565 (2022)',
      },
      opensAt: '2022-05-25',
      closesAt: originalDeadline,
    });
    expect(cycle.status).toBe('draft');
    const definition = JSON.parse(
      readFileSync(join(ROOT, 'packages/survey-model/samples/questionnaire-2565.json'), 'utf8'),
    ) as unknown;
    const q = await admin.ok<{ id: string; questionCount: number }>('POST', '/questionnaires', definition);
    await admin.ok('PUT', `/cycles/${CYCLE}/questionnaire`, {
      questionnaireId: q.id,
      version: cycle.version,
    });
    const put = await admin.ok<Record<string, unknown>>('PUT', `/cycles/${CYCLE}/cohort`, {
      announcedCount: 302,
      members: members.map((m) => ({ agencyCode: m.agency.code })),
    });
    expect(put).toMatchObject({
      announcedCount: 302,
      finalCount: 300,
      byGroup: { department: 150, provincial: 148, local: 2 },
    });
    const rules = JSON.parse(
      readFileSync(join(ROOT, 'packages/survey-model/samples/scoring-rules-2565.json'), 'utf8'),
    ) as unknown;
    const putRules = await admin.call('PUT', `/cycles/${CYCLE}/scoring-rules`, rules);
    expect([200, 201]).toContain(putRules.status);
    const previous = previousResultsFile(cohort);
    const imported = await admin.ok<{ imported: number }>(
      'POST',
      '/cycles/2564/results/import',
      fileForm(previous.file, 'ผลการสำรวจ-2564.csv', 'text/csv'),
    );
    expect(imported.imported).toBe(previous.codes.size);
    expect(previous.codes.size).toBeGreaterThan(100);

    const opened = await admin.ok<{ status: string; agencyCount: number; closesAt: string }>(
      'POST',
      `/cycles/${CYCLE}/open`,
    );
    expect(opened).toMatchObject({ status: 'open', agencyCount: 300, closesAt: originalDeadline });
    const progress = await admin.ok<Progress>('GET', `/cycles/${CYCLE}/progress`);
    expect(progress).toMatchObject({
      total: 300,
      byStatus: { not_started: 300 },
      submitted: 0,
      responseRate: 0,
    });
    expect(progress.byGroup).toMatchObject({
      department: { total: 150 },
      provincial: { total: 148 },
      local: { total: 2 },
    });
  }, 60_000);

  it('sends the briefing invitation with its agenda to every contact, once', async () => {
    const briefing = {
      startsAt: '2022-05-25T09:30:00+07:00',
      endsAt: '2022-05-25T12:00:00+07:00',
      venue: 'ประชุมออนไลน์ (online meeting)',
      meetingLink: 'https://meet.example.go.th/dg-survey-2565',
      documents: [
        {
          name: 'คู่มือการตอบแบบสำรวจ 2565 (survey guide)',
          url: 'https://www.example.go.th/dg-survey-2565/guide.pdf',
        },
      ],
      attachments: [
        {
          fileName: 'agenda-2565.pdf',
          contentType: 'application/pdf',
          contentBase64: tinyPdf('Briefing agenda 2565').toString('base64'),
        },
      ],
      channels: ['email', 'line'],
    };
    const sent = await admin.call<Campaign>('POST', `/cycles/${CYCLE}/announcements`, briefing);
    expect(sent.status).toBe(202);
    // One e-mail per contact, a LINE message per contact with LINE; the rest on LINE have no address.
    const contacts = contactCount(members);
    const line = lineCount(members);
    expect(sent.body).toMatchObject({ queued: contacts + line, skipped: contacts - line });
    // The same briefing again (a double click) is the same campaign: nothing new goes out.
    const again = await admin.call<Campaign>('POST', `/cycles/${CYCLE}/announcements`, briefing);
    expect([again.status, again.body.id]).toEqual([202, sent.body.id]);

    const invitations = await waitFor(
      async () => {
        const mail = (await platform.caughtMail()).map(readMail).filter((m) => m.kind === 'announce');
        return mail.length >= contacts ? mail : undefined;
      },
      60_000,
      500,
    );
    expect(invitations).toHaveLength(contacts);
    const expected = members.flatMap((m) => m.contacts.map((c) => c.email)).sort();
    expect(invitations.map((m) => m.to).sort()).toEqual(expected);
    for (const { mail } of invitations) {
      expect(mail.attachments).toEqual([
        expect.objectContaining({ fileName: 'agenda-2565.pdf', contentType: 'application/pdf' }),
      ]);
    }
    // Addressed to the agency, in Thai first: the date in the Buddhist Era, the meeting link.
    const bma = invitations.find((m) => m.to === 'loc-bma@example.go.th')!.mail;
    expect(bma.subject).toContain('ขอเชิญเข้าร่วมประชุมชี้แจงการสำรวจระดับความพร้อมรัฐบาลดิจิทัล');
    expect(bma.text).toContain('กรุงเทพมหานคร');
    expect(bma.text).toContain('25 พฤษภาคม 2565');
    expect(bma.text).toContain('https://meet.example.go.th/dg-survey-2565');
    expect(bma.text.indexOf('ลิงก์เข้าร่วมประชุม')).toBeLessThan(bma.text.indexOf('Online meeting link'));
  }, 90_000);

  /** Every ranking row of the cycle's results (they page under `rankings`). */
  async function allResults(): Promise<RankingRow[]> {
    const rows: RankingRow[] = [];
    for (let page = 1; ; page++) {
      const r = await admin.ok<Results>('GET', `/cycles/${CYCLE}/results?page=${page}&pageSize=500`);
      rows.push(...r.rankings.items);
      if (rows.length >= r.rankings.total || !r.rankings.items.length) return rows;
    }
  }

  /** The coordinator's first sitting: the general block, autosaved. */
  async function startAnswering(m: Member): Promise<ResponseDetail> {
    m.coordinator ??= await login(gw, m.coordinatorEmail, PASSWORD);
    const r = await m.coordinator.ok<ResponseDetail>('GET', path(m));
    expect([m.agency.code, r.status, r.version]).toEqual([m.agency.code, 'not_started', 1]);
    const general = Object.fromEntries(Object.entries(m.plan.answers).filter(([id]) => generalIds.has(id)));
    return m.coordinator.ok<ResponseDetail>('PATCH', `${path(m)}/answers`, {
      version: r.version,
      answers: general,
    });
  }

  async function uploadEvidence(m: Member, questionId: string, n: number): Promise<string> {
    const pdf = tinyPdf(`Evidence ${m.agency.code} ${questionId} file ${n}`);
    const form = fileForm(pdf, `${m.agency.code}-${questionId}-${n}.pdf`, 'application/pdf');
    const e = await m.coordinator!.ok<{ id: string; contentType: string }>(
      'POST',
      `${path(m)}/evidence?questionId=${questionId}`,
      form,
    );
    expect(e.contentType).toBe('application/pdf');
    return e.id;
  }

  /** The rest of the answers with the evidence files, then the coordinator sends it to the head. */
  async function finishAndSubmit(m: Member, r: ResponseDetail): Promise<ResponseDetail> {
    const rest: Record<string, unknown> = Object.fromEntries(
      Object.entries(m.plan.answers).filter(([id]) => !generalIds.has(id)),
    );
    for (const e of m.plan.evidence) {
      const ids: string[] = [];
      for (let n = 1; n <= e.files; n++) ids.push(await uploadEvidence(m, e.questionId, n));
      rest[e.questionId] = ids;
    }
    const saved = await m.coordinator!.ok<ResponseDetail>('PATCH', `${path(m)}/answers`, {
      version: r.version,
      answers: rest,
    });
    expect(saved.version).toBe(r.version + 1);
    const submitted = await m.coordinator!.ok<ResponseDetail>('POST', `${path(m)}/submit`, {
      version: saved.version,
    });
    expect(submitted.status).toBe('awaiting_approval');
    return submitted;
  }

  async function approve(m: Member, r: ResponseDetail): Promise<ResponseDetail> {
    m.approver ??= await login(gw, m.approverEmail, PASSWORD);
    return m.approver.ok<ResponseDetail>('POST', `${path(m)}/approve`, {
      version: r.version,
      decision: 'approve',
    });
  }

  it('lets the agencies answer: autosave, evidence, the head’s approval and submission before the deadline', async () => {
    const answering = members.filter((m) => m.fate !== 'not_started');
    await pool(answering, CONCURRENCY, async (m) => {
      const r = await startAnswering(m);
      expect(r.status).toBe('in_progress');
      if (m.fate === 'late_refused' || m.fate === 'late_extended') return; // still working on it at the deadline
      const waiting = await finishAndSubmit(m, r);
      if (m.fate === 'awaiting_approval') return; // the head does not approve in time
      const done = await approve(m, waiting);
      expect([m.agency.code, done.status, done.submissionCount]).toEqual([m.agency.code, 'submitted', 1]);
    });
    const progress = await admin.ok<Progress>('GET', `/cycles/${CYCLE}/progress`);
    const onTime = of('on_time').length + of('returned').length + of('unverified').length;
    expect(progress.byStatus).toEqual({
      submitted: onTime,
      awaiting_approval: 3,
      in_progress: 10,
      not_started: 4,
    });
    expect(progress.submitted).toBe(onTime);
  }, 240_000); // 300 agencies answering on a 2-core machine shared with other runs

  it('reminds only the agencies that have not submitted, before the deadline', async () => {
    const submitted = members.filter((m) => ['on_time', 'returned', 'unverified'].includes(m.fate));
    // Notifications knows of every submission (each has had its receipt) before the reminder goes.
    await waitFor(
      async () => {
        const log = await admin.ok<Deliveries>(
          'GET',
          `/notifications?cycleId=${CYCLE}&templateKey=submission_receipt&channel=email&pageSize=1`,
        );
        // each submitted agency's contacts, and its coordinator and head (users, by role)
        return log.total === contactCount(submitted) + 2 * submitted.length ? log : undefined;
      },
      60_000,
      250,
    );
    reminded = members.filter((m) => !submitted.includes(m));
    const sent = await admin.call<Campaign>('POST', `/cycles/${CYCLE}/reminders`, {
      label: 'before-deadline-1',
      channels: ['email', 'line'],
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      agenciesSkipped: submitted.length,
      queued: contactCount(reminded) + lineCount(reminded),
    });
  }, 90_000);

  it('closes at the deadline: an agency without an extension is refused, one with an extension submits late', async () => {
    const before = await admin.ok<{ version: number }>('GET', `/cycles/${CYCLE}`);
    const deadline = new Date(Date.now() - 60_000);
    await admin.ok('PATCH', `/cycles/${CYCLE}`, {
      closesAt: deadline.toISOString(),
      version: before.version,
    });

    for (const m of of('late_refused')) {
      const save = await m.coordinator!.call<Problem>('PATCH', `${path(m)}/answers`, {
        version: 2,
        answers: { g_name_correct: true },
      });
      expect(save.status).toBe(409);
      expect(save.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(save.body).toMatchObject({
        status: 409,
        code: 'DEADLINE_PASSED',
        title: 'The deadline has passed',
        deadline: deadline.toISOString(),
      });
      // The Thai detail tells the date with the Buddhist Era year, and what to do.
      expect(save.body.detail).toContain(`พ้นกำหนดส่ง`);
      expect(save.body.detail).toContain(String(beYear(deadline)));
      expect(save.body.detail).toContain('ขอขยายเวลา');
      const submit = await m.coordinator!.call<Problem>('POST', `${path(m)}/submit`, { version: 2 });
      expect([submit.status, submit.body.code]).toEqual([409, 'DEADLINE_PASSED']);
    }
    for (const m of of('awaiting_approval')) {
      const r = await admin.ok<ResponseDetail>('GET', path(m));
      m.approver ??= await login(gw, m.approverEmail, PASSWORD);
      const late = await m.approver.call<Problem>('POST', `${path(m)}/approve`, {
        version: r.version,
        decision: 'approve',
      });
      expect([late.status, late.body.code]).toEqual([409, 'DEADLINE_PASSED']);
    }

    // DGA closes the cycle (unless intake's closer, which closes cycles past their deadline every minute, came first).
    const close = await admin.call<Problem>('POST', `/cycles/${CYCLE}/close`);
    if (close.status !== 200) expect([close.status, close.body.code]).toEqual([409, 'CYCLE_NOT_OPEN']);
    expect((await admin.ok<{ status: string }>('GET', `/cycles/${CYCLE}`)).status).toBe('closed');

    // The operator extends the deadline of the agencies that asked (their system was down).
    const until = new Date(Date.now() + 3 * DAY).toISOString();
    await pool(of('late_extended'), CONCURRENCY, async (m, i) => {
      const extended = await verifiers[i % 2].ok<ResponseDetail>('POST', `${path(m)}/extension`, {
        until,
        reason: 'ระบบสารสนเทศของหน่วยงานขัดข้องช่วงใกล้กำหนดส่ง (the agency’s systems were down near the deadline)',
      });
      expect(extended.deadline).toBe(until);
      const r = await m.coordinator!.ok<ResponseDetail>('GET', path(m));
      const done = await approve(m, await finishAndSubmit(m, r));
      expect([m.agency.code, done.status]).toEqual([m.agency.code, 'submitted']);
    });
    // …and those without one are still refused after the close.
    const still = of('late_refused')[0];
    const refused = await still.coordinator!.call<Problem>('POST', `${path(still)}/submit`, { version: 2 });
    expect([refused.status, refused.body.code]).toEqual([409, 'DEADLINE_PASSED']);

    const progress = await admin.ok<Progress>('GET', `/cycles/${CYCLE}/progress`);
    expect(progress.byStatus).toEqual({
      submitted: 289,
      awaiting_approval: 3,
      in_progress: 4,
      not_started: 4,
    });
  }, 90_000);

  it('verifies the evidence, returns ten responses for correction and takes their corrections', async () => {
    const evidenceQuestions = new Set(
      [
        ...sample2565.general.questions,
        ...sample2565.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions)),
      ]
        .filter((q) => q.type === 'evidence')
        .map((q) => q.id),
    );
    const evidenceOf = (r: ResponseDetail) =>
      Object.keys(r.answers).filter((id) => evidenceQuestions.has(id));
    const verifierOf = (m: Member) => verifiers[m.group === 'provincial' ? 1 : 0];
    const verifyAll = async (m: Member) => {
      const v = verifierOf(m);
      const r = await v.ok<ResponseDetail>('GET', path(m));
      const verdicts = evidenceOf(r).map((questionId) => ({ questionId, verdict: 'accepted' }));
      const done = await v.ok<ResponseDetail>('POST', `${path(m)}/verify`, {
        verdicts,
        complete: true,
        version: r.version,
      });
      expect([m.agency.code, done.status]).toEqual([m.agency.code, 'verified']);
    };
    const comment =
      'ไฟล์หลักฐานไม่มีลายมือชื่อผู้บริหาร กรุณาแนบฉบับที่ลงนามแล้ว (the evidence is not signed by the head: attach the signed copy)';
    await pool(of('returned'), CONCURRENCY, async (m) => {
      const v = verifierOf(m);
      const r = await v.ok<ResponseDetail>('GET', path(m));
      m.rejected = evidenceOf(r)[0];
      expect(m.rejected).toBeDefined();
      // The operator opens the file before judging it.
      const [fileId] = r.answers[m.rejected] as string[];
      const file = await fetch(`${gw}/api/v1/evidence/${fileId}`, {
        headers: { authorization: `Bearer ${v.token}` },
      });
      expect([file.status, file.headers.get('content-disposition')]).toEqual([
        200,
        expect.stringMatching(/^attachment/),
      ]);
      expect(
        Buffer.from(await file.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
      const noted = await v.ok<ResponseDetail>('POST', `${path(m)}/verify`, {
        verdicts: [{ questionId: m.rejected, verdict: 'rejected', comment }],
        complete: false,
        version: r.version,
      });
      const returned = await v.ok<ResponseDetail>('POST', `${path(m)}/return`, {
        comment,
        version: noted.version,
      });
      expect(returned.status).toBe('returned');
      // A correction period from now, though the cycle has closed.
      expect(Date.parse(returned.deadline)).toBeGreaterThan(Date.now() + DAY);
    });
    await pool(
      members.filter((m) => m.fate === 'on_time' || m.fate === 'late_extended'),
      CONCURRENCY,
      verifyAll,
    );
    // The agencies correct what was rejected and submit again; the head approves again.
    await pool(of('returned'), CONCURRENCY, async (m) => {
      const r = await m.coordinator!.ok<ResponseDetail>('GET', path(m));
      expect(r).toMatchObject({ status: 'returned', returnComment: comment });
      expect(r.verdicts).toEqual([
        expect.objectContaining({ questionId: m.rejected, verdict: 'rejected', comment }),
      ]);
      const signed = await uploadEvidence(m, m.rejected!, 9);
      const saved = await m.coordinator!.ok<ResponseDetail>('PATCH', `${path(m)}/answers`, {
        version: r.version,
        answers: { [m.rejected!]: [signed] },
      });
      const waiting = await m.coordinator!.ok<ResponseDetail>('POST', `${path(m)}/submit`, {
        version: saved.version,
      });
      const again = await approve(m, waiting);
      expect([again.status, again.submissionCount]).toEqual(['resubmitted', 2]);
      // The verdict judged the old file: it no longer holds.
      expect(again.verdicts.find((v) => v.questionId === m.rejected)).toBeUndefined();
      await verifyAll(m);
    });
    const progress = await admin.ok<Progress>('GET', `/cycles/${CYCLE}/progress`);
    expect(progress.byStatus).toEqual({
      verified: 284,
      submitted: 5,
      awaiting_approval: 3,
      in_progress: 4,
      not_started: 4,
    });
    expect(progress).toMatchObject({ total: 300, submitted: 289, responseRate: 96.33 });
    expect(progress.byGroup).toEqual({
      department: { total: 150, submitted: 145, responseRate: 96.67 },
      provincial: { total: 148, submitted: 142, responseRate: 95.95 },
      local: { total: 2, submitted: 2, responseRate: 100 },
    });
  }, 150_000);

  it('scores every submitted response, the verified ones with the operator’s verdicts, and ranks each group', async () => {
    const results = await waitFor(
      async () => {
        const head = await admin.ok<Results>('GET', `/cycles/${CYCLE}/results?pageSize=1`);
        if (head.scored < 289) return undefined;
        const rows = await allResults();
        return rows.filter((r) => r.verified).length === 284 ? { head, rows } : undefined;
      },
      120_000,
      1000,
    );
    expect(results.head).toMatchObject({
      status: 'provisional',
      scored: 289,
      failed: 0,
      previousCycleId: '2564',
    });
    const rows = results.rows;
    const scoredCodes = new Set(rows.map((r) => r.agencyCode));
    const answered = members.filter(
      (m) => !['awaiting_approval', 'late_refused', 'not_started'].includes(m.fate),
    );
    expect([...scoredCodes].sort()).toEqual(answered.map((m) => m.agency.code).sort());
    expect(
      rows
        .filter((r) => !r.verified)
        .map((r) => r.agencyCode)
        .sort(),
    ).toEqual(
      of('unverified')
        .map((m) => m.agency.code)
        .sort(),
    );
    for (const group of ['department', 'provincial', 'local']) {
      const ranked = rows.filter((r) => r.group === group);
      expect(ranked[0].rank).toBe(1);
      expect(ranked.map((r) => r.value)).toEqual([...ranked.map((r) => r.value)].sort((a, b) => b - a));
      // Competition ranking: a rank is one more than the number of better scores.
      for (const r of ranked) expect(r.rank).toBe(ranked.filter((o) => o.value > r.value).length + 1);
      expect(results.head.statistics.byGroup.find((s) => s.key === group)?.overall.n).toBe(ranked.length);
    }
    expect(rows.filter((r) => r.group === 'local')).toHaveLength(2);
    // Year over year against the imported 2564 results.
    const { codes } = previousResultsFile(cohort);
    expect(
      rows
        .filter((r) => r.change !== null)
        .map((r) => r.agencyCode)
        .sort(),
    ).toEqual(
      rows
        .filter((r) => codes.has(r.agencyCode))
        .map((r) => r.agencyCode)
        .sort(),
    );

    // Every verified agency has its scorecard, scored with the operator's verdicts, the one the ranking shows.
    const rowOf = new Map(rows.map((r) => [r.agencyId, r]));
    const verifiedMembers = members.filter((m) => ['on_time', 'returned', 'late_extended'].includes(m.fate));
    expect(verifiedMembers).toHaveLength(284);
    await pool(verifiedMembers, CONCURRENCY, async (m) => {
      const sc = await admin.ok<{
        verified: boolean;
        submission: number;
        card: { overall: number; pillars: unknown[] };
      }>('GET', `/cycles/${CYCLE}/scorecards/${m.id}`);
      expect([m.agency.code, sc.verified, sc.submission, sc.card.pillars.length, sc.card.overall]).toEqual([
        m.agency.code,
        true,
        m.fate === 'returned' ? 2 : 1,
        6,
        rowOf.get(m.id)!.overall,
      ]);
    });

    // A corrected response is scored on its second submission, with the replaced file accepted.
    const m = of('returned')[0];
    const card = await admin.ok<{
      submission: number;
      verified: boolean;
      card: {
        overall: number;
        pillars: {
          indicators: { questions: { questionId: string; outcome: string; verdict: string | null }[] }[];
        }[];
      };
    }>('GET', `/cycles/${CYCLE}/scorecards/${m.id}`);
    expect(card).toMatchObject({ submission: 2, verified: true });
    expect(card.card.overall).toBe(rows.find((r) => r.agencyId === m.id)!.overall);
    const q = card.card.pillars
      .flatMap((p) => p.indicators.flatMap((i) => i.questions))
      .find((x) => x.questionId === m.rejected);
    expect(q).toMatchObject({ outcome: 'earned', verdict: 'accepted' });
  }, 150_000);

  it('publishes the results only once every submitted response is verified or set aside: frozen, public without login', async () => {
    // Five submitted responses the operators have not verified: publication waits for them.
    const unverified = of('unverified');
    const refused = await admin.call<Problem & { blockingCount: number; agencies: { agencyCode: string }[] }>(
      'POST',
      `/cycles/${CYCLE}/results/publish`,
    );
    expect([refused.status, refused.body.code, refused.body.blockingCount]).toEqual([
      409,
      'RESPONSES_NOT_VERIFIED',
      unverified.length,
    ]);
    expect(refused.body.agencies.map((a) => a.agencyCode).sort()).toEqual(
      unverified.map((m) => m.agency.code).sort(),
    );
    const readiness = await verifiers[0].ok<{ ready: boolean; blocking: { total: number } }>(
      'GET',
      `/cycles/${CYCLE}/publication-readiness`,
    );
    expect(readiness).toMatchObject({ ready: false, blocking: { total: unverified.length } });
    // DGA decides not to wait for them: set aside with a reason, kept in each audit trail.
    const reason = 'ตรวจสอบไม่ทันกำหนดประกาศผล (not verified in time for publication)';
    for (const m of unverified) {
      const r = await verifiers[0].ok<ResponseDetail>('GET', path(m));
      await verifiers[0].ok('POST', `${path(m)}/set-aside`, { reason, version: r.version });
    }
    expect(
      await verifiers[0].ok<{ ready: boolean; setAside: number }>('GET', `/cycles/${CYCLE}/publication-readiness`),
    ).toMatchObject({ ready: true, setAside: unverified.length });
    const published = await admin.ok<{ scored: number; byGroup: Record<string, number> }>(
      'POST',
      `/cycles/${CYCLE}/results/publish`,
    );
    expect(published).toMatchObject({ scored: 289, byGroup: { department: 145, provincial: 142, local: 2 } });
    const again = await admin.call<Problem>('POST', `/cycles/${CYCLE}/results/publish`);
    expect([again.status, again.body.code]).toEqual([409, 'RESULTS_PUBLISHED']);
    const internal = await admin.ok<Results>('GET', `/cycles/${CYCLE}/results?group=provincial&pageSize=500`);
    const pub = await api<Results>(
      gw,
      'GET',
      `/public/cycles/${CYCLE}/results?group=provincial&pageSize=500`,
    );
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ status: 'published', scored: 289 });
    expect(pub.body.rankings.items.map((r) => [r.agencyCode, r.rank, r.overall])).toEqual(
      internal.rankings.items.map((r) => [r.agencyCode, r.rank, r.overall]),
    );
    expect(pub.body.rankings.total).toBe(142);
  }, 60_000);

  it('runs the award round: categories, candidates, committee votes with a conflict refused, the chair’s decisions, the announcement', async () => {
    const [chair, member1, member2] = committee;
    // Member 2 comes from a department of the Office of the Prime Minister: conflicted with its agencies.
    const own = byCode.get('DEP-002')!;
    const members3 = [
      { userId: chair.userId, name: chair.name, agencyId: null, chair: true },
      { userId: member1.userId, name: member1.name, agencyId: null, chair: false },
      { userId: member2.userId, name: member2.name, agencyId: own.id, chair: false },
    ];
    const name = (th: string, en: string) => ({ th, en });
    const specs = [
      {
        key: 'top-department',
        name: name('หน่วยงานระดับกรมที่มีความพร้อมรัฐบาลดิจิทัลสูงสุด', 'Highest readiness: departments'),
        group: 'department',
        metric: 'overall',
        winners: 3,
      },
      {
        key: 'top-provincial',
        name: name('หน่วยงานส่วนภูมิภาคที่มีความพร้อมรัฐบาลดิจิทัลสูงสุด', 'Highest readiness: provincial units'),
        group: 'provincial',
        metric: 'overall',
        winners: 5,
      },
      {
        key: 'top-local',
        name: name('องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษที่มีความพร้อมสูงสุด', 'Highest readiness: special local'),
        group: 'local',
        metric: 'overall',
        winners: 1,
      },
      {
        key: 'most-improved-department',
        name: name('หน่วยงานระดับกรมที่มีพัฒนาการโดดเด่น', 'Most improved department'),
        group: 'department',
        metric: 'improvement',
        winners: 3,
        eligibility: { verifiedOnly: true, excludePreviousWinners: false, requirePrevious: true },
        tieBreaks: ['overall'],
      },
      {
        key: 'digital-leadership',
        name: name('ผู้นำดิจิทัลดีเด่น', 'Outstanding digital leadership'),
        group: 'department',
        metric: 'committee',
        winners: 1,
        quorum: 2,
        eligibility: { verifiedOnly: true, excludePreviousWinners: false, minOverall: 50 },
      },
    ];
    for (const spec of specs) {
      const res = await admin.call('POST', `/cycles/${CYCLE}/award-categories`, {
        quorum: 1,
        committee: members3,
        ...spec,
      });
      expect([spec.key, res.status]).toEqual([spec.key, 201]);
    }
    const computed = await admin.ok<{ categories: CategoryState[] }>(
      'POST',
      `/cycles/${CYCLE}/awards/candidates`,
    );
    const cat = (key: string) => computed.categories.find((c) => c.key === key)!;
    // Every scored department is a candidate; the two not yet verified are not eligible.
    expect(cat('top-department')).toMatchObject({ candidateCount: 145, eligibleCount: 143 });
    expect(cat('top-provincial')).toMatchObject({ candidateCount: 142, eligibleCount: 139 });
    expect(cat('top-local')).toMatchObject({ candidateCount: 2, eligibleCount: 2 });
    // The proposal is the best verified agencies of the published results (a tie at the last place shares it).
    const expectedWinners = async (group: string, n: number) => {
      const res = await api<Results>(
        gw,
        'GET',
        `/public/cycles/${CYCLE}/results?group=${group}&pageSize=500`,
      );
      const verified = res.body.rankings.items.filter((r) => r.verified);
      return verified
        .filter((r) => verified.filter((o) => o.value > r.value).length < n)
        .map((r) => r.agencyCode)
        .sort();
    };
    const bestDepartments = await expectedWinners('department', 3);
    expect(bestDepartments.length).toBeGreaterThanOrEqual(3);
    const proposed = cat('top-department').candidates.filter((c) => c.rank !== null && c.rank <= 3);
    expect(proposed.map((c) => c.agencyCode).sort()).toEqual(bestDepartments);

    // The committee scores three leaders; member 2 may not judge an agency of their own ministry.
    const leadership = cat('digital-leadership');
    const decide = (who: Session, body: unknown) =>
      who.call<Problem & CategoryState>('POST', `/award-categories/${leadership.id}/decisions`, body);
    const opm = leadership.candidates.find(
      (c) => byCode.get(c.agencyCode)!.agency.ministryCode === 'OPM' && c.eligible,
    )!;
    expect(opm).toBeDefined();
    const conflicted = await decide(member2.session, {
      type: 'vote',
      scores: [{ agencyId: opm.agencyId, score: 90 }],
    });
    expect([conflicted.status, conflicted.body.code]).toEqual([409, 'AWARD_CONFLICT_OF_INTEREST']);
    const [a, b, c] = leadership.candidates.filter((x) => x.eligible).slice(0, 3);
    expect(
      (
        await decide(member1.session, {
          type: 'vote',
          scores: [
            { agencyId: a.agencyId, score: 80 },
            { agencyId: b.agencyId, score: 95 },
            { agencyId: c.agencyId, score: 70 },
          ],
        })
      ).status,
    ).toBe(200);
    // One vote of a quorum of two: the chair cannot confirm yet.
    const early = await decide(chair.session, { type: 'confirm' });
    expect([early.status, early.body.code]).toEqual([409, 'AWARD_QUORUM_NOT_REACHED']);
    expect(
      (
        await decide(chair.session, {
          type: 'vote',
          scores: [
            { agencyId: a.agencyId, score: 84 },
            { agencyId: b.agencyId, score: 91 },
            { agencyId: c.agencyId, score: 72 },
          ],
        })
      ).status,
    ).toBe(200);
    const decided = await decide(chair.session, { type: 'confirm' });
    expect([decided.status, decided.body.status]).toEqual([200, 'decided']);
    for (const key of ['top-department', 'top-provincial', 'top-local', 'most-improved-department']) {
      const r = await chair.session.call<CategoryState>(
        'POST',
        `/award-categories/${cat(key).id}/decisions`,
        { type: 'confirm' },
      );
      expect([key, r.status, r.body.status]).toEqual([key, 200, 'decided']);
    }
    const announced = await admin.call('POST', `/cycles/${CYCLE}/awards/announce`);
    expect(announced.status).toBe(200);

    interface PublicWinners {
      categories: {
        id: string;
        key: string;
        winners: { agencyId: string; agencyCode: string; rank: number }[];
      }[];
    }
    const pub = await api<PublicWinners>(gw, 'GET', `/public/cycles/${CYCLE}/awards`);
    expect(pub.status).toBe(200);
    const won = (key: string) => pub.body.categories.find((x) => x.key === key)!.winners;
    // The committee's mean ranks the leadership award (93 against 82 and 71), not the overall score.
    expect(won('digital-leadership').map((w) => [w.agencyCode, w.rank])).toEqual([[b.agencyCode, 1]]);
    const codes = (key: string) =>
      won(key)
        .map((w) => w.agencyCode)
        .sort();
    expect(codes('top-department')).toEqual(bestDepartments);
    expect(codes('top-provincial')).toEqual(await expectedWinners('provincial', 5));
    expect(codes('top-local')).toEqual(await expectedWinners('local', 1));
    // Most improved: the largest change since 2564 among verified departments that have a 2564 score.
    const departments = (
      await api<Results>(gw, 'GET', `/public/cycles/${CYCLE}/results?group=department&pageSize=500`)
    ).body.rankings.items;
    const improved = departments.filter((r) => r.verified && r.change !== null);
    const better = (o: RankingRow, r: RankingRow) =>
      o.change! > r.change! || (o.change === r.change && o.overall > r.overall);
    expect(codes('most-improved-department')).toEqual(
      improved
        .filter((r) => improved.filter((o) => better(o, r)).length < 3)
        .map((r) => r.agencyCode)
        .sort(),
    );
    winners = new Set(pub.body.categories.flatMap((x) => x.winners.map((w) => w.agencyId)));

    // The certificate: a PDF, for the admin and for the winning agency's own coordinator.
    const winner = won('digital-leadership')[0];
    const certPath = `/api/v1/cycles/${CYCLE}/awards/${pub.body.categories.find((x) => x.key === 'digital-leadership')!.id}/certificates/${winner.agencyId}`;
    const pdf = await waitFor(
      async () => {
        const res = await fetch(`${gw}${certPath}`, { headers: { authorization: `Bearer ${admin.token}` } });
        return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : undefined;
      },
      60_000,
      250,
    );
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const own2 = byCode.get(winner.agencyCode)!;
    own2.coordinator ??= await login(gw, own2.coordinatorEmail, PASSWORD);
    const mine = await fetch(`${gw}${certPath}`, {
      headers: { authorization: `Bearer ${own2.coordinator.token}` },
    });
    expect([mine.status, mine.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(Buffer.from(await mine.arrayBuffer()).equals(pdf)).toBe(true); // the same certificate, byte for byte
    const stranger = members.find((m) => m.coordinator && !winners.has(m.id))!;
    const notMine = await fetch(`${gw}${certPath}`, {
      headers: { authorization: `Bearer ${stranger.coordinator!.token}` },
    });
    expect([notMine.status, ((await notMine.json()) as Problem).code]).toEqual([404, 'NOT_FOUND']);
  }, 120_000);

  it('delivered exactly the e-mails the year calls for, each once: invitations, reminders, receipts, returns, results, award news, and the agencies’ own people', async () => {
    const contacts = contactCount(members);
    const submissions = (m: Member) =>
      m.fate === 'returned' ? 2 : ['on_time', 'unverified', 'late_extended'].includes(m.fate) ? 1 : 0;
    // Sent to the head for approval: every submission, and the one still waiting at the deadline.
    const approvals = (m: Member) => submissions(m) + (m.fate === 'awaiting_approval' ? 1 : 0);
    // Receipts, returns and extensions reach the contacts and the coordinator and head (users).
    const people = (list: Member[]) => contactCount(list) + 2 * list.length;
    const winning = members.filter((m) => winners.has(m.id));
    const expected: Record<MailKind, number> = {
      announce: contacts,
      // The reminder before the deadline only. Agencies with their own later deadline get their
      // own T-n reminders, but none is due within the run: a 3-day extension hears only T-1 (two
      // days on), and a 7-day correction period's T-7 falls at the return itself, so it is not sent.
      remind: contactCount(reminded),
      receipt: members.reduce((n, m) => n + (m.contacts.length + 2) * submissions(m), 0),
      return: people(of('returned')),
      // Only the agencies that answered hear that results are out (their scorecard is in them).
      results: contactCount(members.filter((m) => submissions(m) > 0)),
      award: contactCount(winning),
      approval: members.reduce((n, m) => n + approvals(m), 0),
      extension: people(of('late_extended')),
      sentback: 0,
    };
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    // Every delivery in the log has gone out: nothing queued, nothing failed.
    const log = await waitFor(
      async () => {
        const l = await admin.ok<Deliveries>(
          'GET',
          `/notifications?cycleId=${CYCLE}&channel=email&pageSize=1`,
        );
        return l.byStatus.sent === total && !l.byStatus.queued ? l : undefined;
      },
      90_000,
      500,
    );
    expect(log).toMatchObject({ total, byStatus: { sent: total } });
    const caught = await waitFor(
      async () => {
        const all = await platform.caughtMail();
        return all.length >= total ? all : undefined;
      },
      30_000,
      500,
    );
    const mail = caught.map(readMail);
    // No message twice: one per delivery, and every delivery once.
    expect(mail).toHaveLength(total);
    expect(new Set(mail.map((m) => m.deliveryId)).size).toBe(total);
    expect(new Set(mail.map((m) => `${m.to} ${m.mail.subject}`)).size).toBe(total);
    expect(Object.fromEntries(countBy(mail, (m) => m.kind))).toEqual(
      Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)),
    );

    const perRecipient = countBy(mail, (m) => `${m.kind} ${m.to}`);
    for (const m of members) {
      for (const c of m.contacts) {
        const got = (kind: MailKind) => perRecipient.get(`${kind} ${c.email}`) ?? 0;
        expect([
          c.email,
          got('announce'),
          got('results'),
          got('receipt'),
          got('return'),
          got('remind'),
          got('award'),
        ]).toEqual([
          c.email,
          1,
          submissions(m) > 0 ? 1 : 0,
          submissions(m),
          m.fate === 'returned' ? 1 : 0,
          reminded.includes(m) ? 1 : 0,
          winners.has(m.id) ? 1 : 0,
        ]);
      }
      // The agency's users: the coordinator hears of receipts, returns and the extension; the head
      // also of every response awaiting approval.
      for (const [email, role] of [
        [m.coordinatorEmail, 'coordinator'],
        [m.approverEmail, 'approver'],
      ] as const) {
        const got = (kind: MailKind) => perRecipient.get(`${kind} ${email}`) ?? 0;
        expect([
          email,
          got('receipt'),
          got('return'),
          got('extension'),
          got('approval'),
          got('announce'),
        ]).toEqual([
          email,
          submissions(m),
          m.fate === 'returned' ? 1 : 0,
          m.fate === 'late_extended' ? 1 : 0,
          role === 'approver' ? approvals(m) : 0,
          0,
        ]);
      }
    }
    // Every link in every message is one of the portal's addresses (docs/API.md), never the API's host.
    const briefingLinks = [
      'https://meet.example.go.th/dg-survey-2565',
      'https://www.example.go.th/dg-survey-2565/guide.pdf',
    ];
    for (const m of mail)
      expect([m.deliveryId, portalLinkProblems(`${m.mail.text}\n${m.mail.html}`, briefingLinks)]).toEqual([
        m.deliveryId,
        [],
      ]);
    // The receipt of a correction says it is the second submission; the return notice carries the comment.
    const returned = of('returned')[0];
    const receipts = mail
      .filter((m) => m.kind === 'receipt' && m.to === returned.contacts[0].email)
      .map((m) => m.submission)
      .sort();
    expect(receipts).toEqual([1, 2]);
    expect(
      mail.find((m) => m.kind === 'receipt' && m.submission === 2 && m.to === returned.contacts[0].email)!
        .mail.subject,
    ).toContain('ส่งครั้งที่ 2');
    expect(mail.find((m) => m.kind === 'return' && m.to === returned.contacts[0].email)!.mail.text).toContain(
      'ลายมือชื่อผู้บริหาร',
    );
    for (const m of mail) expect(m.mail.subject).toMatch(/[\u0E00-\u0E7F]/); // Thai first

    // LINE: the same messages to the contacts with LINE, each once.
    const lineExpected =
      lineCount(members) + // the invitation
      lineCount(members.filter((m) => submissions(m) > 0)) + // results: the agencies that answered
      lineCount(reminded) +
      members.reduce((n, m) => n + m.contacts.filter((c) => c.lineId).length * submissions(m), 0) +
      lineCount(of('returned')) +
      lineCount(of('late_extended')) +
      lineCount(winning);
    const pushes = await waitFor(
      async () => {
        const p = await platform.caughtLinePushes();
        return p.length >= lineExpected ? p : undefined;
      },
      60_000,
      500,
    );
    expect(pushes).toHaveLength(lineExpected);
    expect(new Set(pushes.map((p) => p.retryKey)).size).toBe(lineExpected);
    const lineIds = new Set(members.flatMap((m) => m.contacts.map((c) => c.lineId)).filter(Boolean));
    expect(pushes.filter((p) => !lineIds.has(p.to))).toEqual([]);
  }, 150_000);
});
