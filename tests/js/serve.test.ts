// scripts/serve.mjs serves only what a page needs: a malformed request is a 400 (not a crash), and
// nothing outside the served folders (.git, src/, package.json, ...) ever leaves the machine.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';
import { INSTALLED_ORT_RELEASE } from '../ort_release.js';

let server: { url: string; close(): Promise<void> };

/** A raw GET: the path goes out byte for byte (fetch() would normalise "..", "%2e" and "\"). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(() => server.close());

describe('scripts/serve.mjs', () => {
  it('answers a malformed percent-encoding with 400 and keeps serving', async () => {
    for (const path of ['/%', '/demo/%E0%A4%A', '/dist/%zz.js']) expect((await get(path)).status, path).toBe(400);
    expect((await get('/demo/index.html')).status).toBe(200);
  });

  // A returning visitor revalidates and keeps its cached copy — and with it Chromium's compiled
  // code for onnxruntime-web's wasm, which is attached to the cache entry (bench/README.md).
  it('gives every file a validator and answers a matching If-None-Match with an empty 304', async () => {
    const first = await get('/dist/ort/ort-wasm-simd-threaded.mjs');
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(first.headers['last-modified']).toBeTruthy();
    const again = await get('/dist/ort/ort-wasm-simd-threaded.mjs', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['cross-origin-embedder-policy']).toBe('require-corp');
    const stale = await get('/dist/ort/ort-wasm-simd-threaded.mjs', { 'if-none-match': '"0-0"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(first.body.length);
    // Another file has another validator.
    expect((await get('/dist/index.js')).headers.etag).not.toBe(etag);
  });

  // Chromium keeps the code it compiled for a wasm only while its cached response is used without
  // revalidation: a versioned URL (the package asks for onnxruntime-web's files with ?v=) is
  // immutable, anything else revalidates.
  it('serves a versioned URL as immutable and the rest as no-cache', async () => {
    const versioned = await get(`/dist/ort/ort-wasm-simd-threaded.mjs?v=${INSTALLED_ORT_RELEASE}`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(versioned.headers.etag).toBeTruthy();
    expect((await get('/dist/ort/ort-wasm-simd-threaded.mjs')).headers['cache-control']).toBe('no-cache');
    expect((await get('/dist/index.js?x=1')).headers['cache-control']).toBe('no-cache');
  });

  it('never serves dotfiles, dot-folders or files outside the served folders', async () => {
    const refused = [
      '/.git/HEAD',
      '/.git',
      '/demo/.git/config',
      '/dist/.hidden',
      '/%2egit/HEAD',
      '/package.json',
      '/src/core/limits.h',
      '/scripts/serve.mjs',
      '/node_modules/comlink/package.json',
      '/demo/../package.json',
      '/demo/%2e%2e/package.json',
      '/demo/..%2Fpackage.json',
      '/dist/..%5Cpackage.json',
      '/demo/..\\package.json',
      '//etc/passwd',
      '/demo/%00x',
    ];
    for (const path of refused) {
      const { status, body } = await get(path);
      expect([400, 404], `${path} -> ${status}`).toContain(status);
      expect(body, path).not.toMatch(/"name": "avatar-voice"|#pragma once|ref: refs/);
    }
  });

  it('serves the demo, the package and the test voices, the demo with its CSP', async () => {
    const page = await get('/demo/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
    expect((await get('/dist/worker.js')).headers['content-security-policy']).toBeDefined();
    expect((await get('/build/voices/test-tiny.onnx.json')).status).toBe(200);
    expect((await get('/tests/browser/pages/app.html')).status).toBe(200);
  });
});
