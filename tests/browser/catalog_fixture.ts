// A local Piper catalogue for the browser tests: build/voices/test-catalog/voices.json in the
// published format, listing the generated tiny voice twice — "en_US-tiny-x_low" with its real
// size and MD5 (node:crypto: an oracle independent of the package's hash-wasm) and
// "en_US-tinybad-x_low" whose listed MD5 is wrong. Served by scripts/serve.mjs (build/voices).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, 'build/voices/test-catalog');
export const CATALOG_PATH = '/build/voices/test-catalog/voices.json';
export const GOOD_KEY = 'en_US-tiny-x_low';
export const BAD_KEY = 'en_US-tinybad-x_low';
export const TINY_MODEL_BYTES = readFileSync(join(ROOT, 'build/voices/test-tiny.onnx')).byteLength;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

export function writeTestCatalog(): void {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(join(DIR, 'voices'), { recursive: true });
  const model = readFileSync(join(ROOT, 'build/voices/test-tiny.onnx'));
  const config = readFileSync(join(ROOT, 'build/voices/test-tiny.onnx.json'));
  const catalog: Record<string, unknown> = {};
  for (const key of [GOOD_KEY, BAD_KEY]) {
    copyFileSync(join(ROOT, 'build/voices/test-tiny.onnx'), join(DIR, 'voices', `${key}.onnx`));
    writeFileSync(join(DIR, 'voices', `${key}.onnx.json`), config);
    catalog[key] = {
      key,
      name: key.split('-')[1],
      language: {
        code: 'en_US',
        family: 'en',
        region: 'US',
        name_native: 'English',
        name_english: 'English',
        country_english: 'United States',
      },
      quality: 'x_low',
      num_speakers: 1,
      speaker_id_map: {},
      files: {
        [`voices/${key}.onnx`]: { size_bytes: model.byteLength, md5_digest: key === BAD_KEY ? md5(Buffer.from('other')) : md5(model) },
        [`voices/${key}.onnx.json`]: { size_bytes: config.byteLength, md5_digest: md5(config) },
      },
      aliases: [],
    };
  }
  writeFileSync(join(DIR, 'voices.json'), JSON.stringify(catalog));
}

export function removeTestCatalog(): void {
  rmSync(DIR, { recursive: true, force: true });
}
