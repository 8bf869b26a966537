// The cached parts' digest (wasm/part_digest_bindings.cpp → src/voice/part_digest.h) against
// xxHash's own CLI, `xxh128sum` (Debian's xxhash package): the same 32 hex characters for a test
// voice, for a view into a larger buffer (byteOffset ≠ 0, across the binding's 1 MiB pieces) and
// for empty input; a non-Uint8Array is a typed error, not a crash.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { VOICES } from './voices.js';

const CORE = fileURLToPath(new URL('../../dist/core/', import.meta.url));

let core: { partDigest(bytes: unknown): string | { __error: { code: string; message: string } } };

beforeAll(async () => {
  const factory = (await import(`${CORE}avatar-voice-core.mjs`)).default;
  core = await factory({ wasmBinary: readFileSync(`${CORE}avatar-voice-core.wasm`) });
});

/** What xxh128sum prints for `bytes` (written to a temporary file). */
function reference(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'av-digest-'));
  try {
    writeFileSync(join(dir, 'bytes'), bytes);
    return execFileSync('xxh128sum', [join(dir, 'bytes')], { encoding: 'utf8' }).split(' ')[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('partDigest (XXH3-128)', () => {
  it('equals xxh128sum on a test voice file', () => {
    const model = new Uint8Array(readFileSync(`${VOICES}test-tiny.onnx`));
    expect(core.partDigest(model)).toBe(reference(model));
  });

  it('digests exactly the bytes of a view, across its 1 MiB pieces', () => {
    const buffer = new Uint8Array(2.5 * 1024 * 1024 + 11);
    for (let i = 0, x = 7; i < buffer.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      buffer[i] = x >>> 24;
    }
    const view = buffer.subarray(3, buffer.length - 5);
    const expected = reference(view.slice());
    expect(core.partDigest(view)).toBe(expected);
    view[view.length - 1]! ^= 1;
    expect(core.partDigest(view)).not.toBe(expected);
  });

  it('digests empty input as xxh128sum does', () => {
    expect(core.partDigest(new Uint8Array(0))).toBe(reference(new Uint8Array(0)));
  });

  it('refuses what is not a Uint8Array with a typed error', () => {
    for (const bad of [[1, 2, 3], 'abc', null, new Float32Array(4)]) {
      const result = core.partDigest(bad);
      expect(typeof result === 'object' && result.__error.code).toBe('INVALID_ARGUMENT');
    }
  });
});
