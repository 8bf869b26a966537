// The store through the package API in Node (in-memory SQLite inside the wasm core).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AvatarVoice, type Store } from '../../dist/index.js';
import { voiceFiles } from './voices.js';
import { AZURE_NAMES } from './viseme_names.js';

let av: AvatarVoice;
let store: Store;
beforeAll(async () => {
  av = await AvatarVoice.create();
  store = await av.openStore();
}, 60_000);

describe('store (Node, memory)', () => {
  it('says it is in memory and why, in persistence and in health()', async () => {
    const expected = { storage: 'memory', survivesReload: false, reason: expect.stringContaining('Node') };
    expect(store.persistence).toEqual(expected);
    expect((await store.health()).persistence).toEqual(expected);
    // IndexedDB is a browser's: asking for it here is a typed error, not a silent memory store.
    await expect(av.openStore({ storage: 'indexeddb' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('IndexedDB'),
    });
  });

  it('does avatar CRUD with state patches', async () => {
    const ada = await store.avatars.getOrCreate('Ada');
    expect(await store.avatars.getOrCreate('Ada')).toEqual(ada);
    const patched = await store.avatars.patchState(ada.id, { emotion: 'happy', gaze: 'left' });
    expect(patched.state).toEqual({ emotion: 'happy', gaze: 'left' });
    expect((await store.avatars.patchState(ada.id, { gaze: null })).state).toEqual({ emotion: 'happy' });
    await expect(store.avatars.get(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('soft-deletes, restores and purges sessions', async () => {
    const avatar = await store.avatars.create({ name: 'Interviewer' });
    const s = await store.sessions.create({ avatarId: avatar.id, kind: 'interview', title: 'Mock 1' });
    await store.sessions.softDelete(s.id);
    expect((await store.sessions.list({ avatarId: avatar.id })).map((x) => x.id)).not.toContain(s.id);
    expect((await store.sessions.list({ avatarId: avatar.id, includeDeleted: true })).map((x) => x.id)).toContain(s.id);
    expect((await store.sessions.restore(s.id)).deletedAt).toBeNull();
    await store.sessions.purge(s.id);
    await expect(store.sessions.get(s.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rolls a transaction back when its callback throws', async () => {
    const before = (await store.stats()).rowCounts.avatars;
    await expect(
      store.transaction(async (tx) => {
        await tx.avatars.create({ name: 'Ghost' });
        await tx.avatars.create({ name: 'Ghost 2' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await store.stats()).rowCounts.avatars).toBe(before);
    await store.transaction(async (tx) => {
      await tx.avatars.create({ name: 'Kept' });
    });
    expect((await store.stats()).rowCounts.avatars).toBe(before! + 1);
  });

  it('inserts 10k phonemes in one batch', async () => {
    const audio = await store.audios.create(
      { text: 'batch', voiceId: 'v', sampleRate: 22050, durationMs: 1, format: 'pcm_f32' },
      new Uint8Array(8),
    );
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ phoneme: 'a', startMs: i, endMs: i + 1 }));
    const t0 = performance.now();
    expect(await store.phonemes.insertBatch(audio.id, rows)).toEqual({ inserted: 10_000 });
    console.log(`[store] 10k phonemes in ${(performance.now() - t0).toFixed(0)} ms (wasm, memory)`);
    expect((await store.phonemes.list(audio.id)).length).toBe(10_000);
  });

  it('saves synthesized speech with its timeline and loads it back exactly', async () => {
    const voice = await av.loadVoice(voiceFiles('test-tiny'));
    const speech = await voice.synthesize('Tell me about yourself. Take your time.');
    const saved = await store.saveSpeech(speech, { text: 'Tell me about yourself.', voiceId: voice.info.sha256 });
    const back = await store.loadSpeech(saved.id);
    expect(back.samples).toEqual(speech.samples);
    expect(back.phonemes.map((p) => p.phoneme)).toEqual(speech.phonemes.map((p) => p.phoneme));
    expect(back.visemes.length).toBeGreaterThan(0);
    // Names and ids agree with the synthesized timeline (ids drive the Player's blending).
    const idByName = new Map(speech.visemes.map((v) => [v.viseme, v.id]));
    for (const v of back.visemes) expect(v.id).toBe(idByName.get(v.viseme));
    const wav = await store.saveSpeech(speech, { text: 'wav', voiceId: 'x', format: 'wav' });
    expect(wav.size).toBe(44 + speech.samples.length * 2);
    // Node has no WebCodecs: Opus falls back to the 16-bit WAV, and the row says so.
    const opus = await store.saveSpeech(speech, { text: 'opus', voiceId: 'x', format: 'opus' });
    expect(opus.format).toBe('wav');
    expect(opus.size).toBe(wav.size);
    // Azure speech: ids after the round trip are the live ones (they once all came back 0). The
    // expected ids are the SAPI table of docs/visemes.md, written out by hand (viseme_names.ts), not the package's.
    const azure = await voice.synthesize('Tell me about a problem you solved.', { visemeSet: 'azure' });
    const azureBack = await store.loadSpeech((await store.saveSpeech(azure, { text: 'azure', voiceId: 'x' })).id);
    expect(azureBack.visemes.length).toBeGreaterThan(3);
    expect(azureBack.visemes.some((v) => v.id > 14)).toBe(true); // ids only Azure has
    for (const v of azureBack.visemes) expect(v.id, v.viseme).toBe(AZURE_NAMES.indexOf(v.viseme));
    const azureIdByName = new Map(azure.visemes.map((v) => [v.viseme, v.id]));
    for (const v of azureBack.visemes) expect(v.id).toBe(azureIdByName.get(v.viseme));
    // "a problem": p and b are Azure's p_b_m, 21, live and reloaded.
    expect(azure.visemes.find((v) => v.viseme === 'p_b_m')?.id).toBe(21);
    expect(azureBack.visemes.find((v) => v.viseme === 'p_b_m')?.id).toBe(21);
    expect(av.info.visemeSets.azure).toEqual(AZURE_NAMES);
    await voice.dispose();
  });

  it('saves a recording without a timeline and loads it back (16-bit where Opus is unavailable)', async () => {
    const rate = 44100;
    const samples = new Float32Array(rate / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 220 * i) / rate);
    const saved = await store.saveRecording({ samples, sampleRate: rate }, { text: 'my answer', voiceId: 'microphone', format: 'opus' });
    expect(saved).toMatchObject({ format: 'wav', sampleRate: rate, durationMs: 500, size: 44 + samples.length * 2 });
    const back = await store.loadSpeech(saved.id);
    expect(back.phonemes).toEqual([]);
    expect(back.visemes).toEqual([]);
    expect(back.samples.length).toBe(samples.length);
    // 16-bit quantisation: within one step of the input everywhere.
    let worst = 0;
    for (let i = 0; i < samples.length; i++) worst = Math.max(worst, Math.abs(back.samples[i]! - samples[i]!));
    expect(worst).toBeLessThanOrEqual(1 / 32767 + 1e-7);
    await expect(
      store.saveRecording({ samples: new Float32Array(0), sampleRate: rate }, { text: 'x', voiceId: 'm' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('non-empty Float32Array'),
    });
    await expect(store.saveRecording({ samples, sampleRate: 100 }, { text: 'x', voiceId: 'm' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('sample rate 100'),
    });
  });

  it('exports a valid SQLite file, and an invalid import changes nothing', async () => {
    const blob = await store.exportDatabase();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('SQLite format 3');
    const file = join(mkdtempSync(join(tmpdir(), 'av-export-')), 'export.sqlite3');
    writeFileSync(file, bytes);
    expect(execFileSync('sqlite3', [file, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim()).toBe('ok');
    const before = await store.stats();
    await expect(store.importDatabase(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('not a SQLite database'),
    });
    await expect(store.importDatabase(bytes.slice(0, bytes.length / 2))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('truncated'),
    });
    expect((await store.stats()).rowCounts).toEqual(before.rowCounts);
    const imported = await store.importDatabase(blob);
    expect(imported.rowCounts).toEqual(before.rowCounts);
  });

  it('reports health and validates arguments', async () => {
    expect(await store.health()).toMatchObject({ ok: true, quickCheck: ['ok'] });
    await expect(store.avatars.create({ name: '' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('name'),
    });
    await expect((store as any).call('nope.method', {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
