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
// What it shares with bundle-mn.mjs (the Mongolian bundle) is in
// bundle-lib.mjs.

import path from 'node:path';
import { Bundle, FILE_ONLY, axe, follow, offlineCanary, printChecks, runBundleSuite, screenshots } from './bundle-lib.mjs';
import { DESKTOP, check, expectH1, h1Texts, loadChromium, parseArgs, record, recordClean, requireFiles, searchShows, settle } from './lib.mjs';

const chromium = await loadChromium();

const SUITE_TIMEOUT_MS = 120_000;

const { dir, shotsDir, usage } = parseArgs(
  'node tests/browser/bundle.mjs <unzipped-bundle-folder> [--screenshots DIR]',
  'the unzipped bundle folder',
);
requireFiles(usage, [
  ['the unzipped bundle', path.join(dir, 'index.html'), 'make one with `gazette bundle -o site.zip`, unzip it, and pass its top folder'],
]);
const bundle = new Bundle(dir);

// ---- the suite ------------------------------------------------------------

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
        await page.goto(bundle.fileUrl('index.html'));
        await settle(page);
      } else {
        await follow(page, linkName);
      }
      reached = true;
      return [...bundle.expectAt(page, want), ...(await expectH1(page, heading, `${label} page`))];
    });
    if (!reached) {
      recordClean(`navigation: ${label} page`, watch.take(), FILE_ONLY);
      record('navigation: stopped', [`could not reach the ${label} page; the rest of the path is untested`]);
      return;
    }
    if (label !== 'organization') {
      await check(`${label}: axe WCAG 2.1 A/AA at ${DESKTOP.width}px`, () => axe(page));
    }
    if (label === 'home' || label === 'partnership') await screenshots(page, label, shotsDir);
    recordClean(`navigation: ${label} page (${want})`, watch.take(), FILE_ONLY);
    trail.push(label);
  }
}

/** Search from file://: the index comes from a <script> tag. */
async function searchFlow(page, watch) {
  watch.begin(null);
  let landed = null;
  await check('search: typing "Klecheski" on the home page lists results (axe-clean); the first leads to Michael Klecheski', async () => {
    await page.goto(bundle.fileUrl('index.html'));
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
    landed = bundle.inBundle(page.url(), problems);
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
    await page.goto(bundle.fileUrl('pledges/establish-multidisciplinary-task-force/index.html'));
    await settle(page);
    const input = page.locator('#search-input');
    await input.fill('Klecheski');
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before), input.press('Enter')]);
    await settle(page);
    const problems = bundle.expectAt(page, 'search/index.html');
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
      bundle.inBundle(href, problems);
    }
    return problems;
  });
  recordClean('search page (search/index.html?q=Klecheski)', watch.take(), FILE_ONLY);

  // The snippets' text files come from <script> tags too.
  watch.begin(null);
  await check('search: "5,500,000" finds the grant from file://, its snippet marking the amount', async () => {
    await page.goto(bundle.fileUrl('index.html'));
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
    await page.goto(bundle.fileUrl('partnerships/cpc-mongolia/index.html'));
    await settle(page);
    await follow(page, 'Printable briefing');
    reached = true;
    return [...bundle.expectAt(page, want), ...(await expectH1(page, 'United States–Mongolia Child Protection Compact Partnership', 'briefing page'))];
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
    const problems = bundle.expectAt(page, want);
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

  await printChecks(page, 'briefing', shotsDir, 'briefing.pdf');
  recordClean(`briefing: pages visited (partnerships/cpc-mongolia/index.html and ${want})`, watch.take(), FILE_ONLY);
}

await runBundleSuite(chromium, {
  bundle,
  shotsDir,
  flows: [offlineCanary, navigationFlow, searchFlow, briefingFlow],
  timeoutMs: SUITE_TIMEOUT_MS,
});
