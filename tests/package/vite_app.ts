// A fresh Vite app that uses the packed package the way a user's app does: `npm install` of the
// tarball plus a pinned Vite, a main.js that phonemizes and synthesizes, `vite build`. The app
// lives in a temp dir; its node_modules are cached in build/package-smoke/ so a repeated run only
// reinstalls the tarball (a clean clone installs from the npm registry, --prefer-offline).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** Pinned, like everything else: bump it on purpose (it is the cache key too). */
export const VITE_VERSION = '7.3.8';
const CACHE = join(REPO, 'build/package-smoke', `vite-${VITE_VERSION}`);
export const SENTENCE = 'Hello there. How are you today?';

/** The environment of `npx vitest` carries npm's own settings for this repo (local_prefix…). */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => (!/^npm_/i.test(key) && key !== 'INIT_CWD') || keep.test(key)));
}

export function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

export interface PackedFile {
  path: string;
  size: number;
}

/** `npm pack` of the repo into `dir`: the tarball path, its size and its file list. */
export function pack(dir: string): { tarball: string; size: number; unpackedSize: number; files: PackedFile[] } {
  const out = run('npm', ['pack', '--json', '--pack-destination', dir], REPO);
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: PackedFile[] }[];
  return { tarball: join(dir, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files };
}

const MAIN_JS = `// What a user writes: the package by its name, the voice from the app's public/ folder.
import { AvatarVoice } from 'avatar-voice';

async function smoke() {
  const t0 = performance.now();
  const av = await AvatarVoice.create();
  const createMs = performance.now() - t0;
  const sentences = await av.phonemize(${JSON.stringify(SENTENCE)});
  const t1 = performance.now();
  const voice = await av.loadVoice({ model: '/test-tiny.onnx' });
  const loadMs = performance.now() - t1;
  const t2 = performance.now();
  const speech = await voice.synthesize(${JSON.stringify(SENTENCE)}, { noiseW: 0 });
  const synthMs = performance.now() - t2;
  const phonemeSamples = speech.phonemes.reduce((n, p) => n + p.endSample - p.startSample, 0);
  await voice.dispose();
  av.dispose();
  return {
    version: av.info.version,
    phonemes: sentences.map((s) => s.phonemes.map((p) => p.phoneme).join('')),
    samples: speech.samples.length,
    phonemeSamples,
    visemes: speech.visemes.length,
    chunks: speech.chunks,
    timing: speech.timing,
    isolated: crossOriginIsolated,
    createMs,
    loadMs,
    synthMs,
  };
}

window.smoke = smoke().catch((e) => ({ error: \`\${e.code ?? e.name}: \${e.message}\` }));
window.smoke.then((r) => (document.getElementById('out').textContent = JSON.stringify(r, null, 2)));
`;

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>avatar-voice in Vite</title></head>
<body><pre id="out">working…</pre><script type="module" src="/main.js"></script></body></html>
`;

// The configuration the README recommends: the dev server must not pre-bundle the package (its
// files find each other with new URL(…, import.meta.url)) and sends COOP/COEP for ORT's threads.
const VITE_CONFIG = `import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export default defineConfig({
  optimizeDeps: { exclude: ['avatar-voice'] },
  server: { headers: isolation },
  preview: { headers: isolation },
});
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ES2022',
    moduleResolution: 'Bundler',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: [],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noEmit: true,
    skipLibCheck: false,
  },
  files: ['consumer.ts'],
};

/** Writes the app's files into `dir` (voice in public/, the type consumer beside main.js). */
export function writeApp(dir: string, tarball: string): void {
  mkdirSync(join(dir, 'public'), { recursive: true });
  const pkg = {
    name: 'avatar-voice-vite-smoke',
    private: true,
    type: 'module',
    dependencies: { 'avatar-voice': `file:${tarball}` },
    devDependencies: { vite: VITE_VERSION },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'main.js'), MAIN_JS);
  writeFileSync(join(dir, 'vite.config.js'), VITE_CONFIG);
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  copyFileSync(join(REPO, 'tests/types/consumer.ts'), join(dir, 'consumer.ts'));
  for (const f of ['test-tiny.onnx', 'test-tiny.onnx.json']) copyFileSync(join(REPO, 'build/voices', f), join(dir, 'public', f));
}

/** `npm install` in `dir`, starting from the cached node_modules when there are some. */
export function install(dir: string): { cached: boolean } {
  const cached = existsSync(join(CACHE, 'node_modules/vite/package.json'));
  if (cached) {
    cpSync(join(CACHE, 'node_modules'), join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    // The lock file without the package under test: its entry pins the integrity of the tarball
    // of an earlier run, and npm would reinstall that one from its cache (a stale package).
    const lock = JSON.parse(readFileSync(join(CACHE, 'package-lock.json'), 'utf8')) as { packages?: Record<string, unknown> };
    delete lock.packages?.['node_modules/avatar-voice'];
    writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  }
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  if (!cached) {
    rmSync(CACHE, { recursive: true, force: true });
    mkdirSync(CACHE, { recursive: true });
    // Everything but the package under test, whose tarball changes with every build.
    cpSync(join(dir, 'node_modules'), join(CACHE, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => !src.startsWith(join(dir, 'node_modules/avatar-voice')),
    });
    copyFileSync(join(dir, 'package-lock.json'), join(CACHE, 'package-lock.json'));
  }
  return { cached };
}

/** Type-checks consumer.ts against the installed package (its .d.ts files and "exports"). */
export function typecheck(dir: string): void {
  run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], dir);
}

export function viteBuild(dir: string): string {
  return run(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir);
}

export function installedVersion(dir: string, name: string): string | null {
  const file = join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : null;
}
