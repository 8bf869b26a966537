// The generated test voices (scripts/make_test_voices.sh → build/voices).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { AvatarVoice, type Voice } from '../../dist/index.js';

export const VOICES = fileURLToPath(new URL('../../build/voices/', import.meta.url));

export function voiceFiles(name: 'test-tiny' | 'test-tiny-multi'): { model: Uint8Array; config: string } {
  return {
    model: new Uint8Array(readFileSync(`${VOICES}${name}.onnx`)),
    config: readFileSync(`${VOICES}${name}.onnx.json`, 'utf8'),
  };
}

/** A fresh engine with the tiny test voice loaded: the usual start of a synthesis test file. */
export async function tinyEngine(): Promise<{ av: AvatarVoice; voice: Voice }> {
  const av = await AvatarVoice.create();
  return { av, voice: await av.loadVoice(voiceFiles('test-tiny')) };
}

/** The `code` a promise rejects with ('ok' when it resolves; 'untyped: …' for a plain Error). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? `untyped: ${String(error)}`;
  }
}
