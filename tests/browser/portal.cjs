// The public portal in headless Chromium (Debian's chromium, driven by playwright-core): search,
// filter, open a dataset, see the preview and the chart, download a file whose SHA-256 matches
// the page, switch the language, walk by keyboard, and run axe-core on every page type, at a
// desktop width and at 360 px. Usage: node portal.cjs BASE_URL SCREENSHOT_DIR
// Prints one line per check; exits 1 at the first failure.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, shots] = process.argv.slice(2);
const AXE = require.resolve('axe-core/axe.min.js');
const DATASET = 'jumlah-penduduk-kelurahan';

function check(ok, what) {
  if (!ok) {
    console.error(`GAGAL / FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

// axe-core's serious and critical violations of the page.
async function axe(page, what) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    console.error(`${what}: ${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
  }
  check(bad.length === 0, `axe-core finds no serious or critical violation on ${what}`);
}

async function shot(page, name) {
  if (shots) {
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // bypassCSP lets axe-core's script in; the pages themselves run none.
  const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // Home, then a search typed in its box.
  await page.goto(`${base}/`);
  check((await page.getAttribute('html', 'lang')) === 'id', 'the home page is Indonesian');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'the first Tab reaches the skip link');
  await axe(page, 'home');
  await shot(page, 'portal-beranda');
  await page.fill('#q', 'penduduk');
  await Promise.all([page.waitForURL(/\/dataset\?q=penduduk/), page.press('#q', 'Enter')]);
  check((await page.locator(`.results a[href="/dataset/${DATASET}"]`).count()) === 1, 'the search finds the population dataset');
  await axe(page, 'search');
  await shot(page, 'portal-cari');

  // A filter from a facet link.
  await Promise.all([page.waitForURL(/organization=disdukcapil/), page.click('a[data-facet="organization"][data-value="disdukcapil"]')]);
  check((await page.locator('a[aria-current="true"][data-facet="organization"]').count()) === 1, 'the chosen filter is marked');
  check((await page.locator('.results li').count()) === 1, 'the filter keeps one dataset');

  // The dataset page: preview, chart, downloads.
  await Promise.all([page.waitForURL(new RegExp(`/dataset/${DATASET}$`)), page.click(`.results a[href="/dataset/${DATASET}"]`)]);
  check((await page.locator('table.preview tbody tr').count()) > 0, 'the preview shows rows');
  check((await page.locator('figure.chart svg rect').count()) > 1, 'the chart draws bars');
  check((await page.locator('figure.chart table tbody tr').count()) > 1, 'the chart has its data table');
  await axe(page, 'dataset');
  await shot(page, 'portal-dataset');
  const link = page.locator('a.download[download="data.csv"]');
  const expected = await link.getAttribute('data-sha256');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await download.path();
  const actual = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  check(actual === expected, `the downloaded data.csv has the SHA-256 the page shows (${actual})`);

  // Every other page type.
  for (const [what, url] of [
    ['version', `/dataset/${DATASET}/versi/1`],
    ['organizations', '/organization'],
    ['organization', '/organization/disdukcapil'],
    ['topics', '/group'],
    ['topic', '/group/kependudukan'],
    ['about', '/about'],
  ]) {
    const response = await page.goto(`${base}${url}`);
    check(response.status() === 200, `${url} answers 200`);
    await axe(page, what);
  }
  const missing = await page.goto(`${base}/dataset/tidak-ada`);
  check(missing.status() === 404, 'an unknown dataset is the not-found page');
  await axe(page, 'not found');

  // The language switch, kept for the next page.
  await page.goto(`${base}/dataset/${DATASET}`);
  await Promise.all([page.waitForURL(/lang=en/), page.click('a.switch')]);
  check((await page.getAttribute('html', 'lang')) === 'en', 'the switch shows the page in English');
  check((await page.locator('h2#unduh').innerText()).trim() === 'Download', 'the headings are English');
  await axe(page, 'dataset (English)');
  await page.goto(`${base}/about`);
  check((await page.getAttribute('html', 'lang')) === 'en', 'English stays on the next page');
  await page.click('a.switch');
  check((await page.getAttribute('html', 'lang')) === 'id', 'and switches back');

  // A phone, 360 px wide: nothing wider than the screen.
  const phone = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 760 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  for (const [what, url] of [
    ['beranda', '/'],
    ['cari', '/dataset?q=penduduk'],
    ['dataset', `/dataset/${DATASET}`],
    ['organisasi', '/organization/disdukcapil'],
  ]) {
    await small.goto(`${base}${url}`);
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 360, `${url} fits 360 px (${width} px)`);
    await axe(small, `${what} at 360 px`);
    await shot(small, `portal-${what}-360`);
  }
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
