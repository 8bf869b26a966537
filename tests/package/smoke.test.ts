// The package as a user meets it: `npm pack`, install the tarball into a fresh Vite app, type-check
// a strict consumer against it, `vite build`, and run the built app in Debian Chromium (COOP/COEP)
// — then once more under the Vite dev server. Needs the build (dist/) and the test voices.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHROMIUM_ARGS } from '../browser/chromium.js';
// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';
import { install, installedVersion, type PackedFile, pack, REPO, typecheck, viteBuild, writeApp } from './vite_app.js';

interface SmokeResult {
  error?: string;
  version: string;
  phonemes: string[];
  samples: number;
  phonemeSamples: number;
  visemes: number;
  chunks: number;
  timing: string;
  isolated: boolean;
  createMs: number;
  loadMs: number;
  synthMs: number;
}

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const ALLOWED = [
  /^(package\.json|README\.md|LICENSE|COPYING)$/,
  /^dist\/[\w-]+\.(js|d\.ts)$/,
  /^dist\/(formats|generated)\/[\w-]+\.d\.ts$/,
  /^dist\/core\/(avatar-voice-core\.(mjs|wasm)|espeak-ng-data-[a-z]{2,3}\.pack)$/,
  /^dist\/ort\/ort-wasm-simd-threaded\.(mjs|wasm)$/,
];
const REQUIRED = [
  'package.json',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/generated/core_tables.d.ts',
  'dist/worker.js',
  'dist/core/avatar-voice-core.mjs',
  'dist/core/avatar-voice-core.wasm',
  'dist/core/espeak-ng-data-en.pack',
  'dist/ort/ort-wasm-simd-threaded.mjs',
  'dist/ort/ort-wasm-simd-threaded.wasm',
];

const work = mkdtempSync(join(tmpdir(), 'av-package-'));
const app = join(work, 'app');
const times: Record<string, number> = {};
let tarball = '';
let browser: Browser | undefined;
const t0 = performance.now();

/** Runs `fn` and books its wall time under `name`. */
async function timed<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    times[name] = performance.now() - start;
  }
}

/** Opens `url`, waits for main.js's result and records anything that went wrong on the way. */
async function runPage(url: string): Promise<{ result: SmokeResult; problems: string[] }> {
  const page: Page = await browser!.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as { smoke?: unknown }).smoke !== undefined, null, { timeout: 60_000 });
    const result = (await page.evaluate(() => (window as unknown as { smoke: Promise<unknown> }).smoke)) as SmokeResult;
    return { result, problems };
  } finally {
    await page.close();
  }
}

function expectSpeech(result: SmokeResult): void {
  expect(result.error).toBeUndefined();
  expect(result.version).toBe(VERSION);
  expect(result.phonemes).toHaveLength(2);
  expect(result.phonemes[0]).toBe('həlˈoʊ ðˈɛɹ.');
  expect(result.chunks).toBe(2);
  expect(result.timing).toBe('model');
  expect(result.samples).toBeGreaterThan(0);
  expect(result.phonemeSamples).toBe(result.samples);
  expect(result.visemes).toBeGreaterThan(0);
  expect(result.isolated).toBe(true);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

beforeAll(() => {
  for (const file of ['dist/index.js', 'dist/core/avatar-voice-core.wasm', 'build/voices/test-tiny.onnx'])
    if (!existsSync(join(REPO, file))) throw new Error(`${file} is missing: run scripts/build.sh and scripts/make_test_voices.sh`);
});

afterAll(async () => {
  await browser?.close();
  if (!process.env.KEEP_SMOKE_APP) rmSync(work, { recursive: true, force: true });
  else console.log(`[package] app kept in ${app}`);
  times.total = performance.now() - t0;
  const line = Object.entries(times)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
    .join(' · ');
  console.log(`[package] ${line}`);
});

describe('the npm package in a fresh Vite app', () => {
  it('packs exactly the files a user needs', async () => {
    const packed = await timed('pack', () => pack(work));
    tarball = packed.tarball;
    const paths = packed.files.map((f: PackedFile) => f.path);
    expect(paths.filter((p) => !ALLOWED.some((re) => re.test(p)))).toEqual([]);
    for (const file of REQUIRED) expect(paths).toContain(file);
    // ORT's wasm (14 MB) and the 39 espeak-ng language packs (15 MB, ru alone 8.5 MB; a page
    // fetches only the ones its voices need) make ~31 MB: anything near 36 MB means something slipped in.
    expect(packed.unpackedSize).toBeLessThan(36e6);
    console.log(
      `[package] ${packed.files.length} files, ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked`,
    );
  });

  it('installs with no dependencies of its own, and a strict consumer type-checks against it', async () => {
    writeApp(app, tarball);
    const { cached } = await timed('install', () => install(app));
    console.log(`[package] npm install (${cached ? 'cached node_modules' : 'fresh, cache written'})`);
    expect(installedVersion(app, 'avatar-voice')).toBe(VERSION);
    // The very build under test, not an older tarball of the same version from npm's cache.
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/worker.js'])
      expect(readFileSync(join(app, 'node_modules/avatar-voice', file), 'utf8') === readFileSync(join(REPO, file), 'utf8'), file).toBe(
        true,
      );
    // Everything the package runs is in dist/: onnxruntime-web and Comlink are bundled.
    expect(installedVersion(app, 'onnxruntime-web')).toBeNull();
    expect(installedVersion(app, 'comlink')).toBeNull();
    await timed('tsc', () => typecheck(app));
  });

  it('vite build emits the worker, the core, the espeak data and onnxruntime as assets', async () => {
    const log = await timed('vite build', () => viteBuild(app));
    expect(log).not.toMatch(/doesn't exist at build time/);
    const assets = readdirSync(join(app, 'dist/assets'));
    for (const re of [
      /^worker-.*\.js$/,
      /^avatar-voice-core-.*\.mjs$/,
      /^avatar-voice-core-.*\.wasm$/,
      /^espeak-ng-data-en-.*\.pack$/,
      /^ort-wasm-simd-threaded-.*\.mjs$/,
      /^ort-wasm-simd-threaded-.*\.wasm$/,
    ])
      expect(
        assets.some((f) => re.test(f)),
        `${re} in ${assets.join(', ')}`,
      ).toBe(true);
  });

  it('the built app phonemizes and synthesizes in Chromium', async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const server = await startServer({ port: 0, root: join(app, 'dist') });
    try {
      const { result, problems } = await timed('chromium (build)', () => runPage(`${server.url}/`));
      expect(problems).toEqual([]);
      expectSpeech(result);
      console.log(
        `[package] built app: create ${result.createMs.toFixed(0)} ms, voice ${result.loadMs.toFixed(0)} ms, ${result.samples} samples in ${result.synthMs.toFixed(0)} ms`,
      );
    } finally {
      await server.close();
    }
  });

  // The dev-server path the README documents (optimizeDeps.exclude, isolation headers): on-the-fly
  // transforms and a second Chromium session make it the slowest step, hence its own time budget.
  // Under CI=true Vite colours its output (picocolors treats CI as a colour terminal), which
  // splits "127.0.0.1:PORT" with escape codes: the server runs with NO_COLOR and its output is
  // read without them. It must be up within a minute; its output is in the error if not.
  it('runs under the Vite dev server with the documented config', { timeout: 300_000 }, async () => {
    const port = await freePort();
    const vite = join(app, 'node_modules/vite/bin/vite.js');
    const dev: ChildProcess = spawn(process.execPath, [vite, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
      cwd: app,
      stdio: 'pipe',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    try {
      await timed(
        'dev server start',
        () =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`vite dev did not report :${port} within 60 s:\n${output}`)), 60_000);
            dev.stdout!.on('data', (d: Buffer) => {
              output += d;
              // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes of Vite's output
              if (output.replace(/\x1b\[[0-9;]*m/g, '').includes(`:${port}`)) {
                clearTimeout(timer);
                resolve();
              }
            });
            dev.stderr!.on('data', (d: Buffer) => (output += d));
            dev.on('exit', (code) => {
              clearTimeout(timer);
              reject(new Error(`vite dev exited (${code}):\n${output}`));
            });
          }),
      );
      const { result, problems } = await timed('chromium (dev)', () => runPage(`http://127.0.0.1:${port}/`));
      expect(problems).toEqual([]);
      expectSpeech(result);
    } finally {
      dev.kill();
    }
  });
});
