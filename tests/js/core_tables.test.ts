// One source for each table the package shares with the C++ core (issue #15): the lists the build
// wrote into the package (web/generated/core_tables.ts, from scripts/core_tables_ts.cpp) must be
// exactly what the wasm module exports at runtime, and the TypeScript error codes must be the
// core's codes plus web-only ones that the core does not have.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { AZURE_VISEMES, CORE_ERROR_CODES, OCULUS_VISEMES, WEB_ERROR_CODES } from '../../dist/index.js';
import { LANGUAGE_PACKS } from '../../web/generated/core_tables.js';

const CORE = fileURLToPath(new URL('../../dist/core/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let core: any;
beforeAll(async () => {
  const factory = (await import(`${CORE}avatar-voice-core.mjs`)).default;
  core = await factory({ wasmBinary: readFileSync(`${CORE}avatar-voice-core.wasm`) });
});

describe('tables shared with the core', () => {
  it('CORE_ERROR_CODES is the list the core exports, in its order', () => {
    expect([...CORE_ERROR_CODES]).toEqual(core.errorCodes());
    // The codes the bindings themselves produce are core codes too (bad_alloc, other exceptions).
    expect(CORE_ERROR_CODES).toEqual(expect.arrayContaining(['OUT_OF_MEMORY', 'INTERNAL', 'QUOTA_EXCEEDED']));
  });

  it('web-only codes are not core codes, and neither list repeats a code', () => {
    const core = new Set<string>(CORE_ERROR_CODES);
    expect(WEB_ERROR_CODES.filter((c) => core.has(c))).toEqual([]);
    const all = [...CORE_ERROR_CODES, ...WEB_ERROR_CODES];
    expect(new Set(all).size).toBe(all.length);
  });

  it('both viseme sets are the core table, in id order', () => {
    expect(core.visemeSets()).toEqual({ oculus: [...OCULUS_VISEMES], azure: [...AZURE_VISEMES] });
    // Hand-written anchors from docs/visemes.md, so the test is not the table restated.
    expect([OCULUS_VISEMES[0], OCULUS_VISEMES[1], OCULUS_VISEMES[14]]).toEqual(['sil', 'PP', 'ou']);
    expect([AZURE_VISEMES.length, AZURE_VISEMES[21], AZURE_VISEMES[19]]).toEqual([22, 'p_b_m', 'd_t_n']);
  });

  it('LANGUAGE_PACKS are the packs the build shipped beside the core', () => {
    const shipped = readdirSync(CORE)
      .map((f) => /^espeak-ng-data-([a-z]+)\.pack$/.exec(f)?.[1])
      .filter((l): l is string => !!l && l !== 'en');
    expect([...LANGUAGE_PACKS].sort()).toEqual(shipped.sort());
  });
});
