/**
 * The engine's synthesizer: the voices loaded into this engine (each a WasmVoice of the core plus
 * the OrtVoiceSession of its model) and their running speech streams. Each stream is the core's
 * WasmSpeechStream of one utterance: it hands out model inputs, ORT runs them, the stream turns
 * the outputs into chunks; sentence k+1 is synthesized while the caller consumes sentence k.
 *
 * ```ts
 * const synthesizer = new Synthesizer(await loadWasmCore());
 * const info = await synthesizer.loadVoice(modelBytes, configJson);
 * const id = synthesizer.startStream(info.voiceId, 'Hello there. How are you?');
 * for (let c = await synthesizer.next(id); c; c = await synthesizer.next(id)) play(c);
 * ```
 */
import type { SpeechChunkValue, WasmSpeechStream, WasmVoice } from '../wasm/avatar_voice_core.js';
import type { EngineSynthesisOptions } from './engine_api.js';
import { AvatarVoiceError, unwrapCore } from './errors.js';
import { type OrtOptions, OrtVoiceSession } from './ort_voice_session.js';
import type { SpeechChunk, TimedPhoneme, VoiceInfo } from './types.js';
import { sha256Hex } from './voice_cache.js';
import { type WasmCore, assertWellFormed, utf8ToUtf16Offsets } from './wasm_core.js';

/** What the engine holds for one loaded voice. */
interface EngineVoice {
  info: VoiceInfo;
  wasm: WasmVoice;
  session: OrtVoiceSession;
}

export class Synthesizer {
  private readonly voices = new Map<string, EngineVoice>();
  private readonly streams = new Map<number, AsyncGenerator<SpeechChunk>>();
  private nextVoice = 1;
  private nextStream = 1;

  constructor(
    private readonly core: WasmCore,
    private readonly ortOptions: OrtOptions = {},
  ) {}

  /** Parses the config, patches the model for timings, creates the ORT session. */
  async loadVoice(model: Uint8Array, configJson: string): Promise<VoiceInfo> {
    const wasm = this.core.createVoice();
    try {
      const config = unwrapCore(wasm.load(configJson));
      const sha256 = await sha256Hex(model);
      const patch = this.core.patchModel(model);
      const session = await OrtVoiceSession.create(patch.model, patch.durationOutput || null, this.ortOptions);
      const voiceId = `voice-${this.nextVoice++}`;
      const info: VoiceInfo = {
        ...config,
        voiceId,
        timing: session.hasTiming ? 'model' : 'estimated',
        sha256,
        modelBytes: model.byteLength,
      };
      if (session.multiSpeaker !== info.numSpeakers > 1) {
        await session.release();
        throw new AvatarVoiceError(
          'INVALID_VOICE_CONFIG',
          `config says ${info.numSpeakers} speaker(s) but the model ${session.multiSpeaker ? 'has' : 'has no'} "sid" input`,
        );
      }
      this.voices.set(voiceId, { info, wasm, session });
      return info;
    } catch (error) {
      wasm.delete();
      throw error;
    }
  }

  async unloadVoice(voiceId: string): Promise<void> {
    const voice = this.voices.get(voiceId);
    if (!voice) return;
    this.voices.delete(voiceId);
    voice.wasm.delete();
    await voice.session.release();
  }

  encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
    return this.core.encodeWav(samples, sampleRate);
  }

  /**
   * Starts a speech stream; pull chunks with {@link next}, stop early with {@link cancel}. The
   * core checks the options (scales, speaker) and plans the text here, before anything runs.
   */
  startStream(voiceId: string, text: string, options: EngineSynthesisOptions = {}): number {
    const voice = this.voice(voiceId);
    assertWellFormed(text);
    const stream = unwrapCore(voice.wasm.startStream(text, options));
    const id = this.nextStream++;
    this.streams.set(id, this.run(voice, stream, text));
    return id;
  }

  async next(streamId: number): Promise<SpeechChunk | null> {
    const stream = this.streams.get(streamId);
    if (!stream) return null;
    const step = await stream.next();
    if (step.done) {
      this.streams.delete(streamId);
      return null;
    }
    return step.value;
  }

  async cancel(streamId: number): Promise<void> {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    await stream?.return(undefined);
  }

  private voice(voiceId: string): EngineVoice {
    const voice = this.voices.get(voiceId);
    if (!voice) throw new AvatarVoiceError('NOT_FOUND', `no loaded voice "${voiceId}"`);
    return voice;
  }

  /** Owns `stream` from here on: deleted when the generator ends, however it ends. */
  private async *run(voice: EngineVoice, stream: WasmSpeechStream, text: string): AsyncGenerator<SpeechChunk> {
    const toUtf16 = utf8ToUtf16Offsets(text);
    const synthesize = async (): Promise<SpeechChunk | null> => {
      const request = unwrapCore(stream.next());
      if (!request) return null;
      const out = await voice.session.run(request);
      return toChunk(unwrapCore(stream.finish(request.sentence, out.audio, out.frames)), toUtf16);
    };
    try {
      let pending: Promise<SpeechChunk | null> | null = stream.done() ? null : synthesize();
      while (pending) {
        const chunk = await pending;
        if (!chunk) break;
        // The next sentence synthesizes while this one plays, but only from the next task on:
        // onnxruntime's wasm run holds the thread once it starts, and the chunk must reach the
        // page (Comlink posts it in this task's continuations) before that, or the first audio
        // waits for the second sentence too.
        pending = stream.done() ? null : nextTask().then(synthesize);
        // A rejected prefetch must not go unhandled if the consumer stops here.
        pending?.catch(() => undefined);
        yield chunk;
      }
    } finally {
      stream.delete();
    }
  }
}

/** Resolves in a later task (after every continuation queued in this one has run). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function toChunk(raw: SpeechChunkValue, toUtf16: (b: number) => number): SpeechChunk {
  const msPerSample = 1000 / raw.sampleRate;
  const phonemes: TimedPhoneme[] = raw.phonemes.map((phoneme, i) => {
    const startSample = raw.phonemeStartSample[i]!;
    const endSample = raw.phonemeEndSample[i]!;
    return {
      phoneme,
      startSample,
      endSample,
      startMs: startSample * msPerSample,
      endMs: endSample * msPerSample,
      textStart: toUtf16(raw.phonemeTextStart[i]!),
      textEnd: toUtf16(raw.phonemeTextEnd[i]!),
    };
  });
  return {
    index: raw.sentence,
    textStart: toUtf16(raw.textStart),
    textEnd: toUtf16(raw.textEnd),
    samples: raw.samples,
    sampleRate: raw.sampleRate,
    durationMs: raw.samples.length * msPerSample,
    phonemes,
    visemes: raw.visemes,
    timing: raw.timing,
    timingExact: raw.timingExact,
    warnings: raw.warnings,
  };
}
