// The package asks for onnxruntime-web's files with `?v=<ORT_VERSION>` so that hosts can serve
// them as immutable (web/assets.ts): the version must be the one whose files dist/ort/ holds, or a
// browser would keep another release's wasm under this release's URL.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web/wasm';
import { describe, expect, it } from 'vitest';

import { ORT_VERSION, ortWasmFiles } from '../../web/assets.js';
import { INSTALLED_ORT_RELEASE } from '../ort_release.js';

describe('onnxruntime-web file URLs', () => {
  it('carry the installed onnxruntime-web release', () => {
    expect(ORT_VERSION).toBe(INSTALLED_ORT_RELEASE);
    expect(ORT_VERSION).toBe(ort.env.versions.web);
    const pinned = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pinned.devDependencies['onnxruntime-web']).toBe(ORT_VERSION);
  });

  it('are plain file URLs under Node, which reads them itself', () => {
    const files = ortWasmFiles();
    expect(files.wasm).toMatch(/^file:.*\/ort\/ort-wasm-simd-threaded\.wasm$/);
    expect(files.mjs).toMatch(/^file:.*\/ort\/ort-wasm-simd-threaded\.mjs$/);
  });
});
