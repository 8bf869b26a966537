// Spoken answers in the demo's interview (issue #20): Chromium's fake microphone
// (--use-fake-device-for-media-stream, real getUserMedia → MediaRecorder → decodeAudioData) records
// an answer, the store keeps it as an Opus audio row of the session, History shows speaking time
// and pace and plays and deletes it. With the microphone denied, the user is told so and the
// typed answer still goes through.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openBrowser, watchPageErrors } from './chromium.js';

const WAIT = { timeout: 120_000 };
let browser: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  browser = await openBrowser({ args: ['--use-fake-device-for-media-stream'] });
  page = await browser.context.newPage();
  checkPageErrors = watchPageErrors(page);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

async function startInterview(): Promise<void> {
  await page.goto(`${browser.baseUrl}/demo/`);
  await page.waitForSelector('body[data-ready="true"]', WAIT);
  await page.getByRole('tab', { name: 'Interview' }).click();
  await page.selectOption('#interview-set', { label: 'Behavioral (6)' });
  await page.fill('#interview-count', '1');
  await page.click('#interview-start');
  await page.waitForSelector('#interview-run[data-phase="answering"]', WAIT);
}

describe('spoken answers in the interview', () => {
  it('records an answer, keeps it with the session, and shows, plays and deletes it in History', async () => {
    await browser.context.grantPermissions(['microphone'], { origin: browser.baseUrl });
    await startInterview();
    await page.click('#interview-record');
    await expect.poll(() => page.textContent('#interview-recording')).toMatch(/^Recording… 0:0\d/);
    await page.waitForTimeout(2200);
    await page.click('#interview-record');
    await expect.poll(() => page.textContent('#interview-recording'), WAIT).toMatch(/^Recorded 0:0[234]$/);
    const answer = 'I like building careful tools for people';
    await page.fill('#interview-answer', answer);

    const stored = await page.evaluate(async () => {
      const store = (window as any).demoApp.store;
      const [session] = await store.sessions.list({ kind: 'interview', order: 'desc', limit: 1 });
      const q = session.metadata.questions[0];
      const audio = await store.audios.get(q.answerAudioId);
      const speech = await store.loadSpeech(audio.id);
      let peak = 0;
      for (const x of speech.samples) peak = Math.max(peak, Math.abs(x));
      return { q, audio, samples: speech.samples.length, rate: speech.sampleRate, peak, phonemes: speech.phonemes.length };
    });
    // The row: Opus (Chromium has WebCodecs), of this session, as long as the recording.
    expect(stored.audio).toMatchObject({ format: 'opus', voiceId: 'microphone', metadata: { kind: 'answer', questionIndex: 0 } });
    expect(stored.audio.sessionId).toEqual(expect.any(Number));
    expect(stored.q.answerSpokenMs).toBe(stored.audio.durationMs);
    expect(stored.audio.durationMs).toBeGreaterThan(1800);
    expect(stored.audio.durationMs).toBeLessThan(5000);
    expect(stored.samples).toBe(Math.round((stored.audio.durationMs / 1000) * stored.rate));
    expect(stored.phonemes).toBe(0);
    // The fake device beeps: the recording is sound, not silence.
    expect(stored.peak).toBeGreaterThan(0.05);

    await page.click('#interview-next');
    await page.waitForSelector('#interview-done:not([hidden])', WAIT);
    await expect.poll(() => page.textContent('#interview-summary-list')).toContain('spoken 0:0');

    // History: speaking time and pace from the typed transcript (7 words over the recording).
    await page.click('#interview-history');
    const item = page.locator('#history-list li.session').first();
    await expect.poll(() => item.locator('details').getAttribute('open')).not.toBeNull(); // opened by the button
    const spoken = item.locator('.qa-spoken');
    const seconds = Math.floor(stored.audio.durationMs / 1000);
    const pace = Math.round(7 / (stored.audio.durationMs / 60000));
    await expect.poll(() => spoken.textContent()).toContain(`Spoken answer: 0:0${seconds} · ${pace} words/min`);
    await spoken.getByRole('button', { name: /Play your spoken answer/ }).click();
    // It plays (the avatar's player is busy for the recording's length), then ends.
    await page.waitForFunction(() => (window as any).demoApp.playback.busy === true, null, WAIT);
    await page.waitForFunction(() => (window as any).demoApp.playback.busy !== true, null, WAIT);
    await spoken.getByRole('button', { name: /Delete your spoken answer/ }).click();
    await expect.poll(() => spoken.textContent()).toBe('Recording deleted.');
    const after = await page.evaluate(async (id) => {
      const store = (window as any).demoApp.store;
      const [session] = await store.sessions.list({ kind: 'interview', order: 'desc', limit: 1 });
      const gone = await store.audios.get(id).then(
        () => null,
        (e: any) => e.code,
      );
      return { q: session.metadata.questions[0], gone };
    }, stored.audio.id);
    expect(after.gone).toBe('NOT_FOUND');
    expect(after.q).toMatchObject({ answerAudioId: null, answerSpokenMs: null, answer });
    checkPageErrors();
  });

  it('tells the user when the microphone is denied, and the typed answer still works', async () => {
    await browser.context.clearPermissions();
    await startInterview();
    await page.click('#interview-record');
    await expect.poll(() => page.textContent('#interview-recording'), WAIT).toContain('Microphone access was denied');
    expect(await page.getAttribute('#interview-record', 'aria-pressed')).toBe('false');
    await page.fill('#interview-answer', 'Typed instead.');
    await page.click('#interview-next');
    await page.waitForSelector('#interview-done:not([hidden])', WAIT);
    const q = await page.evaluate(async () => {
      const [session] = await (window as any).demoApp.store.sessions.list({ kind: 'interview', order: 'desc', limit: 1 });
      return session.metadata.questions[0];
    });
    expect(q).toMatchObject({ answer: 'Typed instead.', answerAudioId: null });
    checkPageErrors();
  });
});
