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
