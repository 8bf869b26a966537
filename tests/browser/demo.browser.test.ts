// The offline demo (demo/) in real Chromium, driven like a user would: load the generated tiny
// voice through the file input, speak and watch the mouth's data-viseme change, run a two-question
// interview, reload and replay it from History, soft-delete and restore, back up and restore the
// data, then cut the network (and stop the server) and check the page still works from its
// service worker. Screenshots of every view go to test-results/demo/ (git-ignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

import { type BrowserSession, openBrowser } from './chromium.js';
// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';

const SHOTS = resolve('test-results/demo');
const VOICE_FILES = ['build/voices/test-tiny.onnx', 'build/voices/test-tiny.onnx.json'];
// The machine running this may be slow and shared: generous, per step.
const STEP_MS = 300_000;
const WAIT = { timeout: 180_000 };

let browser: BrowserSession;
let server: { url: string; close(): Promise<void>; server: import('node:http').Server };
let page: Page;
const pageErrors: string[] = [];

/** A screenshot of the whole page: the viewport grows to fit it (so the fixed status bar sits at the bottom). */
async function shot(name: string): Promise<void> {
  const path = `${SHOTS}/${name}.png`;
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path });
  if (height > viewport.height) await page.setViewportSize(viewport);
  console.log(`screenshot: ${path}`);
}

async function openDemo(): Promise<void> {
  await page.goto(`${server.url}/demo/`);
  await page.waitForSelector('body[data-ready="true"]', WAIT);
}

async function showTab(name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.waitForSelector(
    `[role="tabpanel"][aria-labelledby="tab-${name.toLowerCase() === 'storage' ? 'stats' : name.toLowerCase()}"]:not([hidden])`,
  );
}

/**
 * Starts sampling the mouth's data-viseme every 15 ms in the page; `collect()` waits until the
 * playback is idle again and returns the samples.
 */
async function sampleMouth(): Promise<{ collect(): Promise<{ visemes: string[]; heardFrom: number; heardTo: number; state: string }> }> {
  await page.evaluate(() => {
    const w = window as any;
    const mouth = document.getElementById('mouth')!;
    w.__samples = [] as string[];
    w.__heardFrom = w.demoApp.playback.heardTime;
    w.__sampler = setInterval(() => w.__samples.push(mouth.dataset.viseme), 15);
  });
  return {
    async collect() {
      await page.waitForFunction(() => (window as any).__samples.length > 10 && !(window as any).demoApp.playback.busy, null, WAIT);
      return page.evaluate(() => {
        const w = window as any;
        clearInterval(w.__sampler);
        const player = w.demoApp.playback.player;
        return { visemes: w.__samples, heardFrom: w.__heardFrom, heardTo: player.heardTime, state: player.context.state };
      });
    },
  };
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Waits until the element's text contains `expected` (a string, or a RegExp that must match). */
async function waitText(selector: string, expected: string | RegExp, exact = false): Promise<string> {
  const arg = { selector, source: expected instanceof RegExp ? expected.source : expected, regex: expected instanceof RegExp, exact };
  try {
    await page.waitForFunction(
      ({ selector, source, regex, exact }) => {
        const text = document.querySelector(selector)?.textContent ?? '';
        return regex ? new RegExp(source).test(text) : exact ? text === source : text.includes(source);
      },
      arg,
      { timeout: 60_000 },
    );
  } catch (error) {
    const text = await page
      .locator(selector)
      .first()
      .textContent()
      .catch(() => null);
    throw new Error(`${selector}: expected ${String(expected)}, got ${JSON.stringify(text)}`, { cause: error });
  }
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function waitCount(selector: string, count: number): Promise<void> {
  try {
    await page.waitForFunction(
      ({ selector, count }) => document.querySelectorAll(selector).length === count,
      { selector, count },
      { timeout: 60_000 },
    );
  } catch {
    throw new Error(`${selector}: expected ${count} elements, found ${await page.locator(selector).count()}`);
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await openBrowser();
  // Our own server for the demo, so the offline step can stop it.
  server = await startServer({ port: 0 });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on('pageerror', (e) => {
    pageErrors.push(e.message);
    console.error('[page]', e.message);
  });
  await openDemo();
}, STEP_MS);

afterAll(async () => {
  await browser?.close();
  server?.server.closeAllConnections();
  await server?.close();
});

describe('demo: interview practice with a talking avatar', () => {
  it(
    'starts without a voice: explains how to get one and still shows phonemes',
    async () => {
      expect(await page.locator('#speak-no-voice').isVisible()).toBe(true);
      expect(await page.locator('#speak-button').isDisabled()).toBe(true);
      await page.fill('#speak-text', 'Tell me about yourself.');
      await page.waitForFunction(
        () => {
          const item = document.querySelector('#phoneme-list li');
          return (
            item?.querySelector('q')?.textContent === 'Tell me about yourself.' &&
            (item.querySelector('code')?.textContent?.length ?? 0) > 10
          );
        },
        null,
        WAIT,
      );
      await shot('01-speak-without-voice');
      await showTab('Voices');
      await waitText('#voice-help', 'rhasspy/piper-voices');
      await shot('02-voices-empty');
    },
    STEP_MS,
  );

  it(
    'loads the test voice from files and lists it with its size',
    async () => {
      await page.setInputFiles('#voice-files', VOICE_FILES);
      await page.waitForFunction(() => document.getElementById('voice-badge')?.textContent === 'Voice: test-tiny', null, WAIT);
      await waitCount('#voice-list li', 1);
      await waitText('#voice-list li', 'test-tiny');
      await waitText('#voice-list li', /\d(\.\d)? MB/);
      await waitText('#voice-details', '22050 Hz');
      await shot('03-voices-loaded');
    },
    STEP_MS,
  );

  it(
    'speaks a sentence: audio plays and the mouth changes shape over time',
    async () => {
      await showTab('Speak');
      await page.fill('#speak-text', 'Hello there. Tell me about a time you solved a hard problem.');
      const sampler = await sampleMouth();
      await page.click('#speak-button');
      await page.waitForFunction(() => document.getElementById('mouth')?.dataset.viseme !== 'sil', null, WAIT);
      await page.waitForTimeout(150);
      await shot('04-speaking');
      const { visemes, heardFrom, heardTo, state } = await sampler.collect();
      const shapes = distinct(visemes).filter((v) => v !== 'sil');
      console.log(`mouth shapes while speaking: ${distinct(visemes).join(' ')}`);
      expect(shapes.length).toBeGreaterThanOrEqual(3);
      expect(state).toBe('running');
      expect(heardTo - heardFrom).toBeGreaterThan(1); // seconds of audio heard
      expect(await page.locator('#timeline .cell-phoneme').count()).toBeGreaterThan(10);
      expect(await page.locator('#timeline .cell-viseme').count()).toBeGreaterThan(5);
      await waitText('#status', 'Spoke 2 sentences');
    },
    STEP_MS,
  );

  it(
    'drives the second face from ARKit blendshapes only, and exports the lip-sync',
    async () => {
      await page.click('#face-switch');
      expect(await page.locator('#arkit-face').isVisible()).toBe(true);
      expect(await page.locator('#face-host').isVisible()).toBe(false);
      await page.fill('#speak-text', 'Open wide. Who are you?');
      await page.evaluate(() => {
        const w = window as any;
        w.__jaw = [];
        const canvas = document.getElementById('arkit-face')!;
        const tick = () => {
          w.__jaw.push(Number(canvas.dataset.jawOpen));
          if (w.__jaw.length < 4000) w.__jawTimer = setTimeout(tick, 15);
        };
        tick();
      });
      await page.click('#speak-button');
      await page.waitForFunction(() => Number(document.getElementById('arkit-face')?.dataset.jawOpen) > 0.05, null, WAIT);
      await shot('04b-arkit-face');
      await page.waitForFunction(() => !(window as any).demoApp.playback.busy, null, WAIT);
      const jaw: number[] = await page.evaluate(() => {
        const w = window as any;
        clearTimeout(w.__jawTimer);
        return w.__jaw;
      });
      console.log(
        `ARKit jawOpen while speaking: max ${Math.max(...jaw).toFixed(2)}, ${distinct(jaw.map((j) => j.toFixed(2))).length} distinct values`,
      );
      expect(Math.max(...jaw)).toBeGreaterThan(0.1);
      expect(distinct(jaw.map((j) => j.toFixed(2))).length).toBeGreaterThan(5); // it moves, not just opens
      expect(jaw.at(-1)).toBe(0); // at rest after speaking
      // Export: Polly speech marks of the utterance just spoken, one JSON object per line.
      await page.selectOption('#export-format', 'polly');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-lipsync')]);
      expect(download.suggestedFilename()).toBe('speech-marks.jsonl');
      const marks = readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(marks.filter((m) => m.type === 'sentence').map((m) => m.value)).toEqual(['Open wide.', 'Who are you?']);
      expect(marks.filter((m) => m.type === 'word').map((m) => m.value)).toEqual(['Open', 'wide', 'Who', 'are', 'you']);
      await page.selectOption('#export-format', 'talkinghead');
      const [head] = await Promise.all([page.waitForEvent('download'), page.click('#export-lipsync')]);
      const th = JSON.parse(readFileSync((await head.path())!, 'utf8'));
      expect(th.words).toEqual(['Open', 'wide', 'Who', 'are', 'you']);
      expect(th.visemes.length).toBe(th.vtimes.length);
      await page.click('#face-switch');
      expect(await page.locator('#face-host').isVisible()).toBe(true);
    },
    STEP_MS,
  );

  it(
    'runs a two-question interview and saves questions, answers, timings and audio',
    async () => {
      await showTab('Interview');
      await page.selectOption('#interview-set', { label: 'Behavioral (6)' });
      await page.fill('#interview-count', '2');
      await page.click('#interview-start');
      await page.waitForSelector('#interview-run[data-phase="answering"]', WAIT);
      await waitText('#interview-question', 'Tell me about yourself.', true);
      await page.fill('#interview-answer', 'I build <b>browser</b> tools & love audio.');
      await page.click('#interview-next');
      await waitText('#interview-question', 'Describe a time you solved a hard problem. What made it hard?', true);
      await page.waitForSelector('#interview-run[data-phase="answering"]', WAIT);
      await page.fill('#interview-answer', 'A race in a streaming parser; I found it with a fuzzer.');
      await page.waitForTimeout(1200); // let the answer timer tick
      expect(await page.textContent('#interview-timer')).not.toBe('0:00');
      await shot('05-interview-question');
      await page.click('#interview-next');
      await page.waitForSelector('#interview-done:not([hidden])', WAIT);
      await waitText('#interview-summary', 'You answered 2 of 2 questions');
      await shot('06-interview-done');
      const saved = await page.evaluate(async () => {
        const store = (window as any).demoApp.store;
        const [session] = await store.sessions.list({ kind: 'interview' });
        return { session, audios: await store.audios.list({ sessionId: session.id }) };
      });
      const questions = saved.session.metadata.questions;
      expect(saved.session.metadata.status).toBe('completed');
      expect(questions).toHaveLength(2);
      expect(questions[0].answer).toBe('I build <b>browser</b> tools & love audio.');
      for (const q of questions) {
        expect(q.audioId).toEqual(expect.any(Number));
        expect(q.answerMs).toBeGreaterThanOrEqual(0);
        expect(q.answeredAt).toBeGreaterThanOrEqual(q.askedAt);
      }
      expect(saved.audios.map((a: any) => a.text)).toEqual(questions.map((q: any) => q.text));
      // Chromium has WebCodecs Opus: the questions' audio is stored compact.
      expect(saved.audios.map((a: any) => a.format)).toEqual(questions.map(() => 'opus'));
    },
    STEP_MS,
  );

  it(
    'keeps the session across a reload and replays a question with moving lips',
    async () => {
      await openDemo();
      await showTab('History');
      await waitCount('#history-list li.session', 1);
      await waitText('#history-list li.session', 'Behavioral interview');
      const item = page.locator('#history-list li.session');
      await item.locator('summary').click();
      await waitCount('#history-list .qa', 2);
      // The answer is shown as text, never parsed as HTML.
      await waitText('#history-list .qa-answer', 'I build <b>browser</b> tools & love audio.', true);
      expect(await item.locator('.qa-answer b').count()).toBe(0);
      const sampler = await sampleMouth();
      await item.getByRole('button', { name: /Replay question 1/ }).click();
      await page.waitForFunction(() => document.getElementById('mouth')?.dataset.viseme !== 'sil', null, WAIT);
      await shot('07-history-replay');
      const { visemes } = await sampler.collect();
      console.log(`mouth shapes while replaying: ${distinct(visemes).join(' ')}`);
      expect(distinct(visemes).filter((v) => v !== 'sil').length).toBeGreaterThanOrEqual(3);
    },
    STEP_MS,
  );

  it(
    'soft-deletes a session and restores it',
    async () => {
      await page.getByRole('button', { name: 'Delete Behavioral interview', exact: true }).click();
      await waitCount('#history-list li.session', 0);
      await waitCount('#trash-list li', 1);
      const deleted = await page.evaluate(() => (window as any).demoApp.store.sessions.list({ includeDeleted: true }));
      expect(deleted[0].deletedAt).toEqual(expect.any(Number));
      await shot('08-history-deleted');
      await page.getByRole('button', { name: 'Restore Behavioral interview', exact: true }).click();
      await waitCount('#history-list li.session', 1);
      await waitCount('#trash-list li', 0);
    },
    STEP_MS,
  );

  it(
    'creates, renames and dresses an avatar, and the emotion is stored',
    async () => {
      await showTab('Avatar');
      await page.fill('#avatar-new-name', 'Grace');
      await page.getByRole('button', { name: 'Create avatar' }).click();
      await waitText('#avatar-name', 'Grace');
      await page.fill('#avatar-name-input', 'Grace Hopper');
      await page.getByRole('button', { name: 'Rename' }).click();
      await waitText('#avatar-name', 'Grace Hopper');
      await page.check('input[name="emotion"][value="happy"]');
      await waitText('#avatar-name', 'happy');
      await page.selectOption('#style-select', { label: 'Sunny' });
      await page.waitForTimeout(400); // the expression glides
      await shot('09-avatar');
      const { avatar, style } = await page.evaluate(() => ({
        avatar: (window as any).demoApp.avatar,
        style: (window as any).demoApp.style,
      }));
      expect(avatar).toMatchObject({ name: 'Grace Hopper', state: { emotion: 'happy', styleId: style.id } });
      expect(style).toMatchObject({ kind: 'avatar_style', name: 'Sunny' });
    },
    STEP_MS,
  );

  it(
    'shows storage stats and health',
    async () => {
      await showTab('Storage');
      await page.waitForSelector('#stats-records tr[data-table="sessions"]', WAIT);
      await waitText('#stats-records tr[data-table="sessions"] td', '1', true);
      await waitText('#stats-records tr[data-table="audios"] td', '2', true);
      // The two questions' audio, stored as Opus, and the bytes each table takes.
      await waitText('#stats-audio-formats', /Audio: 2 as opus \([\d.]+ KB\)/);
      await waitText('#stats-records tr[data-table="audios"] td.bytes', /[\d.]+ (KB|MB)/);
      await waitText('#stats-health', 'Healthy');
      await waitText('#stats-health', /Schema version\s*\d+ of \d+/);
      await shot('10-storage');
    },
    STEP_MS,
  );

  it(
    'exports all data and imports it back, replacing what changed since',
    async () => {
      await showTab('History');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-button')]);
      const backup = `${SHOTS}/backup.sqlite3`;
      await download.saveAs(backup);
      await page.getByRole('button', { name: 'Delete Behavioral interview', exact: true }).click();
      await waitCount('#trash-list li', 1);
      await page.setInputFiles('#import-file', backup);
      await page.locator('#import-confirm').waitFor({ state: 'visible' });
      await page.click('#import-replace');
      await waitText('#status', 'Imported');
      await waitCount('#history-list li.session', 1);
      await waitCount('#trash-list li', 0);
    },
    STEP_MS,
  );

  it(
    'works offline once the service worker is active',
    async () => {
      const before = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return { active: registration.active?.state, controlled: navigator.serviceWorker.controller !== null };
      });
      expect(before).toEqual({ active: 'activated', controlled: true });
      // No network at all: the browser is offline and the server is gone.
      await browser.context.setOffline(true);
      server.server.closeAllConnections();
      await server.close();
      await openDemo();
      const workers = page.workers().map((w) => new URL(w.url()).pathname);
      console.log(`workers offline: ${workers.join(', ')}`);
      expect(workers).toContain('/demo/pkg/worker.js');
      await waitText('#offline-badge', 'Offline: running from cache', true);
      await waitText('#voice-badge', 'Voice: test-tiny', true);
      await waitText('#avatar-name', 'Grace Hopper');
      await page.fill('#speak-text', 'Still talking without a network.');
      const sampler = await sampleMouth();
      await page.click('#speak-button');
      const { visemes } = await sampler.collect();
      expect(distinct(visemes).filter((v) => v !== 'sil').length).toBeGreaterThanOrEqual(3);
      await shot('11-offline-speak');
      await showTab('History');
      await waitCount('#history-list li.session', 1);
      await page.setViewportSize({ width: 390, height: 844 });
      await showTab('Interview');
      await shot('12-mobile-interview');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
