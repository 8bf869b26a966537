// Phoneme rows travel packed (web/packed_phoneme_rows.ts ↔ src/store/packed_phoneme_rows.cpp).
// Oracles: the rows the test wrote (through the real wasm core and SQLite and back), and a blob
// laid out by hand from the documented format (src/store/packed_phoneme_rows.h).
import { beforeAll, describe, expect, it } from 'vitest';

import { AvatarVoice, type Store } from '../../dist/index.js';
import { packPhonemeRows, unpackPhonemeRows } from '../../web/packed_phoneme_rows.js';

let store: Store;
beforeAll(async () => {
  store = await (await AvatarVoice.create()).openStore();
}, 60_000);

const newAudio = async () =>
  (await store.audios.create({ text: 'rows', voiceId: 'v', sampleRate: 22050, durationMs: 1, format: 'pcm_f32' }, new Uint8Array(8))).id;

/** Two rows by hand: {0, h, 0..41.25, sil}, {1, ə, 41.25..90, none}; strings h, sil, ə. */
function handBuilt(): Uint8Array {
  const bytes: number[] = [...new TextEncoder().encode('AVPH')];
  const u32 = (v: number) => bytes.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  const f64 = (d: number) => bytes.push(...new Uint8Array(new Float64Array([d]).buffer));
  for (const v of [1, 2, 3]) u32(v); // version, rows, strings
  for (const d of [0, 41.25, 41.25, 90, 0, 1]) f64(d); // startMs, endMs, idx
  for (const v of [0, 2, 1, 0xffffffff, 1, 4, 6]) u32(v); // phoneme, viseme (-1 = none), string ends
  bytes.push(...new TextEncoder().encode('hsilə'));
  return new Uint8Array(bytes);
}

describe('packed phoneme rows', () => {
  it('pack gives the documented bytes, and unpack reads them', () => {
    const rows = [
      { idx: 0, phoneme: 'h', startMs: 0, endMs: 41.25, viseme: 'sil' },
      { idx: 1, phoneme: 'ə', startMs: 41.25, endMs: 90, viseme: null },
    ];
    expect(packPhonemeRows(rows)).toEqual(handBuilt());
    expect(unpackPhonemeRows(handBuilt(), 7)).toEqual([
      { audioId: 7, idx: 0, phoneme: 'h', startMs: 0, endMs: 41.25, viseme: 'sil' },
      { audioId: 7, idx: 1, phoneme: 'ə', startMs: 41.25, endMs: 90, viseme: '' },
    ]);
  });

  it('a malformed blob from the store is a STORE error, never a read past its end', () => {
    const whole = handBuilt();
    for (const [bytes, why] of [
      [whole.subarray(0, 10), 'shorter than the header'],
      [whole.subarray(0, 40), 'do not fit'],
      [Uint8Array.from(whole, (b, i) => (i === 0 ? 88 : b)), 'no AVPH version 1 header'],
      [Uint8Array.from(whole, (b, i) => (i === whole.length - 10 ? 200 : b)), 'ends outside the pool'],
      [Uint8Array.from(whole, (b, i) => (i === 64 ? 9 : b)), 'names a string outside the table'],
    ] as const)
      expect(() => unpackPhonemeRows(bytes, 1)).toThrow(expect.objectContaining({ code: 'STORE', message: expect.stringContaining(why) }));
  });

  it('rows in any order, with repeated and multi-byte strings, come back as written, by idx', async () => {
    const audioId = await newAudio();
    const symbols = ['ə', 'ɹ', 'tʃ', ' ', 'aɪ', 'ˈa'];
    const rows = Array.from({ length: 5000 }, (_, i) => {
      const idx = (i * 7919) % 5000; // a permutation of 0..4999
      return {
        idx,
        phoneme: symbols[idx % symbols.length]!,
        startMs: idx * 10.5,
        endMs: idx * 10.5 + 10.5,
        viseme: idx % 3 ? `v${idx % 5}` : null,
      };
    });
    expect(await store.phonemes.insertBatch(audioId, rows)).toEqual({ inserted: 5000 });
    const expected = rows.map((r) => ({ audioId, ...r, viseme: r.viseme ?? '' })).sort((a, b) => a.idx - b.idx);
    expect(await store.phonemes.list(audioId)).toEqual(expected);
    // Single-row reads (JSON) agree with the packed list.
    expect(await store.phonemes.get(audioId, 4999)).toEqual(expected[4999]);
  });

  it('a bad row is named and stores nothing; a wrong type is refused before it is packed', async () => {
    const audioId = await newAudio();
    const rows = [
      { phoneme: 'a', startMs: 0, endMs: 1 },
      { phoneme: 'b', startMs: 5, endMs: 2 },
    ];
    await expect(store.phonemes.insertBatch(audioId, rows)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('rows[1]: need 0 <= startMs <= endMs'),
    });
    await expect(
      store.phonemes.insertBatch(audioId, [
        { phoneme: 'a', startMs: 0, endMs: 1 },
        { phoneme: 'a', startMs: 1, endMs: 2, idx: 0 },
      ]),
    ).rejects.toMatchObject({
      code: 'CONSTRAINT',
    });
    expect(await store.phonemes.list(audioId)).toEqual([]);
    const wrong = [{ phoneme: 5, startMs: 0, endMs: 1 }] as unknown as typeof rows;
    await expect(store.phonemes.insertBatch(audioId, wrong)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'phonemes.insertBatch: rows[0].phoneme must be a string',
    });
    const fractional = [{ phoneme: 'a', startMs: 0, endMs: 1, idx: 1.5 }];
    await expect(store.phonemes.insertBatch(audioId, fractional)).rejects.toMatchObject({
      message: expect.stringContaining('rows[0].idx must be a whole number'),
    });
    await expect(store.phonemes.insertBatch(424242, [{ phoneme: 'a', startMs: 0, endMs: 1 }])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
