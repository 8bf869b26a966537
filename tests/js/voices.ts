// The generated test voices (scripts/make_test_voices.sh → build/voices).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VOICES = fileURLToPath(new URL('../../build/voices/', import.meta.url));

export function voiceFiles(name: 'test-tiny' | 'test-tiny-multi'): { model: Uint8Array; config: string } {
  return {
    model: new Uint8Array(readFileSync(`${VOICES}${name}.onnx`)),
    config: readFileSync(`${VOICES}${name}.onnx.json`, 'utf8'),
  };
}
