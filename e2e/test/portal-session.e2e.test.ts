import type { BrowserContext, Page } from 'playwright-core';
import { api } from './platform';
import { desktopContext } from './portal/browser';
import { PortalUnderTest, settled, visited, watchConsole } from './portal/portal';

/**
 * The portal's sign-in and session, in a real browser against the real platform: a deep link that
 * needs a login survives the sign-in and a reload; the landing shows the agency's cycle with its
 * status and B.E. deadline; a session ended elsewhere opens the sign-in dialog over the page (no
 * navigation) and the request that met the 401 goes on after it; sign-out ends it for good.
 */
const portal = new PortalUnderTest();
const CYCLE = '2565';
const person = {
  email: 'session-coordinator@agency.go.th',
  displayName: 'สมหญิง ทดสอบระบบ',
  password: 'portal-session-passphrase-1',
  newPassword: 'portal-session-passphrase-2',
};
let admin = '';
let userId = '';
let userVersion = 1;
let agencyId = '';
let context: BrowserContext;
let page: Page;
let consoleWatch: { errors: string[] };

beforeAll(async () => {
  await portal.start();
  const gw = portal.baseUrl;
  const login = await api<{ accessToken: string }>(gw, 'POST', '/auth/login', {
    body: { email: 'admin@dga.or.th', password: 'admin-2565' },
  });
  admin = login.body.accessToken;
  const responses = await api<{ items: { agencyId: string }[] }>(gw, 'GET', `/cycles/${CYCLE}/responses?pageSize=1`, {
    token: admin,
  });
  agencyId = responses.body.items[0]!.agencyId;
  const created = await api<{ id: string; version: number }>(gw, 'POST', '/users', {
    token: admin,
    body: { email: person.email, displayName: person.displayName, password: person.password, roles: ['coordinator'], agencyId },
  });
  expect(created.status).toBe(201);
  userId = created.body.id;
  userVersion = created.body.version;
  context = await desktopContext(portal.browser, gw);
  page = await context.newPage();
  consoleWatch = watchConsole(page);
}, 900_000);

afterAll(async () => {
  await context?.close();
  await portal.stop();
});

test('a deep link asks for sign-in, comes back to the address, and a reload keeps the session', async () => {
  await page.goto(`/cycles/${CYCLE}/response`);
  await page.waitForURL(/\/login\?redirect=%2Fcycles%2F2565%2Fresponse$/);
  await visited(page, 'session-login');

  // A wrong password is said in Thai, in the live region, and nothing moves.
  await page.getByLabel('อีเมล').fill(person.email);
  await page.getByLabel('รหัสผ่าน').fill('not-the-password');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
  await expect(page.getByRole('alert').textContent()).resolves.toContain('อีเมลหรือรหัสผ่านไม่ถูกต้อง');

  await page.getByLabel('รหัสผ่าน').fill(person.password);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
  await page.waitForURL(`**/cycles/${CYCLE}/response`);
  await settled(page);
  expect(await page.getByTestId('signed-in-user').textContent()).toContain(person.displayName);

  // The access token lived in memory only: the reload restores the session from the cookie.
  await page.reload();
  await settled(page);
  expect(new URL(page.url()).pathname).toBe(`/cycles/${CYCLE}/response`);
  expect(await page.getByTestId('signed-in-user').textContent()).toContain(person.displayName);
});

test('the landing shows the agency’s cycle: status in Thai, deadline in B.E.', async () => {
  await page.getByRole('link', { name: 'ระบบสำรวจความพร้อมรัฐบาลดิจิทัล' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('response-status').first().waitFor();
  await visited(page, 'session-landing-coordinator');
  // The sample has two cycles open to the agency (2566 to answer, 2565 verified): take this one's card.
  const card = cycleCard();
  const text = (await card.textContent()) ?? '';
  // The deadline as the API gives it, shown as a Thai date with the Buddhist year, in Bangkok time.
  const { body: response } = await api<{ deadline: string }>(portal.baseUrl, 'GET', `/cycles/${CYCLE}/responses/${agencyId}`, {
    token: admin,
  });
  const yearBE =
    Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Bangkok', year: 'numeric' }).format(new Date(response.deadline))) + 543;
  expect(text).toMatch(new RegExp(`กำหนดส่ง: \\d{1,2} \\S+ ${yearBE} เวลา \\d\\d:\\d\\d น\\.`));
  expect(text).toMatch(/ยังไม่เริ่มตอบ|กำลังตอบ|รอผู้บริหารอนุมัติ|ส่งแล้ว|ส่งกลับให้แก้ไข|ส่งฉบับแก้ไขแล้ว|ตรวจสอบแล้ว/);

  // English keeps the Buddhist year.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await card.getByText('Deadline', { exact: false }).waitFor();
  await expect(card.textContent()).resolves.toMatch(new RegExp(`Deadline: \\d{1,2} \\w+ ${yearBE} BE, \\d\\d:\\d\\d`));
  await page.getByRole('button', { name: 'เปลี่ยนเป็นภาษาไทย' }).click();
  await page.getByText('กำหนดส่ง', { exact: false }).first().waitFor();
});

test('a session ended elsewhere opens the sign-in dialog in place; the waiting request goes on after it', async () => {
  // DGA's admin resets the password: every session of the person ends at once (ADR 0016).
  const reset = await api(portal.baseUrl, 'PATCH', `/users/${userId}`, {
    token: admin,
    body: { password: person.newPassword, version: userVersion },
  });
  expect(reset.status).toBe(200);

  // In-app navigation only (a reload would just find the session over): to the response page and
  // back to the landing, which asks for the cycles again: 401, the refresh fails, the dialog opens.
  await cycleCard().getByRole('link').first().click();
  await page.waitForURL(`**/cycles/${CYCLE}/response`);
  await settled(page);
  await page.getByRole('link', { name: 'ระบบสำรวจความพร้อมรัฐบาลดิจิทัล' }).click();
  const dialog = page.getByRole('dialog', { name: 'กรุณาเข้าสู่ระบบอีกครั้ง' });
  await dialog.waitFor();
  expect(await dialog.getByLabel('อีเมล').inputValue()).toBe(person.email);
  expect(new URL(page.url()).pathname).toBe('/'); // the page stayed: no trip to /login
  await visited(page, 'session-reauth-dialog');

  await dialog.getByLabel('รหัสผ่าน').fill(person.password); // the old one: refused, said in Thai
  await dialog.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
  await expect(dialog.getByRole('alert').textContent()).resolves.toContain('อีเมลหรือรหัสผ่านไม่ถูกต้อง');

  await dialog.getByLabel('รหัสผ่าน').fill(person.newPassword);
  // The request that met the 401 goes on once the person has signed in again, without a reload.
  const retried = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/cycles' && r.status() === 200);
  await dialog.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
  await retried;
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('response-status').first().waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
});

test('sign-out ends the session: a reload stays signed out, and the deep link asks for sign-in again', async () => {
  await page.getByRole('banner').getByRole('button', { name: 'ออกจากระบบ' }).click();
  await page.getByRole('link', { name: 'เข้าสู่ระบบเพื่อตอบแบบสำรวจ' }).waitFor();
  await page.reload();
  await settled(page);
  expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  await page.goto(`/cycles/${CYCLE}/response`);
  await page.waitForURL(/\/login\?redirect=/);
  expect(consoleWatch.errors.filter((e) => !/status of 401|Failed to load resource/.test(e))).toEqual([]);
});

/**
 * The landing's card of the cycle under test among the agency's own cycles: the one that leads to
 * its response (whatever the language: the test switches to English and back).
 */
function cycleCard() {
  return page.getByRole('article').filter({ has: page.locator(`a[href="/cycles/${CYCLE}/response"]`) });
}
