// The utterance limit (the store's text.maxChars, default kDefaultUtteranceChars from the core) is
// applied to synthesis before the text enters wasm, and an abort that arrives while the stream is
// still being planned stops it (it used to be lost: the whole text was synthesized).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AvatarVoice, Voice } from '../../dist/index.js';
import { codeOf, tinyEngine } from './voices.js';

let av: AvatarVoice;
let voice: Voice;
beforeAll(async () => {
  ({ av, voice } = await tinyEngine());
}, 120_000);
afterAll(() => av.dispose());

describe('utterance limits', () => {
  it('exposes the core limits once, from the core', () => {
    expect(av.info.limits).toMatchObject({ maxTextChars: 100000, defaultUtteranceChars: 5000, maxVoiceModelBytes: 256 * 1024 * 1024 });
  });

  it('refuses a text over the default utterance limit with TEXT_TOO_LONG, unless maxChars says otherwise', async () => {
    const long = 'Hi. '.repeat(1300); // 5200 characters
    expect(await codeOf(voice.synthesize(long))).toBe('TEXT_TOO_LONG');
    expect(await codeOf(voice.synthesize('Hi. '.repeat(20), { maxChars: 50 }))).toBe('TEXT_TOO_LONG');
    expect(await codeOf(voice.synthesize('Hi there.'))).toBe('ok');
  });

  it("applies the store's text.maxChars once a store is open", async () => {
    const store = await av.openStore();
    await store.config.set('text.maxChars', 40);
    expect(await codeOf(voice.synthesize('This sentence is longer than forty characters, clearly.'))).toBe('TEXT_TOO_LONG');
    expect(await codeOf(voice.synthesize('Short one.'))).toBe('ok');
    await store.config.delete('text.maxChars');
  });

  it('an abort while the stream is being planned stops it: nothing is synthesized', async () => {
    const text = 'One two three. Four five six. Seven eight nine. Ten eleven twelve.';
    const controller = new AbortController();
    let chunks = 0;
    const run = (async () => {
      for await (const _ of voice.stream(text, { signal: controller.signal, noiseW: 0 })) chunks++;
    })();
    controller.abort(); // the stream has called startStream and is waiting for its answer
    expect(await codeOf(run)).toBe('ABORTED');
    expect(chunks).toBe(0);
    // The voice still works afterwards.
    expect((await voice.synthesize('Fine.')).samples.length).toBeGreaterThan(0);
  });
});
