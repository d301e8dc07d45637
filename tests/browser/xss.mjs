// Script payloads in headless Chromium: every page of a site built from
// tests/fixtures/xss-site, whose every text field (and every Markdown body,
// footnote, link and heading attribute) holds a payload that calls mark().
//
//   node tests/browser/xss.mjs <site-output-dir> [--screenshots DIR]
//
// Serves the folder on 127.0.0.1 (serve.mjs) and opens every page twice:
// once as a reader's browser does (the theme's Content-Security-Policy in
// force), once with the policy bypassed, so that escaping alone is tested
// too. On each page the mouse sweeps the viewport, Tab walks the focusable
// elements, body headings are clicked, and mouse, focus and click events
// are sent to every element; then no mark() may have run, no dialog opened,
// no element may carry an event-handler or style attribute, and no script
// may be on the page but the theme's own. Every field's payload must show
// as text somewhere on the site. With the policy in force, a handler added
// to the page by the test must be refused by it, and nothing the page itself
// holds may be (its JSON-LD is a data block, never run, and must be whole
// JSON with no raw `<`). Normally run by
// tests/browser_xss.rs (`cargo test`), which builds the fixture first.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import { Watch, check, launch, loadChromium, parseArgs, record, recordClean, requireFiles, settle, summarize } from './lib.mjs';

const chromium = await loadChromium();

const SUITE_TIMEOUT_MS = 240_000;

const { dir: siteDir, shotsDir, usage } = parseArgs(
  'node tests/browser/xss.mjs <site-output-dir> [--screenshots DIR]',
  'the site output folder',
);
requireFiles(usage, [['the built site', path.join(siteDir, 'index.html'), 'build tests/fixtures/xss-site first']]);

/** Fields whose payload (`<script>mark('FIELD')</script>…`) the theme shows as text. */
const SHOWN = [
  'partnership.title',
  'partnership.short_name',
  'partnership.objective.title',
  'partnership.body',
  'partnership.footnote',
  'dialogue.title',
  'dialogue.location',
  'dialogue.participant.role',
  'dialogue.outcome',
  'dialogue.body',
  'dialogue.footnote',
  'pledge.title',
  'pledge.progress.note',
  'pledge.source.title',
  'pledge.source.quote',
  'pledge.source.document',
  'pledge.body',
  'pledge.footnote',
  'grant.title',
  'grant.tranche.note',
  'grant.body',
  'grant.footnote',
  'organization.name',
  'organization.short_name',
  'organization.body',
  'organization.footnote',
  'person.name',
  'person.honorific',
  'person.position.title',
  'person.body',
  'person.footnote',
  'report.title',
  'report.body',
  'report.footnote',
];
/** Addresses: in an href, and shown as the link's text where the theme does. */
const ADDRESSES = ['organization.website', 'pledge.source.url'];
const visibleText = (field) => `<script>mark('${field}')</script>`;
const QUERY = `<script>mark('search.query')</script>`;

/** Every page of the build: [path, expected status]. */
function pages() {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(siteDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name === 'index.html') out.push([`/${rel ? `${rel}/` : ''}`, 200]);
    }
  };
  walk('');
  out.sort();
  out.push([`/search/?q=${encodeURIComponent(QUERY)}`, 200]);
  out.push(['/no/such/page/', 404]);
  return out;
}

/** Runs in the page before anything else: mark() records, never throws. */
function installMark() {
  window.__marks = [];
  window.mark = (f) => window.__marks.push(String(f));
  // Refusals from the start: the JSON-LD data block must not be one.
  window.__refused = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__refused.push(`${e.effectiveDirective} ${e.blockedURI}`));
}

/** Runs in the page: what a payload could have left behind. */
function inspect(allowedScripts) {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const tag = el.tagName.toLowerCase();
      if (name.startsWith('on')) problems.push(`<${tag}> has an event-handler attribute ${name}="${a.value.slice(0, 60)}"`);
      if (name === 'style') problems.push(`<${tag}> has a style attribute "${a.value.slice(0, 60)}"`);
      if (['href', 'src', 'action', 'formaction'].includes(name) && /^\s*(javascript|vbscript|data):/i.test(a.value)) {
        problems.push(`<${tag}> ${name}="${a.value.slice(0, 60)}"`);
      }
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src');
    if (!src && s.getAttribute('type') === 'application/ld+json' && s.parentElement === document.head) {
      // The page's JSON-LD, a data block: it must be whole JSON (a payload
      // that ended the element early would leave broken JSON and text after).
      try {
        JSON.parse(s.textContent);
      } catch (e) {
        problems.push(`the JSON-LD is not whole JSON: ${String(e).slice(0, 80)}`);
      }
      if (s.textContent.includes('<')) problems.push('the JSON-LD holds a raw "<"');
      continue;
    }
    if (!src || !allowedScripts.some((pattern) => new RegExp(pattern).test(src))) problems.push(`a <script${src ? ` src="${src}"` : ''}> that is not the theme's`);
  }
  if (document.querySelectorAll('script[type="application/ld+json"]').length > 1) problems.push('more than one JSON-LD block');
  if (window.__refused?.length) problems.push(`Content-Security-Policy refusals while the page loaded: ${window.__refused.join(', ')}`);
  for (const s of document.querySelectorAll('svg script, svg [onload], iframe, object, embed')) {
    problems.push(`an unexpected <${s.tagName.toLowerCase()}>`);
  }
  return problems;
}

/** Runs in the page: send mouse, focus and click events to every element. */
function poke() {
  const inert = (el) => !el.closest('a, button, input, select, textarea, summary, label, form');
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup']) {
      el.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    }
    el.dispatchEvent(new FocusEvent('focus'));
    el.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    if (inert(el)) el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  }
}

/** Real input: sweep the mouse over the page, Tab around, click body headings. */
async function interact(page) {
  const { width, height } = page.viewportSize();
  for (const y of [10, height / 2, height - 10]) {
    await page.mouse.move(5, y);
    await page.mouse.move(width - 5, y, { steps: 4 });
  }
  for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
  const headings = page.locator('.prose h2, .prose h3, .prose h4, .prose h5, .prose h6');
  for (let i = 0; i < (await headings.count()); i++) {
    const h = headings.nth(i);
    await h.scrollIntoViewIfNeeded().catch(() => {});
    await h.hover({ timeout: 2_000 }).catch(() => {});
    await h.click({ timeout: 2_000 }).catch(() => {});
  }
}

/** Runs in the page: add what a slipped-through payload would be; did it run? */
async function slipThrough() {
  const refused = [];
  document.addEventListener('securitypolicyviolation', (e) => refused.push(e.effectiveDirective));
  const before = window.__marks.length;
  const div = document.createElement('div');
  div.innerHTML = `<p id="slipped" onmouseover="mark('slipped.handler')">slipped</p><img src="" onerror="mark('slipped.img')">`;
  document.body.append(div);
  const s = document.createElement('script');
  s.textContent = "mark('slipped.script')";
  document.body.append(s);
  document.getElementById('slipped').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  await new Promise((r) => setTimeout(r, 100));
  div.remove();
  s.remove();
  return { ran: window.__marks.slice(before), refused };
}

async function pass(context, origin, label, enforced, shown) {
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.addInitScript(installMark);
  const watch = new Watch(page, (url) => ['data:', 'blob:', 'about:'].includes(url.protocol) || url.host === new URL(origin).host);
  // The theme's scripts: search, its index, and the records' text files
  // that search loads for snippets (patterns, tested against each src).
  const allowedScripts = ['/search\\.js$', '/search-index\\.js$', '/search/text-\\d+\\.js$'];
  for (const [urlPath, status] of pages()) {
    const url = `${origin}${urlPath}`;
    const name = `${label}: ${urlPath}`;
    watch.begin(status === 200 ? null : { url, status });
    dialogs.length = 0;
    let loaded = false;
    await check(`${name}: no payload runs (mouse, keyboard, clicks, every element's events)`, async () => {
      const res = await page.goto(url);
      await settle(page);
      loaded = true;
      const problems = [];
      if (res?.status() !== status) problems.push(`HTTP ${res?.status()}, expected ${status}`);
      await interact(page);
      if (new URL(page.url()).pathname !== new URL(url).pathname) {
        problems.push(`the page moved to ${page.url()} while it was poked`);
        await page.goto(url);
        await settle(page);
      }
      await page.evaluate(poke);
      await page.waitForTimeout(100);
      const marks = await page.evaluate(() => window.__marks);
      if (marks.length) problems.push(`payloads ran: ${[...new Set(marks)].join(', ')}`);
      if (dialogs.length) problems.push(`dialogs opened: ${dialogs.join('; ')}`);
      problems.push(...(await page.evaluate(inspect, allowedScripts)));
      const text = await page.locator('body').innerText();
      for (const f of [...SHOWN, ...ADDRESSES]) if (text.includes(visibleText(f))) shown.add(f);
      if (text.includes(QUERY)) shown.add('search.query');
      if (text.includes('{{ 7*7 }}')) shown.add('template');
      return problems;
    });
    if (!loaded) continue;
    if (urlPath === '/') {
      await check(`${name}: search results with payload titles run nothing`, async () => {
        const input = page.locator('#search-input');
        await input.click();
        await input.pressSequentially('mark', { delay: 20 });
        const first = page.locator('#search-results li a').first();
        await first.waitFor({ state: 'visible', timeout: 5_000 });
        await interact(page);
        const problems = [];
        const marks = await page.evaluate(() => window.__marks);
        if (marks.length) problems.push(`payloads ran: ${[...new Set(marks)].join(', ')}`);
        if (dialogs.length) problems.push(`dialogs opened: ${dialogs.join('; ')}`);
        problems.push(...(await page.evaluate(inspect, allowedScripts)));
        const results = await page.locator('#search-results').innerText();
        if (!results.includes(visibleText('partnership.title'))) problems.push(`the results do not show the payload as text: ${results.slice(0, 200)}`);
        return problems;
      });
      if (label === 'policy in force') {
        await page.screenshot({ path: path.join(shotsDir, 'xss-home-search.png'), fullPage: false }).catch(() => {});
      }
    }
    // Any CSP refusal logged here means something tried to run.
    recordClean(name, watch.take());
    if (enforced) {
      await check(`${name}: the Content-Security-Policy refuses an inline handler and script added to the page`, async () => {
        const { ran, refused } = await page.evaluate(slipThrough);
        const problems = [];
        if (ran.length) problems.push(`ran: ${ran.join(', ')}`);
        if (!refused.includes('script-src-attr') && !refused.includes('script-src')) {
          problems.push(`no securitypolicyviolation for script-src; seen ${JSON.stringify(refused)}`);
        }
        return problems;
      });
      watch.take(); // the refusals the check provoked
    }
  }
  await page.close();
}

async function main() {
  const started = Date.now();
  const server = await serve(siteDir);
  const dirs = [];
  const contexts = [];
  const watchdog = setTimeout(() => {
    record('suite finished in time', [`still running after ${SUITE_TIMEOUT_MS / 1000} s; stopped`]);
    finish(1);
  }, SUITE_TIMEOUT_MS);
  let finishing = false;
  async function finish(forced) {
    if (finishing) return;
    finishing = true;
    clearTimeout(watchdog);
    for (const c of contexts) await c.close().catch(() => {});
    await server.close();
    for (const d of dirs) await fsp.rm(d, { recursive: true, force: true }).catch(() => {});
    const failed = summarize(started, shotsDir);
    process.exit(failed || forced ? 1 : 0);
  }
  try {
    console.log(`site: ${siteDir}`);
    console.log(`server: ${server.origin}`);
    await fsp.mkdir(shotsDir, { recursive: true });
    const shown = new Set();
    // The two passes run side by side: most of a page's time is waiting.
    const passes = [
      ['policy in force', false],
      ['policy bypassed (escaping alone)', true],
    ].map(async ([label, bypassCSP]) => {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gazette-chromium-'));
      dirs.push(dir);
      const context = await launch(chromium, dir, { bypassCSP });
      contexts.push(context);
      await context.route(
        (url) => url.host !== server.host,
        (route) => route.abort('blockedbyclient'),
      );
      await pass(context, server.origin, label, !bypassCSP, shown);
    });
    await Promise.all(passes);
    console.log('');
    record(
      'every field with a payload shows it as text on some page',
      [...SHOWN, 'search.query', 'template'].filter((f) => !shown.has(f)).map((f) => `${f}: its payload is shown nowhere`),
    );
    const addresses = ADDRESSES.filter((f) => shown.has(f));
    console.log(`note   addresses shown as text: ${addresses.join(', ') || 'none'}`);
  } catch (err) {
    record('suite ran to the end', [String(err?.stack ?? err)]);
  }
  await finish(0);
}

main();
