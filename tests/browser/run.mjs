// End-to-end tests of a built Gazette site in headless Chromium.
//
//   node tests/browser/run.mjs <site-output-dir> [--screenshots DIR]
//
// Serves the folder on 127.0.0.1 (serve.mjs), drives /usr/bin/chromium (or
// $CHROMIUM) with playwright-core, runs every check, prints one line per
// check and exits 1 listing every failure. Normally run by tests/browser.rs
// (`cargo test`), which builds the sample site first. Shared with bundle.mjs
// (the offline bundle over file://) through lib.mjs.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import {
  DESKTOP,
  PHONE,
  Watch,
  checkAxePinned,
  check,
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
} from './lib.mjs';

const chromium = await loadChromium();

const SUITE_TIMEOUT_MS = 150_000;

// ---- arguments ---------------------------------------------------------

const { dir: siteDir, shotsDir, usage } = parseArgs(
  'node tests/browser/run.mjs <site-output-dir> [--screenshots DIR]',
  'the site output folder',
);
requireFiles(usage, [['the built site', path.join(siteDir, 'index.html'), 'build it first: gazette build --output DIR']]);

// ---- page helpers ----------------------------------------------------------

/** Runs in the page: what has keyboard focus, described for a message. */
function focused() {
  const el = document.activeElement;
  if (!el) return { tag: '', text: '', href: null, name: 'nothing', visible: false, isMain: false };
  const r = el.getBoundingClientRect();
  const id = el.id ? `#${el.id}` : '';
  const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
  const whole = el === document.body || el === document.documentElement;
  const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ');
  return {
    tag: el.tagName,
    text,
    href: el.getAttribute('href'),
    name: `<${el.tagName.toLowerCase()}${id}${cls}>${whole || !text ? '' : ` "${text.slice(0, 50)}"`}`,
    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    isMain: el === document.querySelector('main'),
  };
}

async function keyboardSkipLink(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(focused);
  if (first.tag !== 'A' || !/skip/i.test(first.text) || !first.href?.startsWith('#')) {
    return [`first Tab focused ${first.name}, expected the skip link (<a href="#…">Skip…</a>)`];
  }
  const problems = [];
  if (!first.visible) problems.push(`the skip link is focused but not visible in the viewport: ${first.name}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(50);
  const after = await page.evaluate(focused);
  if (!after.isMain) {
    problems.push(`activating the skip link (${first.href}) left focus on ${after.name}, expected <main>`);
  }
  return problems;
}

// ---- which pages ----------------------------------------------------------

const KINDS = [
  ['partnerships', 'partnership'],
  ['dialogues', 'dialogue'],
  ['pledges', 'pledge'],
  ['grants', 'grant'],
  ['organizations', 'organization'],
  ['people', 'person'],
  ['reports', 'report'],
];

/** One page of each type: [label, path, expected status]. */
function pageTypes() {
  const pages = [['home', '/', 200]];
  const notes = [];
  for (const [folder, one] of KINDS) {
    const dir = path.join(siteDir, folder);
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      notes.push(`no /${folder}/ index page in the build`);
      continue;
    }
    pages.push([`${folder}-index`, `/${folder}/`, 200]);
    const ids = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'index.html')))
      .map((e) => e.name)
      .sort();
    if (ids.length) pages.push([one, `/${folder}/${ids[0]}/`, 200]);
    else notes.push(`no ${one} page to test: the site has no ${folder}`);
  }
  pages.push(['data', '/data/', 200]);
  pages.push(['data-dictionary', '/data/dictionary/', 200]);
  // With a query, as the header form submits it: the page then shows results.
  if (fs.existsSync(path.join(siteDir, 'search', 'index.html'))) pages.push(['search-page', '/search/?q=Klecheski', 200]);
  else notes.push('no /search/ page in the build');
  pages.push(['404', '/no/such/page/', 404]);
  return { pages, notes };
}

// ---- the suite ------------------------------------------------------------

async function navigationFlow(page, watch, origin) {
  const steps = [
    ['home', null, 'US–Mongolia Child Protection Compact Partnership'],
    ['partnership', 'United States–Mongolia Child Protection Compact Partnership', 'United States–Mongolia Child Protection Compact Partnership'],
    ['pledge', 'Establish a Multidisciplinary Task Force', 'Establish a Multidisciplinary Task Force'],
    ['organization', 'Government of Mongolia', 'Government of Mongolia'],
  ];
  const trail = [];
  for (const [label, linkName, heading] of steps) {
    const name = `navigation: ${trail.concat(label).join(' → ')}`;
    watch.begin(null);
    let reached = false;
    await check(name, async () => {
      if (linkName === null) {
        await page.goto(`${origin}/`);
        await settle(page);
      } else {
        await clickThrough(page, linkName);
      }
      reached = true;
      return expectH1(page, heading, `${label} page`);
    });
    const seen = watch.take();
    if (!reached) {
      record(`navigation: stopped`, [`could not reach the ${label} page; the rest of the path is untested`]);
      return;
    }
    recordClean(`navigation: ${label} page (${new URL(page.url()).pathname})`, seen);
    trail.push(label);
  }
}

async function searchFlow(page, watch, origin) {
  watch.begin(null);
  let landed = null;
  await check('search: typing "Klecheski" in the header search lists results (axe-clean); the first leads to Michael Klecheski', async () => {
    await page.goto(`${origin}/`);
    await settle(page);
    const input = page.locator('header form[data-root][data-index] input#search-input[type="search"]');
    if ((await input.count()) !== 1) {
      const any = await page.locator('#search-input').count();
      return [
        any
          ? '#search-input exists but not as <input type="search"> inside a <header> <form data-root data-index>'
          : 'no search form in the header: expected <form data-root data-index> with <input id="search-input" type="search"> (has client-side search landed?)',
      ];
    }
    const problems = [];
    const status = page.locator('#search-status');
    if ((await status.count()) !== 1) problems.push('no #search-status element');
    else if (!(await status.getAttribute('aria-live'))) problems.push('#search-status has no aria-live attribute');
    await input.click();
    await input.pressSequentially('Klecheski', { delay: 30 });
    const first = page.locator('#search-results li a').first();
    try {
      await first.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      problems.push(`no visible result link (#search-results li a) 5 s after typing "Klecheski"`);
      return problems;
    }
    if ((await status.count()) === 1 && !(await status.innerText()).trim()) {
      problems.push('#search-status is empty while results are shown');
    }
    const open = await runAxe(page);
    if (open.length) problems.push('with the results shown:', ...open);
    const label = (await first.innerText()).trim();
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), first.click()]);
    await settle(page);
    landed = new URL(page.url()).pathname;
    const h1 = (await h1Texts(page)).map((t) => t.trim());
    const body = await page.locator('main').innerText();
    const person = landed === '/people/michael-klecheski/' && h1[0] === 'Michael Klecheski';
    const dialogue = landed.startsWith('/dialogues/') && /Klecheski/.test(body);
    if (!person && !dialogue) {
      problems.push(
        `first result "${label}" led to ${landed} (h1 ${JSON.stringify(h1)}), expected /people/michael-klecheski/ (h1 "Michael Klecheski") or a dialogue naming him`,
      );
    }
    return problems;
  });
  recordClean(`search: pages visited${landed ? ` (/ and ${landed})` : ' (/)'}`, watch.take());

  watch.begin(null);
  await check('search: "5,500,000" finds the grant and "multi-disciplinary" the task-force pledge, each snippet marking the words that matched (axe-clean)', async () => {
    await page.goto(`${origin}/`);
    await settle(page);
    const problems = [
      ...(await searchShows(page, '5,500,000', '/grants/cpc-consortium-grant/', '5,500,000')),
      ...(await searchShows(page, 'multi-disciplinary', '/pledges/establish-multidisciplinary-task-force/', 'Multidisciplinary')),
    ];
    const open = await runAxe(page);
    if (open.length) problems.push('with the marked snippets shown:', ...open);
    return problems;
  });
  recordClean('search: snippets (/)', watch.take());
}

async function pageTypeChecks(page, watch, origin) {
  const { pages, notes } = pageTypes();
  for (const n of notes) console.log(`note   ${n}`);
  await fsp.mkdir(shotsDir, { recursive: true });
  for (const [label, urlPath, status] of pages) {
    const url = `${origin}${urlPath}`;
    await page.setViewportSize(DESKTOP);
    watch.begin(status === 200 ? null : { url, status });
    let loaded = false;
    await check(`${label} ${urlPath}: loads with HTTP ${status} and one h1`, async () => {
      const res = await page.goto(url);
      await settle(page);
      loaded = true;
      const problems = [];
      if (res?.status() !== status) problems.push(`HTTP ${res?.status()}, expected ${status}`);
      return problems.concat(await expectH1(page, null, label));
    });
    if (!loaded) continue;
    if (label === 'search-page') {
      await check(`${label}: lists results for ?q=Klecheski`, async () => {
        const first = page.locator('#search-results li a').first();
        try {
          await first.waitFor({ state: 'visible', timeout: 5_000 });
        } catch {
          return ['no visible result link (#search-results li a) on /search/?q=Klecheski after 5 s'];
        }
        const href = await first.getAttribute('href');
        return /\/people\/michael-klecheski\/|\/dialogues\//.test(href ?? '')
          ? []
          : [`first result links to ${href}, expected /people/michael-klecheski/ or a dialogue`];
      });
    }
    await check(`${label}: axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => runAxe(page));
    await check(`${label}: screenshot ${label}-${DESKTOP.width}.png`, async () => {
      await page.screenshot({ path: path.join(shotsDir, `${label}-${DESKTOP.width}.png`), fullPage: true });
    });
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(50);
    await check(`${label}: axe WCAG 2.1 A/AA at ${PHONE.width}px`, () => runAxe(page));
    await check(`${label}: no horizontal scrolling at ${PHONE.width}px`, () => overflow(page));
    await check(`${label}: screenshot ${label}-${PHONE.width}.png`, async () => {
      await page.screenshot({ path: path.join(shotsDir, `${label}-${PHONE.width}.png`), fullPage: true });
    });
    await page.setViewportSize(DESKTOP);
    await check(`${label}: first Tab focuses the skip link; Enter moves focus to <main>`, () => keyboardSkipLink(page, url));
    recordClean(`${label}`, watch.take());
  }
}

async function main() {
  const started = Date.now();
  const server = await serve(siteDir);
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
    await server.close();
    await fsp.rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    const failed = summarize(started, shotsDir);
    process.exit(failed || forced ? 1 : 0);
  }

  try {
    console.log(`site: ${siteDir}`);
    console.log(`server: ${server.origin}`);
    context = await launch(chromium, userDataDir);
    // Nothing may leave the machine: record (via Watch) and refuse any request
    // that is not for the local server.
    await context.route(
      (url) => url.host !== server.host,
      (route) => route.abort('blockedbyclient'),
    );
    await checkAxePinned();
    const page = context.pages()[0] ?? (await context.newPage());
    const watch = new Watch(page, (url) => ['data:', 'blob:', 'about:'].includes(url.protocol) || url.host === server.host);
    console.log('');
    await navigationFlow(page, watch, server.origin);
    await searchFlow(page, watch, server.origin);
    await pageTypeChecks(page, watch, server.origin);
  } catch (err) {
    record('suite ran to the end', [String(err?.stack ?? err)]);
  }
  await finish(0);
}

main();
