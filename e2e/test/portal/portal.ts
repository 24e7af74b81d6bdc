import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PlatformUnderTest } from '../platform';
import { checkPage, launchChromium } from './browser';

const ROOT = join(__dirname, '../../..');
/** The portal's build, served by the gateway at `/` (with the SPA fallback for deep links). */
export const WEB_DIR = join(ROOT, 'apps/web/dist');

/**
 * One platform (every service from dist, own databases and NATS prefix, the sample loaded as
 * `npm start` loads it) and one Chromium, shared by every journey of a test file: starting the
 * platform and loading the sample is most of a file's time, and the journeys of a file are steps
 * of one story anyway. Each file has its own, so files run in parallel and one failing file does
 * not hide the others.
 */
export class PortalUnderTest {
  /**
   * For a file's beforeAll: six services, their migrations and the sample loader (which waits for
   * scoring and runs an award round) take minutes on a busy two-core CI box.
   */
  static readonly START_TIMEOUT = 600_000;
  readonly platform = new PlatformUnderTest();
  browser!: Browser;
  /** What the sample loader printed (its summary names the sample logins). */
  sampleLog = '';

  get baseUrl(): string {
    return this.platform.gateway.url;
  }

  async start(): Promise<void> {
    if (!existsSync(join(WEB_DIR, 'index.html'))) {
      throw new Error(`no portal build at ${WEB_DIR}: run the build first (npx turbo run build)`);
    }
    const [browser] = await Promise.all([
      launchChromium(),
      this.platform.start({ env: { gateway: { WEB_DIR } } }),
    ]);
    this.browser = browser;
    const t0 = Date.now();
    this.sampleLog = await this.platform.loadSample();
    // How long the sample took is the first thing to look at when a file's start-up grows.
    console.log(`portal: platform up, sample loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.platform.stop();
  }
}

/** The sample's people (scripts/load-sample.mjs makes them in development and tests, never in production). */
export const SAMPLE = {
  coordinator: { email: 'coordinator@sample.go.th', password: 'sample-coordinator-2566' },
  head: { email: 'head@sample.go.th', password: 'sample-head-2566' },
  /** The cycle the sample leaves open for them to answer, and the one it publishes. */
  openCycle: '2566',
  publishedCycle: '2565',
};

/** What a page shows while something is still loading: a Mantine loader or an aria-busy region. */
export const LOADING_SELECTOR = 'main [aria-busy="true"], main .mantine-Loader-root';

/**
 * Waits until the page has drawn what a person would see first: its main landmark with a level-1
 * heading, no loading indicator left inside it, and its fonts (Sarabun) loaded.
 */
export async function settled(page: Page): Promise<void> {
  await page.getByRole('main').getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForFunction((sel) => !document.querySelector(sel), LOADING_SELECTOR, { timeout: 15_000 });
  await page.evaluate(() => document.fonts.ready);
}

/** Settled, then axe and screenshots at both widths (see checkPage). */
export async function visited(page: Page, name: string): Promise<void> {
  await settled(page);
  await checkPage(page, name);
}

/**
 * Collects what the page logs as errors and the requests that failed, so a journey can say
 * "nothing went wrong behind the scenes" and a failure shows what the browser saw.
 */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { errors };
}
