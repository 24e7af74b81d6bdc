import type { Locator, Page } from 'playwright-core';
import { settled } from './portal';

/** Signs in on the login page the way a person does (the page may have been reached by a redirect). */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  if (!/\/login/.test(page.url())) await page.goto('/login');
  await page.getByLabel('อีเมล').fill(who.email);
  await page.getByLabel('รหัสผ่าน').fill(who.password);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await settled(page);
}

/**
 * A question of the questionnaire, found as a screen reader finds it: the group (fieldset or
 * radiogroup) or the field whose accessible name starts with the question's Thai text.
 */
export function question(page: Page, textTh: string): Locator {
  const name = new RegExp(escapeRegExp(textTh.slice(0, 40)));
  return page
    .getByRole('group', { name })
    .or(page.getByRole('radiogroup', { name }))
    .or(page.getByRole('textbox', { name }))
    .or(page.getByRole('spinbutton', { name }))
    .first();
}

/** The autosave state the page shows (a live region): "saving", "saved at 14:32", "offline", ... */
export function saveState(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /บันทึก|ออฟไลน์|แก้ไขจากที่อื่น/ }).first();
}

/** Waits until the page says everything is saved ("บันทึกแล้ว ..."), not saving and nothing waiting. */
export async function allSaved(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[role="status"]')].some((e) => /บันทึกแล้ว/.test(e.textContent ?? '')),
    undefined,
    { timeout },
  );
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
