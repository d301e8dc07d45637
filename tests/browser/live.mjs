// `gazette serve` in headless Chromium: live reload and the error overlay
// work under the default theme's Content-Security-Policy, which refuses
// inline scripts and styles (the server's live.js is a file of the same
// origin; the overlay styles itself with a constructed stylesheet).
//
//   node tests/browser/live.mjs <site-folder> <server-origin> [--screenshots DIR]
//
// The server must already be serving <site-folder>; this edits its files.
// Normally run by tests/browser_serve.rs (`cargo test`), which starts it.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Watch, check, launch, loadChromium, record, recordClean, settle, summarize } from './lib.mjs';

const chromium = await loadChromium();

const SUITE_TIMEOUT_MS = 90_000;
const RELOAD_MS = 15_000;

const argv = process.argv.slice(2);
const shotsAt = argv.indexOf('--screenshots');
const shotsDir = path.resolve(shotsAt >= 0 ? argv.splice(shotsAt, 2)[1] : 'target/screenshots');
const [siteDir, origin] = argv;
if (!siteDir || !origin || !fs.existsSync(path.join(siteDir, 'gazette.yaml'))) {
  console.error('usage: node tests/browser/live.mjs <site-folder> <server-origin> [--screenshots DIR]');
  process.exit(2);
}
const FILE = path.join(siteDir, 'content/people/kari-johnstone.md');
const PAGE = `${origin}/people/kari-johnstone/`;

/** What a Watch saw, less the event stream that a reload closes (aborted). */
function seen(watch) {
  const got = watch.take();
  got.failed = got.failed.filter((l) => !(l.includes('/__gazette/events') && l.includes('ERR_ABORTED')));
  return got;
}

function edit(from, to) {
  const text = fs.readFileSync(FILE, 'utf8');
  if (!text.includes(from)) throw new Error(`${FILE} has no ${JSON.stringify(from)}`);
  fs.writeFileSync(FILE, text.replace(from, to));
}

/** Runs in the page: the overlay's backdrop and panel styles, or null. */
function overlay() {
  const host = document.querySelector('[data-gazette-overlay]');
  const root = host?.shadowRoot;
  const backdrop = root?.querySelector('.backdrop');
  if (!backdrop) return null;
  const b = getComputedStyle(backdrop);
  const p = getComputedStyle(root.querySelector('.panel'));
  return { position: b.position, zIndex: b.zIndex, panel: p.backgroundColor, text: root.textContent };
}

async function main() {
  const started = Date.now();
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gazette-chromium-'));
  let context = null;
  const watchdog = setTimeout(() => {
    record('suite finished in time', [`still running after ${SUITE_TIMEOUT_MS / 1000} s; stopped`]);
    finish(1);
  }, SUITE_TIMEOUT_MS);
  let finishing = false;
  async function finish(forced) {
    if (finishing) return;
    finishing = true;
    clearTimeout(watchdog);
    await context?.close().catch(() => {});
    await fsp.rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    const failed = summarize(started, shotsDir);
    process.exit(failed || forced ? 1 : 0);
  }
  try {
    const host = new URL(origin).host;
    context = await launch(chromium, userDataDir);
    await context.route(
      (url) => url.host !== host,
      (route) => route.abort('blockedbyclient'),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    const watch = new Watch(page, (url) => url.host === host);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    console.log(`site: ${siteDir}`);
    console.log(`server: ${origin}`);
    console.log('');

    await check('a page from the dev server has the policy and loads live.js, which listens for changes', async () => {
      await page.goto(PAGE);
      await settle(page);
      const problems = [];
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content').catch(() => null);
      if (!csp || !/script-src 'self'/.test(csp)) problems.push(`no Content-Security-Policy with script-src 'self' (got ${csp})`);
      for (const p of ['/__gazette/live.js', '/__gazette/events']) {
        if (!requests.includes(p)) problems.push(`no request for ${p}`);
      }
      return problems;
    });
    recordClean('first load', seen(watch));

    await check('an edit reloads the page with the change', async () => {
      const reloaded = page.waitForEvent('load', { timeout: RELOAD_MS });
      edit('name: Kari Johnstone', 'name: Kari Q. Johnstone');
      await reloaded;
      await settle(page);
      const h1 = (await page.locator('h1').innerText()).trim();
      return h1 === 'Kari Q. Johnstone' ? [] : [`h1 is ${JSON.stringify(h1)} after the reload`];
    });
    recordClean('after the edit', seen(watch));

    await check('an error reloads the page with the overlay, styled (position: fixed) under the policy', async () => {
      const reloaded = page.waitForEvent('load', { timeout: RELOAD_MS });
      edit('name: Kari Q. Johnstone', 'nmae: Kari Q. Johnstone');
      await reloaded;
      await page.locator('[data-gazette-overlay]').waitFor({ state: 'attached', timeout: 5_000 });
      const o = await page.evaluate(overlay);
      const problems = [];
      if (!o) return ['no overlay backdrop in the shadow root'];
      if (o.position !== 'fixed') problems.push(`the backdrop is position: ${o.position}: its styles did not apply`);
      if (o.panel !== 'rgb(255, 255, 255)') problems.push(`the panel background is ${o.panel}: its styles did not apply`);
      if (!o.text.includes('kari-johnstone.md')) problems.push(`the overlay does not name the file: ${o.text.slice(0, 200)}`);
      await page.screenshot({ path: path.join(shotsDir, 'serve-overlay.png') });
      return problems;
    });
    recordClean('with the overlay', seen(watch));

    await check('the fix reloads the page without the overlay', async () => {
      const reloaded = page.waitForEvent('load', { timeout: RELOAD_MS });
      edit('nmae: Kari Q. Johnstone', 'name: Kari R. Johnstone');
      await reloaded;
      await settle(page);
      const problems = [];
      const h1 = (await page.locator('h1').innerText()).trim();
      if (h1 !== 'Kari R. Johnstone') problems.push(`h1 is ${JSON.stringify(h1)} after the fix`);
      if (await page.evaluate(overlay)) problems.push('the overlay is still shown');
      return problems;
    });
    recordClean('after the fix', seen(watch));
  } catch (err) {
    record('suite ran to the end', [String(err?.stack ?? err)]);
  }
  await finish(0);
}

main();
