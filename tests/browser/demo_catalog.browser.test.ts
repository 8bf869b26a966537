// The demo's catalogue card in real Chromium, used as a person would: point it at a local
// voices.json (tests/browser/catalog_fixture.ts), browse, filter by language, download a voice
// (progress, MD5 checked) and speak with it; a voice whose listed MD5 is wrong is refused with the
// reason on screen; offline, the saved catalogue copy still lists the saved voice, which loads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { BAD_KEY, CATALOG_PATH, GOOD_KEY, removeTestCatalog, writeTestCatalog } from './catalog_fixture.js';
import { type BrowserSession, openBrowser, watchPageErrors } from './chromium.js';

const WAIT = { timeout: 120_000 };
let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

async function openDemo(): Promise<void> {
  await page.goto(`${session.baseUrl}/demo/`);
  await page.waitForSelector('body[data-ready="true"]', WAIT);
  await page.getByRole('tab', { name: 'Voices' }).click();
}

async function browse(): Promise<void> {
  await page.fill('#catalog-url', `${session.baseUrl}${CATALOG_PATH}`);
  await page.click('#catalog-open');
  await page.waitForFunction(() => /\d+ voices/.test(document.getElementById('catalog-status')?.textContent ?? ''), null, WAIT);
}

const rowText = (key: string) => page.locator(`#catalog-list li[data-catalog-key="${key}"]`).textContent();

beforeAll(async () => {
  writeTestCatalog();
  session = await openBrowser();
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await openDemo();
}, 180_000);
afterAll(async () => {
  await session?.close();
  removeTestCatalog();
});

describe('demo: the voice catalogue', () => {
  it('browses, filters, downloads a voice and speaks with it; a wrong MD5 is refused on screen', async () => {
    await browse();
    expect(await page.textContent('#catalog-status')).toBe('2 voices');
    const languages = await page.$$eval('#catalog-language option', (options) => options.map((o) => o.textContent));
    expect(languages).toEqual(['All languages', 'English (en)']);
    await page.selectOption('#catalog-language', 'en');
    expect(await page.locator('#catalog-list li').count()).toBe(2);
    expect(await rowText(GOOD_KEY)).toMatch(/English, United States · x low · \d+(\.\d)? MB/);

    await page.getByRole('button', { name: `Download ${BAD_KEY}` }).click();
    await page.waitForFunction(() => document.getElementById('status')?.dataset.kind === 'error', null, WAIT);
    expect(await page.textContent('#status')).toMatch(/MD5 [0-9a-f]{32}; the catalogue lists [0-9a-f]{32} \(INTEGRITY\)/);

    await page.getByRole('button', { name: `Download ${GOOD_KEY}` }).click();
    await page.waitForFunction((key) => document.getElementById('voice-badge')?.textContent === `Voice: ${key}`, GOOD_KEY, WAIT);
    await page.waitForFunction(
      (key) => /Saved/.test(document.querySelector(`#catalog-list li[data-catalog-key="${key}"]`)?.textContent ?? ''),
      GOOD_KEY,
      WAIT,
    );
    expect(await rowText(BAD_KEY)).not.toMatch(/Saved/);
    expect(await page.locator('#voice-list li').count()).toBe(1);
    expect(await page.textContent('#voice-list li')).toContain(GOOD_KEY);
    checkPageErrors();
  }, 300_000);

  it('offline: the saved copy of the catalogue lists the saved voice, which loads from this browser', async () => {
    let requests = 0;
    await page.route('**/build/voices/test-catalog/**', (route) => {
      requests++;
      return route.abort();
    });
    await openDemo();
    await browse();
    expect(requests).toBeGreaterThan(0);
    expect(await page.textContent('#catalog-status')).toMatch(/^2 voices · offline: the copy saved /);
    expect(await page.getByRole('button', { name: `Download ${BAD_KEY}` }).isDisabled()).toBe(true);
    await page.evaluate(() => (window as any).demoApp.setVoice(null, ''));
    await page
      .getByRole('button', { name: `Use ${GOOD_KEY}` })
      .first()
      .click();
    await page.waitForFunction((key) => document.getElementById('voice-badge')?.textContent === `Voice: ${key}`, GOOD_KEY, WAIT);
    await page.unroute('**/build/voices/test-catalog/**');
    checkPageErrors();
  }, 300_000);
});
