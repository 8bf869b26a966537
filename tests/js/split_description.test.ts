// web/split_description.ts against real splits of the test voices (the wasm core's splitModel):
// the description written to parts.json carries no model bytes, and described() of it read back
// is the split itself with every model emptied. The expected value is built by a generic walk
// that empties every Uint8Array it finds, not by the module's own field list, so a field added to
// the split that the description drops (or a byte field it leaks) fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import type { ModelSplitValue } from '../../wasm/avatar_voice_core.js';
import { described, description } from '../../web/split_description.js';
import { VOICES } from './voices.js';

const CORE = fileURLToPath(new URL('../../dist/core/', import.meta.url));

type Core = {
  patchModel(model: Uint8Array): { model: Uint8Array };
  splitModel(model: Uint8Array, cutDecoder: boolean, expandOutside: boolean, chainNodes: number): ModelSplitValue & { ok: boolean };
};
let core: Core;

beforeAll(async () => {
  const factory = (await import(`${CORE}avatar-voice-core.mjs`)).default;
  core = await factory({ wasmBinary: readFileSync(`${CORE}avatar-voice-core.wasm`) });
});

/** `value` with every Uint8Array in it replaced by an empty one. */
function emptied(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(0);
  if (Array.isArray(value)) return value.map(emptied);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, emptied(v)]));
  return value;
}

function byteArraysIn(value: unknown): number {
  if (value instanceof Uint8Array) return 1;
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + byteArraysIn(v), 0);
  return 0;
}

const cases: [string, boolean, boolean, number][] = [
  ['test-tiny', true, true, 40], // decoder cut, expansion outside A, A as a chain
  ['test-tiny-multi', true, true, 0], // speaker embedding, A whole
  ['test-tiny', false, false, 0], // B whole, z_p from A
];

describe('split description', () => {
  it.each(cases)('%s (cut decoder %s, expand outside %s, chain %i): survives JSON without its bytes', (voice, cut, expand, chain) => {
    const split = core.splitModel(core.patchModel(new Uint8Array(readFileSync(`${VOICES}${voice}.onnx`))).model, cut, expand, chain);
    expect(split.ok).toBe(true);
    expect(byteArraysIn(split)).toBeGreaterThan(1);
    expect(Boolean(split.decoderCut)).toBe(cut);
    if (chain) expect(split.partAChain?.length).toBeGreaterThan(1);

    const json = JSON.stringify(description(split));
    expect(json.length).toBeLessThan(20_000); // names and numbers only: the parts are ~100 KB+
    const again = described(JSON.parse(json));
    expect(emptied(again)).toEqual(emptied(split));
    expect(again).toEqual(emptied(split));
  });
});
