/**
 * The one implementation of {@link EngineApi}: the worker exposes it over Comlink, Node calls it
 * in-process. `transfer` marks buffers that may move instead of being copied across the boundary.
 */
import type { AssetUrls } from './assets.js';
import { type Core, assertWellFormed, loadCore, utf8ToUtf16Offsets } from './core.js';
import { AvatarVoiceError, unwrapCore } from './errors.js';
import { checkTextLength } from './limits.js';
import type { OrtOptions } from './piper_session.js';
import { VoiceEngine } from './voice_engine.js';
import type { EngineApi } from './worker_protocol.js';

export type Transfer = <T>(value: T, buffers: ArrayBuffer[]) => T;

export function createEngineApi(transfer: Transfer = (v) => v): EngineApi {
  let core: Promise<Core> | undefined;
  let engine: VoiceEngine | undefined;
  let storeOpen = false;
  // The longest utterance: the store's text.maxChars when a store is open (a user setting), else
  // the core's default for it. Applied here, in JS, before the text is copied into wasm.
  const utteranceChars = (c: Core): number => {
    if (storeOpen) {
      const { result } = c.storeCall('config.get', { key: 'text.maxChars' });
      const value = (result as { value?: unknown }).value;
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    }
    return c.limits.defaultUtteranceChars;
  };
  const ready = async (): Promise<Core> => {
    if (!core) throw new AvatarVoiceError('INTERNAL', 'the engine was not initialised');
    return core;
  };
  const voices = async (): Promise<VoiceEngine> => {
    await ready();
    return engine!;
  };
  return {
    async init(assets: AssetUrls, ort: OrtOptions) {
      core ??= loadCore(assets).then((c) => {
        engine = new VoiceEngine(c, ort);
        return c;
      });
      const c = await core;
      return { version: c.version, espeakVersion: c.espeakVersion, ...c.timings, limits: c.limits, visemeSets: c.visemeSets };
    },
    async phonemize(text, options) {
      return (await ready()).phonemize(text, options);
    },
    async sqliteSelfCheck() {
      return (await ready()).sqliteSelfCheck();
    },
    async phonemizeToIds(text, configJson, maxChars) {
      const core = await ready();
      assertWellFormed(text);
      const handle = core.createVoice();
      try {
        unwrapCore(handle.load(configJson));
        const plan = unwrapCore(handle.plan(text, maxChars ?? 0)) as {
          planId: number;
          sentences: { ids: Int32Array; phonemes: string[]; textStart: number; textEnd: number; warnings: string[] }[];
        };
        handle.release(plan.planId);
        const toUtf16 = utf8ToUtf16Offsets(text);
        return plan.sentences.map((s) => ({
          ids: Array.from(s.ids),
          phonemes: s.phonemes,
          textStart: toUtf16(s.textStart),
          textEnd: toUtf16(s.textEnd),
          warnings: s.warnings,
        }));
      } finally {
        handle.delete();
      }
    },
    async installLanguage(pack) {
      return (await ready()).installEspeakData(pack);
    },
    async loadVoice(model, configJson) {
      return (await voices()).loadVoice(model, configJson);
    },
    async unloadVoice(voiceId) {
      return (await voices()).unloadVoice(voiceId);
    },
    async startStream(voiceId, text, options) {
      const c = await ready();
      const maxChars = options.maxChars ?? utteranceChars(c);
      checkTextLength(text, maxChars);
      return (await voices()).startStream(voiceId, text, { ...options, maxChars });
    },
    async nextChunk(streamId) {
      const chunk = await (await voices()).next(streamId);
      return chunk ? transfer(chunk, [chunk.samples.buffer as ArrayBuffer]) : null;
    },
    async cancelStream(streamId) {
      return (await voices()).cancel(streamId);
    },
    async storeOpen(options) {
      // Opening again would close the live OPFS handles under the open connection.
      if (storeOpen) throw new AvatarVoiceError('STORE', 'a store is already open in this engine');
      const kind = await (await ready()).openStore(options);
      storeOpen = true;
      return kind;
    },
    async storeCall(method, params, bytes) {
      const reply = (await ready()).storeCall(method, params, bytes);
      return reply.bytes ? transfer(reply, [reply.bytes.buffer as ArrayBuffer]) : reply;
    },
    async storeClose() {
      storeOpen = false;
      (await ready()).closeStore();
    },
    async encodeWav(samples, sampleRate) {
      const wav = (await voices()).encodeWav(samples, sampleRate);
      return transfer(wav, [wav.buffer as ArrayBuffer]);
    },
  };
}
