// Size limits are checked before bytes enter the worker or wasm memory: a model over the core's
// maxVoiceModelBytes (File/Blob size, a Content-Length, or a download that keeps growing, which is
// aborted) and an oversized config get typed errors, quickly, and the worker stays healthy.
// The oversized downloads come from a second loopback server that never finishes its answer.
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openBrowser } from './chromium.js';

let session: BrowserSession;
let page: Page;
let hostile: Server;
let hostileUrl: string;
const connections: Record<string, { sent: number; closed: boolean }> = {};

beforeAll(async () => {
  // /claims-huge.onnx: says 300 MiB, sends 1 KiB, then stalls. /endless.onnx: no length, 64 KiB
  // every 5 ms for as long as the client keeps reading.
  hostile = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    const record = (connections[name] = { sent: 0, closed: false });
    res.on('close', () => (record.closed = true));
    const headers = {
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'content-type': 'application/octet-stream',
    };
    if (name === 'claims-huge.onnx') {
      res.writeHead(200, { ...headers, 'content-length': String(300 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
      record.sent = 1024;
    } else if (name === 'endless.onnx') {
      res.writeHead(200, headers);
      const chunk = Buffer.alloc(64 * 1024);
      const timer = setInterval(() => {
        if (record.closed) return clearInterval(timer);
        res.write(chunk);
        record.sent += chunk.length;
      }, 5);
    } else {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;

  session = await openBrowser();
  page = await session.context.newPage();
  page.on('pageerror', (e) => console.error('[page]', e.message));
  await page.goto(`${session.baseUrl}/tests/browser/pages/app.html`);
  await page.waitForFunction(() => (window as any).ready !== undefined, null, { timeout: 60_000 });
  await page.evaluate(
    async (config) => {
      const w = window as any;
      await w.ready;
      w.config = config;
    },
    readFileSync('build/voices/test-tiny.onnx.json', 'utf8'),
  );
});

afterAll(async () => {
  await session?.close();
  hostile?.closeAllConnections();
  await new Promise((r) => hostile?.close(r));
});

describe('size limits before wasm', () => {
  it('reads the limits from the core', async () => {
    const limits = await page.evaluate(() => (window as any).av.info.limits);
    expect(limits.maxVoiceModelBytes).toBe(256 * 1024 * 1024);
    expect(limits.defaultUtteranceChars).toBe(5000);
  });

  it('refuses a model Blob over the limit without reading it', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      let read = false;
      class WatchedBlob extends Blob {
        override arrayBuffer() {
          read = true;
          return super.arrayBuffer();
        }
      }
      const mib = new Uint8Array(1024 * 1024);
      const model = new WatchedBlob(Array.from({ length: 257 }, () => mib));
      const code = await w.outcome(w.av.loadVoice({ model, config: w.config }));
      return { code, read, size: model.size };
    });
    expect(result.size).toBeGreaterThan(256 * 1024 * 1024);
    expect(result.code).toBe('INVALID_MODEL');
    expect(result.read).toBe(false);
  });

  it('refuses a download whose Content-Length is over the limit, without waiting for its body', async () => {
    const code = await page.evaluate(
      (url) => (window as any).outcome((window as any).av.loadVoice({ model: url, config: (window as any).config }, { cache: false })),
      `${hostileUrl}/claims-huge.onnx`,
    );
    expect(code).toBe('INVALID_MODEL');
    await expect.poll(() => connections['claims-huge.onnx']?.closed, { timeout: 10_000 }).toBe(true);
  });

  it('aborts a download that grows past the limit', async () => {
    const code = await page.evaluate(
      (url) =>
        (window as any).outcome(
          (window as any).av.loadVoice({ model: url, config: (window as any).config }, { cache: false, maxModelBytes: 1024 * 1024 }),
        ),
      `${hostileUrl}/endless.onnx`,
    );
    expect(code).toBe('INVALID_MODEL');
    await expect.poll(() => connections['endless.onnx']?.closed, { timeout: 10_000 }).toBe(true);
    expect(connections['endless.onnx']!.sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses an oversized config (text, object or Blob) with INVALID_VOICE_CONFIG', async () => {
    const codes = await page.evaluate(async () => {
      const w = window as any;
      const padded = { ...JSON.parse(w.config), padding: 'x'.repeat(w.av.info.limits.maxVoiceConfigBytes + 1) };
      const model = '/build/voices/test-tiny.onnx';
      return Promise.all([
        w.outcome(w.av.loadVoice({ model, config: JSON.stringify(padded) }, { cache: false })),
        w.outcome(w.av.loadVoice({ model, config: padded }, { cache: false })),
        w.outcome(w.av.loadVoice({ model, config: new Blob([JSON.stringify(padded)]) }, { cache: false })),
      ]);
    });
    expect(codes).toEqual(['INVALID_VOICE_CONFIG', 'INVALID_VOICE_CONFIG', 'INVALID_VOICE_CONFIG']);
  });

  it('leaves the worker healthy: phonemize and a real voice still work', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const sentences = await w.av.phonemize('Hello there.');
      const voice = await w.av.loadVoice({ model: '/build/voices/test-tiny.onnx' }, { cache: false });
      const speech = await voice.synthesize('Still fine.', { noiseW: 0 });
      await voice.dispose();
      return { sentences: sentences.length, samples: speech.samples.length };
    });
    expect(result.sentences).toBe(1);
    expect(result.samples).toBeGreaterThan(0);
  });
});
