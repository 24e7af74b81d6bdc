// The portal in a real browser (Debian's Chromium through playwright-core), on the platform started
// exactly as the browser tests start it (e2e/test/portal: every service from dist on its own
// databases and NATS prefix, the sample loaded as `npm start` loads it), as the sample coordinator:
//  1. time to interactive of the largest pillar page of the 103-question sample questionnaire:
//     navigation start to the page's own "ready" state (its main landmark drawn, an enabled input,
//     no loader or aria-busy region) followed by BENCH_QUIET_MS without a long task; cold (HTTP cache off) and
//     warm, BENCH_LOADS each (goal: under 1 s);
//  2. typing 50 characters into an answer: the longest event (Event Timing API: input delay,
//     handlers and the next paint) and the longest long task while typing (goal: nothing blocks
//     more than 50 ms);
//  3. the respondent's initial JavaScript: every script the response page loads before it is
//     interactive, gzipped (level 9, as a static server would send it) (goal: at most 250 kB);
// each beside a baseline measured in the same browser in the same run: the portal's own
// index.html with its scripts taken out and one enabled <input> in a <main> (the fastest this
// browser on this machine makes a page of ours interactive), served by a bare Node http server.
//
// Knobs: BENCH_LOADS (5), BENCH_QUIET_MS (500), CHROMIUM_PATH (/usr/bin/chromium).
import { createRequire, Module } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const QUIET_MS = Number(process.env.BENCH_QUIET_MS ?? 500);
const TYPED = 'ระบบสารบรรณอิเล็กทรอนิกส์ e-Saraban ใช้ทั้งกรม 2566'.padEnd(50, '.').slice(0, 50);
const GOALS = { ttiMs: 1000, blockMs: 50, initialJsKb: 250 };

const round = (n, d = 1) => Number(Number(n).toFixed(d));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Loads the e2e harness's TypeScript (test/portal/*.ts, test/platform.ts) with the compiler the
 * repository already has, so the bench starts the platform the one way the browser tests do.
 */
function requireTs(path) {
  const ts = require('typescript');
  if (!Module._extensions['.ts'] || !Module._extensions['.ts'].benchTs) {
    const load = (module, filename) => {
      const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          experimentalDecorators: true,
        },
      });
      module._compile(outputText, filename);
    };
    load.benchTs = true;
    Module._extensions['.ts'] = load;
  }
  return require(path);
}

// ---- what the page reports ---------------------------------------------------------------------

/**
 * Installed before any script of the page runs: records long tasks and slow events (buffered from
 * navigation start) and the moment the page is first "ready". performance.now() counts from the
 * navigation start, so every figure is "ms since navigation start".
 */
function instrument() {
  const w = window;
  w.__bench = { longTasks: [], events: [], readyAt: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long task API: reported as none */
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__bench.events.push({
          name: e.name,
          start: e.startTime,
          duration: e.duration,
          delay: e.processingStart - e.startTime,
          processing: e.processingEnd - e.processingStart,
        });
    }).observe({ type: 'event', buffered: true, durationThreshold: 16 });
  } catch {
    /* no Event Timing API */
  }
  const ready = () => {
    const main = document.querySelector('main');
    if (!main || main.querySelector('[aria-busy="true"], .mantine-Loader-root')) return false;
    const input = main.querySelector('input:not([disabled]):not([type=hidden]), textarea:not([disabled])');
    return !!input;
  };
  const check = () => {
    if (w.__bench.readyAt === null && ready()) {
      w.__bench.readyAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  const start = () => {
    observer.observe(document, { subtree: true, childList: true, attributes: true });
    check();
  };
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
}

/**
 * Time to interactive: ready and painted (a page is not usable before its first contentful paint),
 * then the first moment followed by QUIET_MS without a long task.
 */
async function interactiveAt(page) {
  await page.waitForFunction(
    () => window.__bench?.readyAt !== null && performance.getEntriesByName('first-contentful-paint').length > 0,
    undefined,
    { timeout: 30_000 },
  );
  for (;;) {
    const b = await page.evaluate(() => ({
      ...window.__bench,
      fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
      now: performance.now(),
    }));
    let at = Math.max(b.readyAt, b.fcp);
    for (const t of [...b.longTasks].sort((x, y) => x.start - y.start)) {
      if (t.start < at + QUIET_MS) at = Math.max(at, t.start + t.duration);
    }
    if (b.now >= at + QUIET_MS) {
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return { domContentLoaded: n?.domContentLoadedEventEnd ?? null, fcp: fcp?.startTime ?? null };
      });
      return {
        tti: at,
        ready: b.readyAt,
        fcp: nav.fcp,
        domContentLoaded: nav.domContentLoaded,
        longestTaskMs: Math.max(0, ...b.longTasks.filter((t) => t.start < at).map((t) => t.duration)),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Loads `url` LOADS times cold (HTTP cache disabled) and LOADS times warm; the medians and maxima. */
async function loads(page, url) {
  const cdp = await page.context().newCDPSession(page);
  const out = {};
  for (const mode of ['cold', 'warm']) {
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: mode === 'cold' });
    const runs = [];
    // One unmeasured load of each kind first: the browser's own warm-up (V8, font caches).
    for (let i = 0; i <= LOADS; i++) {
      await page.goto(url, { waitUntil: 'commit' });
      const r = await interactiveAt(page);
      if (i > 0) runs.push(r);
    }
    out[mode] = {
      ttiMs: round(median(runs.map((r) => r.tti))),
      ttiMaxMs: round(Math.max(...runs.map((r) => r.tti))),
      readyMs: round(median(runs.map((r) => r.ready))),
      fcpMs: round(median(runs.map((r) => r.fcp ?? NaN))),
      domContentLoadedMs: round(median(runs.map((r) => r.domContentLoaded ?? NaN))),
      longestTaskMs: round(Math.max(...runs.map((r) => r.longestTaskMs))),
    };
  }
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
  return out;
}

/** Types TYPED into `input` like a quick typist (30 ms a key); the longest event and long task meanwhile. */
async function typing(page, input) {
  await input.click();
  await input.fill('');
  const from = await page.evaluate(() => performance.now());
  await page.keyboard.type(TYPED, { delay: 30 });
  // Let the debounced autosave and the last paint happen inside the window.
  await page.waitForTimeout(1500);
  const b = await page.evaluate((t0) => {
    const ev = window.__bench.events.filter((e) => e.start >= t0);
    const lt = window.__bench.longTasks.filter((e) => e.start >= t0);
    return {
      events: ev.length,
      longestEventMs: Math.max(0, ...ev.map((e) => e.duration)),
      longestInputDelayMs: Math.max(0, ...ev.map((e) => e.delay)),
      longestHandlersMs: Math.max(0, ...ev.map((e) => e.processing)),
      longTasks: lt.length,
      longestTaskMs: Math.max(0, ...lt.map((e) => e.duration)),
    };
  }, from);
  const value = await input.inputValue();
  if (value !== TYPED) throw new Error(`typed ${JSON.stringify(TYPED)} but the field holds ${JSON.stringify(value)}`);
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, round(v)]));
}

// ---- the baseline page ---------------------------------------------------------------------------

/** The portal's index.html without its scripts, with one enabled input in a main landmark. */
function baselineServer(webDir) {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8')
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
    .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, '')
    .replace(
      /<body([^>]*)>[\s\S]*<\/body>/i,
      '<body$1><main><h1>แบบสำรวจ</h1><label>คำตอบ <input name="a"></label></main></body>',
    );
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(html);
      return;
    }
    // The same stylesheets and fonts as the portal, from its build.
    const file = join(webDir, decodeURIComponent((req.url ?? '/').split('?')[0]));
    if (!file.startsWith(webDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.woff2') ? 'font/woff2' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- run -----------------------------------------------------------------------------------------

export async function run() {
  const { PortalUnderTest, SAMPLE, WEB_DIR, settled } = requireTs(join(ROOT, 'e2e/test/portal/portal.ts'));
  const { signIn } = requireTs(join(ROOT, 'e2e/test/portal/people.ts'));
  const { desktopContext } = requireTs(join(ROOT, 'e2e/test/portal/browser.ts'));
  const { sample2565 } = require('@dg/survey-model');
  const largest = [...sample2565.pillars].sort(
    (a, b) =>
      b.indicators.reduce((n, i) => n + i.questions.length, 0) - a.indicators.reduce((n, i) => n + i.questions.length, 0),
  )[0];
  const largestCount = largest.indicators.reduce((n, i) => n + i.questions.length, 0);
  const portal = new PortalUnderTest();
  const started = performance.now();
  const result = { goals: GOALS, loads: LOADS, quietMs: QUIET_MS, pillar: largest.id, questions: largestCount };
  let baseline;
  try {
    await portal.start();
    console.log(`  platform up with the sample, Chromium ${portal.browser.version()} (${round((performance.now() - started) / 1000)} s)`);
    const context = await desktopContext(portal.browser, portal.baseUrl);
    await context.addInitScript(instrument);
    const page = await context.newPage();

    // Signed in as the sample coordinator, on the largest pillar page (reached as a person does).
    await page.goto(`/cycles/${SAMPLE.openCycle}/response`);
    // The guard sends the visitor to /login?redirect=… (client side): sign in there to come back.
    await page.waitForURL(/\/login\?redirect=/);
    await signIn(page, SAMPLE.coordinator);
    await page.getByRole('link', { name: new RegExp(largest.title.th) }).first().click();
    await page.getByRole('heading', { level: 1, name: new RegExp(largest.title.th) }).waitFor();
    await settled(page);
    const pillarUrl = page.url();
    console.log(`  largest pillar: ${largest.id} "${largest.title.th}" (${largestCount} questions) at ${new URL(pillarUrl).pathname}${new URL(pillarUrl).search}`);

    // 3 first, on a cold load: every script the page fetches until it is interactive.
    const scripts = new Map();
    const onResponse = async (res) => {
      const req = res.request();
      if (req.resourceType() !== 'script' || !res.ok()) return;
      try {
        const body = await res.body();
        scripts.set(req.url(), { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length, encoding: res.headers()['content-encoding'] ?? null });
      } catch {
        /* a response without a body (redirect): nothing to count */
      }
    };
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    page.on('response', onResponse);
    await page.goto(pillarUrl, { waitUntil: 'commit' });
    await interactiveAt(page);
    page.off('response', onResponse);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.detach();
    const js = [...scripts.values()];
    result.initialJs = {
      files: js.length,
      bytes: js.reduce((n, s) => n + s.bytes, 0),
      gzipBytes: js.reduce((n, s) => n + s.gzip, 0),
      servedCompressed: js.filter((s) => s.encoding).length,
    };
    result.initialJs.gzipKb = round(result.initialJs.gzipBytes / 1024);
    console.log(
      `  initial JS of the response page: ${js.length} files, ${round(result.initialJs.bytes / 1024)} kB, ` +
        `${result.initialJs.gzipKb} kB gzipped (goal <= ${GOALS.initialJsKb} kB; ${result.initialJs.servedCompressed} of ${js.length} served compressed)`,
    );

    // 1. Time to interactive of the pillar page.
    result.portal = await loads(page, pillarUrl);
    await settled(page);
    // 2. Typing into an answer: the first free-text field of the page (a textarea or text input).
    const input = page.getByRole('main').locator('textarea:not([disabled]), input[type=text]:not([disabled]), input[type=url]:not([disabled]), input:not([type]):not([disabled])').first();
    result.portal.typing = await typing(page, input);
    await context.close();

    // The baseline: the same browser, the bare index.html.
    baseline = await baselineServer(WEB_DIR);
    const baseUrl = `http://127.0.0.1:${baseline.address().port}/`;
    const bctx = await desktopContext(portal.browser, baseUrl);
    await bctx.addInitScript(instrument);
    const bpage = await bctx.newPage();
    result.baseline = await loads(bpage, baseUrl);
    result.baseline.typing = await typing(bpage, bpage.getByRole('textbox', { name: 'คำตอบ' }));
    await bctx.close();

    for (const mode of ['cold', 'warm']) {
      const p = result.portal[mode];
      const b = result.baseline[mode];
      console.log(
        `  ${mode} load to interactive: portal median ${p.ttiMs} ms (max ${p.ttiMaxMs}; ready ${p.readyMs}, FCP ${p.fcpMs}, longest task ${p.longestTaskMs} ms)` +
          ` | baseline ${b.ttiMs} ms (max ${b.ttiMaxMs}) | ${round(p.ttiMs / b.ttiMs, 2)}x  (goal < ${GOALS.ttiMs} ms)`,
      );
    }
    const pt = result.portal.typing;
    const bt = result.baseline.typing;
    console.log(
      `  typing ${TYPED.length} characters: portal longest event ${pt.longestEventMs} ms (input delay ${pt.longestInputDelayMs}, handlers ${pt.longestHandlersMs}), ` +
        `longest task ${pt.longestTaskMs} ms (${pt.longTasks} long tasks) | baseline longest event ${bt.longestEventMs} ms, longest task ${bt.longestTaskMs} ms  (goal: nothing over ${GOALS.blockMs} ms)`,
    );
    result.ratios = {
      coldTti: round(result.portal.cold.ttiMs / result.baseline.cold.ttiMs, 2),
      warmTti: round(result.portal.warm.ttiMs / result.baseline.warm.ttiMs, 2),
    };
    result.meetsGoals = {
      tti: result.portal.cold.ttiMs < GOALS.ttiMs,
      typing: Math.max(pt.longestTaskMs, pt.longestHandlersMs + pt.longestInputDelayMs) <= GOALS.blockMs,
      initialJs: result.initialJs.gzipKb <= GOALS.initialJsKb,
    };
    console.log(`  goals met: ${JSON.stringify(result.meetsGoals)}`);
    result.totalSeconds = round((performance.now() - started) / 1000);
    console.log(`  (whole benchmark ${result.totalSeconds} s)`);
    return result;
  } catch (e) {
    console.error(`  portal bench failed: ${e instanceof Error ? e.message : e}`);
    for (const s of portal.platform.services ?? []) {
      if (s.name === 'gateway') console.error(`--- gateway:\n${s.lines.slice(-20).join('\n')}`);
    }
    throw e;
  } finally {
    baseline?.close();
    await portal.stop();
  }
}
