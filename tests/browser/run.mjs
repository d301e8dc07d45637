// End-to-end tests of a built Gazette site in headless Chromium.
//
//   node tests/browser/run.mjs <site-output-dir> [--screenshots DIR]
//
// Serves the folder on 127.0.0.1 (serve.mjs), drives /usr/bin/chromium (or
// $CHROMIUM) with playwright-core, runs every check, prints one line per
// check and exits 1 listing every failure. Every page type is checked in
// each language the home page's switcher lists (the sample's English at /
// and Mongolian under /mn/), and the Mongolian edition's search and the
// switcher are driven by clicking. Normally run by tests/browser.rs
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

// Every page type in each of the sample's two languages, at two widths.
const SUITE_TIMEOUT_MS = 330_000;

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
  const href = el.getAttribute('href');
  const target = href?.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ');
  return {
    tag: el.tagName,
    text,
    href: el.getAttribute('href'),
    name: `<${el.tagName.toLowerCase()}${id}${cls}>${whole || !text ? '' : ` "${text.slice(0, 50)}"`}`,
    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    isMain: el === document.querySelector('main'),
    targetsMain: target !== null && target === document.querySelector('main'),
  };
}

async function keyboardSkipLink(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(focused);
  // A skip link in any language: a link to <main> on the same page.
  if (first.tag !== 'A' || !first.targetsMain || !first.text) {
    return [`first Tab focused ${first.name}, expected the skip link (<a href="#main">Skip…</a>, a link to <main>)`];
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

/**
 * The site's languages, from the home page's language switcher
 * (`nav.languages`): [{ tag, prefix }], the default (at the root, prefix
 * '') first, then each other language with its folder (`mn/`). A site
 * without a switcher has one language.
 */
function languages() {
  const home = fs.readFileSync(path.join(siteDir, 'index.html'), 'utf8');
  const own = /<html[^>]*\slang="([^"]+)"/.exec(home)?.[1] ?? '';
  const out = [{ tag: own, prefix: '' }];
  const nav = /<nav class="languages"[\s\S]*?<\/nav>/.exec(home)?.[0] ?? '';
  for (const [, href, tag] of nav.matchAll(/<a href="\/([^"]*)" hreflang="([^"]+)"/g)) {
    if (tag !== own) out.push({ tag, prefix: href });
  }
  return out;
}

/**
 * What the pages of each language search for on the search page (`q`) and
 * the first result it must lead to: a name in the language's own script.
 */
const SEARCH_PAGE = {
  en: { q: 'Klecheski', first: /\/people\/michael-klecheski\/|\/dialogues\// },
  mn: { q: 'Клечески', first: /\/mn\/people\/michael-klecheski\/|\/mn\/dialogues\// },
};

/**
 * One page of each type in the language under `prefix` ('' or `mn/`):
 * [label, path, expected status]. Labels of other languages than the
 * default start with their folder (`mn/home`). Besides the first record of
 * each type, `extra` record pages ([label, path]) are tested when they
 * exist (an untranslated record's page, say).
 */
function pageTypes({ tag, prefix }, extra = []) {
  const at = (p) => `/${prefix}${p}`;
  const name = (l) => `${prefix}${l}`;
  const pages = [[name('home'), at(''), 200]];
  const notes = [];
  const base = path.join(siteDir, prefix);
  for (const [folder, one] of KINDS) {
    const dir = path.join(base, folder);
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      notes.push(`no ${at(folder)}/ index page in the build`);
      continue;
    }
    pages.push([name(`${folder}-index`), at(`${folder}/`), 200]);
    const ids = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'index.html')))
      .map((e) => e.name)
      .sort();
    if (ids.length) pages.push([name(one), at(`${folder}/${ids[0]}/`), 200]);
    else notes.push(`no ${one} page to test in ${at('')}: the site has no ${folder}`);
  }
  for (const [label, p] of extra) {
    if (fs.existsSync(path.join(base, p, 'index.html'))) pages.push([name(label), at(p), 200]);
    else notes.push(`no ${at(p)} page in the build`);
  }
  pages.push([name('data'), at('data/'), 200]);
  pages.push([name('data-dictionary'), at('data/dictionary/'), 200]);
  // With a query, as the header form submits it: the page then shows results.
  const search = SEARCH_PAGE[tag];
  if (!fs.existsSync(path.join(base, 'search', 'index.html'))) notes.push(`no ${at('search/')} page in the build`);
  else if (!search) notes.push(`no search query for language ${tag}: ${at('search/')} is not tested`);
  else pages.push([name('search-page'), at(`search/?q=${encodeURIComponent(search.q)}`), 200]);
  pages.push([name('404'), at('no/such/page/'), 404]);
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

// ---- Mongolian: search and the language switcher ---------------------------

const DIALOGUE = 'dialogues/2021-11-19-first-bilateral-dialogue/';
/** The dialogue's title in content/dialogues/2021-11-19-first-bilateral-dialogue.mn.md. */
const DIALOGUE_MN = 'CPC түншлэлийн хоёр талын анхдугаар яриа хэлэлцээ';
const DIALOGUE_EN = 'First CPC Partnership Bilateral Dialogue';

/**
 * Type `query` into the header search of the current page; the result
 * linking to `href` (a path), or a problem.
 */
async function resultFor(page, query, href) {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.click();
  await input.pressSequentially(query, { delay: 20 });
  const link = page.locator(`#search-results li a[href="${href}"]`).first();
  try {
    await link.waitFor({ state: 'visible', timeout: 5_000 });
    return { link };
  } catch {
    const status = (await page.locator('#search-status').innerText().catch(() => '')).trim();
    const hrefs = await page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return { problem: `typing ${JSON.stringify(query)}: no result linking to ${href} after 5 s; #search-status says ${JSON.stringify(status)}; results: ${JSON.stringify(hrefs)}` };
  }
}

/** Problems unless the page is at `pathname` with `<html lang>` and one h1 `h1`. */
async function expectPage(page, pathname, lang, h1) {
  const problems = [];
  const at = decodeURI(new URL(page.url()).pathname);
  if (at !== pathname) problems.push(`at ${at}, expected ${pathname}`);
  const got = await page.evaluate(htmlLangDir);
  if (got.lang !== lang) problems.push(`<html lang="${got.lang}"> at ${at}, expected "${lang}"`);
  return problems.concat(await expectH1(page, h1, at));
}

/**
 * Search in Mongolian from /mn/: a word of the dialogue's Mongolian title
 * finds it, and the result leads to its /mn/ page; a word of an
 * untranslated record (its English text) still finds its /mn/ page.
 */
async function mongolianSearchFlow(page, watch, origin) {
  watch.begin(null);
  await check(`search (mn): typing "анхдугаар" on /mn/ lists the dialogue under its Mongolian title (axe-clean); the result leads to /mn/${DIALOGUE}`, async () => {
    await page.goto(`${origin}/mn/`);
    await settle(page);
    const { link, problem } = await resultFor(page, 'анхдугаар', `/mn/${DIALOGUE}`);
    if (problem) return [problem];
    const problems = [];
    const text = (await link.innerText()).trim();
    if (text !== DIALOGUE_MN) problems.push(`the result reads ${JSON.stringify(text)}, expected the Mongolian title ${JSON.stringify(DIALOGUE_MN)}`);
    const open = await runAxe(page);
    if (open.length) problems.push('with the results shown:', ...open);
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
    await settle(page);
    return problems.concat(await expectPage(page, `/mn/${DIALOGUE}`, 'mn', DIALOGUE_MN));
  });
  recordClean('search (mn): pages visited (/mn/ and the dialogue)', watch.take());

  // The snippet quotes the Mongolian text (mn/search/text-N.js).
  watch.begin(null);
  await check(`search (mn): "цахимаар", a word of the dialogue's Mongolian text, shows a snippet of it marking the word`, async () => {
    await page.goto(`${origin}/mn/`);
    await settle(page);
    return searchShows(page, 'цахимаар', `/mn/${DIALOGUE}`, 'цахимаар');
  });
  recordClean('search (mn): snippets (/mn/)', watch.take());

  watch.begin(null);
  await check('search (mn): "Talita", a word of an untranslated record, finds it on /mn/ and leads to /mn/organizations/talita-asia/ (its English title marked lang="en")', async () => {
    await page.goto(`${origin}/mn/`);
    await settle(page);
    const { link, problem } = await resultFor(page, 'Talita', '/mn/organizations/talita-asia/');
    if (problem) return [problem];
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
    await settle(page);
    const problems = await expectPage(page, '/mn/organizations/talita-asia/', 'mn', 'Talita Asia');
    const h1Lang = await page.locator('h1').first().getAttribute('lang');
    if (h1Lang !== 'en') problems.push(`the untranslated record's h1 has lang=${JSON.stringify(h1Lang)}, expected "en"`);
    return problems;
  });
  recordClean('search (mn): pages visited (/mn/ and talita-asia)', watch.take());
}

/** Click the language switcher's link to `tag` (nav.languages a[hreflang]). */
async function switchTo(page, tag) {
  const link = page.locator(`header nav.languages a[hreflang="${tag}"]`);
  if ((await link.count()) !== 1) throw new Error(`no link to ${tag} in the header's language switcher (nav.languages) of ${page.url()}`);
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
  await settle(page);
}

/**
 * The language switcher leads from a record's /mn/ page to the same record
 * in English and back, for a translated and an untranslated record.
 */
async function languageSwitchFlow(page, watch, origin) {
  const records = [
    [DIALOGUE, DIALOGUE_MN, DIALOGUE_EN],
    ['organizations/talita-asia/', 'Talita Asia', 'Talita Asia'],
  ];
  for (const [rec, mn, en] of records) {
    watch.begin(null);
    await check(`language switcher: /mn/${rec} → English (/${rec}, <html lang="en">) → Монгол (/mn/${rec}, <html lang="mn">), by clicking`, async () => {
      await page.goto(`${origin}/mn/${rec}`);
      await settle(page);
      const problems = await expectPage(page, `/mn/${rec}`, 'mn', mn);
      const current = await page.locator('header nav.languages a[aria-current]').getAttribute('hreflang').catch(() => null);
      if (current !== 'mn') problems.push(`the switcher marks ${JSON.stringify(current)} as current on /mn/${rec}, expected "mn"`);
      await switchTo(page, 'en');
      problems.push(...(await expectPage(page, `/${rec}`, 'en', en)));
      await switchTo(page, 'mn');
      problems.push(...(await expectPage(page, `/mn/${rec}`, 'mn', mn)));
      return problems;
    });
    recordClean(`language switcher: pages visited (/mn/${rec} and /${rec})`, watch.take());
  }
}

/** Record pages tested besides the first of each type, per language. */
const EXTRA_PAGES = {
  // The first organization (beautiful-hearts) is untranslated in Mongolian:
  // test a translated one too.
  mn: [['organization-translated', 'organizations/government-of-mongolia/']],
};

/** Runs in the page: its <html lang> and dir. */
function htmlLangDir() {
  return { lang: document.documentElement.getAttribute('lang'), dir: document.documentElement.getAttribute('dir') };
}

async function pageTypeChecks(page, watch, origin, language) {
  const { pages, notes } = pageTypes(language, EXTRA_PAGES[language.tag]);
  for (const n of notes) console.log(`note   ${n}`);
  await fsp.mkdir(shotsDir, { recursive: true });
  for (const [label, urlPath, status] of pages) {
    const url = `${origin}${urlPath}`;
    const shot = label.replace(/\//g, '-');
    await page.setViewportSize(DESKTOP);
    watch.begin(status === 200 ? null : { url, status });
    let loaded = false;
    await check(`${label} ${decodeURI(urlPath)}: loads with HTTP ${status}, one h1, <html lang="${language.tag}" dir>`, async () => {
      const res = await page.goto(url);
      await settle(page);
      loaded = true;
      const problems = [];
      if (res?.status() !== status) problems.push(`HTTP ${res?.status()}, expected ${status}`);
      const { lang, dir } = await page.evaluate(htmlLangDir);
      if (lang !== language.tag) problems.push(`<html lang="${lang}">, expected "${language.tag}"`);
      if (dir !== 'ltr' && dir !== 'rtl') problems.push(`<html dir="${dir}">, expected "ltr" or "rtl"`);
      return problems.concat(await expectH1(page, null, label));
    });
    if (!loaded) continue;
    const search = SEARCH_PAGE[language.tag];
    if (label.endsWith('search-page') && search) {
      await check(`${label}: lists results for ?q=${search.q}`, async () => {
        const first = page.locator('#search-results li a').first();
        try {
          await first.waitFor({ state: 'visible', timeout: 5_000 });
        } catch {
          return [`no visible result link (#search-results li a) on ${decodeURI(urlPath)} after 5 s`];
        }
        const href = await first.getAttribute('href');
        return search.first.test(href ?? '') ? [] : [`first result links to ${href}, expected ${search.first}`];
      });
    }
    await check(`${label}: axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => runAxe(page));
    await check(`${label}: screenshot ${shot}-${DESKTOP.width}.png`, async () => {
      await page.screenshot({ path: path.join(shotsDir, `${shot}-${DESKTOP.width}.png`), fullPage: true });
    });
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(50);
    await check(`${label}: axe WCAG 2.1 A/AA at ${PHONE.width}px`, () => runAxe(page));
    await check(`${label}: no horizontal scrolling at ${PHONE.width}px`, () => overflow(page));
    await check(`${label}: screenshot ${shot}-${PHONE.width}.png`, async () => {
      await page.screenshot({ path: path.join(shotsDir, `${shot}-${PHONE.width}.png`), fullPage: true });
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
    const langs = languages();
    console.log(`languages: ${langs.map((l) => `${l.tag} (/${l.prefix})`).join(', ')}`);
    await navigationFlow(page, watch, server.origin);
    await searchFlow(page, watch, server.origin);
    if (langs.some((l) => l.tag === 'mn' && l.prefix === 'mn/')) {
      await mongolianSearchFlow(page, watch, server.origin);
      await languageSwitchFlow(page, watch, server.origin);
    } else {
      record('languages: the sample site has its Mongolian edition under /mn/', [`the home page's language switcher lists ${JSON.stringify(langs)}`]);
    }
    for (const language of langs) await pageTypeChecks(page, watch, server.origin, language);
  } catch (err) {
    record('suite ran to the end', [String(err?.stack ?? err)]);
  }
  await finish(0);
}

main();
