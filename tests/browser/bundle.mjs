// The offline bundle (`gazette bundle`) in headless Chromium, over file://
// with the network off: what an official sees after unzipping it.
//
//   node tests/browser/bundle.mjs <unzipped-bundle-folder> [--screenshots DIR]
//
// The folder is the bundle's top folder (the one holding index.html). No
// server: every page is opened as a file: URL; Chromium runs offline and any
// request that is not for a file: URL is blocked and reported. Prints one
// line per check and exits 1 listing every failure. Normally run by
// tests/browser_bundle.rs (`cargo test`), which makes and unzips the bundle.

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
  expectH1,
  h1Texts,
  launch,
  loadChromium,
  overflow,
  parseArgs,
  record,
  recordClean,
  requireFiles,
  runAxe,
  searchShows,
  settle,
  summarize,
  tally,
} from './lib.mjs';

const chromium = await loadChromium();

const SUITE_TIMEOUT_MS = 120_000;
/** The briefing must print to more than this (a real document, not a blank page). */
const MIN_PDF_BYTES = 20_000;
/** Checks and messages for "nothing but file:". */
const FILE_ONLY = { only: 'only file: requests', off: 'request that is not for a file: URL' };
/** Fetched by the harness to prove that requests off file: are caught. */
const CANARY = 'http://canary.gazette.invalid/offline-check';

const { dir, shotsDir, usage } = parseArgs(
  'node tests/browser/bundle.mjs <unzipped-bundle-folder> [--screenshots DIR]',
  'the unzipped bundle folder',
);
requireFiles(usage, [
  ['the unzipped bundle', path.join(dir, 'index.html'), 'make one with `gazette bundle -o site.zip`, unzip it, and pass its top folder'],
]);
const ROOT = fs.realpathSync(dir);

/** The file: URL of a file in the bundle, e.g. `people/x/index.html`. */
function fileUrl(rel) {
  return pathToFileURL(path.join(ROOT, rel)).href;
}

/** `rel` of a page URL inside the bundle, or null; `problems` gets why not. */
function inBundle(href, problems) {
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
  const rel = path.relative(ROOT, fs.realpathSync(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    problems.push(`${href} is outside the bundle folder ${ROOT}`);
    return null;
  }
  return rel.split(path.sep).join('/');
}

/** Click the link named `name` in <main>; a failure names the link's href. */
async function follow(page, name) {
  const from = page.url();
  const href = await page.locator('main').getByRole('link', { name, exact: true }).first().getAttribute('href', { timeout: 1_000 }).catch(() => null);
  try {
    await clickThrough(page, name);
  } catch (err) {
    const to = href === null ? '' : ` (href="${href}" → ${new URL(href, from).href})`;
    throw new Error(`following the link ${JSON.stringify(name)}${to} from ${from}: ${String(err?.message ?? err).split('\n')[0]}`);
  }
}

/** Fails unless the page is the bundle's `want` (a path like `x/index.html`). */
function expectAt(page, want) {
  const problems = [];
  const rel = inBundle(page.url(), problems);
  if (rel !== null && want !== null && rel !== want) problems.push(`at ${rel}, expected ${want}`);
  return problems;
}

/**
 * axe-core without its CSSOM preload: the preload re-reads every stylesheet
 * with XMLHttpRequest, which Chromium refuses from file:// (a CORS console
 * error and a failed request caused by the test, not the bundle). So the one
 * rule that needs it (css-orientation-lock) cannot run here; run.mjs runs
 * it on the served site, whose style.css is the bundle's.
 */
function axe(page) {
  return runAxe(page, { preload: false });
}

async function screenshots(page, label) {
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

// ---- the suite ------------------------------------------------------------

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
 * own policy is seen to refuse it from index.html.
 */
async function offlineCanary(page, watch, blocked) {
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
  await check("index.html: the bundle's Content-Security-Policy refuses a request off file: before it is made", async () => {
    await page.goto(fileUrl('index.html'));
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
  recordClean('harness page (index.html)', clean(watch.take()), FILE_ONLY);
}

/** home → partnership → pledge → organization, by clicking links. */
async function navigationFlow(page, watch) {
  const steps = [
    ['home', null, 'US–Mongolia Child Protection Compact Partnership', 'index.html'],
    [
      'partnership',
      'United States–Mongolia Child Protection Compact Partnership',
      'United States–Mongolia Child Protection Compact Partnership',
      'partnerships/cpc-mongolia/index.html',
    ],
    ['pledge', 'Establish a Multidisciplinary Task Force', 'Establish a Multidisciplinary Task Force', 'pledges/establish-multidisciplinary-task-force/index.html'],
    ['organization', 'Government of Mongolia', 'Government of Mongolia', 'organizations/government-of-mongolia/index.html'],
  ];
  const trail = [];
  for (const [label, linkName, heading, want] of steps) {
    watch.begin(null);
    let reached = false;
    await check(`navigation: ${trail.concat(label).join(' → ')} (h1; file: URL ${want} in the bundle)`, async () => {
      if (linkName === null) {
        await page.goto(fileUrl('index.html'));
        await settle(page);
      } else {
        await follow(page, linkName);
      }
      reached = true;
      return [...expectAt(page, want), ...(await expectH1(page, heading, `${label} page`))];
    });
    if (!reached) {
      recordClean(`navigation: ${label} page`, watch.take(), FILE_ONLY);
      record('navigation: stopped', [`could not reach the ${label} page; the rest of the path is untested`]);
      return;
    }
    if (label !== 'organization') {
      await check(`${label}: axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => axe(page));
    }
    if (label === 'home' || label === 'partnership') await screenshots(page, label);
    recordClean(`navigation: ${label} page (${want})`, watch.take(), FILE_ONLY);
    trail.push(label);
  }
}

/** Search from file://: the index comes from a <script> tag. */
async function searchFlow(page, watch) {
  watch.begin(null);
  let landed = null;
  await check('search: typing "Klecheski" on the home page lists results (axe-clean); the first leads to Michael Klecheski', async () => {
    await page.goto(fileUrl('index.html'));
    await settle(page);
    const input = page.locator('#search-input');
    if ((await input.count()) !== 1) return ['no #search-input on the home page'];
    await input.click();
    await input.pressSequentially('Klecheski', { delay: 30 });
    const first = page.locator('#search-results li a').first();
    try {
      await first.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      const status = (await page.locator('#search-status').innerText().catch(() => '')).trim();
      return [`no visible result link (#search-results li a) 5 s after typing "Klecheski"${status ? `; #search-status says ${JSON.stringify(status)}` : ''}`];
    }
    const problems = [];
    const open = await axe(page);
    if (open.length) problems.push('with the results shown:', ...open);
    const label = (await first.innerText()).trim();
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), first.click()]);
    await settle(page);
    landed = inBundle(page.url(), problems);
    if (landed === null) return problems;
    const h1 = (await h1Texts(page)).map((t) => t.trim());
    const body = await page.locator('main').innerText();
    const person = landed === 'people/michael-klecheski/index.html' && h1[0] === 'Michael Klecheski';
    const dialogue = landed.startsWith('dialogues/') && /Klecheski/.test(body);
    if (!person && !dialogue) {
      problems.push(
        `first result "${label}" led to ${landed} (h1 ${JSON.stringify(h1)}), expected people/michael-klecheski/index.html (h1 "Michael Klecheski") or a dialogue naming him`,
      );
    }
    return problems;
  });
  recordClean(`search: pages visited (index.html${landed ? ` and ${landed}` : ''})`, watch.take(), FILE_ONLY);

  // The header form's action is relative too: Enter on a nested page opens
  // search/index.html?q=… in the bundle, which reads the query and searches.
  watch.begin(null);
  await check('search: Enter in the header search of a nested page opens search/index.html?q=Klecheski with results that lead inside the bundle', async () => {
    await page.goto(fileUrl('pledges/establish-multidisciplinary-task-force/index.html'));
    await settle(page);
    const input = page.locator('#search-input');
    await input.fill('Klecheski');
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), input.press('Enter')]);
    await settle(page);
    const problems = expectAt(page, 'search/index.html');
    const q = new URL(page.url()).searchParams.get('q');
    if (q !== 'Klecheski') problems.push(`the search page's URL has q=${JSON.stringify(q)}, expected "Klecheski"`);
    const first = page.locator('#search-results li a').first();
    try {
      await first.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      problems.push('no visible result link (#search-results li a) on search/index.html?q=Klecheski after 5 s');
      return problems;
    }
    for (const href of await page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.href))) {
      inBundle(href, problems);
    }
    return problems;
  });
  recordClean('search page (search/index.html?q=Klecheski)', watch.take(), FILE_ONLY);

  // The snippets' text files come from <script> tags too.
  watch.begin(null);
  await check('search: "5,500,000" finds the grant from file://, its snippet marking the amount', async () => {
    await page.goto(fileUrl('index.html'));
    await settle(page);
    return searchShows(page, '5,500,000', 'grants/cpc-consortium-grant/index.html', '5,500,000');
  });
  recordClean('search: snippets (index.html)', watch.take(), FILE_ONLY);
}

/** The printable briefing: reached by its link, contents resolve, prints to PDF. */
async function briefingFlow(page, watch) {
  const want = 'partnerships/cpc-mongolia/briefing/index.html';
  watch.begin(null);
  let reached = false;
  await check(`briefing: the partnership page's "Printable briefing" link opens ${want}`, async () => {
    await page.goto(fileUrl('partnerships/cpc-mongolia/index.html'));
    await settle(page);
    await follow(page, 'Printable briefing');
    reached = true;
    return [...expectAt(page, want), ...(await expectH1(page, 'United States–Mongolia Child Protection Compact Partnership', 'briefing page'))];
  });
  if (!reached) {
    recordClean('briefing: pages visited', watch.take(), FILE_ONLY);
    record('briefing: stopped', ['could not reach the briefing page; its checks are untested']);
    return;
  }

  await check('briefing: every table-of-contents link (#pledge-… and the rest) has its target on the page, and every pledge is listed', async () => {
    const { toc, missing, untargeted } = await page.evaluate(() => {
      const links = [...document.querySelectorAll('nav.toc a')].map((a) => a.getAttribute('href'));
      const ids = links.filter((h) => h?.startsWith('#')).map((h) => decodeURIComponent(h.slice(1)));
      return {
        toc: links,
        missing: ids.filter((id) => !document.getElementById(id)),
        untargeted: [...document.querySelectorAll('main [id^="pledge-"].briefing-item')]
          .map((el) => el.id)
          .filter((id) => !ids.includes(id)),
      };
    });
    const problems = [];
    if (toc.length === 0) return ['no table of contents (nav.toc a) on the briefing page'];
    const local = toc.filter((h) => h?.startsWith('#'));
    if (local.length !== toc.length) problems.push(`contents links that are not #anchors: ${toc.filter((h) => !h?.startsWith('#')).join(', ')}`);
    if (!local.some((h) => h.startsWith('#pledge-'))) problems.push(`no #pledge-… link in the contents: ${local.join(', ')}`);
    for (const id of missing) problems.push(`contents link #${id} has no element with that id`);
    for (const id of untargeted) problems.push(`pledge section #${id} is not in the contents`);
    return problems;
  });

  await check('briefing: clicking the contents link "Establish a Multidisciplinary Task Force" stays on the page and scrolls to #pledge-…', async () => {
    const link = page.locator('nav.toc').getByRole('link', { name: 'Establish a Multidisciplinary Task Force', exact: true });
    if ((await link.count()) !== 1) return ['no contents link named "Establish a Multidisciplinary Task Force"'];
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForURL((u) => u.hash === href);
    const problems = expectAt(page, want);
    const inView = await page.evaluate((id) => {
      const r = document.getElementById(id)?.getBoundingClientRect();
      return r ? r.top >= -1 && r.top < innerHeight : null;
    }, href.slice(1));
    if (inView === null) problems.push(`${href} has no target`);
    else if (!inView) problems.push(`${href} is not scrolled into view`);
    return problems;
  });

  await check(`briefing: axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => axe(page));
  await check('briefing: screenshot bundle-briefing-1280.png', async () => {
    await page.screenshot({ path: path.join(shotsDir, 'bundle-briefing-1280.png'), fullPage: true });
  });

  await check('briefing: in print media the header nav, the search form, the skip link and .no-print are hidden (display: none)', async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      const shown = await page.evaluate(() => {
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
      return shown;
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  const pdfPath = path.join(shotsDir, 'briefing.pdf');
  await check(`briefing: prints to PDF (page.pdf) at ${path.relative(process.cwd(), pdfPath) || pdfPath}, larger than ${MIN_PDF_BYTES / 1000} kB`, async () => {
    await fsp.rm(pdfPath, { force: true });
    await page.pdf({ path: pdfPath, format: 'A4' });
    const bytes = await fsp.readFile(pdfPath).catch(() => null);
    if (!bytes) return [`no PDF written at ${pdfPath}`];
    const problems = [];
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') problems.push(`${pdfPath} does not start with %PDF-`);
    if (bytes.length <= MIN_PDF_BYTES) problems.push(`${pdfPath} is ${bytes.length} bytes, expected more than ${MIN_PDF_BYTES}`);
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
    console.log(`note   briefing.pdf: ${bytes.length} bytes, ${pages} pages`);
    return problems;
  });
  recordClean(`briefing: pages visited (partnerships/cpc-mongolia/index.html and ${want})`, watch.take(), FILE_ONLY);
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

  // Every request that was not for a file: URL, wherever it came from.
  const blocked = [];
  try {
    console.log(`bundle: ${ROOT}`);
    console.log(`opened as: ${fileUrl('index.html')}`);
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
    for (const flow of [offlineCanary, navigationFlow, searchFlow, briefingFlow]) {
      const page = await context.newPage();
      const watch = new Watch(page, (url) => url.protocol === 'file:');
      page.on('websocket', (ws) => watch.now.foreign.push(`WebSocket ${ws.url()}`));
      try {
        await flow(page, watch, blocked);
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

main();
