// The built package in each real engine: the core loads in a module worker and phonemizes there.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { cliIpa, collapse, corpus } from '../js/native_reference.js';
import { BROWSER, type BrowserSession, openAppPage } from './chromium.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  ({ session, page, checkPageErrors } = await openAppPage());
});
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

describe(`phonemize in ${BROWSER}`, () => {
  it('runs in a cross-origin isolated page with a worker', async () => {
    const info = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      info: (window as any).av.info,
    }));
    expect(info.isolated).toBe(true);
    expect(info.info.espeakVersion).toBe('1.52.0');
  });

  it('gives the same phonemes as the native CLI for 20 corpus sentences', async () => {
    const sentences = corpus().slice(0, 20);
    const results: string[] = await page.evaluate(async (texts) => {
      const av = (window as any).av;
      const out: string[] = [];
      for (const t of texts) {
        const s = await av.phonemize(t);
        out.push(s.map((x: any) => x.phonemes.map((p: any) => p.phoneme).join('')).join(' '));
      }
      return out;
    }, sentences);
    const strip = (s: string) => collapse(s.normalize('NFC').replace(/[.,?!;:ˈˌ]/g, ' '));
    sentences.forEach((text, i) => {
      expect(strip(results[i]!), text).toBe(strip(cliIpa(text)));
    });
  });

  it('delivers typed errors across the worker boundary', async () => {
    const error = await page.evaluate(async () => {
      try {
        await (window as any).av.phonemize('x'.repeat(20), { maxChars: 5 });
        return null;
      } catch (e: any) {
        return { name: e.name, code: e.code, message: e.message };
      }
    });
    expect(error).toEqual({
      name: 'AvatarVoiceError',
      code: 'TEXT_TOO_LONG',
      message: expect.stringContaining('5'),
    });
  });

  it('runs SQLite inside the worker', async () => {
    const check = await page.evaluate(() => (window as any).av.sqliteSelfCheck());
    expect(check).toEqual({ version: '3.53.2', sum: 42 });
  });
});
