/**
 * Where the package's binary assets live. By default they sit next to this module in `dist/core/`
 * and are found with `new URL(..., import.meta.url)`, which bundlers (Vite, webpack 5) follow;
 * pass any of these to self-host or use a CDN.
 */
export interface AssetUrls {
  /** The Emscripten ES module glue, `avatar-voice-core.mjs`. */
  coreModule?: string | URL;
  /** The core's wasm binary, `avatar-voice-core.wasm`. */
  coreWasm?: string | URL;
  /** The English espeak-ng data pack, `espeak-ng-data-en.pack`. */
  espeakData?: string | URL;
}

export interface ResolvedAssetUrls {
  coreModule: string;
  coreWasm: string;
  espeakData: string;
}

/** Where the data pack of an extra espeak-ng language ships (`dist/core/espeak-ng-data-<lang>.pack`). */
export function languagePackUrl(language: string): string {
  return String(new URL(`./core/espeak-ng-data-${language}.pack`, import.meta.url));
}

/** onnxruntime-web's glue and binary (`dist/ort/`), as ORT's `env.wasm.wasmPaths` file map. */
export interface OrtWasmFiles {
  mjs: string;
  wasm: string;
}

/**
 * ORT's files, named one by one rather than as the `./ort/` folder: a bundler follows (and emits)
 * `new URL('<file>', import.meta.url)`, never a folder. Resolved on the main thread, because a
 * bundler copies `dist/worker.js` verbatim and the worker's own `import.meta.url` then points
 * into the app's assets folder.
 */
export function ortWasmFiles(): OrtWasmFiles {
  return {
    mjs: versioned(new URL('./ort/ort-wasm-simd-threaded.mjs', import.meta.url)),
    wasm: versioned(new URL('./ort/ort-wasm-simd-threaded.wasm', import.meta.url)),
  };
}

/**
 * The onnxruntime-web release whose files dist/ort/ holds (package.json pins it; a test checks
 * the two agree). Its files are requested with `?v=` this version, so a host can serve them as
 * immutable: Chromium keeps its compiled code for a wasm only while the cached response is used
 * as is, and a revalidated one (no-cache, 304) lost most of it (README, "Serving the package").
 */
export const ORT_VERSION = '1.30.0';

function versioned(url: URL): string {
  if (url.protocol === 'file:') return url.href; // Node reads the file itself
  url.searchParams.set('v', ORT_VERSION);
  return url.href;
}

export function resolveAssets(urls: AssetUrls = {}): ResolvedAssetUrls {
  return {
    coreModule: String(urls.coreModule ?? new URL('./core/avatar-voice-core.mjs', import.meta.url)),
    coreWasm: String(urls.coreWasm ?? new URL('./core/avatar-voice-core.wasm', import.meta.url)),
    espeakData: String(urls.espeakData ?? new URL('./core/espeak-ng-data-en.pack', import.meta.url)),
  };
}

interface NodeProcess {
  versions?: { node?: string };
}

/** True under Node.js (tests, SSR, tools), where fetch cannot read file: URLs. */
export function isNode(): boolean {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return typeof proc?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

/** Reads an asset's bytes: fetch in browsers and workers, the file system under Node. */
export async function loadBytes(url: string): Promise<Uint8Array> {
  const { AvatarVoiceError } = await import('./errors.js');
  try {
    if (isNode() && url.startsWith('file:')) {
      // A variable specifier keeps bundlers from trying to resolve a Node built-in for the web.
      const fsModule = 'node:fs/promises';
      const urlModule = 'node:url';
      const { readFile } = (await import(/* @vite-ignore */ fsModule)) as {
        readFile(path: string): Promise<Uint8Array>;
      };
      const { fileURLToPath } = (await import(/* @vite-ignore */ urlModule)) as {
        fileURLToPath(url: string): string;
      };
      return new Uint8Array(await readFile(fileURLToPath(url)));
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new AvatarVoiceError('ASSET_LOAD', `cannot load ${url}: ${(cause as Error).message}`);
  }
}
