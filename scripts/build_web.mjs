// Bundles the TypeScript package into dist/: index.js (main thread) and worker.js (the worker),
// each a self-contained ES module (Comlink inlined) so the package works with or without a bundler.
// Type declarations come from tsc (emitDeclarationOnly). Assets stay beside them in dist/core/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

for (const f of readdirSync('dist', { withFileTypes: true }))
  if (f.isFile() && /^(chunk|engine_api|errors)-.*\.js$/.test(f.name)) rmSync(`dist/${f.name}`);
// Declarations of renamed or deleted sources must not linger (and be packed with dist/*.d.ts).
for (const dir of ['dist', 'dist/formats'].filter((d) => existsSync(d)))
  for (const f of readdirSync(dir, { withFileTypes: true })) if (f.isFile() && f.name.endsWith('.d.ts')) rmSync(`${dir}/${f.name}`);
rmSync('dist/chunks', { recursive: true, force: true });
mkdirSync('dist/ort', { recursive: true });
for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'])
  copyFileSync(`node_modules/onnxruntime-web/dist/${f}`, `dist/ort/${f}`);

const common = {
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  // ORT's non-bundled build: it loads its own glue + wasm from env.wasm.wasmPaths (dist/ort/), so
  // its pthread workers start from ORT's own script, not from ours.
  conditions: ['onnxruntime-web-use-extern-wasm'],
  sourcemap: false,
  logLevel: 'warning',
};
await Promise.all([
  // Chunks stay beside index.js: assets are found relative to import.meta.url.
  build({ ...common, entryPoints: { index: 'web/index.ts' }, splitting: true, chunkNames: 'chunk-[hash]' }),
  // The worker is one file that imports nothing: a bundler (Vite, webpack) treats
  // `new URL('./worker.js', import.meta.url)` as an asset and copies it alone, verbatim, so shared
  // chunks beside it would not be found. The main thread resolves every asset URL and passes it in.
  build({ ...common, entryPoints: { worker: 'web/worker.ts' }, splitting: false }),
]);
execFileSync('npx', ['tsc', '-p', 'web/tsconfig.json', '--emitDeclarationOnly'], { stdio: 'inherit' });
console.log('[build] dist/index.js, dist/worker.js and .d.ts written');
