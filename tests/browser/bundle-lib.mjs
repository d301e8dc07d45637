// What the offline-bundle suites share: bundle.mjs (the whole sample site)
// and bundle-mn.mjs (a bundle of its Mongolian pages only), both opened over
// file:// with the network off. A bundle's files and file: URLs, following
// links, axe-core without its CSSOM preload, screenshots, the offline
// harness (canary), the print checks, and the suite's main loop.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DESKTOP,
  PHONE,
  Watch,
  check,
  checkAxePinned,
  clickThrough,
  launch,
  overflow,
  record,
  recordClean,
  runAxe,
  settle,
  summarize,
  tally,
} from './lib.mjs';

/** The briefing must print to more than this (a real document, not a blank page). */
export const MIN_PDF_BYTES = 20_000;
/** Checks and messages for "nothing but file:". */
export const FILE_ONLY = { only: 'only file: requests', off: 'request that is not for a file: URL' };
/** Fetched by the harness to prove that requests off file: are caught. */
const CANARY = 'http://canary.gazette.invalid/offline-check';

/** The unzipped bundle whose top folder is `dir`: its file: URLs and paths. */
export class Bundle {
  constructor(dir) {
    this.root = fs.realpathSync(dir);
  }

  /** The file: URL of a file in the bundle, e.g. `people/x/index.html`. */
  fileUrl(rel) {
    return pathToFileURL(path.join(this.root, rel)).href;
  }

  /** `rel` of a page URL inside the bundle, or null; `problems` gets why not. */
  inBundle(href, problems) {
    const url = new URL(href);
    if (url.protocol !== 'file:') {
      problems.push(`${href} is not a file: URL`);
      return null;
    }
    url.hash = '';
    url.search = '';
    const file = fileURLToPath(url);
    if (!file.endsWith(`${path.sep}index.html`)) problems.push(`${href} does not end in /index.html`);
    if (!fs.existsSync(file)) {
      problems.push(`${href} is not a file (${file} does not exist)`);
      return null;
    }
    const rel = path.relative(this.root, fs.realpathSync(file));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      problems.push(`${href} is outside the bundle folder ${this.root}`);
      return null;
    }
    return rel.split(path.sep).join('/');
  }

  /** Fails unless the page is the bundle's `want` (a path like `x/index.html`). */
  expectAt(page, want) {
    const problems = [];
    const rel = this.inBundle(page.url(), problems);
    if (rel !== null && want !== null && rel !== want) problems.push(`at ${rel}, expected ${want}`);
    return problems;
  }

  /** Every HTML page of the bundle under `under` ('' for all), sorted. */
  pages(under = '') {
    const out = [];
    const walk = (rel) => {
      for (const e of fs.readdirSync(path.join(this.root, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.html')) out.push(p);
      }
    };
    walk(under.replace(/\/$/, ''));
    return out.sort();
  }
}

/** Click the link named `name` in <main>; a failure names the link's href. */
export async function follow(page, name) {
  const from = page.url();
  const href = await page.locator('main').getByRole('link', { name, exact: true }).first().getAttribute('href', { timeout: 1_000 }).catch(() => null);
  try {
    await clickThrough(page, name);
  } catch (err) {
    const to = href === null ? '' : ` (href="${href}" → ${new URL(href, from).href})`;
    throw new Error(`following the link ${JSON.stringify(name)}${to} from ${from}: ${String(err?.message ?? err).split('\n')[0]}`);
  }
}

/**
 * axe-core without its CSSOM preload: the preload re-reads every stylesheet
 * with XMLHttpRequest, which Chromium refuses from file:// (a CORS console
 * error and a failed request caused by the test, not the bundle). So the one
 * rule that needs it (css-orientation-lock) cannot run here; run.mjs runs
 * it on the served site, whose style.css is the bundle's.
 */
export function axe(page) {
  return runAxe(page, { preload: false });
}

/** Screenshots at both widths (`bundle-<label>-<width>.png`), no sideways scrolling on the phone. */
export async function screenshots(page, label, shotsDir) {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    const file = `bundle-${label}-${size.width}.png`;
    if (size === PHONE) await check(`${label}: no horizontal scrolling at ${PHONE.width}px`, () => overflow(page));
    await check(`${label}: screenshot ${file}`, async () => {
      await page.screenshot({ path: path.join(shotsDir, file), fullPage: true });
    });
  }
  await page.setViewportSize(DESKTOP);
}

// ---- the harness -------------------------------------------------------

/** `fetch(CANARY)` in the page: whether it went through, and CSP refusals. */
function fetchCanary(page) {
  return page.evaluate(async (canary) => {
    const refused = [];
    document.addEventListener('securitypolicyviolation', (e) => refused.push(`${e.effectiveDirective} ${e.blockedURI}`));
    let fetched;
    try {
      await fetch(canary, { mode: 'no-cors' });
      fetched = 'succeeded';
    } catch (e) {
      fetched = `failed (${e})`;
    }
    await new Promise((r) => setTimeout(r, 50));
    return { online: navigator.onLine, fetched, refused };
  }, CANARY);
}

/**
 * The harness itself: offline, and a request off file: is seen and blocked.
 * Checked from a page of the harness's own (no Content-Security-Policy, which
 * would refuse the request before the network sees it); then the bundle's
 * own policy is seen to refuse it from `start` (a page of the bundle).
 */
export async function offlineCanary(page, watch, { bundle, blocked, start = 'index.html' }) {
  const own = await fsp.mkdtemp(path.join(os.tmpdir(), 'gazette-harness-'));
  const harness = path.join(own, 'harness.html');
  await fsp.writeFile(harness, '<!DOCTYPE html><html lang="en"><title>harness</title><h1>harness</h1></html>\n');
  watch.begin(null);
  await check('harness: Chromium is offline and a request off file: is caught and refused', async () => {
    await page.goto(pathToFileURL(harness).href);
    await settle(page);
    const problems = [];
    const { online, fetched } = await fetchCanary(page);
    if (online) problems.push('navigator.onLine is true: the context is not offline');
    if (fetched === 'succeeded') problems.push(`fetch(${CANARY}) succeeded: the network is not off`);
    if (!watch.now.foreign.some((l) => l.includes(CANARY))) problems.push(`the request to ${CANARY} was not recorded as off file:`);
    if (!blocked.some((l) => l.includes(CANARY))) problems.push(`the request to ${CANARY} did not reach the route that blocks it`);
    return problems;
  });
  await fsp.rm(own, { recursive: true, force: true }).catch(() => {});
  // The canary's own request and its failure are expected; nothing else is.
  const notCanary = (l) => !l.includes(CANARY);
  const clean = (seen) => {
    seen.foreign = seen.foreign.filter(notCanary);
    seen.failed = seen.failed.filter(notCanary);
    seen.console = seen.console.filter(notCanary);
    blocked.splice(0, blocked.length, ...blocked.filter(notCanary));
    return seen;
  };
  recordClean('harness page (harness.html)', clean(watch.take()), FILE_ONLY);
  await check(`${start}: the bundle's Content-Security-Policy refuses a request off file: before it is made`, async () => {
    await page.goto(bundle.fileUrl(start));
    await settle(page);
    const problems = [];
    const { fetched, refused } = await fetchCanary(page);
    if (fetched === 'succeeded') problems.push(`fetch(${CANARY}) succeeded`);
    if (!refused.some((r) => r.startsWith('connect-src') && r.includes('canary.gazette.invalid'))) {
      problems.push(`no securitypolicyviolation (connect-src) for ${CANARY}; seen: ${JSON.stringify(refused)}`);
    }
    if (blocked.some((l) => l.includes(CANARY))) problems.push(`the request to ${CANARY} reached the network layer`);
    return problems;
  });
  recordClean(`harness page (${start})`, clean(watch.take()), FILE_ONLY);
}

// ---- printing ------------------------------------------------------------

/**
 * The page open in `page` in print media: the header nav, the search form,
 * the skip link and `.no-print` hidden, the h1 shown; then printed to
 * `pdfName` in `shotsDir`, a real PDF of more than MIN_PDF_BYTES. `label`
 * starts each check's name.
 */
export async function printChecks(page, label, shotsDir, pdfName) {
  await check(`${label}: in print media the header nav, the search form, the skip link and .no-print are hidden (display: none)`, async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      return await page.evaluate(() => {
        const out = [];
        for (const sel of ['header .site-nav', 'header form.search', '.skip-link', '.no-print']) {
          const els = [...document.querySelectorAll(sel)];
          if (els.length === 0) out.push(`${sel}: not on the page`);
          for (const el of els) {
            const d = getComputedStyle(el).display;
            if (d !== 'none') out.push(`${sel} has display: ${d} in print`);
          }
        }
        const h1 = document.querySelector('main h1');
        if (!h1 || getComputedStyle(h1).display === 'none') out.push('main h1 is hidden in print');
        return out;
      });
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  const pdfPath = path.join(shotsDir, pdfName);
  await check(`${label}: prints to PDF (page.pdf) at ${path.relative(process.cwd(), pdfPath) || pdfPath}, larger than ${MIN_PDF_BYTES / 1000} kB`, async () => {
    await fsp.rm(pdfPath, { force: true });
    await page.pdf({ path: pdfPath, format: 'A4' });
    const bytes = await fsp.readFile(pdfPath).catch(() => null);
    if (!bytes) return [`no PDF written at ${pdfPath}`];
    const problems = [];
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') problems.push(`${pdfPath} does not start with %PDF-`);
    if (bytes.length <= MIN_PDF_BYTES) problems.push(`${pdfPath} is ${bytes.length} bytes, expected more than ${MIN_PDF_BYTES}`);
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
    console.log(`note   ${pdfName}: ${bytes.length} bytes, ${pages} pages`);
    return problems;
  });
}

// ---- the suite -------------------------------------------------------------

/**
 * Open `bundle` in an offline Chromium that refuses (and records) every
 * request that is not for a file: URL, run each of `flows(page, watch,
 * { bundle, blocked })` in a new tab, check that nothing was blocked, print
 * the summary and exit (1 if any check failed, or after `timeoutMs`).
 */
export async function runBundleSuite(chromium, { bundle, shotsDir, flows, timeoutMs }) {
  const started = Date.now();
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gazette-chromium-'));
  let context = null;
  const watchdog = setTimeout(() => {
    record('suite finished in time', [`still running after ${timeoutMs / 1000} s; stopped`]);
    finish(1);
  }, timeoutMs);

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

  // Every request that was not for a file: URL, wherever it came from.
  const blocked = [];
  try {
    console.log(`bundle: ${bundle.root}`);
    console.log(`opened as: ${bundle.fileUrl('index.html')}`);
    await fsp.mkdir(shotsDir, { recursive: true });
    context = await launch(chromium, userDataDir, { offline: true });
    // Nothing but files: refuse, and record, any other request.
    await context.route('**/*', (route) => {
      const r = route.request();
      if (r.url().startsWith('file:')) return route.continue();
      blocked.push(`${r.method()} ${r.url()} (${r.resourceType()})`);
      return route.abort('blockedbyclient');
    });
    await checkAxePinned();
    console.log('');
    // Each flow in a new tab, so a page that failed to load (and its late
    // events) cannot spill into the next flow.
    for (const flow of flows) {
      const page = await context.newPage();
      const watch = new Watch(page, (url) => url.protocol === 'file:');
      page.on('websocket', (ws) => watch.now.foreign.push(`WebSocket ${ws.url()}`));
      try {
        await flow(page, watch, { bundle, blocked });
      } finally {
        await page.close().catch(() => {});
      }
    }
  } catch (err) {
    record('suite ran to the end', [String(err?.stack ?? err)]);
  }
  record('network: no request was made for anything but a file: URL (all blocked, none expected)', tally(blocked, 'blocked'));
  await finish(0);
}
