// End-to-end tests of a built Gazette site in headless Chromium.
//
//   node tests/browser/run.mjs <site-output-dir> [--screenshots DIR]
//
// Serves the folder on 127.0.0.1 (serve.mjs), drives /usr/bin/chromium (or
// $CHROMIUM) with playwright-core, runs every check, prints one line per
// check and exits 1 listing every failure. Normally run by tests/browser.rs
// (`cargo test`), which builds the sample site first.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('error: playwright-core is not installed: run `npm ci --prefix tests/browser` (or `bash .ci/run`)');
  process.exit(2);
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(HERE, 'vendor', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SUITE_TIMEOUT_MS = 150_000;
const ACTION_TIMEOUT_MS = 10_000;

// ---- arguments ---------------------------------------------------------

function usage(msg) {
  console.error(`error: ${msg}`);
  console.error('usage: node tests/browser/run.mjs <site-output-dir> [--screenshots DIR]');
  process.exit(2);
}

const argv = process.argv.slice(2);
let siteDir = null;
let shotsDir = null;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--screenshots') {
    shotsDir = argv[++i] ?? usage('--screenshots needs a folder');
  } else if (argv[i].startsWith('-')) {
    usage(`unknown option ${argv[i]}`);
  } else if (siteDir === null) {
    siteDir = argv[i];
  } else {
    usage(`unexpected argument ${argv[i]}`);
  }
}
if (siteDir === null) usage('missing the site output folder');
siteDir = path.resolve(siteDir);
shotsDir = path.resolve(shotsDir ?? path.join(HERE, '..', '..', 'target', 'screenshots'));

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
for (const [what, file, fix] of [
  ['the built site', path.join(siteDir, 'index.html'), 'build it first: gazette build --output DIR'],
  ['Chromium', executablePath, 'apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)'],
  ['vendored axe-core', AXE, 'restore tests/browser/vendor/axe.min.js from git'],
]) {
  if (!fs.existsSync(file)) usage(`${what} not found at ${file}: ${fix}`);
}

function axeVersion() {
  const head = fs.readFileSync(AXE, 'utf8').slice(0, 200);
  return /axe v(\S+)/.exec(head)?.[1] ?? 'unknown';
}

// ---- results -----------------------------------------------------------

const results = [];

function record(name, problems, notes = []) {
  const ok = problems.length === 0;
  results.push({ name, ok, problems });
  console.log(`${ok ? 'ok    ' : 'FAIL  '} ${name}`);
  for (const line of ok ? notes : problems) console.log(`         ${line.replace(/\n/g, '\n         ')}`);
}

/** Run `fn`; it returns a list of problems (empty: pass) or throws. */
async function check(name, fn) {
  try {
    const out = (await fn()) ?? [];
    record(name, Array.isArray(out) ? out : [String(out)]);
  } catch (err) {
    record(name, [String(err?.message ?? err).split('\n=====')[0].trim()]);
  }
}

// ---- what a page does while we look at it --------------------------------

/**
 * Collects console errors, uncaught page errors, failed requests (network
 * failures and HTTP >= 400) and requests to any host but the local server,
 * for one page from `begin()` to `take()`.
 */
class Watch {
  constructor(page, host) {
    this.host = host;
    this.begin(null);
    page.on('console', (m) => {
      if (m.type() === 'error') {
        const loc = m.location();
        this.now.console.push(`${m.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber + 1})` : ''}`);
      }
    });
    page.on('pageerror', (e) => this.now.errors.push(String(e?.stack ?? e)));
    page.on('request', (r) => {
      let url;
      try {
        url = new URL(r.url());
      } catch {
        this.now.foreign.push(r.url());
        return;
      }
      if (['data:', 'blob:', 'about:'].includes(url.protocol)) return;
      if (url.host !== this.host) this.now.foreign.push(`${r.method()} ${r.url()} (${r.resourceType()})`);
    });
    page.on('requestfailed', (r) => {
      this.now.failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText ?? 'failed'}`);
    });
    page.on('response', (r) => {
      if (r.status() < 400) return;
      if (this.now.expect && r.url() === this.now.expect.url && r.status() === this.now.expect.status) return;
      this.now.failed.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
    });
  }

  /** Start collecting for a new page; `expect` exempts its own document status. */
  begin(expect) {
    this.now = { console: [], errors: [], failed: [], foreign: [], expect };
  }

  take() {
    const got = this.now;
    this.begin(null);
    return got;
  }
}

/** The four clean-page checks for what `watch` saw on one page. */
function recordClean(label, seen) {
  const fix404 = (lines) =>
    // The expected 404 document logs "Failed to load resource: 404" too.
    seen.expect ? lines.filter((l) => !(/status of 404/.test(l) && l.includes(seen.expect.url))) : lines;
  record(`${label}: no console errors`, tally(fix404(seen.console), 'console error'));
  record(`${label}: no page errors`, tally(seen.errors, 'uncaught'));
  record(`${label}: no failed requests`, tally(seen.failed, 'failed request'));
  record(`${label}: only requests to the local server`, tally(seen.foreign, 'request off the local server'));
}

/** Distinct lines, each once, with how often it happened (a page may be loaded twice). */
function tally(lines, what) {
  const counts = new Map();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => `${what}: ${l}${n > 1 ? ` (×${n})` : ''}`);
}

// ---- page helpers ----------------------------------------------------------

async function settle(page) {
  await page.waitForLoadState('load');
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
}

async function h1Texts(page) {
  return page.locator('h1').allInnerTexts();
}

/** Fails unless the page has exactly one h1 and it matches `want`. */
async function expectH1(page, want, where) {
  const h1 = (await h1Texts(page)).map((t) => t.trim());
  if (h1.length !== 1) return [`${where}: expected one h1, found ${h1.length}: ${JSON.stringify(h1)} at ${page.url()}`];
  if (want && !(want instanceof RegExp ? want.test(h1[0]) : h1[0] === want)) {
    return [`${where}: h1 is ${JSON.stringify(h1[0])}, expected ${want instanceof RegExp ? want : JSON.stringify(want)} at ${page.url()}`];
  }
  return [];
}

/** Click the link named `name` inside <main> and wait for the next page. */
async function clickThrough(page, name) {
  const link = page.locator('main').getByRole('link', { name, exact: true }).first();
  if ((await link.count()) === 0) {
    throw new Error(`no link named ${JSON.stringify(name)} in <main> of ${page.url()}`);
  }
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
  await settle(page);
}

async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    AXE_TAGS,
  );
  return res.violations.map((v) => {
    const nodes = v.nodes.slice(0, 8).map((n) => {
      const why = (n.failureSummary ?? '').split('\n').slice(1).map((s) => s.trim()).filter(Boolean).join('; ');
      return `    - ${n.target.join(' ')}${why ? `: ${why}` : ''}`;
    });
    if (v.nodes.length > 8) nodes.push(`    - … and ${v.nodes.length - 8} more`);
    return `axe ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
  });
}

/** Elements that stick out past the right edge of the viewport. */
async function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const sw = document.documentElement.scrollWidth;
    if (sw <= vw) return [];
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0) {
        // Report the outermost offenders only.
        if (!wide.some((w) => w.el.contains(el))) {
          const id = el.id ? `#${el.id}` : '';
          const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
          wide.push({ el, what: `${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)}px)` });
        }
      }
    }
    return [
      `page is ${sw}px wide in a ${vw}px viewport (horizontal scrolling)`,
      ...wide.slice(0, 8).map((w) => `  - ${w.what}`),
    ];
  });
}

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
    const failed = results.filter((r) => !r.ok);
    console.log('');
    console.log(`${results.length} checks, ${results.length - failed.length} passed, ${failed.length} failed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`screenshots: ${shotsDir}`);
    if (failed.length) {
      console.log('\nFAILURES');
      for (const f of failed) {
        console.log(`- ${f.name}`);
        for (const p of f.problems) console.log(`    ${p.replace(/\n/g, '\n    ')}`);
      }
    }
    process.exit(failed.length || forced ? 1 : 0);
  }

  try {
    console.log(`site: ${siteDir}`);
    console.log(`server: ${server.origin}`);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: DESKTOP,
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
      serviceWorkers: 'block',
    });
    console.log(`axe-core: ${axeVersion()} (vendor/axe.min.js)`);
    console.log(`browser: Chromium ${context.browser()?.version() ?? ''} (${executablePath})`.replace('  ', ' '));
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
    // Nothing may leave the machine: record (via Watch) and refuse any request
    // that is not for the local server.
    await context.route(
      (url) => url.host !== server.host,
      (route) => route.abort('blockedbyclient'),
    );
    await check('vendored axe-core is the version pinned in package.json', () => {
      const pinned = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8')).devDependencies['axe-core'];
      const got = axeVersion();
      return got === pinned ? [] : [`vendor/axe.min.js is axe ${got}, package.json pins ${pinned}: run \`npm run vendor-axe --prefix tests/browser\``];
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const watch = new Watch(page, server.host);
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
