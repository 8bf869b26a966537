// The size limits the page checks (web/limits.ts, numbers from src/core/limits.h) stop oversized store calls and language packs
// before they are copied into wasm, with TOO_LARGE, and the engine keeps working afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AvatarVoice } from '../../dist/index.js';
import { codeOf } from './voices.js';

let av: AvatarVoice;
beforeAll(async () => {
  av = await AvatarVoice.create();
}, 120_000);
afterAll(() => av.dispose());

describe('web size limits', () => {
  it('reports its own limits beside the core ones', () => {
    // The numbers of src/core/limits.h, as the page names them.
    expect(av.info.limits).toMatchObject({
      maxVoiceConfigBytes: 16 * 1024 * 1024,
      maxLanguagePackBytes: 64 * 1024 * 1024,
      maxStoreParamsBytes: 16 * 1024 * 1024,
      maxStoreBytes: 256 * 1024 * 1024,
      maxVoiceModelBytes: 256 * 1024 * 1024,
    });
  });

  it('refuses store parameters over the limit with TOO_LARGE and keeps the store usable', async () => {
    const store = await av.openStore();
    const big = 'x'.repeat(av.info.limits.maxStoreParamsBytes + 1);
    expect(await codeOf(store.config.set('demo.note', big))).toBe('TOO_LARGE');
    expect(await codeOf(store.avatars.create({ name: big }))).toBe('TOO_LARGE');
    expect((await store.avatars.getOrCreate('Ada')).name).toBe('Ada');
  });

  it('refuses a language pack over the limit with TOO_LARGE before installing it', async () => {
    const pack = new Uint8Array(av.info.limits.maxLanguagePackBytes + 1);
    expect(await codeOf(av.loadLanguage('de', pack))).toBe('TOO_LARGE');
    expect((await av.phonemize('Still here.')).length).toBe(1);
  });
});
