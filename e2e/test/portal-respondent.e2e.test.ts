import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { sample2565 } from '@dg/survey-model';
import { desktopContext, phoneContext } from './portal/browser';
import { allSaved, question, saveState, signIn } from './portal/people';
import { PortalUnderTest, SAMPLE, settled, visited, watchConsole } from './portal/portal';
import { samplePlans, tinyPdf } from './year/cohort';
import { fileForm, login, type Session } from './year/http';

/**
 * An agency coordinator answers the open cycle's questionnaire in Chromium against the real
 * platform (the sample loaded as `npm start` loads it), across pillars and sessions, offline and
 * back, in two tabs at once, with evidence; checks before sending and asks for approval; then the
 * agency's head reads the summary and approves, which submits the response. The steps are one
 * story in order (they share the response), with axe and screenshots on every page.
 */
describe('portal: a coordinator answers and asks for approval, the head approves and submits, in Chromium', () => {
  const portal = new PortalUnderTest();
  const CYCLE = SAMPLE.openCycle;
  const RESPONSE = `/cycles/${CYCLE}/response`;
  /** The questionnaire of the open cycle: the sample (2566 reuses the 2565 sample's questions). */
  const byId = new Map(
    [...sample2565.general.questions, ...sample2565.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions))].map(
      (q) => [q.id, q] as const,
    ),
  );
  const textOf = (id: string) => byId.get(id)!.text.th;
  const pillarTitle = (id: string) => sample2565.pillars.find((p) => p.id === id)!.title.th;
  let coordinatorApi: Session;
  let agencyId: string;
  let agencyCode: string;
  let context: BrowserContext;
  let page: Page;
  let seen: { errors: string[] };

  /** The response as the API has it (what is really saved, whatever the page shows). */
  const saved = async () =>
    coordinatorApi.ok<{ status: string; version: number; answers: Record<string, unknown> }>(
      'GET',
      `/cycles/${CYCLE}/responses/${agencyId}`,
    );
  /** The questionnaire's section navigation (general, then each pillar, with counts). */
  const openPillar = async (p: Page, pillarId: string) => {
    const title = pillarTitle(pillarId);
    await p.getByRole('navigation', { name: 'ส่วนของแบบสำรวจ' }).getByRole('link', { name: new RegExp(title) }).click();
    await p.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    await settled(p);
  };
  /** Polls the API until the saved response passes `check` (autosave is debounced). */
  const savedSoon = async (check: (answers: Record<string, unknown>) => boolean, what: string) => {
    const until = Date.now() + 20_000;
    let last: Record<string, unknown> = {};
    while (Date.now() < until) {
      last = (await saved()).answers;
      if (check(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not saved within 20 s; the API has ${JSON.stringify(last).slice(0, 600)}`);
  };

  beforeAll(async () => {
    await portal.start();
    coordinatorApi = await login(portal.baseUrl, SAMPLE.coordinator.email, SAMPLE.coordinator.password);
    const me = await coordinatorApi.ok<{ agencyId: string }>('GET', '/auth/me');
    agencyId = me.agencyId;
    const agency = await coordinatorApi.ok<{ code: string }>('GET', `/agencies/${agencyId}`);
    agencyCode = agency.code;
    context = await desktopContext(portal.browser, portal.baseUrl);
    page = await context.newPage();
    seen = watchConsole(page);
  }, PortalUnderTest.START_TIMEOUT);
  afterAll(async () => {
    await context?.close();
    await portal.stop();
  });

  it('the coordinator signs in and sees the agency’s cycles: status, deadline in B.E. with days left', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: /เข้าสู่ระบบ/ }).first().click();
    await signIn(page, SAMPLE.coordinator);
    await visited(page, 'respondent-home');
    // The agency's cycles, each a card named by the cycle with its status, deadline and days left.
    const mine = page.getByRole('region', { name: 'แบบสำรวจของหน่วยงาน' });
    const card = mine.getByRole('article', { name: new RegExp(CYCLE) });
    await card.getByRole('link', { name: 'ตอบแบบสำรวจ' }).waitFor();
    const facts = await card.innerText();
    expect(facts).toMatch(/ยังไม่เริ่มตอบ|กำลังตอบ/); // not started / in progress
    expect(facts).toMatch(/กำหนดส่ง.*25\d\d/); // the deadline in B.E.
    expect(facts).toMatch(/เหลืออีก \d+ วัน/); // days left
    await card.getByRole('link', { name: 'ตอบแบบสำรวจ' }).click();
    await page.waitForURL(`**${RESPONSE}**`);
    await visited(page, 'response-general');
  });

  it('answers across pillars (conditions shown live, a repeating group, a Thai message for a bad number) and a reload finds everything', async () => {
    // The general block.
    await question(page, textOf('g_coordinator_name')).fill('สมหญิง ใจดี');
    // Pillar 1: a yes/no that opens its follow-up questions live.
    await openPillar(page, 'p1');
    await expect(page.getByText(textOf('p1_dt_plan_url')).count()).resolves.toBe(0);
    await question(page, textOf('p1_dt_plan')).getByRole('radio', { name: 'ใช่', exact: true }).check();
    await question(page, textOf('p1_dt_plan_url')).fill('https://www.example.go.th/dt-plan.pdf');
    // A percentage over 100: the field says so in Thai and the wrong value is not what is saved.
    const budget = question(page, textOf('p1_budget_share'));
    await budget.fill('150');
    await budget.blur();
    // The message is the field's own (aria-describedby) and the field says it is invalid.
    await page.waitForFunction(
      (id) => {
        const field = document.querySelector<HTMLInputElement>(`#q-${id} input`);
        const described = (field?.getAttribute('aria-describedby') ?? '')
          .split(/\s+/)
          .map((d) => document.getElementById(d)?.textContent ?? '')
          .join(' ');
        return field?.getAttribute('aria-invalid') === 'true' && /ต้องอยู่ระหว่าง 0 ถึง 100/.test(described);
      },
      'p1_budget_share',
      { timeout: 10_000 },
    );
    await visited(page, 'response-p1-field-error');
    await budget.fill('12.5');
    await visited(page, 'response-p1');

    // Pillar 3: a count, then the repeating group of e-services it opens.
    await openPillar(page, 'p3');
    await question(page, textOf('p3_service_count')).fill('3');
    const eservices = question(page, textOf('p3_eservices'));
    await eservices.waitFor();
    await eservices.getByRole('button', { name: 'เพิ่มแถว' }).click();
    const firstRow = eservices.getByRole('group', { name: 'แถวที่ 1' });
    await firstRow.getByRole('textbox').first().fill('ขอใบอนุญาตออนไลน์');
    await visited(page, 'response-p3');
    const answers = await savedSoon(
      (a) => a.p3_service_count === 3 && Array.isArray(a.p3_eservices) && a.p1_budget_share === 12.5,
      'answers across pillars',
    );
    await allSaved(page);
    await visited(page, 'response-saved-state');
    expect(answers).toMatchObject({
      g_coordinator_name: 'สมหญิง ใจดี',
      p1_dt_plan: true,
      p1_dt_plan_url: 'https://www.example.go.th/dt-plan.pdf',
      p1_budget_share: 12.5,
      p3_service_count: 3,
    });
    expect(JSON.stringify(answers.p3_eservices)).toContain('ขอใบอนุญาตออนไลน์');

    // Reload: everything is there, on the pillar page and back on the first one.
    await page.reload();
    await settled(page);
    await expect(question(page, textOf('p3_service_count')).inputValue()).resolves.toBe('3');
    await openPillar(page, 'p1');
    await expect(question(page, textOf('p1_dt_plan')).getByRole('radio', { name: 'ใช่', exact: true }).isChecked()).resolves.toBe(true);
    await expect(question(page, textOf('p1_budget_share')).inputValue()).resolves.toBe('12.5');
  });

  it('offline: the page says it will save when connected, keeps the edits across a closed tab, and saves them on reconnection', async () => {
    await openPillar(page, 'p2');
    await context.setOffline(true);
    await question(page, textOf('p2_challenges')).fill('ขาดงบประมาณฝึกอบรม');
    await saveState(page).filter({ hasText: /ออฟไลน์|เมื่อเชื่อมต่อ/ }).waitFor();
    await visited(page, 'response-offline');
    await context.setOffline(false);
    await savedSoon((a) => a.p2_challenges === 'ขาดงบประมาณฝึกอบรม', 'the edit made offline');
    await allSaved(page);

    // Offline again, an edit, and the tab closed before the network comes back: the edit waits in
    // the browser and is sent when the portal is opened again.
    await context.setOffline(true);
    await question(page, textOf('p2_training_hours')).fill('18');
    await saveState(page).filter({ hasText: /ออฟไลน์|เมื่อเชื่อมต่อ/ }).waitFor();
    await page.close();
    await context.setOffline(false);
    page = await context.newPage();
    seen = watchConsole(page);
    await page.goto(RESPONSE);
    await settled(page);
    await openPillar(page, 'p2');
    await expect(question(page, textOf('p2_training_hours')).inputValue()).resolves.toBe('18');
    await savedSoon((a) => a.p2_training_hours === 18, 'the edit kept in the browser while the tab was closed');
    await allSaved(page);
  });

  it('two tabs: edits that do not overlap are merged; for the same question both answers are shown and the person chooses', async () => {
    await openPillar(page, 'p5');
    const second = await context.newPage();
    await second.goto(RESPONSE);
    await settled(second);
    await openPillar(second, 'p5');

    // Tab 1 saves first.
    await question(page, textOf('p5_incidents')).fill('3');
    await savedSoon((a) => a.p5_incidents === 3, 'the first tab’s answer');
    // Tab 2, still on the older version, changes the same question, then another one.
    await question(second, textOf('p5_incidents')).fill('5');
    await question(second, textOf('p5_bandwidth')).fill('1000');
    const conflict = second.getByRole('dialog', { name: 'มีการแก้ไขคำตอบเดียวกันจากที่อื่น' });
    await conflict.waitFor();
    await visited(second, 'response-conflict');
    // Both answers of the question both sides changed are on screen, as the radios' names.
    await conflict.getByRole('radio', { name: 'ใช้คำตอบของฉัน: 5' }).waitFor();
    await conflict.getByRole('radio', { name: 'ใช้คำตอบจากที่อื่น: 3' }).waitFor();
    // Keep this tab's answer (preselected, chosen again as a person would), then confirm.
    await conflict.getByRole('radio', { name: 'ใช้คำตอบของฉัน: 5' }).check();
    await conflict.getByRole('button', { name: 'ยืนยันและบันทึก' }).click();
    await savedSoon((a) => a.p5_incidents === 5 && a.p5_bandwidth === 1000, 'the merged answers');
    await allSaved(second);
    await second.close();
  });

  it('uploads evidence with progress; a file of the wrong type is refused at the field before sending; the upload can be downloaded', async () => {
    await page.goto(RESPONSE);
    await settled(page);
    await openPillar(page, 'p1');
    const evidence = question(page, textOf('p1_dt_plan_file'));
    await evidence.waitFor();
    // A text file where only PDF is accepted: a Thai message at the field, nothing uploaded.
    await evidence.locator('input[type=file]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a pdf'),
    });
    await evidence.getByText(/PDF|ชนิดไฟล์|ประเภทไฟล์/).first().waitFor();
    await visited(page, 'response-evidence-refused');
    // A PDF: a progress bar, then the file in the list with a download link.
    const pdf = tinyPdf(`DT plan of ${agencyCode}`);
    await evidence.locator('input[type=file]').setInputFiles({ name: 'dt-plan.pdf', mimeType: 'application/pdf', buffer: pdf });
    const link = evidence.getByRole('link', { name: /dt-plan\.pdf/ });
    await link.waitFor({ timeout: 30_000 });
    await visited(page, 'response-evidence-uploaded');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(readFileSync(await download.path()).equals(pdf)).toBe(true);
    const files = await coordinatorApi.ok<{ items: { fileName: string }[] } | { fileName: string }[]>(
      'GET',
      `/cycles/${CYCLE}/responses/${agencyId}/evidence`,
    );
    expect(JSON.stringify(files)).toContain('dt-plan.pdf');

    // A second file, uploaded by mistake, deleted after a confirmation that names it.
    await evidence.locator('input[type=file]').setInputFiles({ name: 'wrong-file.pdf', mimeType: 'application/pdf', buffer: tinyPdf('wrong') });
    await evidence.getByRole('link', { name: /wrong-file\.pdf/ }).waitFor({ timeout: 30_000 });
    await evidence.getByRole('button', { name: 'ลบ ไฟล์ wrong-file.pdf' }).click();
    const confirmDelete = page.getByRole('dialog', { name: 'ลบไฟล์หลักฐาน' });
    await confirmDelete.getByText(/wrong-file\.pdf/).waitFor();
    await visited(page, 'response-evidence-delete');
    await confirmDelete.getByRole('button', { name: 'ลบไฟล์', exact: true }).click();
    await confirmDelete.waitFor({ state: 'detached' });
    await evidence.getByRole('link', { name: /wrong-file\.pdf/ }).waitFor({ state: 'detached' });
    const after = await coordinatorApi.ok('GET', `/cycles/${CYCLE}/responses/${agencyId}/evidence`);
    expect(JSON.stringify(after)).not.toContain('wrong-file.pdf');
    expect(JSON.stringify(after)).toContain('dt-plan.pdf');
  });

  it('checks before sending: the problems link to each question; once fixed, a read-only preview and the request for approval', async () => {
    // The rest of the questionnaire was answered on other days (through the API, as the same
    // coordinator): all of the sample's complete answers that the page did not set, but one.
    const plan = samplePlans([agencyCode])[agencyCode];
    const current = await saved();
    const leftOut = 'p6_system_usage';
    const rest = {
      ...Object.fromEntries(Object.entries(plan.answers).filter(([id]) => !(id in current.answers) && id !== leftOut)),
      // The e-service row typed on the page had only its name: its channels and level too.
      p3_eservices: [{ name: 'ขอใบอนุญาตออนไลน์', channels: ['web', 'line_oa'], level: 'submit' }],
    };
    let version = current.version;
    const patched = await coordinatorApi.ok<{ version: number; rejected: unknown[] }>(
      'PATCH',
      `/cycles/${CYCLE}/responses/${agencyId}/answers`,
      { version, answers: rest },
    );
    version = patched.version;
    // Required evidence the page did not upload.
    const completeness = await coordinatorApi.ok<{ sections: { missing: { questionId: string }[] }[] }>(
      'GET',
      `/cycles/${CYCLE}/responses/${agencyId}/completeness`,
    );
    const files: Record<string, string[]> = {};
    for (const m of completeness.sections.flatMap((s) => s.missing)) {
      if (byId.get(m.questionId)?.type !== 'evidence') continue;
      const e = await coordinatorApi.ok<{ id: string }>(
        'POST',
        `/cycles/${CYCLE}/responses/${agencyId}/evidence?questionId=${m.questionId}`,
        fileForm(tinyPdf(m.questionId), `${m.questionId}.pdf`, 'application/pdf'),
      );
      files[m.questionId] = [e.id];
    }
    if (Object.keys(files).length) {
      await coordinatorApi.ok('PATCH', `/cycles/${CYCLE}/responses/${agencyId}/answers`, { version, answers: files });
    }

    await page.goto(RESPONSE);
    await settled(page);
    await page.getByRole('button', { name: /ตรวจสอบก่อนส่ง/ }).or(page.getByRole('link', { name: /ตรวจสอบก่อนส่ง/ })).first().click();
    const summary = page.getByRole('alert').or(page.getByRole('region', { name: /ตรวจสอบ|ยังไม่ครบ/ })).first();
    await summary.waitFor();
    await visited(page, 'response-check-problems');
    // The one question left out is listed, and its link takes the person to it.
    await summary.getByRole('link', { name: new RegExp(textOf(leftOut).slice(0, 30)) }).click();
    const field = question(page, textOf(leftOut));
    await field.waitFor();
    await expect(field.evaluate((e) => e === document.activeElement || e.contains(document.activeElement))).resolves.toBe(true);
    await field.fill('85');
    await allSaved(page);

    await page.getByRole('button', { name: /ตรวจสอบก่อนส่ง/ }).or(page.getByRole('link', { name: /ตรวจสอบก่อนส่ง/ })).first().click();
    await page.getByText(/ครบถ้วน|ไม่พบปัญหา|พร้อมส่ง/).first().waitFor();
    await visited(page, 'response-preview');
    // The preview is read-only: no editable field of the questionnaire.
    expect(await page.getByRole('main').getByRole('textbox').count()).toBe(0);
    await page.getByRole('button', { name: /ขออนุมัติ|ส่งให้ผู้บริหาร/ }).click();
    // A confirmation says what happens next (no edits until the head decides), then the status.
    const confirm = page.getByRole('dialog', { name: 'ยืนยันส่งคำตอบให้ผู้บริหารอนุมัติ' });
    await confirm.getByRole('button', { name: 'ยืนยันส่งให้ผู้บริหารอนุมัติ' }).click();
    await page.getByText('ส่งให้ผู้บริหารอนุมัติแล้ว').first().waitFor();
    await page.getByTestId('response-status').filter({ hasText: 'รอผู้บริหารอนุมัติ' }).or(page.getByText('รอผู้บริหารอนุมัติ')).first().waitFor();
    await visited(page, 'response-awaiting-approval');
    expect((await saved()).status).toBe('awaiting_approval');
    expect(seen.errors).toEqual([]);
  });

  it('the head reads the summary with completeness on a phone and approves: the response is submitted', async () => {
    const phone = await phoneContext(portal.browser, portal.baseUrl);
    try {
      const head = await phone.newPage();
      const headSeen = watchConsole(head);
      await head.goto(RESPONSE);
      await head.waitForURL(/\/login/);
      await signIn(head, SAMPLE.head);
      await head.waitForURL(`**${RESPONSE}**`);
      await visited(head, 'approver-summary');
      // Read-only: the head approves what the coordinator wrote, never edits it.
      expect(await head.getByRole('main').getByRole('textbox', { name: new RegExp(textOf('g_coordinator_name').slice(0, 20)) }).count()).toBe(0);
      await head.getByText(/ครบถ้วน|100\s*%|ตอบครบ/).first().waitFor();
      await head.getByRole('button', { name: 'อนุมัติและส่งถึง สพร.' }).click();
      const confirm = head.getByRole('dialog', { name: 'ยืนยันการอนุมัติ' });
      await confirm.getByLabel(/ความเห็นประกอบการอนุมัติ/).fill('อนุมัติ ขอบคุณทีมงาน');
      await visited(head, 'approver-confirm');
      await confirm.getByRole('button', { name: 'ยืนยันอนุมัติและส่ง' }).click();
      await head.getByText(/ส่งแล้ว|ส่งแบบสำรวจแล้ว/).first().waitFor();
      await visited(head, 'approver-submitted');
      expect((await saved()).status).toBe('submitted');
      expect(headSeen.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
