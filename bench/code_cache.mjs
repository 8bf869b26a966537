// `node bench/code_cache.mjs [--reloads 5]`: what Chromium's wasm code cache does for a returning
// visitor's voice load. Serves onnxruntime-web's files and the medium test voice's part A (its
// text encoder and durations, src/voice/model_split.h: the part whose session creation dominates
// a cached voice load) twice — with a validator (ETag + Last-Modified, as scripts/serve.mjs and
// any CDN send) and without — and times InferenceSession.create of part A in a fresh worker after
// each reload. Without a validator every visit downloads ORT's 13.6 MB wasm again and Chromium
// drops the code it compiled for it. Prints a table and writes bench/results/code-cache-<date>.json.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from '../scripts/serve.mjs';
import { summarize } from './stats.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
const RELOADS = Number(argv.includes('--reloads') ? argv[argv.indexOf('--reloads') + 1] : 5);
const VOICE = join(ROOT, 'build/voices/test-medium.onnx');

/** Part A of the medium voice, cut by the wasm core exactly as a voice load cuts it. */
async function partA() {
  const core = await (await import(join(ROOT, 'dist/core/avatar-voice-core.mjs'))).default({
    wasmBinary: readFileSync(join(ROOT, 'dist/core/avatar-voice-core.wasm')),
  });
  const patched = core.patchModel(readFileSync(VOICE));
  if (patched.__error) throw new Error(patched.__error.message);
  const split = core.splitModel(patched.model, true, true, 0); // A whole: the bench times one session
  if (!split.ok) throw new Error(`the medium voice does not split: ${split.reason}`);
  return split.partA;
}

function siteRoot(model) {
  const root = mkdtempSync(join(os.tmpdir(), 'av-code-cache-'));
  cpSync(join(ROOT, 'bench/code_cache'), root, { recursive: true });
  mkdirSync(join(root, 'ort'));
  cpSync(join(ROOT, 'dist/ort'), join(root, 'ort'), { recursive: true });
  cpSync(join(ROOT, 'node_modules/onnxruntime-web/dist/ort.wasm.min.mjs'), join(root, 'ort/ort.wasm.min.mjs'));
  writeFileSync(join(root, 'a.onnx'), model);
  return root;
}

async function visits(root, validators) {
  const server = await startServer({ port: 0, root, validators });
  const userDataDir = mkdtempSync(join(os.tmpdir(), 'av-code-cache-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await context.newPage();
    const ms = [];
    for (let visit = 0; visit <= RELOADS; visit++) {
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => window.ready === true);
      ms.push(await page.evaluate(() => window.createSession({ model: './a.onnx', threads: navigator.hardwareConcurrency })));
      // Chromium writes a module's code to its cache a while after the module was compiled.
      await new Promise((r) => setTimeout(r, 3000));
    }
    return { first: ms[0], returning: ms.slice(1) };
  } finally {
    await context.close();
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

const root = siteRoot(await partA());
try {
  const results = { reloads: RELOADS, date: new Date().toISOString(), loadAverage: os.loadavg() };
  results.withValidator = await visits(root, true);
  results.withoutValidator = await visits(root, false);
  const row = (name, r) =>
    `${name.padEnd(36)} ${r.first.toFixed(0).padStart(8)} ${summarize(r.returning).median.toFixed(0).padStart(10)}  (${r.returning.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`\npart A session creation in a fresh worker (ms); returning = median of ${RELOADS} reloads`);
  console.log(`${'served'.padEnd(36)} ${'first'.padStart(8)} ${'returning'.padStart(10)}`);
  console.log(row('no-cache + ETag/Last-Modified (304)', results.withValidator));
  console.log(row('no-cache, no validator (200)', results.withoutValidator));
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `code-cache-${results.date.replace(/:/g, '').replace(/\.\d+Z$/, 'Z')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`wrote ${file.slice(ROOT.length + 1)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
