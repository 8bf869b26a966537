// The demo under its Content-Security-Policy (sent by scripts/serve.mjs) and with bad rows in its
// database. CSP: no violation may be reported while the demo loads, phonemizes, loads the test
// voice and speaks; the wasm glue must not need eval. Bad rows (a style with non-colour values, a
// session whose questions are null/numbers and whose dates are out of range), written through the
// public store API: the app still starts and shows them marked as invalid.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openBrowser } from './chromium.js';

const WAIT = { timeout: 180_000 };
let browser: BrowserSession;
let page: Page;
const violations: string[] = [];
const pageErrors: string[] = [];

async function openDemo(): Promise<string | undefined> {
  const response = await page.goto(`${browser.baseUrl}/demo/`);
  await page.waitForSelector('body[data-ready="true"]', WAIT);
  return response?.headers()['content-security-policy'];
}

beforeAll(async () => {
  browser = await openBrowser();
  page = await browser.context.newPage();
  // Violations in the page and (through the console) in its workers.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as any;
      (w.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('demo hardening', () => {
  it('loads, phonemizes, loads a voice and speaks under its CSP with no violation', async () => {
    const csp = await openDemo();
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    await page.fill('#speak-text', 'Tell me about yourself.');
    await page.waitForFunction(() => (document.querySelector('#phoneme-list li code')?.textContent?.length ?? 0) > 10, null, WAIT);
    await page.setInputFiles('#voice-files', ['build/voices/test-tiny.onnx', 'build/voices/test-tiny.onnx.json']);
    await page.waitForFunction(() => document.getElementById('voice-badge')?.textContent === 'Voice: test-tiny', null, WAIT);
    await page.fill('#speak-text', 'Hello there. How are you?');
    await page.click('#speak-button');
    await page.waitForFunction(() => document.getElementById('mouth')?.dataset.viseme !== 'sil', null, WAIT);
    await page.waitForFunction(() => !(window as any).demoApp.playback.busy, null, WAIT);
    const inPage = await page.evaluate(() => (window as any).__cspViolations ?? []);
    expect([...inPage, ...violations]).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('speaks the Speak view SSML example: its mark is reached, its phonemes are those spoken', async () => {
    await page.click('#speak-ssml-example');
    expect(await page.isChecked('#speak-ssml')).toBe(true);
    const markup = await page.inputValue('#speak-text');
    expect(markup).toContain('<mark name="topic"/>');
    await page.click('#speak-button');
    await page.waitForFunction(() => document.getElementById('speak-marks')?.textContent?.includes('topic'), null, WAIT);
    await page.waitForFunction(() => !(window as any).demoApp.playback.busy, null, WAIT);
    // One row per spoken sentence, each quoting its span of the markup; the break is not one.
    const rows = await page.locator('#phoneme-list li q').allTextContents();
    expect(rows[0]).toBe('Welcome to your practice interview.');
    expect(rows).toContain('a moment'); // the <prosody> span is a sentence of its own pace
    expect(rows.some((r) => r.includes('<break'))).toBe(false);
    const ipa = await page.locator('#phoneme-list li code').allTextContents();
    expect(ipa.every((p) => p.length > 0)).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('asks a question that arrives word by word, speaking while it is still being written', async () => {
    const question =
      'Hello there. Tell me about the last project you worked on, what you built, who you built it with, and what you would change if you started again today.';
    await page.getByRole('tab', { name: 'Interview' }).click();
    await page.locator('details.editor summary').click();
    await page.fill('#qset-name', 'Streamed');
    await page.fill('#qset-questions', question);
    await page.click('#qset-new');
    await page.selectOption('#interview-set', { label: 'Streamed (1)' });
    await page.check('#interview-streamed');
    // What the page shows, every frame: the question as written so far and the mouth.
    await page.evaluate(() => {
      const w = window as any;
      w.__frames = [];
      const sample = () => {
        const heading = document.getElementById('interview-question')!;
        w.__frames.push({ text: heading.textContent, viseme: document.getElementById('mouth')?.dataset.viseme });
        if (w.__frames.length < 20_000) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    await page.click('#interview-start');
    await page.waitForSelector('#interview-run[data-phase="answering"]', WAIT);
    const frames: { text: string; viseme: string }[] = await page.evaluate(() => (window as any).__frames.splice(0));
    const partial = frames.filter((f) => f.text && f.text.length < question.length);
    expect(partial.length).toBeGreaterThan(10); // written out word by word
    for (const f of partial) expect(question.startsWith(f.text)).toBe(true);
    // The first sentence was heard while the rest was still being written.
    expect(partial.some((f) => f.viseme !== undefined && f.viseme !== 'sil')).toBe(true);
    expect(await page.textContent('#interview-question')).toBe(question);
    await page.fill('#interview-answer', 'A streaming parser.');
    await page.click('#interview-next');
    await page.waitForSelector('#interview-done:not([hidden])', WAIT);
    const saved = await page.evaluate(async () => {
      const store = (window as any).demoApp.store;
      const [session] = await store.sessions.list({ kind: 'interview' });
      return { session, audios: await store.audios.list({ sessionId: session.id }) };
    });
    expect(saved.session.title).toBe('Streamed interview');
    expect(saved.audios.map((a: any) => a.text)).toEqual([question]);
    expect(saved.audios[0].durationMs).toBeGreaterThan(3000);
    expect(pageErrors).toEqual([]);
  });

  it('starts with bad rows in the database and marks them as invalid', async () => {
    await page.evaluate(async () => {
      const app = (window as any).demoApp;
      const store = app.store;
      const style = await store.presets.create({
        kind: 'avatar_style',
        name: 'Broken look',
        data: { skin: 42, hair: null, eyes: 'url(#x)', lips: '#zzzzzz', shirt: { r: 1 }, hairStyle: '__proto__' },
      });
      const avatar = await store.avatars.create({ name: 'Glitch', state: { emotion: 12, styleId: style.id } });
      await app.saveSetting('avatarId', avatar.id);
      await store.sessions.create({
        avatarId: avatar.id,
        kind: 'interview',
        title: 'Broken session',
        metadata: {
          questions: [null, 5, { text: 7 }, { text: 'Fine question?', answer: { html: 1 } }],
          startedAt: 1e300,
          totalMs: 'long',
          status: ['x'],
        },
      });
    });
    pageErrors.length = 0;
    await openDemo();
    expect(await page.locator('#boot-error').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
    // The avatar wears the repaired style, and the style list says it is invalid.
    await page.getByRole('tab', { name: 'Avatar' }).click();
    const option = page.locator('#style-select option[data-invalid="true"]');
    await expect.poll(() => option.count()).toBe(1);
    expect(await option.textContent()).toMatch(/Broken look \(Invalid data \(skin, hair, eyes, …\)/);
    expect(await page.inputValue('#avatar-name-input')).toBe('Glitch');
    // History lists the session with an invalid mark; opened, its bad questions say so.
    await page.getByRole('tab', { name: 'History' }).click();
    const item = page.locator('#history-list li[data-invalid="true"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.locator('.session-invalid').textContent()).toMatch(/Invalid data/);
    expect(await item.locator('.session-meta').textContent()).toMatch(/1\/4 answered|0\/4 answered/);
    await item.locator('summary').click();
    await expect.poll(() => item.locator('li.qa[data-invalid="true"]').count()).toBe(3);
    expect(await item.locator('.session-details').textContent()).toContain('Fine question?');
    expect(pageErrors).toEqual([]);
  });

  it('opens a history of over a thousand sessions newest first, a page at a time', async () => {
    await page.evaluate(async () => {
      const store = (window as any).demoApp.store;
      const avatar = await store.avatars.create({ name: 'Historian' });
      await store.transaction(async (tx: any) => {
        for (let i = 1; i <= 1060; i++) await tx.sessions.create({ avatarId: avatar.id, kind: 'interview', title: `Session ${i}` });
      });
      const [newest] = await store.sessions.list({ order: 'desc', limit: 1 });
      await store.sessions.softDelete(newest.id); // "Session 1060" goes to Recently deleted
    });
    await openDemo();
    await page.getByRole('tab', { name: 'History' }).click();
    const items = page.locator('#history-list li.session');
    await expect.poll(() => items.count()).toBe(50);
    const titles = () => items.locator('.session-title').allTextContents();
    expect((await titles()).slice(0, 3)).toEqual(['Session 1059', 'Session 1058', 'Session 1057']);
    expect(await items.first().locator('.session-meta').textContent()).toContain('Historian');
    expect(await page.locator('#trash-list li').first().textContent()).toContain('Session 1060');
    await page.getByRole('button', { name: 'Show older sessions' }).click();
    await expect.poll(() => items.count()).toBe(100);
    expect((await titles()).at(-1)).toBe('Session 960');
    expect(pageErrors).toEqual([]);
  });

  it('keeps data in IndexedDB without OPFS, and says so when it cannot keep data at all', async () => {
    for (const removeIndexedDb of [false, true]) {
      const bare = await browser.context.newPage();
      const errors: string[] = [];
      bare.on('pageerror', (e) => errors.push(e.message));
      await bare.addInitScript((removeIndexedDb: boolean) => {
        Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined, configurable: true });
        if (removeIndexedDb) Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
      }, removeIndexedDb);
      await bare.goto(`${browser.baseUrl}/demo/`);
      await bare.waitForSelector('body[data-ready="true"]', WAIT);
      const notice = bare.locator('#boot-error');
      if (!removeIndexedDb) {
        // No banner: the data is kept (in IndexedDB), as a reload shows.
        expect(await notice.isVisible()).toBe(false);
        await bare.evaluate(() => (window as any).demoApp.store.avatars.create({ name: 'Ida in IndexedDB' }));
        await bare.reload();
        await bare.waitForSelector('body[data-ready="true"]', WAIT);
        const names = await bare.evaluate(async () => (await (window as any).demoApp.store.avatars.list()).map((a: any) => a.name));
        expect(names).toContain('Ida in IndexedDB');
        await bare.getByRole('tab', { name: 'Storage' }).click();
        await expect.poll(() => bare.locator('#view-stats').textContent()).toMatch(/Kept in this browser: .*IndexedDB/);
      } else {
        expect(await notice.isVisible()).toBe(true);
        expect(await notice.textContent()).toMatch(/cannot keep your data: .*neither an Origin Private File System .*nor IndexedDB/);
        await bare.getByRole('tab', { name: 'Storage' }).click();
        await expect.poll(() => bare.locator('#view-stats').textContent()).toMatch(/In memory only/);
      }
      expect(errors).toEqual([]);
      await bare.close();
    }
  });
});
