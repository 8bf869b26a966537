// What the browser suites measured in the engine they ran in, kept in
// build/test-results/engines/<engine>.json (merged across suites): voice load, first audio, RTF,
// threads, where the store lives, what autoplay does. scripts/test_summary.mjs prints them as one
// table per run; the README's browser-support table is copied from it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { BROWSER } from './chromium.js';

export interface EngineNumbers {
  version: string;
  /** The page's first loadVoice() of the tiny test voice, onnxruntime-web starting cold (ms). */
  voiceLoadMs: number;
  /** The first sentence's chunk after stream() (ms), warm. */
  firstChunkMs: number;
  /** A real click → the Player's first 'sentence' cue (ms). */
  clickToFirstAudioMs: number;
  /** Streaming time / audio time for a 3-sentence text (tiny voice, right after its load). */
  rtf: number;
  threads: number;
  /** How long a first voice load waited for onnxruntime-web to start (without `ort.preload`). */
  runtimeStartMs: number;
  /** Store persistence picked by default ('opfs' | 'indexeddb' | 'memory'). */
  storage: string;
  opfs: boolean;
  autoplay: string;
}

const DIR = resolve('build/test-results/engines');

export function recordEngineNumbers(numbers: Partial<EngineNumbers>): void {
  mkdirSync(DIR, { recursive: true });
  const file = `${DIR}/${BROWSER}.json`;
  let known: Partial<EngineNumbers> = {};
  try {
    known = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first numbers of this run
  }
  writeFileSync(file, `${JSON.stringify({ ...known, ...numbers }, null, 2)}\n`);
}
