// A bundle of the sample site's Mongolian pages only (`gazette bundle --lang
// mn`) in headless Chromium, over file:// with the network off: what an
// official in Mongolia sees after unzipping it.
//
//   node tests/browser/bundle-mn.mjs <unzipped-bundle-folder> --forbid FILE [--screenshots DIR]
//
// The folder is the bundle's top folder: its index.html leads to mn/. FILE
// is a JSON list of the theme's English interface strings that Mongolian
// says otherwise ([{ key, text }], made by tests/browser_bundle.rs from
// strings/en.yaml and strings/mn.yaml): none may be shown on a page of the
// bundle, outside text marked as another language (an untranslated
// record's, `lang="en"`), code, and records' bodies (their own text). Also: navigation by clicking, search in Mongolian,
// the printable briefing in print media and as a PDF, axe-core, console and
// request hygiene. Shares its harness with bundle.mjs (bundle-lib.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { Bundle, FILE_ONLY, axe, follow, offlineCanary, printChecks, runBundleSuite, screenshots } from './bundle-lib.mjs';
import { DESKTOP, PHONE, check, expectH1, loadChromium, parseArgs, record, recordClean, requireFiles, settle } from './lib.mjs';

const chromium = await loadChromium();

/** Every page of the bundle is opened once for its text. */
const SUITE_TIMEOUT_MS = 180_000;

const { dir, shotsDir, opts, usage } = parseArgs(
  'node tests/browser/bundle-mn.mjs <unzipped-bundle-folder> --forbid FILE [--screenshots DIR]',
  'the unzipped bundle folder',
  ['--forbid'],
);
if (!opts.forbid) usage('missing --forbid FILE (the English strings no page may show)');
requireFiles(usage, [
  ['the unzipped bundle', path.join(dir, 'index.html'), 'make one with `gazette bundle --lang mn -o mn.zip`, unzip it, and pass its top folder'],
  ['the list of English strings', opts.forbid, 'tests/browser_bundle.rs writes it'],
]);
const bundle = new Bundle(dir);
const FORBIDDEN = JSON.parse(fs.readFileSync(opts.forbid, 'utf8'));

// The sample's Mongolian text (content/*/*.mn.md).
const PARTNERSHIP = 'Америкийн Нэгдсэн Улс, Монгол Улсын Хүүхэд хамгааллын компакт түншлэл';
const PLEDGE = 'Олон салбарын хамтарсан ажлын хэсэг байгуулах';
const GOVERNMENT = 'Монгол Улсын Засгийн газар';
const DIALOGUE = 'CPC түншлэлийн хоёр талын анхдугаар яриа хэлэлцээ';
const BRIEFING_LINK = 'Хэвлэх зориулалттай товч танилцуулга';

/** Runs in the page: <html lang> and dir. */
function htmlLangDir() {
  return { lang: document.documentElement.getAttribute('lang'), dir: document.documentElement.getAttribute('dir') };
}

async function expectMongolian(page) {
  const { lang, dir } = await page.evaluate(htmlLangDir);
  const problems = [];
  if (lang !== 'mn') problems.push(`<html lang="${lang}">, expected "mn"`);
  if (dir !== 'ltr') problems.push(`<html dir="${dir}">, expected "ltr"`);
  return problems;
}

// ---- the flows -------------------------------------------------------------

/** index.html → mn/ home → partnership → pledge → organization, by clicking. */
async function navigationFlow(page, watch) {
  watch.begin(null);
  let reached = false;
  await check('entrance: index.html at the top of the bundle opens mn/index.html by itself (no script), a Mongolian page', async () => {
    await page.goto(bundle.fileUrl('index.html'));
    await page.waitForURL((u) => u.pathname.endsWith('/mn/index.html'), { timeout: 5_000 });
    await settle(page);
    reached = true;
    return [...bundle.expectAt(page, 'mn/index.html'), ...(await expectMongolian(page)), ...(await expectH1(page, null, 'the Mongolian home page'))];
  });
  if (!reached) {
    recordClean('navigation: entrance', watch.take(), FILE_ONLY);
    record('navigation: stopped', ['could not reach mn/index.html from index.html; the rest of the path is untested']);
    return;
  }
  await check(`home (mn): axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => axe(page));
  await screenshots(page, 'mn-home', shotsDir);
  recordClean('navigation: entrance and home (index.html, mn/index.html)', watch.take(), FILE_ONLY);

  const steps = [
    ['partnership', PARTNERSHIP, 'mn/partnerships/cpc-mongolia/index.html'],
    ['pledge', PLEDGE, 'mn/pledges/establish-multidisciplinary-task-force/index.html'],
    ['organization', GOVERNMENT, 'mn/organizations/government-of-mongolia/index.html'],
  ];
  const trail = ['home'];
  for (const [label, name, want] of steps) {
    watch.begin(null);
    reached = false;
    await check(`navigation (mn): ${trail.concat(label).join(' → ')} (h1 "${name}"; ${want})`, async () => {
      await follow(page, name);
      reached = true;
      return [...bundle.expectAt(page, want), ...(await expectMongolian(page)), ...(await expectH1(page, name, `${label} page`))];
    });
    if (!reached) {
      recordClean(`navigation (mn): ${label} page`, watch.take(), FILE_ONLY);
      record('navigation (mn): stopped', [`could not reach the ${label} page; the rest of the path is untested`]);
      return;
    }
    await check(`${label} (mn): axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => axe(page));
    if (label === 'partnership') {
      await page.setViewportSize(PHONE);
      await check(`${label} (mn): axe WCAG 2.1 A/AA at ${PHONE.width}px`, () => axe(page));
      await screenshots(page, `mn-${label}`, shotsDir);
    }
    recordClean(`navigation (mn): ${label} page (${want})`, watch.take(), FILE_ONLY);
    trail.push(label);
  }
}

/** Type `query` in the header search; the result linking to `rel`, or a problem. */
async function resultFor(page, query, rel) {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.click();
  await input.pressSequentially(query, { delay: 20 });
  const want = bundle.fileUrl(rel);
  const results = page.locator('#search-results li a');
  try {
    await page.waitForFunction((w) => [...document.querySelectorAll('#search-results li a')].some((a) => a.href === w), want, { timeout: 5_000 });
  } catch {
    const status = (await page.locator('#search-status').innerText().catch(() => '')).trim();
    const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return { problem: `typing ${JSON.stringify(query)}: no result linking to ${rel} after 5 s; #search-status says ${JSON.stringify(status)}; results: ${JSON.stringify(hrefs)}` };
  }
  const index = (await results.evaluateAll((as) => as.map((a) => a.href))).indexOf(want);
  return { link: results.nth(index) };
}

/** Search in Mongolian from file://: the index and texts come from <script> tags. */
async function searchFlow(page, watch) {
  const dialogue = 'mn/dialogues/2021-11-19-first-bilateral-dialogue/index.html';
  watch.begin(null);
  await check(`search (mn): typing "анхдугаар" on mn/index.html lists the dialogue under its Mongolian title (axe-clean) and leads to ${dialogue}`, async () => {
    await page.goto(bundle.fileUrl('mn/index.html'));
    await settle(page);
    const { link, problem } = await resultFor(page, 'анхдугаар', dialogue);
    if (problem) return [problem];
    const problems = [];
    const text = (await link.innerText()).trim();
    if (text !== DIALOGUE) problems.push(`the result reads ${JSON.stringify(text)}, expected ${JSON.stringify(DIALOGUE)}`);
    const open = await axe(page);
    if (open.length) problems.push('with the results shown:', ...open);
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
    await settle(page);
    return [...problems, ...bundle.expectAt(page, dialogue), ...(await expectMongolian(page)), ...(await expectH1(page, DIALOGUE, 'the dialogue'))];
  });
  recordClean('search (mn): pages visited (mn/index.html and the dialogue)', watch.take(), FILE_ONLY);

  const talita = 'mn/organizations/talita-asia/index.html';
  watch.begin(null);
  await check(`search (mn): "Talita", from an untranslated record, finds it and leads to ${talita}`, async () => {
    await page.goto(bundle.fileUrl('mn/index.html'));
    await settle(page);
    const { link, problem } = await resultFor(page, 'Talita', talita);
    if (problem) return [problem];
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
    await settle(page);
    return [...bundle.expectAt(page, talita), ...(await expectMongolian(page)), ...(await expectH1(page, 'Talita Asia', 'talita-asia'))];
  });
  recordClean('search (mn): pages visited (mn/index.html and talita-asia)', watch.take(), FILE_ONLY);

  // Enter on a nested page opens the Mongolian search page, which searches.
  watch.begin(null);
  await check('search (mn): Enter in the header search of a nested page opens mn/search/index.html?q=Клечески with results that lead inside the bundle', async () => {
    await page.goto(bundle.fileUrl('mn/pledges/establish-multidisciplinary-task-force/index.html'));
    await settle(page);
    const input = page.locator('#search-input');
    await input.fill('Клечески');
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), input.press('Enter')]);
    await settle(page);
    const problems = [...bundle.expectAt(page, 'mn/search/index.html'), ...(await expectMongolian(page))];
    const q = new URL(page.url()).searchParams.get('q');
    if (q !== 'Клечески') problems.push(`the search page's URL has q=${JSON.stringify(q)}, expected "Клечески"`);
    const first = page.locator('#search-results li a').first();
    try {
      await first.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      problems.push('no visible result link (#search-results li a) on mn/search/index.html?q=Клечески after 5 s');
      return problems;
    }
    const hrefs = await page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.href));
    const rels = hrefs.map((h) => bundle.inBundle(h, problems));
    if (!rels.includes('mn/people/michael-klecheski/index.html')) problems.push(`no result for Michael Klecheski's Mongolian page; results: ${JSON.stringify(rels)}`);
    const open = await axe(page);
    if (open.length) problems.push('with the results shown:', ...open);
    return problems;
  });
  recordClean('search page (mn/search/index.html?q=Клечески)', watch.take(), FILE_ONLY);
}

/** The Mongolian briefing: its link, axe, print styles and a PDF. */
async function briefingFlow(page, watch) {
  const want = 'mn/partnerships/cpc-mongolia/briefing/index.html';
  watch.begin(null);
  let reached = false;
  await check(`briefing (mn): the partnership page's "${BRIEFING_LINK}" link opens ${want}`, async () => {
    await page.goto(bundle.fileUrl('mn/partnerships/cpc-mongolia/index.html'));
    await settle(page);
    await follow(page, BRIEFING_LINK);
    reached = true;
    return [...bundle.expectAt(page, want), ...(await expectMongolian(page)), ...(await expectH1(page, PARTNERSHIP, 'briefing page'))];
  });
  if (reached) {
    await check(`briefing (mn): axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => axe(page));
    await printChecks(page, 'briefing (mn)', shotsDir, 'briefing-mn.pdf');
  } else {
    record('briefing (mn): stopped', ['could not reach the briefing page; its checks are untested']);
  }
  recordClean(`briefing (mn): pages visited (mn/partnerships/cpc-mongolia/index.html and ${want})`, watch.take(), FILE_ONLY);
}

// ---- no English interface text ----------------------------------------------

/**
 * Runs in the page (or on a parsed document): the interface text a reader
 * meets, as [where, text] pairs: every text node not hidden (display: none,
 * e.g. `hidden`; visually hidden text for screen readers counts), the
 * names that assistive technology reads (aria-label, title, alt) and the
 * search messages (the search form's data-*), outside any element whose
 * language is not the page's (`lang="en"` on an untranslated record's
 * text). `rendered` is false for a parsed document (no styles).
 */
function interfaceText(doc, rendered) {
  const pageLang = doc.documentElement.getAttribute('lang');
  const other = (el) => {
    const l = el.closest('[lang]')?.getAttribute('lang');
    return l !== undefined && l !== pageLang;
  };
  const hidden = (el) => {
    if (el.closest('[hidden], script, style, template, noscript')) return true;
    if (!rendered) return false;
    for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return true;
    return false;
  };
  const where = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const up = el.parentElement && el.parentElement !== doc.body ? `${el.parentElement.tagName.toLowerCase()} > ` : '';
    return `${up}${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const out = [];
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.data.replace(/\s+/g, ' ').trim();
    // Code (a column's name, a status key) is in no language; a record's
    // body (.prose) is the record's text, which may quote English (the
    // translation of the dialogue names the English press release).
    if (!text || !el || other(el) || el.closest('code, .prose')) continue;
    // An SVG chart's <title> and <desc> are read out, though not drawn.
    if (!el.closest('svg title, svg desc') && hidden(el)) continue;
    out.push([where(el), text]);
  }
  for (const el of doc.body.querySelectorAll('[aria-label], [title], [alt], form.search')) {
    if (other(el)) continue;
    const attrs = ['aria-label', 'title', 'alt'];
    if (el.matches('form.search')) attrs.push(...[...el.attributes].map((a) => a.name).filter((a) => a.startsWith('data-') && a !== 'data-root' && a !== 'data-index'));
    for (const a of attrs) {
      // A search message's placeholders ({q}, {shown}) are not text.
      const v = el.getAttribute(a)?.replace(/\{[a-z_]+\}/g, ' ').trim();
      if (v) out.push([`${where(el)}[${a}]`, v]);
    }
  }
  return out;
}

/**
 * Runs in the page: what it shows as code (`<code>`: a column's name, a
 * key). A word that is code on the page is a code value wherever the page
 * names it (the data dictionary's "{field}: its first day…"), not English.
 */
function codes(doc) {
  return [...new Set([...doc.querySelectorAll('code')].map((c) => c.textContent.trim()))];
}

/**
 * The forbidden strings found in `texts`, as whole words: "…" (key) in
 * where: "text". Those in `code` (what the page shows as code) are not.
 */
function english(texts, code = []) {
  const found = [];
  for (const { key, text } of FORBIDDEN) {
    if (code.includes(text)) continue;
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'u');
    for (const [where, t] of texts) {
      if (re.test(t)) found.push(`${JSON.stringify(text)} (${key}) in ${where}: ${JSON.stringify(t.length > 120 ? `${t.slice(0, 117)}…` : t)}`);
    }
  }
  return found;
}

/**
 * No page of the bundle shows an English interface string. Each mn/ page is
 * opened; the entrance (index.html, which opens mn/ at once) is read as a
 * parsed document.
 */
async function noEnglishFlow(page, watch) {
  const pages = bundle.pages();
  console.log(`note   ${FORBIDDEN.length} English interface strings, ${pages.length} pages`);
  await check(`every English interface string file is a list (${FORBIDDEN.length} strings from strings/en.yaml that mn.yaml says otherwise)`, () =>
    FORBIDDEN.length > 100 && FORBIDDEN.every((f) => typeof f.key === 'string' && typeof f.text === 'string' && f.text.length > 3)
      ? []
      : [`${opts.forbid} holds ${FORBIDDEN.length} entries, expected more than 100 { key, text } with text longer than 3 characters`],
  );
  await check('no English interface string on the entrance page (index.html), read without opening it', async () => {
    await page.goto('about:blank');
    const html = fs.readFileSync(path.join(bundle.root, 'index.html'), 'utf8');
    const texts = await page.evaluate(`(${interfaceText})(new DOMParser().parseFromString(${JSON.stringify(html)}, 'text/html'), false)`);
    return english(texts);
  });
  let shown = 0;
  for (const rel of pages.filter((p) => p !== 'index.html')) {
    watch.begin(null);
    await check(`no English interface string on ${rel}`, async () => {
      const problems = [];
      if (!rel.startsWith('mn/')) problems.push(`${rel}: a page outside mn/ in a Mongolian bundle`);
      await page.goto(bundle.fileUrl(rel));
      await settle(page);
      problems.push(...(await expectMongolian(page)).map((p) => `${rel}: ${p}`));
      // As an expression: the page's policy refuses eval and new Function.
      const texts = await page.evaluate(`(${interfaceText})(document, true)`);
      shown += texts.length;
      return problems.concat(english(texts, await page.evaluate(`(${codes})(document)`)));
    });
    recordClean(`${rel}`, watch.take(), FILE_ONLY);
  }
  console.log(`note   ${shown} pieces of interface text read`);
}

await runBundleSuite(chromium, {
  bundle,
  shotsDir,
  flows: [(page, watch, ctx) => offlineCanary(page, watch, { ...ctx, start: 'mn/index.html' }), navigationFlow, searchFlow, briefingFlow, noEnglishFlow],
  timeoutMs: SUITE_TIMEOUT_MS,
});
