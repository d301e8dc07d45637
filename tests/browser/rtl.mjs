// A site in a right-to-left language in headless Chromium: the fixture
// tests/fixtures/rtl-site (English at /, Arabic under /ar/), built by
// tests/browser_rtl.rs.
//
//   node tests/browser/rtl.mjs <site-output-dir> [--screenshots DIR]
//
// Every page type in both languages, at 1280 and 390 px: <html lang dir>,
// axe-core (WCAG 2.1 A/AA), no horizontal scrolling, console and request
// hygiene, and a layout that mirrors in Arabic: the site's title, the
// first link of the navigation and of the breadcrumbs, a heading's first
// line and a table's first column sit at the inline start (the left in
// English, the right in Arabic), the breadcrumbs' separators point toward
// the inline end, the search box is rounded on its outer sides, and the
// pledge-status bar runs from the inline start.
// Screenshots as rtl-<lang>-<page>-<width>.png. Search in Arabic finds the
// Arabic dialogue. Serves the folder with serve.mjs, like run.mjs.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import {
  DESKTOP,
  PHONE,
  Watch,
  check,
  checkAxePinned,
  expectH1,
  launch,
  loadChromium,
  overflow,
  parseArgs,
  record,
  recordClean,
  requireFiles,
  runAxe,
  settle,
  summarize,
} from './lib.mjs';

const chromium = await loadChromium();

const SUITE_TIMEOUT_MS = 240_000;

const { dir: siteDir, shotsDir, usage } = parseArgs('node tests/browser/rtl.mjs <site-output-dir> [--screenshots DIR]', 'the site output folder');
requireFiles(usage, [
  ['the built fixture', path.join(siteDir, 'ar', 'index.html'), 'build it first: gazette --root tests/fixtures/rtl-site build --output DIR'],
]);

const LANGUAGES = [
  { tag: 'en', dir: 'ltr', prefix: '' },
  { tag: 'ar', dir: 'rtl', prefix: 'ar/' },
];

/** One page of each type, from the fixture's records: [label, path]. */
const PAGES = [
  ['home', ''],
  ['partnerships-index', 'partnerships/'],
  ['partnership', 'partnerships/clean-water/'],
  ['dialogue', 'dialogues/2023-05-09-first-dialogue/'],
  ['pledge', 'pledges/drill-twenty-wells/'],
  ['grant', 'grants/wells-grant/'],
  ['organization', 'organizations/government-of-a/'],
  ['organization-untranslated', 'organizations/water-for-all/'],
  ['person', 'people/amal-haddad/'],
  ['data', 'data/'],
  ['search-page', 'search/'],
  ['404', 'no/such/page/'],
];

// ---- the layout, measured in the page ---------------------------------------

/**
 * Runs in the page: where things sit along the inline axis. For each, the
 * gap between it and the left and the right edge of its container, in px;
 * the order of first and last items; and the direction the breadcrumbs'
 * separator points. Returns { html, parts: { name: {...} } }.
 */
function layout() {
  const box = (el) => el.getBoundingClientRect();
  const gaps = (inner, outer) => ({ left: Math.round(inner.left - outer.left), right: Math.round(outer.right - inner.right) });
  /** The first line box of an element's text. */
  const firstLine = (el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    const rects = [...r.getClientRects()].filter((x) => x.width > 0);
    if (!rects.length) return null;
    const top = Math.min(...rects.map((x) => x.top));
    const line = rects.filter((x) => x.top < top + 2);
    return { left: Math.min(...line.map((x) => x.left)), right: Math.max(...line.map((x) => x.right)) };
  };
  const shown = (el) => el && box(el).width > 0 && getComputedStyle(el).display !== 'none';
  const parts = {};

  const title = document.querySelector('.site-title');
  const inner = document.querySelector('.site-header__inner');
  if (shown(title) && inner) {
    const pad = getComputedStyle(inner);
    const content = { left: box(inner).left + parseFloat(pad.paddingLeft), right: box(inner).right - parseFloat(pad.paddingRight) };
    parts['site title in the header'] = gaps(box(title), content);
  }

  const h1 = document.querySelector('main h1');
  const main = document.querySelector('main');
  const line = h1 && firstLine(h1);
  if (line && main) parts["h1's first line in <main>"] = gaps(line, box(main));

  /** First and last of a row of items: is the first one at the left? */
  const row = (name, items) => {
    const seen = items.filter(shown);
    if (seen.length < 2) return;
    const [a, b] = [box(seen[0]), box(seen[1])];
    if (Math.abs(a.top - b.top) > 4) return; // not on one line
    parts[name] = { firstLeftOfSecond: a.left < b.left };
  };
  row('site navigation: first link and second', [...document.querySelectorAll('.site-nav li')]);
  row('breadcrumbs: first and second', [...document.querySelectorAll('.breadcrumbs li')]);

  // A table laid out as a table (not stacked on a phone): its first and
  // last column headers.
  for (const table of document.querySelectorAll('main table')) {
    const ths = [...table.querySelectorAll('thead th')].filter(shown);
    if (ths.length < 2 || getComputedStyle(ths[0]).display !== 'table-cell') continue;
    const name = `table "${(table.querySelector('caption')?.textContent ?? '').trim() || ths[0].textContent.trim()}": first and last column`;
    parts[name] = { firstLeftOfSecond: box(ths[0]).left < box(ths[ths.length - 1]).left };
  }

  // The breadcrumbs' separator: a square with two borders, rotated. Its
  // point is the corner between the two borders, turned as the square is.
  const sep = document.querySelector('.breadcrumbs li + li');
  if (shown(sep)) {
    const cs = getComputedStyle(sep, '::before');
    const normal = { Top: [0, -1], Right: [1, 0], Bottom: [0, 1], Left: [-1, 0] };
    let [x, y] = [0, 0];
    for (const [side, [nx, ny]] of Object.entries(normal)) {
      if (parseFloat(cs[`border${side}Width`]) > 0 && cs[`border${side}Style`] !== 'none') [x, y] = [x + nx, y + ny];
    }
    const m = new DOMMatrix(cs.transform === 'none' ? undefined : cs.transform);
    const [px, py] = [m.a * x + m.c * y, m.b * x + m.d * y];
    parts['breadcrumbs: the separator points'] = { points: px > Math.abs(py) + 0.1 ? 'right' : px < -Math.abs(py) - 0.1 ? 'left' : py < 0 ? 'up' : 'down' };
  }

  // The search box: the input and its button join in the middle, rounded
  // on the outer sides only.
  const rounded = (el) => {
    const cs = getComputedStyle(el);
    const left = parseFloat(cs.borderTopLeftRadius) > 0 && parseFloat(cs.borderBottomLeftRadius) > 0;
    const right = parseFloat(cs.borderTopRightRadius) > 0 && parseFloat(cs.borderBottomRightRadius) > 0;
    return left === right ? (left ? 'both' : 'none') : left ? 'left' : 'right';
  };
  const input = document.querySelector('.search__input');
  const button = document.querySelector('.search__button');
  if (shown(input) && shown(button)) {
    parts['search box: the input is rounded on'] = { roundedAtStart: rounded(input) };
    parts['search box: the button is rounded on'] = { roundedAtEnd: rounded(button) };
  }

  // The pledge-status bar (partnership page): which end its first
  // segment is drawn at.
  const segs = [...document.querySelectorAll('svg.bar rect')];
  if (segs.length >= 2 && shown(segs[0].ownerSVGElement)) {
    parts['status bar: first segment and last'] = { firstLeftOfSecond: box(segs[0]).left < box(segs[segs.length - 1]).left };
  }
  return {
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
    parts,
  };
}

/** Problems unless `got` (from layout()) mirrors as `language` says. */
function mirrored(got, language) {
  const rtl = language.dir === 'rtl';
  const start = rtl ? 'right' : 'left';
  const end = rtl ? 'left' : 'right';
  const problems = [];
  if (got.lang !== language.tag || got.dir !== language.dir) {
    problems.push(`<html lang="${got.lang}" dir="${got.dir}">, expected lang="${language.tag}" dir="${language.dir}"`);
  }
  for (const [name, p] of Object.entries(got.parts)) {
    if ('left' in p) {
      // At the inline start: no gap there (a rounding pixel aside).
      if (Math.abs(p[start]) > 2) problems.push(`${name}: ${p[start]}px from the ${start} edge, expected at the ${start} (the inline start); ${p[end]}px from the ${end}`);
    } else if ('firstLeftOfSecond' in p) {
      if (p.firstLeftOfSecond === rtl) problems.push(`${name}: the first is on the ${rtl ? 'left' : 'right'}, expected on the ${start} (the inline start)`);
    } else if ('roundedAtStart' in p || 'roundedAtEnd' in p) {
      const [got, want] = 'roundedAtStart' in p ? [p.roundedAtStart, start] : [p.roundedAtEnd, end];
      if (got !== want) problems.push(`${name} the ${got} side, expected the ${want} (its outer side)`);
    } else if ('points' in p) {
      if (p.points !== end) problems.push(`${name} ${p.points}, expected ${end} (toward the inline end)`);
    }
  }
  for (const must of ['site title in the header', "h1's first line in <main>"]) {
    if (!(must in got.parts)) problems.push(`${must}: not found on the page`);
  }
  return problems;
}

// ---- the suite ---------------------------------------------------------------

async function pageChecks(page, watch, origin, language) {
  for (const [label, rel] of PAGES) {
    const urlPath = `/${language.prefix}${rel}`;
    const status = label === '404' ? 404 : 200;
    const name = `${language.tag}/${label}`;
    const url = `${origin}${urlPath}`;
    watch.begin(status === 200 ? null : { url, status });
    await page.setViewportSize(DESKTOP);
    let loaded = false;
    await check(`${name} ${urlPath}: loads with HTTP ${status} and one h1`, async () => {
      const res = await page.goto(url);
      await settle(page);
      loaded = true;
      return [...(res?.status() === status ? [] : [`HTTP ${res?.status()}, expected ${status}`]), ...(await expectH1(page, null, name))];
    });
    if (!loaded) continue;
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(50);
      await check(`${name}: the layout ${language.dir === 'rtl' ? 'mirrors (right to left)' : 'runs left to right'} at ${size.width}px`, async () => {
        const got = await page.evaluate(layout);
        console.log(`note   ${name} at ${size.width}px, measured: ${Object.keys(got.parts).join('; ')}`);
        return mirrored(got, language);
      });
      await check(`${name}: axe WCAG 2.1 A/AA at ${size.width}px`, () => runAxe(page));
      if (size === PHONE) await check(`${name}: no horizontal scrolling at ${PHONE.width}px`, () => overflow(page));
      const file = `rtl-${language.tag}-${label}-${size.width}.png`;
      await check(`${name}: screenshot ${file}`, async () => {
        await page.screenshot({ path: path.join(shotsDir, file), fullPage: true });
      });
    }
    recordClean(name, watch.take());
  }
}

/** Search in Arabic from /ar/: the dialogue's Arabic title finds its page. */
async function searchFlow(page, watch, origin) {
  const want = '/ar/dialogues/2023-05-09-first-dialogue/';
  watch.begin(null);
  await check(`search (ar): typing "الحوار" on /ar/ lists the Arabic dialogue (axe-clean) and leads to ${want}`, async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${origin}/ar/`);
    await settle(page);
    const input = page.locator('#search-input');
    await input.click();
    await input.pressSequentially('الحوار', { delay: 30 });
    const link = page.locator(`#search-results li a[href="${want}"]`).first();
    try {
      await link.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      const hrefs = await page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      return [`no result linking to ${want} 5 s after typing; results: ${JSON.stringify(hrefs)}`];
    }
    const problems = await runAxe(page);
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
    await settle(page);
    const at = decodeURI(new URL(page.url()).pathname);
    if (at !== want) problems.push(`at ${at}, expected ${want}`);
    return problems.concat(await expectH1(page, 'الحوار الأول بشأن المياه النظيفة', 'the dialogue'));
  });
  recordClean('search (ar): pages visited', watch.take());
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
    fs.mkdirSync(shotsDir, { recursive: true });
    context = await launch(chromium, userDataDir);
    await context.route(
      (url) => url.host !== server.host,
      (route) => route.abort('blockedbyclient'),
    );
    await checkAxePinned();
    const page = context.pages()[0] ?? (await context.newPage());
    const watch = new Watch(page, (url) => ['data:', 'blob:', 'about:'].includes(url.protocol) || url.host === server.host);
    console.log('');
    for (const language of LANGUAGES) await pageChecks(page, watch, server.origin, language);
    await searchFlow(page, watch, server.origin);
  } catch (err) {
    record('suite ran to the end', [String(err?.stack ?? err)]);
  }
  await finish(0);
}

main();
