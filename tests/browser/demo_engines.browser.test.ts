// The offline demo end to end in each engine (Chromium, Firefox ESR, WebKitGTK), driven only by
// what a user does — choose the voice files, type, click — through each engine's own driver: the
// voice loads from files, Speak plays (the click is the user gesture audio needs) while the mouth
// changes shape, a one-question interview is saved, and after a reload History still has it (on
// OPFS, or IndexedDB in WebKitGTK). The full demo suite (demo.browser.test.ts) runs in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { BROWSER, type BrowserSession, openBrowser, watchPageErrors } from './chromium.js';

const VOICE_FILES = ['build/voices/test-tiny.onnx', 'build/voices/test-tiny.onnx.json'];
const WAIT = { timeout: 180_000 };
const STEP_MS = 300_000;

let browser: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

async function openDemo(): Promise<void> {
  await page.goto(`${browser.baseUrl}/demo/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, WAIT);
}

/** Waits until `selector`'s text passes `test` (source of a RegExp); returns the text. */
async function waitText(selector: string, pattern: RegExp): Promise<string> {
  const arg = { selector, source: pattern.source };
  await page.waitForFunction(
    ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
    arg,
    WAIT,
  );
  return page.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector);
}

async function showTab(id: string): Promise<void> {
  await page.click(`#tab-${id}`);
  await page.waitForFunction((id) => !document.getElementById(`view-${id}`)?.hidden, id, WAIT);
}

beforeAll(async () => {
  browser = await openBrowser();
  page = await browser.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await openDemo();
}, STEP_MS);
afterAll(async () => browser?.close());

describe(`demo in ${BROWSER}`, () => {
  it(
    'loads a voice from files, speaks with a moving mouth, saves an interview, and finds it after a reload',
    async () => {
      await showTab('voices');
      await page.setInputFiles('#voice-files', VOICE_FILES);
      await waitText('#voice-badge', /^Voice: test-tiny$/);

      await showTab('speak');
      await page.fill('#speak-text', 'Hello there. Tell me about a time you solved a hard problem.');
      await page.evaluate(() => {
        const w = window as any;
        const mouth = document.getElementById('mouth')!;
        w.__samples = [] as string[];
        w.__sampler = setInterval(() => w.__samples.push(mouth.dataset.viseme), 15);
      });
      await page.click('#speak-button');
      await waitText('#status', /Spoke 2 sentences/);
      const spoken = await page.evaluate(() => {
        const w = window as any;
        clearInterval(w.__sampler);
        const player = w.demoApp.playback.player;
        return { visemes: [...new Set(w.__samples as string[])], heard: player.heardTime, state: player.context.state };
      });
      console.log(`[${BROWSER}] mouth shapes while speaking: ${spoken.visemes.join(' ')}`);
      expect(spoken.visemes.filter((v) => v !== 'sil').length).toBeGreaterThanOrEqual(3);
      expect(spoken.state).toBe('running');
      expect(spoken.heard).toBeGreaterThan(1); // seconds of audio heard

      await showTab('interview');
      await page.fill('#interview-count', '1');
      await page.click('#interview-start');
      await page.waitForFunction(() => document.getElementById('interview-run')?.dataset.phase === 'answering', null, WAIT);
      const question = await page.evaluate(() => document.getElementById('interview-question')?.textContent ?? '');
      await page.fill('#interview-answer', 'A parser race; a fuzzer found it.');
      await page.click('#interview-next');
      await waitText('#interview-summary', /You answered 1 of 1 question/);

      await openDemo();
      await showTab('history');
      const title = await waitText('#history-list li.session .session-title', /interview/i);
      const kept = await page.evaluate(async () => {
        const store = (window as any).demoApp.store;
        const [session] = await store.sessions.list({ kind: 'interview' });
        return { questions: session.metadata.questions, persistence: store.persistence };
      });
      expect(title.length).toBeGreaterThan(0);
      expect(kept.questions.map((q: any) => q.text)).toEqual([question]);
      expect(kept.questions[0].answer).toBe('A parser race; a fuzzer found it.');
      expect(kept.persistence).toMatchObject({ storage: BROWSER === 'webkit' ? 'indexeddb' : 'opfs', survivesReload: true });
      checkPageErrors();
    },
    STEP_MS,
  );
});
