import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const ROOT = join(__dirname, '../../..');
/** Where screenshots go (git-ignored; CI keeps the folder as an artifact). */
export const SCREENSHOT_DIR = join(ROOT, 'e2e/artifacts/screenshots');

/**
 * Debian's Chromium (`.ci/run` installs it), never a browser downloaded by Playwright: the tests
 * run offline and on the machine's own browser. `CHROMIUM_PATH` points elsewhere.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a quiet, reproducible headless run on a CI box: no sandbox (CI runs as root in a
 * container), no GPU, and none of the browser's own traffic (updates, sync, QUIC probes) mixed
 * into what the portal does. Playwright gives every launch a fresh temporary profile.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium fonts-thai-tlwg; .ci/run does it) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** People of the portal read Thai first, in Bangkok's time. */
const PEOPLE: BrowserContextOptions = { locale: 'th-TH', timezoneId: 'Asia/Bangkok' };
export const DESKTOP = { width: 1280, height: 800 };
/** The narrowest phone the portal promises to work on (issue 15: 360 px). */
export const PHONE = { width: 360, height: 800 };

export async function desktopContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ ...PEOPLE, baseURL, viewport: DESKTOP });
}

export async function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ ...PEOPLE, baseURL, viewport: PHONE, isMobile: true, hasTouch: true });
}

/** A full-page screenshot at e2e/artifacts/screenshots/<name>.png; returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

let axeSource: string | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (WCAG 2.0/2.1/2.2 A and AA rules plus axe's best practices) and fails
 * on any violation of impact serious or critical, listing each with the elements it found.
 */
export async function axe(page: Page, label = page.url()): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  // Evaluated through the DevTools protocol, which the portal's Content-Security-Policy
  // (script-src 'self') does not govern: the page keeps its real CSP while axe runs in it.
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
    };
    const result = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const lines = bad.map(
      (v) =>
        `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${JSON.stringify(n.target)}${n.failureSummary ? `: ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`)
          .join('\n') +
        (v.nodes.length > 5 ? `\n    ... and ${v.nodes.length - 5} more` : ''),
    );
    throw new Error(`axe found ${bad.length} serious or critical violation(s) on ${label}:\n${lines.join('\n')}`);
  }
}

/**
 * What breaks a layout at the current width: the page wider than the window (a phone user would
 * scroll sideways), and boxes that cut their own text (overflow hidden with more text than room:
 * a Thai line with its vowels and tone marks cut, a label cut at 360 px). Visually hidden text for
 * screen readers (1 px boxes) is not counted. Returns one line per problem.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      // Name the widest elements that stick out, so the page owner knows where to look.
      const wide = [...document.body.querySelectorAll<HTMLElement>('*')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && e.getClientRects().length)
        .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
        .slice(0, 5)
        .map((e) => describe(e));
      problems.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window; sticking out: ${wide.join(', ')}`);
    }
    for (const e of document.body.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(e);
      const clipsX = style.overflowX === 'hidden' || style.overflowX === 'clip';
      const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      if (!clipsX && !clipsY) continue;
      if (e.clientWidth <= 2 || e.clientHeight <= 2) continue; // visually hidden
      if (style.textOverflow === 'ellipsis') continue; // a deliberate cut, with its full text elsewhere
      const ownText = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      if (!ownText) continue;
      const cutY = clipsY && e.scrollHeight > e.clientHeight + 1;
      const cutX = clipsX && e.scrollWidth > e.clientWidth + 1;
      if (cutY || cutX) {
        problems.push(
          `text cut ${cutY ? 'vertically' : 'horizontally'} in ${describe(e)} (${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}): "${(e.textContent ?? '').trim().slice(0, 60)}"`,
        );
      }
    }
    return problems;

    function describe(e: Element): string {
      const name = e.getAttribute('aria-label') ?? (e.textContent ?? '').trim().slice(0, 30);
      const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/)[0]}` : '';
      return `<${e.tagName.toLowerCase()}${cls}> "${name}"`;
    }
  });
}

/**
 * What every page visited gets: axe on the page as it is, then a full-page screenshot at desktop
 * width and one at phone width (axe and the layout check again at 360 px: a menu that collapses,
 * a table that scrolls), then the window is put back as it was.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  const failures: string[] = [];
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    // Let the layout settle (media queries, resize observers) before measuring and shooting.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await shot(page, `${name}.${label}`);
    try {
      await axe(page, `${name} (${label}, ${page.url()})`);
    } catch (e) {
      failures.push((e as Error).message);
    }
    const layout = await layoutProblems(page);
    if (layout.length) failures.push(`layout of ${name} at ${label} width (${size.width}px):\n- ${layout.join('\n- ')}`);
  }
  await page.setViewportSize(before);
  if (failures.length) throw new Error(failures.join('\n\n'));
}
