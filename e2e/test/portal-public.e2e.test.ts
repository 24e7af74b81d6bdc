import { Client } from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '@dg/platform/testing';
import { api } from './platform';
import { checkPage, desktopContext, phoneContext } from './portal/browser';
import { PortalUnderTest, SAMPLE, settled, visited, watchConsole } from './portal/portal';

/**
 * The portal's front door in a real Chromium against the real platform with the sample loaded as
 * `npm start` loads it (2565 answered, closed, published and awarded): the landing page, signing
 * in (from a deep link, and back there), signing out, and the public pages anyone can read without
 * an account: the published results with the province map, an agency's scorecard, how scores are
 * made, the award winners and the certificate check. axe and screenshots on every page.
 */
describe('portal: landing, sign-in and the public pages in Chromium', () => {
  const portal = new PortalUnderTest();
  const CYCLE = SAMPLE.publishedCycle;
  let context: BrowserContext;
  let page: Page;
  let seen: { errors: string[] };

  beforeAll(async () => {
    await portal.start();
    expect(portal.sampleLog).toMatch(/results 2565 published/);
  }, PortalUnderTest.START_TIMEOUT);
  afterAll(async () => portal.stop());

  beforeEach(async () => {
    context = await desktopContext(portal.browser, portal.baseUrl);
    page = await context.newPage();
    seen = watchConsole(page);
  });
  afterEach(async () => {
    await context?.close();
  });

  it('the landing page says what the portal is and leads to signing in and to the published results', async () => {
    await page.goto('/');
    await visited(page, 'landing');
    await expect(page.title()).resolves.toMatch(/\S/);
    expect(await page.locator('html').getAttribute('lang')).toBe('th');
    await page.getByRole('link', { name: /เข้าสู่ระบบ/ }).first().waitFor();
    // The published cycles, each a card named by its year with its results, awards and methodology.
    const published = page.getByRole('region', { name: 'ผลการสำรวจที่ประกาศแล้ว' });
    const card = published.getByRole('article', { name: new RegExp(CYCLE) });
    await card.getByRole('link', { name: 'ผู้ได้รับรางวัล' }).waitFor();
    await card.getByRole('link', { name: 'วิธีคิดคะแนน' }).waitFor();
    await card.getByRole('link', { name: 'ผลการสำรวจ' }).click();
    await page.waitForURL(`**/results/${CYCLE}`);
    await settled(page);
    expect(seen.errors).toEqual([]);
  });

  it('a deep link to the response page goes through sign-in and comes back to it; a wrong password is told at the form', async () => {
    await page.goto(`/cycles/${SAMPLE.openCycle}/response`);
    // Not signed in: the login page, which remembers where the person was going.
    await page.waitForURL(/\/login/);
    await visited(page, 'login');
    await page.getByLabel('อีเมล').fill(SAMPLE.coordinator.email);
    await page.getByLabel('รหัสผ่าน').fill('not-the-password');
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /รหัสผ่าน|ไม่ถูกต้อง/ });
    await alert.waitFor();
    await visited(page, 'login-wrong-password');
    // The forgotten-password path is described on the page (DGA staff reset it).
    await page.getByText(/ลืมรหัสผ่าน/).first().waitFor();

    await page.getByLabel('รหัสผ่าน').fill(SAMPLE.coordinator.password);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    await page.waitForURL(`**/cycles/${SAMPLE.openCycle}/response`);
    await settled(page);

    // The session survives a reload (the deep link itself, reloaded).
    await page.reload();
    await settled(page);
    expect(new URL(page.url()).pathname).toBe(`/cycles/${SAMPLE.openCycle}/response`);

    // Signing out ends the session: the deep link asks for a sign-in again.
    await page.getByRole('button', { name: /ออกจากระบบ/ }).click();
    await page.goto(`/cycles/${SAMPLE.openCycle}/response`);
    await page.waitForURL(/\/login/);
    expect(seen.errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([]);
  });

  it('an address that does not exist gets a Thai "not found" page with a way back, not a blank page', async () => {
    const res = await page.goto('/no/such/page');
    expect(res?.status()).toBe(200); // the SPA answers; the page itself says "not found"
    await visited(page, 'not-found');
    await page.getByRole('heading', { level: 1, name: /ไม่พบ/ }).waitFor();
    await page.getByRole('link', { name: /หน้าแรก/ }).first().waitFor();
  });

  it(`public results ${CYCLE}: search by agency, distribution of levels per group and the province map, each with a data table and a CSV`, async () => {
    const published = await api<{ rankings: { items: { agencyCode: string }[] }; statistics: { byProvince: unknown[] } }>(
      portal.baseUrl,
      'GET',
      `/public/cycles/${CYCLE}/results?pageSize=5`,
    );
    expect(published.status).toBe(200);
    const code = published.body.rankings.items[0].agencyCode;

    await page.goto(`/results/${CYCLE}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(CYCLE) }).waitFor();
    await visited(page, 'results');

    // The map: 77 provinces drawn as SVG, with a name, and a table of the same figures beside it.
    const map = page.getByRole('img', { name: /แผนที่/ });
    await map.waitFor();
    const provinces = await map.locator('path').count();
    expect(provinces).toBeGreaterThanOrEqual(77);
    // Each chart's figures as a table, shown on request beside the chart (then axe checks them too).
    await page.getByRole('button', { name: /แสดงตารางข้อมูล: ผลการสำรวจรายจังหวัด/ }).click();
    const provinceTable = page.getByRole('table', { name: /จังหวัด/ });
    await provinceTable.waitFor();
    expect(await provinceTable.getByRole('row').count()).toBeGreaterThan(1);

    // Distribution of maturity levels per group: a chart with its table.
    await page.getByRole('button', { name: /แสดงตารางข้อมูล: ระดับความพร้อม/ }).click();
    await page.getByRole('table', { name: /ระดับ/ }).first().waitFor();
    await checkPage(page, 'results-tables');

    // A CSV beside each chart: the download is a real CSV with a header row.
    const csvLinks = page.getByRole('link', { name: /CSV/ });
    expect(await csvLinks.count()).toBeGreaterThanOrEqual(2);
    const [download] = await Promise.all([page.waitForEvent('download'), csvLinks.first().click()]);
    const path = await download.path();
    const text = (await import('node:fs')).readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    expect(text.split(/\r?\n/).filter(Boolean).length).toBeGreaterThan(1);

    // Search by agency: typing its code finds its row, which leads to its scorecard.
    await page.getByRole('searchbox', { name: 'ค้นหาหน่วยงาน' }).fill(code);
    const row = page.getByRole('link', { name: new RegExp(code) }).or(page.getByRole('row').filter({ hasText: code }).getByRole('link'));
    await row.first().click();
    await page.waitForURL(`**/results/${CYCLE}/agencies/${code}`);
    await settled(page);
    expect(seen.errors).toEqual([]);
  });

  it('an agency’s public scorecard shows its pillar scores and level and links each point to the rule that gave it', async () => {
    const published = await api<{ rankings: { items: { agencyCode: string }[] } }>(
      portal.baseUrl,
      'GET',
      `/public/cycles/${CYCLE}/results?pageSize=1`,
    );
    const code = published.body.rankings.items[0].agencyCode;
    await page.goto(`/results/${CYCLE}/agencies/${code}`);
    await visited(page, 'scorecard');
    // Six pillars with their scores, and a level of the maturity model.
    await page.getByText('แนวนโยบายและหลักปฏิบัติ').first().waitFor();
    await page.getByText('เทคโนโลยีดิจิทัลและการนำไปใช้').first().waitFor();
    await page.getByText(/ระดับ/).first().waitFor();
    // Every point links to the methodology's rule.
    const ruleLink = page.locator(`a[href*="/results/${CYCLE}/methodology#"]`).first();
    await ruleLink.click();
    await page.waitForURL(new RegExp(`/results/${CYCLE}/methodology#.+`));
    await settled(page);
    const target = decodeURIComponent(new URL(page.url()).hash.slice(1));
    await page.locator(`[id="${target}"]`).waitFor();
    expect(seen.errors).toEqual([]);
  });

  it('the methodology page explains, in plain Thai, the rules the engine applies (generated from the cycle’s rules)', async () => {
    await page.goto(`/results/${CYCLE}/methodology`);
    await visited(page, 'methodology');
    const main = page.getByRole('main');
    const text = await main.innerText();
    // Rules that were only visible in the engine's code before (issue 15, point 5).
    for (const words of [
      /ไม่ได้ตอบ/, // unanswered
      /ไม่เกี่ยวข้อง|ไม่มีผล|ไม่ใช้/, // not applicable
      /ไม่แสดง|ซ่อน/, // hidden questions
      /ปัด/, // rounding
      /ทศนิยม\s*2\s*ตำแหน่ง/, // statistics to 2 places
      /ทศนิยม\s*4\s*ตำแหน่ง/, // change to 4
      /น้ำหนัก/, // weights
      /ระดับ/, // levels
    ]) {
      expect(text).toMatch(words);
    }
    // Every pillar of the questionnaire has its own part.
    for (const pillar of ['แนวนโยบายและหลักปฏิบัติ', 'บริการภาครัฐ', 'โครงสร้างพื้นฐานที่มีความมั่นคงปลอดภัย']) {
      await main.getByRole('heading', { name: new RegExp(pillar) }).first().waitFor();
    }
  });

  it(`the award winners of ${CYCLE} and a certificate check: a genuine number and an unknown one`, async () => {
    await page.goto(`/awards/${CYCLE}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(CYCLE) }).waitFor();
    await visited(page, 'awards');
    const winners = await api<{ categories: { name: { th: string }; winners: { agencyName: string }[] }[] }>(
      portal.baseUrl,
      'GET',
      `/public/cycles/${CYCLE}/awards`,
    );
    expect(winners.status).toBe(200);
    const category = winners.body.categories.find((c) => c.winners.length)!;
    await page.getByRole('heading', { name: category.name.th }).first().waitFor();
    await page.getByText(category.winners[0].agencyName).first().waitFor();

    // Certificates are made by jobs after the announcement: wait for one, then check it as the public would.
    const db = new Client({ connectionString: portal.platform.databases.awards });
    await db.connect();
    let number = '';
    try {
      await waitFor(async () => {
        const r = await db.query<{ no: string }>('SELECT certificate_no AS no FROM certificates ORDER BY certificate_no LIMIT 1');
        number = r.rows[0]?.no ?? '';
        return number !== '';
      }, 60_000, 500);
    } finally {
      await db.end();
    }
    await page.goto(`/certificates/${encodeURIComponent(number)}`);
    await visited(page, 'certificate-genuine');
    await page.getByText(/ของจริง|ถูกต้อง|genuine/i).first().waitFor();
    await page.getByText(new RegExp(`${CYCLE}`)).first().waitFor();

    await page.goto('/certificates/DGA-2565-no_such-999');
    await visited(page, 'certificate-unknown');
    await page.getByText(/ไม่พบ/).first().waitFor();
  });

  it('the public pages work on a 360 px phone: the results page opens its navigation and the table scrolls inside its box', async () => {
    const phone = await phoneContext(portal.browser, portal.baseUrl);
    try {
      const p = await phone.newPage();
      await p.goto(`/results/${CYCLE}`);
      await settled(p);
      // The navigation is reachable on a phone (a menu button or the links themselves).
      const menu = p.getByRole('button', { name: /เมนู/ });
      if (await menu.count()) await menu.first().click();
      await p.getByRole('link', { name: /เข้าสู่ระบบ/ }).first().waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    } finally {
      await phone.close();
    }
  });
});
