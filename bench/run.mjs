// `npm run bench`: speed, latency, size and memory of the package in real (Debian) Chromium.
// Reports; never passes or fails. Builds what is missing or stale, generates the medium test
// voice if needed, serves the repo cross-origin isolated, drives bench/bench.html, prints a table
// and writes bench/results/<date>-<sha>.json (git-ignored).
//   node bench/run.mjs [--reps 5] [--no-build] [--voice build/voices/x.onnx] [--update-baseline]
//   node bench/run.mjs --only coldstart [--reps 5] [--preload] [--linger 5000]   (just returning visit → first audio, raw samples)
//   node bench/run.mjs --only streaming [--reps 5]   (just the windowed-streaming samples)
//   node bench/run.mjs --render bench/results/<file>.json [--update-baseline]   (tables of a saved run)
// --update-baseline also rewrites bench/BASELINE.md (checked in) from this run.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from '../scripts/serve.mjs';
import { renderConsole, renderMarkdown } from './report.mjs';
import { TEXT_SET, SENTENCES } from './sentences.mjs';
import { measureSizes, packageFiles } from './sizes.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DEFAULT_VOICE = 'build/voices/test-medium.onnx';
// The flags of tests/browser/chromium.ts, plus eager memory measurement (otherwise
// measureUserAgentSpecificMemory waits for a natural GC, up to 20 s or more).
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--enable-blink-features=ForceEagerMeasureMemory',
];

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const REPS = Number(option('--reps', 5));
// `--only coldstart`: just the returning visit → first audio measurement (prints its samples).
const ONLY = option('--only', null);
const PRELOAD = argv.includes('--preload');
// `--linger MS`: how long the visitor stays on the page before leaving (default 5000).
const LINGER_MS = Number(option('--linger', 5000));
if (ONLY !== null && ONLY !== 'coldstart' && ONLY !== 'streaming')
  throw new Error(`--only: unknown section ${ONLY} (coldstart, streaming)`);
// Another voice (e.g. build/voices/test-tiny.onnx) for a quick check of the bench itself.
const VOICE = option('--voice', DEFAULT_VOICE);
const t0 = Date.now();
const log = (msg) => console.log(`[bench +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);
const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true }))
    try {
      if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
    } catch {
      // removed by someone else's edit while we looked
    }
  return newest;
}

/**
 * Builds when an output is missing or older than the sources it comes from. Returns what
 * happened; a failed build of an existing dist/ is benchmarked anyway and flagged in the report.
 */
function ensureBuilt() {
  const outputs = [
    'dist/index.js',
    'dist/worker.js',
    'dist/core/avatar-voice-core.wasm',
    'dist/core/espeak-ng-data-en.pack',
    'dist/ort/ort-wasm-simd-threaded.wasm',
  ];
  const missing = outputs.filter((f) => !existsSync(join(ROOT, f)));
  const oldest = missing.length ? 0 : Math.min(...outputs.map((f) => statSync(join(ROOT, f)).mtimeMs));
  const stale = !missing.length && Math.max(newestMtime('web'), newestMtime('src'), newestMtime('wasm')) > oldest;
  if (argv.includes('--no-build')) {
    log(`--no-build: using dist/ as it is${missing.length || stale ? ' (missing or stale!)' : ''}`);
    return stale ? 'skipped (--no-build), dist/ older than sources' : 'skipped (--no-build)';
  }
  if (!missing.length && !stale) {
    log('dist/ is up to date');
    return 'up to date';
  }
  log(`building (${missing.length ? `missing ${missing.join(', ')}` : 'sources newer than dist/'})`);
  try {
    execFileSync('bash', ['scripts/build.sh'], { cwd: ROOT, stdio: 'inherit' });
    return 'built';
  } catch (error) {
    if (missing.length) throw error;
    log('BUILD FAILED: benchmarking the existing dist/ (flagged in the report)');
    return 'build failed, existing dist/ benchmarked';
  }
}

function ensureVoice() {
  if (existsSync(join(ROOT, VOICE)) && existsSync(join(ROOT, `${VOICE}.json`))) return log(`${VOICE} present`);
  if (VOICE !== DEFAULT_VOICE) throw new Error(`${VOICE} (or its .json) not found`);
  log(`generating ${VOICE} (about 2 minutes, once)`);
  execFileSync('bash', ['scripts/make_test_voices.sh', '--medium'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * A served copy of what the page needs, with dist/ frozen at the start of the run: other
 * engineers rebuild dist/ on this machine while a run is going.
 */
function snapshotRoot() {
  const root = mkdtempSync(join(os.tmpdir(), 'av-bench-root-'));
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'demo'), join(root, 'demo'), { recursive: true }); // demoHistory opens the demo
  mkdirSync(join(root, 'node_modules'));
  mkdirSync(join(root, 'build/voices'), { recursive: true });
  symlinkSync(join(ROOT, 'bench'), join(root, 'bench'));
  symlinkSync(join(ROOT, 'node_modules/onnxruntime-web'), join(root, 'node_modules/onnxruntime-web'));
  for (const f of [VOICE, `${VOICE}.json`]) symlinkSync(join(ROOT, f), join(root, f));
  return root;
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: Number(execFileSync('nproc').toString().trim()),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    kernel: os.release(),
    node: process.version,
  };
}

/** Proportional set size of every Chromium process of this run (shared pages split fairly). */
function chromiumPss(userDataDir) {
  let kib = 0;
  let processes = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(userDataDir)) continue;
      kib += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      processes++;
    } catch {
      // the process ended while we looked
    }
  }
  return processes ? { bytes: kib * 1024, processes } : null;
}

/** RSS of every process of this Chromium, summed (shared pages counted in each: compare runs only). */
function chromiumRss(userDataDir) {
  let kib = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(userDataDir)) continue;
      kib += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return kib * 1024;
}

/** Samples chromiumRss every 10 ms until stop(), which returns the highest sample. */
function sampleRss(userDataDir) {
  let peak = chromiumRss(userDataDir);
  const timer = setInterval(() => {
    peak = Math.max(peak, chromiumRss(userDataDir));
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, chromiumRss(userDataDir));
    },
  };
}

/**
 * The demo's History opened with `count` sessions in its database (issue #20): from the tab's
 * click until its first page of sessions is in the DOM, in a page of its own.
 */
async function demoHistory(context, url, count, reps) {
  const demo = await context.newPage();
  try {
    await demo.goto(`${url}/demo/`);
    await demo.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    await demo.evaluate(async (n) => {
      const store = window.demoApp.store;
      const avatar = await store.avatars.create({ name: 'Bench' });
      const metadata = { status: 'completed', questions: [{ text: 'Why this role?', answer: 'Because.' }] };
      await store.transaction(async (tx) => {
        for (let i = 1; i <= n; i++) await tx.sessions.create({ avatarId: avatar.id, kind: 'interview', title: `Session ${i}`, metadata });
      });
    }, count);
    const samples = [];
    for (let i = 0; i <= reps; i++) {
      const ms = await demo.evaluate(async () => {
        document.getElementById('tab-speak').click();
        const list = document.getElementById('history-list');
        list.replaceChildren();
        const shown = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (list.querySelector('li.session')) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(list, { childList: true });
        });
        const t0 = performance.now();
        document.getElementById('tab-history').click();
        await shown;
        return performance.now() - t0;
      });
      samples.push({ warmup: i === 0, ms });
    }
    return { sessions: count, shown: await demo.locator('#history-list li.session').count(), samples };
  } catch (error) {
    return { error: String(error.message ?? error) };
  } finally {
    await demo.close();
  }
}

function report(results) {
  console.log(`\n${renderConsole(results)}`);
  if (argv.includes('--update-baseline')) {
    writeFileSync(join(ROOT, 'bench/BASELINE.md'), renderMarkdown(results));
    log('wrote bench/BASELINE.md');
  }
}

async function main() {
  const built = ensureBuilt();
  ensureVoice();
  // The commit the run starts from (others may commit while it runs).
  const gitState = {
    sha: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    dirty: Boolean(git(['status', '--porcelain', '--untracked-files=no'])),
  };
  const loadSamples = [load()];
  if (loadSamples[0][0] > os.availableParallelism())
    log(`machine busy (1-min load ${loadSamples[0][0]} on ${os.availableParallelism()} cores): numbers will be noisy and the run slower`);
  const root = snapshotRoot();
  const sizes = measureSizes(root, packageFiles(root));
  const server = await startServer({ port: 0, root });
  const userDataDir = mkdtempSync(join(os.tmpdir(), 'av-bench-'));
  const fetched = [];
  let context;
  let page;
  // A browser on the bench's profile (HTTP cache, code cache, OPFS kept between launches).
  const launch = async () => {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    context.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    page.on(
      'console',
      (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && console.error('[page console]', m.text()),
    );
    context.on(
      'response',
      (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && console.error(`[http ${r.status()}] ${r.url()}`),
    );
  };
  await launch();
  const step = async (name, args = {}, label = '') => {
    const started = Date.now();
    const result = await page.evaluate(([n, a]) => window.bench[n](a), [name, args]);
    loadSamples.push(load());
    log(`${name}${label}${args.numThreads ? ` (${args.numThreads} thr)` : ''}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
  const results = { textSet: TEXT_SET, reps: REPS, voice: VOICE, build: built };
  // Last, since it ends every state before it: the voice in the OPFS cache, then visits as a
  // returning visitor makes them — the browser closed and started again on the same profile (a
  // reload in the same browser finds onnxruntime's optimised code still alive in the renderer,
  // which made reloads 2x faster than a visit), AvatarVoice.create() → loadVoice from the cache →
  // first chunk of a short sentence.
  const coldStarts = async (into) => {
    const voiceUrl = `/${VOICE}`;
    const { ids, scales } = await step('cacheVoice', { url: voiceUrl });
    into.coldStart = [];
    into.rawColdStart = [];
    into.coldStartLingerMs = LINGER_MS;
    const visit = async () => {
      // The visitor stayed a while (Chromium writes the wasm code it optimised to its code cache
      // meanwhile), then left, and came back.
      await new Promise((resolve) => setTimeout(resolve, LINGER_MS));
      await context.close();
      await launch();
      const from = fetched.length;
      await page.goto(`${server.url}/bench/bench.html`);
      await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
      return from;
    };
    for (let i = 0; i <= REPS; i++) {
      const from = await visit();
      const r = await step('coldStart', { url: voiceUrl, preload: PRELOAD });
      const voiceRequests = fetched.slice(from).filter((p) => p.startsWith('/build/voices/')).length;
      into.coldStart.push({ ...r, warmup: i === 0, voiceRequests });
      // The baseline's visit, interleaved: onnxruntime-web alone on the same profile and voice.
      await visit();
      const raw = await step('rawColdStart', { url: voiceUrl, ids, scales, numThreads: os.availableParallelism() });
      into.rawColdStart.push({ ...raw, warmup: i === 0 });
    }
  };
  try {
    await page.goto(`${server.url}/bench/bench.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    results.chromium = (await cdp.send('Browser.getVersion')).product;
    const env = await step('environment');
    if (!env.crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated');
    const N = env.hardwareConcurrency;
    results.environment = env;
    if (ONLY === 'coldstart') {
      // A slice of the bench while working on it: its raw samples, no table, no baseline.
      await coldStarts(results);
      console.log(JSON.stringify({ coldStart: results.coldStart, rawColdStart: results.rawColdStart }, null, 1));
      return;
    }

    // Startup first: what is fetched until then is what a page downloads before any voice.
    results.startupCore = await step('startupCore', { reps: REPS, numThreads: N });
    const seen = (from) => [...new Set(fetched.slice(from))];
    results.fetchedBeforeVoice = seen(0);
    results.voiceFile = await step('fetchVoice', `/${VOICE}`);
    const beforeLoad = fetched.length;
    results.voiceLoad = await step('voiceLoad', { reps: REPS, numThreads: N });
    results.fetchedAtVoiceLoad = seen(beforeLoad).filter((p) => !p.startsWith('/build/'));
    results.rawSession = await step('rawSession', { reps: REPS, numThreads: N });
    if (ONLY === 'streaming') {
      // The windowed-streaming table's raw samples only (paragraph, 5- and 40-word first audio).
      const streaming = await step('streaming', { reps: REPS, numThreads: N });
      const summary = streaming.samples.map((r) => ({
        firstMs: Math.round(r.window.firstMs),
        windowsMs: Math.round(r.window.totalMs),
        sentencesMs: Math.round(r.sentence.totalMs),
        rawMs: Math.round(r.rawMs),
        first5: Math.round(r.first5),
        first40: Math.round(r.first40),
      }));
      console.log(JSON.stringify(summary));
      return;
    }

    const sentences = SENTENCES.map((text) => ({ text, samples: [] }));
    results.pipeline = { numThreads: N, sentences };
    try {
      results.split = await step('startSplit', { numThreads: N, patchReps: REPS });
      for (let index = 0; index < SENTENCES.length; index++)
        sentences[index].prepare = await step('splitPrepare', { index, numThreads: N }, ` #${index + 1}`);
    } catch (error) {
      results.split = { error: String(error.message ?? error) };
      log(`core-direct split unavailable: ${results.split.error}`);
      await step('stopSplit');
    }
    results.pipeline.warmup = await step('pipelineWarmup', { numThreads: N });
    // Pass by pass, so a burst of load from elsewhere hits one repetition of every sentence.
    for (let pass = 0; pass < REPS; pass++) {
      const started = Date.now();
      for (let index = 0; index < SENTENCES.length; index++)
        sentences[index].samples.push(await page.evaluate((a) => window.bench.pipelinePass(a), { index, pass, numThreads: N }));
      loadSamples.push(load());
      log(`pipeline pass ${pass + 1}/${REPS} (${N} thr): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await step('stopSplit');
    results.store = await step('store', { reps: REPS, numThreads: N });
    results.storeFormats = await step('storeFormats', { count: 1000, numThreads: N });
    results.storeRows = await step('storeRows', { reps: REPS, rows: 100_000, points: 1000 });
    results.demoHistory = await demoHistory(context, server.url, 1000, REPS);
    log('demoHistory done');

    results.paragraph = { [N]: await step('paragraph', { reps: REPS, numThreads: N }) };
    results.streaming = await step('streaming', { reps: REPS, numThreads: N });
    results.incremental = await step('incremental', { reps: REPS, numThreads: N });
    if (N !== 1) {
      await step('release', { numThreads: N });
      await step('voiceLoad', { reps: 0, numThreads: 1 });
    }
    // Memory on a 1-thread instance alone: with ORT's thread pool, Chromium's measurement waits
    // 60 s for pool threads parked in Atomics.wait (and attributes nothing to them anyway).
    const memory = async () => ({ page: await step('memory'), chromiumPss: chromiumPss(userDataDir) });
    results.memory = { loaded: await memory() };
    if (N !== 1) results.paragraph[1] = await step('paragraph', { reps: REPS, numThreads: 1 });
    results.memory.afterSynthesis = await memory();
    await step('release', { numThreads: 1 });

    // Peak memory of one 60-word sentence: a fresh 1-thread engine per mode (heaps grow once),
    // the processes' RSS sampled every 10 ms while it synthesizes.
    results.peakMemory = {};
    for (const mode of ['raw', 'sentence', 'window']) {
      const info = await step('peakPrepare', { mode }, ` ${mode}`);
      const before = chromiumRss(userDataDir);
      const sampler = sampleRss(userDataDir);
      const run = await step('peakRun', {}, ` ${mode}`);
      const peak = sampler.stop();
      await step('peakRelease');
      results.peakMemory[mode] = { ...info, ms: run.ms, beforeBytes: before, peakBytes: peak };
    }

    await coldStarts(results);
  } finally {
    await context.close();
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }

  const asFiles = (paths) => paths.filter((p) => p.startsWith('/dist/')).map((p) => p.slice(1));
  const before = asFiles(results.fetchedBeforeVoice);
  const atLoad = asFiles(results.fetchedAtVoiceLoad);
  results.sizes = sizes.map((s) => ({
    ...s,
    fetched: before.includes(s.file) ? 'before voice' : atLoad.includes(s.file) ? 'at voice load' : 'no',
  }));
  const unlisted = [...before, ...atLoad].filter((f) => !sizes.some((s) => s.file === f));
  if (unlisted.length) results.sizesUnlisted = unlisted;
  results.machine = { ...machine(), chromium: results.chromium };
  results.load = {
    start: loadSamples[0],
    end: loadSamples.at(-1),
    max1m: Math.max(...loadSamples.map((l) => l[0])),
    min1m: Math.min(...loadSamples.map((l) => l[0])),
  };
  results.git = gitState;
  results.date = new Date().toISOString();
  results.durationS = Math.round((Date.now() - t0) / 1000);

  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = results.date.replace(/:/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(dir, `${stamp}-${results.git.sha}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
  report(results);
  log(`wrote ${file.slice(ROOT.length + 1)}`);
}

const saved = option('--render', null);
if (saved) report(JSON.parse(readFileSync(resolve(saved), 'utf8')));
else await main();
