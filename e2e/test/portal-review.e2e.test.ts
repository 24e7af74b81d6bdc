import type { BrowserContext, Page } from 'playwright-core';
import type { ResponseDetail, ResponseSummary } from '@dg/contracts';
import { sample2565 } from '@dg/survey-model';
import { desktopContext } from './portal/browser';
import { signIn } from './portal/people';
import { PortalUnderTest, SAMPLE, settled, visited, watchConsole } from './portal/portal';
import { samplePlans, tinyPdf } from './year/cohort';
import { fileForm, login, type Session } from './year/http';

/**
 * DGA's verifier works through the open cycle's queue in Chromium against the real platform: two
 * agencies have sent their responses (answered, approved and submitted through the API, as their
 * people would); the verifier returns one with a reason on a question and a message, and verifies
 * the other. The returned agency's coordinator then finds the verifier's reason on that question.
 */
describe('portal: DGA verifies responses in Chromium', () => {
  const portal = new PortalUnderTest();
  const CYCLE = SAMPLE.openCycle;
  const ADMIN = { email: 'admin@dga.or.th', password: 'admin-2565' };
  const PASSWORD = 'review-journey-2566';
  const questionText = (id: string) =>
    [
      ...sample2565.general.questions,
      ...sample2565.pillars.flatMap((p) => p.indicators.flatMap((i) => i.questions)),
    ].find((q) => q.id === id)!.text.th;
  /** The question the verifier returns, with the reason the agency must read. */
  const FLAGGED = 'p1_dt_plan';
  const REASON = 'แผนที่แนบเป็นฉบับปี 2564 โปรดแนบแผนฉบับปัจจุบันที่ผู้บริหารลงนามแล้ว';
  let admin: Session;
  let context: BrowserContext;
  let page: Page;
  let seen: { errors: string[] };
  /** The two agencies that sent their responses: the sample's own (DEP-001) and one more. */
  const sent: { code: string; agencyId: string; coordinator: Session }[] = [];

  const path = (agencyId: string) => `/cycles/${CYCLE}/responses/${agencyId}`;

  /** Answers the whole sample questionnaire for the agency, then its head approves: submitted. */
  async function answerAndSubmit(
    code: string,
    agencyId: string,
    coordinator: Session,
    head: Session,
  ): Promise<void> {
    const plan = samplePlans([code])[code];
    const answers: Record<string, unknown> = { ...plan.answers };
    for (const e of plan.evidence) {
      const ids: string[] = [];
      for (let n = 1; n <= e.files; n++) {
        const file = await coordinator.ok<{ id: string }>(
          'POST',
          `${path(agencyId)}/evidence?questionId=${e.questionId}`,
          fileForm(
            tinyPdf(`${code} ${e.questionId} ${n}`),
            `${code}-${e.questionId}-${n}.pdf`,
            'application/pdf',
          ),
        );
        ids.push(file.id);
      }
      answers[e.questionId] = ids;
    }
    const current = await coordinator.ok<ResponseDetail>('GET', path(agencyId));
    const saved = await coordinator.ok<ResponseDetail>('PATCH', `${path(agencyId)}/answers`, {
      version: current.version,
      answers,
    });
    const asked = await coordinator.ok<ResponseDetail>('POST', `${path(agencyId)}/submit`, {
      version: saved.version,
    });
    const approved = await head.ok<ResponseDetail>('POST', `${path(agencyId)}/approve`, {
      version: asked.version,
      decision: 'approve',
    });
    expect(approved.status).toBe('submitted');
  }

  beforeAll(async () => {
    await portal.start();
    admin = await login(portal.baseUrl, ADMIN.email, ADMIN.password);
    // The sample agency, with the sample's coordinator and head.
    const coordinator = await login(portal.baseUrl, SAMPLE.coordinator.email, SAMPLE.coordinator.password);
    const head = await login(portal.baseUrl, SAMPLE.head.email, SAMPLE.head.password);
    const me = await coordinator.ok<{ agencyId: string }>('GET', '/auth/me');
    const own = await admin.ok<ResponseDetail>('GET', path(me.agencyId));
    // One more agency of the cycle, with people DGA's admin makes for it.
    const others = await admin.ok<{ items: ResponseSummary[] }>(
      'GET',
      `/cycles/${CYCLE}/responses?pageSize=20&group=department`,
    );
    const other = others.items.find((r) => r.agencyCode !== own.agencyCode)!;
    const people: Session[] = [];
    for (const [role, who] of [
      ['coordinator', 'ผู้ประสานงาน'],
      ['approver', 'หัวหน้าส่วนราชการ'],
    ] as const) {
      const email = `${role}.review@${other.agencyCode.toLowerCase()}.go.th`;
      await admin.ok('POST', '/users', {
        email,
        displayName: `${who} ${other.agencyCode}`,
        password: PASSWORD,
        roles: [role],
        agencyId: other.agencyId,
      });
      people.push(await login(portal.baseUrl, email, PASSWORD));
    }
    await answerAndSubmit(own.agencyCode, me.agencyId, coordinator, head);
    await answerAndSubmit(other.agencyCode, other.agencyId, people[0], people[1]);
    sent.push(
      { code: own.agencyCode, agencyId: me.agencyId, coordinator },
      { code: other.agencyCode, agencyId: other.agencyId, coordinator: people[0] },
    );

    context = await desktopContext(portal.browser, portal.baseUrl);
    page = await context.newPage();
    seen = watchConsole(page);
  }, PortalUnderTest.START_TIMEOUT);
  afterAll(async () => {
    await context?.close();
    await portal.stop();
  });

  it('the queue lists the responses waiting for verification, with its filters in the address', async () => {
    await page.goto(`/cycles/${CYCLE}/review`);
    await page.waitForURL(/\/login\?redirect=/);
    await signIn(page, ADMIN);
    await page.waitForURL(`**/cycles/${CYCLE}/review`);
    await visited(page, 'review-queue');
    const table = page.getByRole('table', { name: 'รายการคำตอบของหน่วยงาน' });
    for (const { code } of sent) await table.getByRole('row').filter({ hasText: code }).waitFor();
    expect(await table.getByRole('row').count()).toBe(1 + sent.length); // the header and the two sent
    const counts = page.getByRole('navigation', { name: 'จำนวนคำตอบตามสถานะ' });
    await counts.getByRole('link', { name: /^รอตรวจสอบ\s*2$/ }).waitFor();
    // A search by code narrows the list, and the address keeps it (a reload shows the same).
    await page.getByRole('searchbox', { name: 'ค้นหาหน่วยงาน' }).fill(sent[1].code);
    await page.getByRole('button', { name: 'ค้นหาหน่วยงาน' }).click();
    await page.waitForURL(new RegExp(`q=${sent[1].code}`));
    await page.reload();
    await settled(page);
    await expect(page.getByRole('searchbox', { name: 'ค้นหาหน่วยงาน' }).inputValue()).resolves.toBe(
      sent[1].code,
    );
    await table.getByRole('row').filter({ hasText: sent[1].code }).waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    await page.goto(`/cycles/${CYCLE}/review`);
    await settled(page);
  });

  it('returns one response with a reason on a question and a message; the agency can correct it', async () => {
    const target = sent[0];
    await page
      .getByRole('table', { name: 'รายการคำตอบของหน่วยงาน' })
      .getByRole('row')
      .filter({ hasText: target.code })
      .getByRole('link')
      .click();
    await page.waitForURL(`**/cycles/${CYCLE}/review/${target.code}**`);
    // The page's own content (the address changes before the page's code has loaded).
    await page.getByRole('heading', { level: 2, name: 'บันทึกผลการตรวจสอบ' }).waitFor();
    await visited(page, 'review-response');

    // "N of M" in the list it came from, and the other agency one key away (j next, k previous).
    const nav = page.getByRole('navigation', { name: 'หน่วยงานในรายการ' });
    await nav.getByText(/^หน่วยงานที่ [12] จาก 2$/).waitFor();
    const first = (await nav.getByText(/^หน่วยงานที่ 1 จาก 2$/).count()) === 1;
    await page.getByRole('heading', { level: 1 }).focus();
    await page.keyboard.press(first ? 'j' : 'k');
    await page.waitForURL(`**/cycles/${CYCLE}/review/${sent[1].code}**`);
    await nav.getByText(first ? 'หน่วยงานที่ 2 จาก 2' : 'หน่วยงานที่ 1 จาก 2').waitFor();
    await page.getByRole('heading', { level: 1, name: new RegExp(sent[1].code) }).focus();
    await page.keyboard.press(first ? 'k' : 'j');
    await page.waitForURL(`**/cycles/${CYCLE}/review/${target.code}**`);
    await page.getByRole('heading', { level: 2, name: 'บันทึกผลการตรวจสอบ' }).waitFor();
    await settled(page);

    // Returning without any "needs correction" is refused before anything is sent.
    await page.getByRole('button', { name: 'ส่งกลับให้แก้ไข' }).click();
    const dialog = page.getByRole('dialog', { name: 'ส่งคำตอบกลับให้หน่วยงานแก้ไข' });
    await dialog.getByText(/ระบุอย่างน้อยหนึ่งข้อ/).waitFor();
    await dialog.getByRole('button', { name: 'ยกเลิก' }).click();

    // The flagged question: needs correction, and the reason is required before saving.
    const flagged = page
      .locator('.dg-preview-q')
      .filter({ hasText: questionText(FLAGGED) })
      .first();
    await flagged.getByRole('radio', { name: 'ต้องแก้ไข' }).check();
    await page.getByRole('button', { name: 'บันทึกผลการตรวจ' }).click();
    const reason = flagged.getByRole('textbox', { name: /เหตุผลที่ต้องแก้ไข/ });
    await flagged.getByText('กรุณาระบุเหตุผลให้หน่วยงานทราบว่าต้องแก้ไขอะไร').waitFor();
    await expect(reason.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
    await reason.fill(REASON);

    await page.getByRole('button', { name: 'ส่งกลับให้แก้ไข' }).click();
    await dialog.getByText(/1 ข้อที่ต้องแก้ไข/).waitFor();
    await dialog.getByRole('textbox', { name: /ข้อความถึงหน่วยงาน/ }).fill('โปรดแก้ไขตามที่ระบุแล้วส่งกลับภายในกำหนด');
    await visited(page, 'review-return-dialog');
    await dialog.getByRole('button', { name: 'ส่งกลับให้แก้ไข' }).click();
    await page.getByText('ส่งกลับให้หน่วยงานแก้ไขแล้ว').waitFor();
    await visited(page, 'review-returned');

    const after = await admin.ok<ResponseDetail>('GET', path(target.agencyId));
    expect(after.status).toBe('returned');
    expect(after.verdicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ questionId: FLAGGED, verdict: 'rejected', comment: REASON }),
      ]),
    );
    expect(after.returnComment).toBe('โปรดแก้ไขตามที่ระบุแล้วส่งกลับภายในกำหนด');
    expect(seen.errors).toEqual([]);
  });

  it('verifies the other response: accepted questions, then the confirmation', async () => {
    await page.getByRole('link', { name: 'ตรวจหน่วยงานถัดไปในรายการ' }).click();
    const target = sent[1];
    await page.waitForURL(`**/cycles/${CYCLE}/review/${target.code}**`);
    await page.getByRole('heading', { level: 1, name: new RegExp(target.code) }).waitFor();
    await settled(page);
    const first = page
      .locator('.dg-preview-q')
      .filter({ hasText: questionText(FLAGGED) })
      .first();
    // The previous agency's verdicts stay with it: nothing is set here yet.
    await expect(first.getByRole('radio', { name: 'ยังไม่ตรวจ' }).isChecked()).resolves.toBe(true);
    await first.getByRole('radio', { name: 'ยอมรับ' }).check();
    await page.getByRole('button', { name: 'ยืนยันการตรวจสอบ' }).click();
    const dialog = page.getByRole('dialog', { name: 'ยืนยันการตรวจสอบคำตอบ' });
    await visited(page, 'review-verify-dialog');
    await dialog.getByRole('button', { name: 'ยืนยันการตรวจสอบ' }).click();
    await page.getByText('ตรวจสอบแล้ว คำตอบนี้นำไปคิดคะแนน').waitFor();
    const after = await admin.ok<ResponseDetail>('GET', path(target.agencyId));
    expect(after.status).toBe('verified');
    expect(after.verdicts).toEqual(
      expect.arrayContaining([expect.objectContaining({ questionId: FLAGGED, verdict: 'accepted' })]),
    );
    // Nothing left to verify: the queue says so.
    await page.goto(`/cycles/${CYCLE}/review`);
    await page.getByText('ไม่มีคำตอบตามเงื่อนไขนี้').waitFor();
    // The counts lead to the other lists: one returned, one verified.
    const counts = page.getByRole('navigation', { name: 'จำนวนคำตอบตามสถานะ' });
    await counts.getByRole('link', { name: /^ส่งกลับให้แก้ไข\s*1$/ }).waitFor();
    await counts.getByRole('link', { name: /^ตรวจสอบแล้ว\s*1$/ }).click();
    await page.waitForURL(/status=verified/);
    await page
      .getByRole('table', { name: 'รายการคำตอบของหน่วยงาน' })
      .getByRole('row')
      .filter({ hasText: target.code })
      .waitFor();
    expect(seen.errors).toEqual([]);
  });

  it('the returned agency’s coordinator finds the verifier’s reason on the question', async () => {
    const agency = await desktopContext(portal.browser, portal.baseUrl);
    try {
      const coordinator = await agency.newPage();
      await coordinator.goto(`/cycles/${CYCLE}/response?pillar=p1&filter=returned`);
      await coordinator.waitForURL(/\/login\?redirect=/);
      await signIn(coordinator, SAMPLE.coordinator);
      await coordinator.getByText(REASON).waitFor();
      await coordinator.getByText('ผู้ตรวจสอบขอให้แก้ไขข้อนี้').first().waitFor();
      await visited(coordinator, 'review-coordinator-returned');
    } finally {
      await agency.close();
    }
  });
});
