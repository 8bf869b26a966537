// The Player under each engine's real autoplay policy, in Chromium, Firefox ESR and WebKitGTK:
// without a user gesture speak() is refused with AUTOPLAY_BLOCKED (and a 'blocked' event); after a
// real click from the driver (the browser's own input, so it carries the gesture) the same Player
// speaks, and every cue fires once, in order, never early against the audio clock. Chromium
// would too, but headless it plays without one (checked, and the refusal is tested in
// player.browser.test.ts); WebKitGTK runs with Safari's policy (its port plays without one).
// Records per engine its version, its autoplay behaviour and the time from the click to first
// audio (engine_numbers.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';

import { BROWSER, type BrowserSession, openBrowser, watchPageErrors } from './chromium.js';
import { recordEngineNumbers } from './engine_numbers.js';

const TEXT = 'Hello there. Tell me about your last project.';

/** "Chromium 1xx", "Firefox 1xx" from the user agent; WebKitGTK's own package version. */
function engineVersion(userAgent: string): string {
  if (BROWSER === 'webkit') {
    const version = execFileSync('dpkg-query', ['-W', '-f', `\${Version}`, 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' });
    return `WebKitGTK ${version.split('-')[0]}`;
  }
  const [, name, version] = userAgent.match(/(Chrome|Firefox)\/([\d.]+)/) ?? [];
  return `${name === 'Chrome' ? 'Chromium' : name} ${version}`;
}

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  session = await openBrowser({ webkit: { features: ['+RequiresUserGestureForAudioPlayback'] } });
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
}, 180_000);
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

describe(`Player under ${BROWSER}'s autoplay policy`, () => {
  it('refuses to speak before a user gesture, then speaks after a real click: every cue once, in order, on time', async () => {
    // pages/gesture.html loads the voice and tries to speak on its own. Playwright's and
    // Puppeteer's evaluate count as a user gesture (Chromium; Firefox over BiDi), so those two may
    // evaluate nothing before it is done: they wait for its log. WebDriver classic's does not.
    const logged =
      BROWSER === 'webkit'
        ? null
        : new Promise<void>((resolve) =>
            page.on('console', (m) => {
              if (m.text().startsWith('[gesture]')) resolve();
            }),
          );
    await page.goto(`${session.baseUrl}/tests/browser/pages/gesture.html`);
    if (logged) await Promise.race([logged, new Promise((_, reject) => setTimeout(() => reject(new Error('no [gesture] log')), 120_000))]);
    else await page.waitForFunction(() => (window as any).blocked !== undefined, null, { timeout: 120_000 });
    const { blocked, userAgent } = await page.evaluate(() => ({ blocked: (window as any).blocked, userAgent: navigator.userAgent }));
    recordEngineNumbers({ version: engineVersion(userAgent) });
    if (BROWSER === 'chromium') {
      // Headless Chromium enforces no autoplay policy on Web Audio, whatever --autoplay-policy
      // says (measured with user-gesture-required: a context made at load runs): the early speak() just plays. The refusal
      // itself is checked against a held context in player.browser.test.ts.
      expect(blocked).toEqual({ error: null, events: [], state: 'running' });
      recordEngineNumbers({ autoplay: 'not enforced in headless mode' });
    } else {
      expect(blocked).toEqual({ error: 'AUTOPLAY_BLOCKED', events: ['suspended'], state: 'suspended' });
      recordEngineNumbers({ autoplay: 'AUTOPLAY_BLOCKED until a click' });
    }

    await page.evaluate((text) => {
      const w = window as any;
      const button = document.createElement('button');
      button.id = 'speak';
      button.textContent = 'Speak';
      document.body.append(button);
      w.cues = [];
      w.chunks = [];
      for (const type of ['sentence', 'word', 'viseme', 'end'])
        w.player.on(type, (e: any) => w.cues.push({ type, time: e.time, heard: w.ctx.currentTime, wall: performance.now() }));
      // The chunks speak() plays, seen on their way (the cue counts' oracle).
      const spy = {
        async *stream(t: string, o: any) {
          for await (const c of w.voice.stream(t, o)) {
            w.chunks.push(c);
            yield c;
          }
        },
      };
      button.onclick = () => {
        w.clickedAt = performance.now();
        w.spoken = w.player.speak(spy, text, { noiseW: 0, chunking: 'sentence' }).then(
          () => 'ok',
          (e: any) => e.code,
        );
        w.spoken.then((r: string) => (w.result = r));
      };
    }, TEXT);
    await page.click('#speak');
    await page.waitForFunction(() => (window as any).result !== undefined, null, { timeout: 120_000 });
    const played = await page.evaluate(() => {
      const w = window as any;
      let words = 0;
      let visemes = 0;
      for (const c of w.chunks) {
        visemes += c.visemes.length;
        let last = '';
        for (const p of c.phonemes) {
          if (p.textStart < 0) continue;
          const key = `${p.textStart}:${p.textEnd}`;
          if (key !== last) words++;
          last = key;
        }
      }
      const seconds = w.chunks.reduce((s: number, c: any) => s + c.samples.length / c.sampleRate, 0);
      const first = w.cues.find((c: any) => c.type === 'sentence');
      return {
        result: w.result,
        state: w.ctx.state,
        cues: w.cues,
        expected: { sentence: w.chunks.length, word: words, viseme: visemes, end: 1 },
        seconds,
        clockAdvanced: w.ctx.currentTime,
        firstAudioMs: first ? first.wall - w.clickedAt : null,
      };
    });
    expect(played.result).toBe('ok');
    expect(played.state).toBe('running');
    const counts = { sentence: 0, word: 0, viseme: 0, end: 0 } as Record<string, number>;
    for (const c of played.cues) counts[c.type]!++;
    expect(counts).toEqual(played.expected);
    expect(played.expected.sentence).toBe(2);
    // In order of their times, 'end' last, and none before the audio clock reached it (one
    // animation frame of slack: cues are dispatched from frames).
    const times = played.cues.map((c: any) => c.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(played.cues.at(-1).type).toBe('end');
    for (const c of played.cues) expect(c.heard, `${c.type} at ${c.time}`).toBeGreaterThan(c.time - 0.034);
    // The context really ran the audio: its clock passed the whole utterance.
    expect(played.clockAdvanced).toBeGreaterThan(played.seconds);
    recordEngineNumbers({ clickToFirstAudioMs: Math.round(played.firstAudioMs) });
  }, 180_000);
});
