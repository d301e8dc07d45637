// What the headless-Chromium suites share: run.mjs (the served site) and
// bundle.mjs (the offline bundle over file://). Arguments, the launch of
// Chromium, the list of checks and its summary, the watch on what a page
// does (console, errors, failed and foreign requests), and page helpers
// (h1, clicking through, axe-core, horizontal overflow).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const AXE = path.join(HERE, 'vendor', 'axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const ACTION_TIMEOUT_MS = 10_000;

/** playwright-core's chromium, or exit 2 saying how to install it. */
export async function loadChromium() {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    console.error('error: playwright-core is not installed: run `npm ci --prefix tests/browser` (or `bash .ci/run`)');
    process.exit(2);
  }
}

// ---- arguments ---------------------------------------------------------

/**
 * `<dir> [--screenshots DIR]`, both resolved, and each option named in
 * `options` (`--forbid`) with its value, in `opts` (`opts.forbid`); exits 2
 * with `usageLine` on anything else. `what` names the folder in the message
 * when it is missing.
 */
export function parseArgs(usageLine, what, options = []) {
  const usage = (msg) => {
    console.error(`error: ${msg}`);
    console.error(`usage: ${usageLine}`);
    process.exit(2);
  };
  const argv = process.argv.slice(2);
  let dir = null;
  let shotsDir = null;
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--screenshots') {
      shotsDir = argv[++i] ?? usage('--screenshots needs a folder');
    } else if (options.includes(argv[i])) {
      opts[argv[i].slice(2)] = argv[i + 1] ?? usage(`${argv[i]} needs a value`);
      i++;
    } else if (argv[i].startsWith('-')) {
      usage(`unknown option ${argv[i]}`);
    } else if (dir === null) {
      dir = argv[i];
    } else {
      usage(`unexpected argument ${argv[i]}`);
    }
  }
  if (dir === null) usage(`missing ${what}`);
  return {
    dir: path.resolve(dir),
    shotsDir: path.resolve(shotsDir ?? path.join(HERE, '..', '..', 'target', 'screenshots')),
    opts,
    usage,
  };
}

export const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

/** Exits 2 (via `usage`) unless each [what, file, fix] exists. */
export function requireFiles(usage, list) {
  for (const [what, file, fix] of [
    ...list,
    ['Chromium', executablePath, 'apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)'],
    ['vendored axe-core', AXE, 'restore tests/browser/vendor/axe.min.js from git'],
  ]) {
    if (!fs.existsSync(file)) usage(`${what} not found at ${file}: ${fix}`);
  }
}

export function axeVersion() {
  const head = fs.readFileSync(AXE, 'utf8').slice(0, 200);
  return /axe v(\S+)/.exec(head)?.[1] ?? 'unknown';
}

/** Headless Chromium in a fresh profile; `extra` adds context options. */
export async function launch(chromium, userDataDir, extra = {}) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: DESKTOP,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    serviceWorkers: 'block',
    ...extra,
  });
  console.log(`axe-core: ${axeVersion()} (vendor/axe.min.js)`);
  console.log(`browser: Chromium ${context.browser()?.version() ?? ''} (${executablePath})`.replace('  ', ' '));
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  return context;
}

// ---- results -----------------------------------------------------------

export const results = [];

export function record(name, problems, notes = []) {
  const ok = problems.length === 0;
  results.push({ name, ok, problems });
  console.log(`${ok ? 'ok    ' : 'FAIL  '} ${name}`);
  for (const line of ok ? notes : problems) console.log(`         ${line.replace(/\n/g, '\n         ')}`);
}

/** Run `fn`; it returns a list of problems (empty: pass) or throws. */
export async function check(name, fn) {
  try {
    const out = (await fn()) ?? [];
    record(name, Array.isArray(out) ? out : [String(out)]);
  } catch (err) {
    record(name, [String(err?.message ?? err).split('\n=====')[0].trim()]);
  }
}

export async function checkAxePinned() {
  await check('vendored axe-core is the version pinned in package.json', () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8')).devDependencies['axe-core'];
    const got = axeVersion();
    return got === pinned ? [] : [`vendor/axe.min.js is axe ${got}, package.json pins ${pinned}: run \`npm run vendor-axe --prefix tests/browser\``];
  });
}

/** Print the tally and every failure; returns how many checks failed. */
export function summarize(started, shotsDir) {
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
  return failed.length;
}

// ---- what a page does while we look at it --------------------------------

/** Where a suite's requests may go, as its checks and messages name it. */
export const LOCAL_SERVER = { only: 'only requests to the local server', off: 'request off the local server' };

/**
 * Collects console errors, uncaught page errors, failed requests (network
 * failures and HTTP >= 400) and requests to anywhere `allowed(url)` refuses,
 * for one page from `begin()` to `take()`.
 */
export class Watch {
  constructor(page, allowed) {
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
      if (!allowed(url)) this.now.foreign.push(`${r.method()} ${r.url()} (${r.resourceType()})`);
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

/** The four clean-page checks for what a Watch saw on one page. */
export function recordClean(label, seen, scope = LOCAL_SERVER) {
  const fix404 = (lines) =>
    // The expected 404 document logs "Failed to load resource: 404" too.
    seen.expect ? lines.filter((l) => !(/status of 404/.test(l) && l.includes(seen.expect.url))) : lines;
  record(`${label}: no console errors`, tally(fix404(seen.console), 'console error'));
  record(`${label}: no page errors`, tally(seen.errors, 'uncaught'));
  record(`${label}: no failed requests`, tally(seen.failed, 'failed request'));
  record(`${label}: ${scope.only}`, tally(seen.foreign, scope.off));
}

/** Distinct lines, each once, with how often it happened (a page may be loaded twice). */
export function tally(lines, what) {
  const counts = new Map();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => `${what}: ${l}${n > 1 ? ` (×${n})` : ''}`);
}

// ---- page helpers ----------------------------------------------------------

export async function settle(page) {
  await page.waitForLoadState('load');
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
}

/**
 * Type `query` into the search box of the page and wait for a result whose
 * link's href ends with `href` and whose snippet marks `marked` (<mark>);
 * returns the problems.
 */
export async function searchShows(page, query, href, marked) {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.click();
  await input.pressSequentially(query, { delay: 20 });
  const result = page.locator('#search-results li.search__result').filter({ has: page.locator(`a[href$="${href}"]`) }).first();
  try {
    await result.waitFor({ state: 'visible', timeout: 5_000 });
  } catch {
    const status = (await page.locator('#search-status').innerText().catch(() => '')).trim();
    const hrefs = await page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return [`typing ${JSON.stringify(query)}: no result linking to …${href} after 5 s; #search-status says ${JSON.stringify(status)}; results: ${JSON.stringify(hrefs)}`];
  }
  const snippet = result.locator('.search__snippet');
  try {
    await snippet.locator('mark').first().waitFor({ timeout: 5_000 });
  } catch {
    return [`typing ${JSON.stringify(query)}: the snippet of …${href} marks nothing after 5 s: ${JSON.stringify(await snippet.innerText())}`];
  }
  const marks = (await snippet.locator('mark').allInnerTexts()).map((t) => t.trim());
  return marks.includes(marked)
    ? []
    : [`typing ${JSON.stringify(query)}: the snippet of …${href} marks ${JSON.stringify(marks)}, expected ${JSON.stringify(marked)}: ${JSON.stringify(await snippet.innerText())}`];
}

export async function h1Texts(page) {
  return page.locator('h1').allInnerTexts();
}

/** Fails unless the page has exactly one h1 and it matches `want`. */
export async function expectH1(page, want, where) {
  const h1 = (await h1Texts(page)).map((t) => t.trim());
  if (h1.length !== 1) return [`${where}: expected one h1, found ${h1.length}: ${JSON.stringify(h1)} at ${page.url()}`];
  if (want && !(want instanceof RegExp ? want.test(h1[0]) : h1[0] === want)) {
    return [`${where}: h1 is ${JSON.stringify(h1[0])}, expected ${want instanceof RegExp ? want : JSON.stringify(want)} at ${page.url()}`];
  }
  return [];
}

/** Click the link named `name` inside <main> and wait for the next page. */
export async function clickThrough(page, name) {
  const link = page.locator('main').getByRole('link', { name, exact: true }).first();
  if ((await link.count()) === 0) {
    throw new Error(`no link named ${JSON.stringify(name)} in <main> of ${page.url()}`);
  }
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
  await settle(page);
}

/**
 * axe-core's WCAG 2.1 A/AA violations; `extra` adds options to `axe.run`.
 * axe is evaluated through DevTools, not added as a <script>: the theme's
 * Content-Security-Policy refuses inline scripts, and a test must not
 * weaken it.
 */
export async function runAxe(page, extra = {}) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const res = await page.evaluate(
    ([tags, extra]) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
        ...extra,
      }),
    [AXE_TAGS, extra],
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
export async function overflow(page) {
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
