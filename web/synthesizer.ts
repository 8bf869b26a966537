/**
 * The engine's synthesizer: the voices loaded into this engine (each a WasmVoice of the core plus
 * the ORT session(s) of its model) and their running speech streams. Each stream is the core's
 * WasmSpeechStream of one utterance: it hands out model inputs, ORT runs them, the stream turns
 * the outputs into chunks; the next chunk is synthesized while the caller consumes this one.
 *
 * A voice whose model splits (core.splitModel) gets two sessions, part A and part B, instead of
 * the whole model's; its streams then decode each sentence in windows: part A once per sentence
 * (noise sampled once, so every window agrees), the core plans windows between words, part B runs
 * per window with the receptive margin and the core turns each window into a chunk. Sentence
 * chunking (synthesize(), or `chunking: 'sentence'`) runs A then B on the whole sentence.
 *
 * ```ts
 * const synthesizer = new Synthesizer(await loadWasmCore());
 * const info = await synthesizer.loadVoice(modelBytes, configJson);
 * const id = synthesizer.startStream(info.voiceId, 'Hello there. How are you?');
 * for (let c = await synthesizer.next(id); c; c = await synthesizer.next(id)) play(c);
 * ```
 */
import type {
  FrameWindowValue,
  ModelRequest,
  ModelSplitValue,
  SpeechChunkValue,
  VoiceConfigSummary,
  WasmSpeechStream,
  WasmVoice,
} from '../wasm/avatar_voice_core.js';
import type { EngineSynthesisOptions } from './engine_api.js';
import { AvatarVoiceError, unwrapCore } from './errors.js';
import { OrtSplitVoiceSession, type PartAOutput } from './ort_split_voice_session.js';
import { ortThreads, startOrt } from './ort_runtime.js';
import { type OrtOptions, OrtVoiceSession } from './ort_voice_session.js';
import type { SpeechChunk, StreamingFallbackReason, TextSpan, TimedPhoneme, VoiceInfo, VoiceLoadTimings, VoiceStreaming } from './types.js';
import { sha256Hex } from './voice_cache.js';
import { deleteCachedParts, partFile, partsIntact, readCachedParts, storeCachedParts } from './voice_parts_cache.js';
import { type WasmCore, assertWellFormed, utf8ToUtf16Offsets } from './wasm_core.js';

/** What the engine holds for one loaded voice. */
interface EngineVoice {
  info: VoiceInfo;
  wasm: WasmVoice;
  /** The split sessions when the model splits (windowed streaming), else the whole model's. */
  session: OrtVoiceSession | OrtSplitVoiceSession;
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

  private readonly partDigest = (bytes: Uint8Array): string => this.core.partDigest(bytes);

  /**
   * Parses the config, patches the model for timings, splits it for windowed streaming when it
   * can (else keeps the whole model, `info.streaming` says why), creates the ORT session(s).
   */
  async loadVoice(model: Uint8Array, configJson: string, expectedSha256?: string): Promise<VoiceInfo> {
    const wasm = this.core.createVoice();
    try {
      const config = unwrapCore(wasm.load(configJson));
      // The digest runs off this thread (WebCrypto) while the model is patched, split and its
      // sessions created here; it is awaited only at the end, so integrity costs no load time.
      const hashing = sha256Hex(model);
      hashing.catch(() => undefined);
      const corrupt = async (): Promise<boolean> => expectedSha256 !== undefined && (await hashing) !== expectedSha256;
      const corruptError = () =>
        new AvatarVoiceError(
          'CACHE_CORRUPT',
          `cached voice ${expectedSha256} does not match its SHA-256; it was removed, download it again`,
        );
      let built: Awaited<ReturnType<Synthesizer['createSession']>>;
      const started = performance.now();
      let patchMs = 0;
      try {
        const patch = this.core.patchModel(model);
        patchMs = performance.now() - started;
        built = await this.createSession(patch.model, patch.durationOutput);
      } catch (error) {
        // A damaged cached model fails to parse before its hash is known: say what it is.
        throw (await corrupt()) ? corruptError() : error;
      }
      const { session, streaming, splitMs, runtimeMs, sessionsMs } = built;
      // A cached voice keeps what this load computed, so the next load skips reading, patching
      // and cutting the model (voice_parts_cache.ts); written while the hash is awaited.
      const keeping =
        expectedSha256 && built.split
          ? storeCachedParts(
              expectedSha256,
              built.split,
              { modelBytes: model.byteLength, durationOutput: built.durationOutput },
              this.partDigest,
            )
          : null;
      const hashStarted = performance.now();
      if (await corrupt()) {
        await session.release();
        if (keeping && expectedSha256) await keeping.then(() => deleteCachedParts(expectedSha256));
        throw corruptError();
      }
      await keeping;
      const sha256 = await hashing;
      const loadTimings: VoiceLoadTimings = {
        source: 'model',
        readMs: 0,
        patchMs,
        splitMs,
        runtimeMs,
        sessionsMs,
        hashWaitMs: performance.now() - hashStarted,
      };
      return await this.register(wasm, config, session, streaming, { sha256, modelBytes: model.byteLength, loadTimings });
    } catch (error) {
      wasm.delete();
      throw error;
    }
  }

  /**
   * Loads cached voice `cacheId` from the parts an earlier load kept (voice_parts_cache.ts):
   * sessions straight from them, their XXH3 digests checked meanwhile. Null when there are no usable
   * parts (none yet, another format, damaged: then they are deleted); the caller loads the model.
   * A config the core refuses, or one the model contradicts, is the caller's error, not the parts':
   * it is thrown and the parts stay.
   */
  async loadCachedVoice(cacheId: string, configJson: string): Promise<VoiceInfo | null> {
    const started = performance.now();
    const parts = await readCachedParts(cacheId);
    if (!parts) return null;
    const readMs = performance.now() - started;
    const intact = partsIntact(parts, this.partDigest).catch(() => false);
    const wasm = this.core.createVoice();
    let session: OrtSplitVoiceSession;
    let config: VoiceConfigSummary;
    let sessionsMs: number;
    let hashStarted: number;
    try {
      config = unwrapCore(wasm.load(configJson));
    } catch (error) {
      wasm.delete();
      throw error;
    }
    let runtimeMs: number;
    try {
      runtimeMs = await this.runtimeWait();
      const sessionsStarted = performance.now();
      session = await OrtSplitVoiceSession.create(parts.split, this.ortOptions, (part) => parts.bytes[partFile(part)]!);
      hashStarted = performance.now();
      sessionsMs = hashStarted - sessionsStarted;
      if (!(await intact)) {
        await session.release().catch(() => undefined);
        throw new Error('parts do not match their hashes');
      }
    } catch {
      // Damaged or unloadable parts: they go, and the model path computes them again.
      wasm.delete();
      await deleteCachedParts(cacheId);
      return null;
    }
    const loadTimings: VoiceLoadTimings = {
      source: 'cachedParts',
      readMs,
      patchMs: 0,
      splitMs: 0,
      runtimeMs,
      sessionsMs,
      hashWaitMs: performance.now() - hashStarted,
    };
    const streaming: VoiceStreaming = {
      mode: 'window',
      marginFrames: session.marginFrames,
      decoderMarginFrames: session.decoderMarginFrames,
    };
    try {
      return await this.register(wasm, config, session, streaming, { sha256: cacheId, modelBytes: parts.modelBytes, loadTimings });
    } catch (error) {
      wasm.delete();
      throw error;
    }
  }

  /** Checks the speakers against the config and keeps the voice; releases the session if refused. */
  private async register(
    wasm: WasmVoice,
    config: VoiceConfigSummary,
    session: OrtVoiceSession | OrtSplitVoiceSession,
    streaming: VoiceStreaming,
    model: { sha256: string; modelBytes: number; loadTimings: VoiceLoadTimings },
  ): Promise<VoiceInfo> {
    const voiceId = `voice-${this.nextVoice++}`;
    const timing = session.hasTiming ? 'model' : 'estimated';
    const info: VoiceInfo = { ...config, voiceId, timing, streaming, threads: ortThreads(), ...model };
    if (session.multiSpeaker !== info.numSpeakers > 1) {
      await session.release();
      throw new AvatarVoiceError(
        'INVALID_VOICE_CONFIG',
        `config says ${info.numSpeakers} speaker(s) but the model ${session.multiSpeaker ? 'has' : 'has no'} "sid" input`,
      );
    }
    this.voices.set(voiceId, { info, wasm, session });
    return info;
  }

  private async createSession(
    model: Uint8Array,
    durationOutput: string,
  ): Promise<{
    session: OrtVoiceSession | OrtSplitVoiceSession;
    streaming: VoiceStreaming;
    splitMs: number;
    runtimeMs: number;
    sessionsMs: number;
    /** The split the sessions were made of (window mode), for the parts cache. */
    split?: ModelSplitValue;
    durationOutput: string;
  }> {
    const started = performance.now();
    const split = this.core.splitModel(model);
    const splitMs = performance.now() - started;
    const runtimeMs = await this.runtimeWait();
    const sessionsStarted = performance.now();
    const sessionsMs = () => performance.now() - sessionsStarted;
    const fallback = (reason: StreamingFallbackReason, detail: string) => ({ mode: 'sentence' as const, reason, detail });
    let streaming: VoiceStreaming;
    if (!split.ok) streaming = fallback(split.failure, split.reason);
    else if (!durationOutput || !split.durationOutput)
      streaming = fallback('no_duration_output', 'the model has no duration (Ceil) output: windows need the timeline first');
    else {
      // Parts A and B replace the whole model's session: together they are the whole model.
      const session = await OrtSplitVoiceSession.create(split, this.ortOptions);
      return {
        session,
        streaming: { mode: 'window', marginFrames: session.marginFrames, decoderMarginFrames: session.decoderMarginFrames },
        splitMs,
        runtimeMs,
        sessionsMs: sessionsMs(),
        split,
        durationOutput,
      };
    }
    const session = await OrtVoiceSession.create(model, durationOutput || null, this.ortOptions);
    return { session, streaming, splitMs, runtimeMs, sessionsMs: sessionsMs(), durationOutput };
  }

  async unloadVoice(voiceId: string): Promise<void> {
    const voice = this.voices.get(voiceId);
    if (!voice) return;
    this.voices.delete(voiceId);
    voice.wasm.delete();
    await voice.session.release();
  }

  /** Ms spent waiting here for onnxruntime-web to finish starting (0 when it was up). */
  private async runtimeWait(): Promise<number> {
    const started = performance.now();
    await startOrt(this.ortOptions);
    return performance.now() - started;
  }

  /** Starts onnxruntime-web ahead of a voice load (see startOrt); resolves when it is up. */
  prepareRuntime(): Promise<void> {
    return startOrt(this.ortOptions);
  }

  encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
    return this.core.encodeWav(samples, sampleRate);
  }

  /** The UTF-16 spans of the sentences the voice's planner makes of `text` (as startStream does). */
  sentenceSpans(voiceId: string, text: string): TextSpan[] {
    const voice = this.voice(voiceId);
    assertWellFormed(text);
    const toUtf16 = utf8ToUtf16Offsets(text);
    return unwrapCore(voice.wasm.plan(text, 0)).map((s) => ({ textStart: toUtf16(s.textStart), textEnd: toUtf16(s.textEnd) }));
  }

  /**
   * Starts a speech stream; pull chunks with {@link next}, stop early with {@link cancel}. The
   * core checks the options (scales, speaker) and plans the text here, before anything runs.
   */
  startStream(voiceId: string, text: string, options: EngineSynthesisOptions = {}): number {
    const voice = this.voice(voiceId);
    assertWellFormed(text);
    const { sentenceLimit = Number.POSITIVE_INFINITY, ...coreOptions } = options;
    const stream = unwrapCore(voice.wasm.startStream(text, coreOptions), utf8ToUtf16Offsets(text));
    const id = this.nextStream++;
    const windowed = voice.session instanceof OrtSplitVoiceSession && options.chunking !== 'sentence';
    this.streams.set(id, this.run(voice, stream, text, windowed, sentenceLimit));
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
  private async *run(
    voice: EngineVoice,
    stream: WasmSpeechStream,
    text: string,
    windowed: boolean,
    sentenceLimit: number,
  ): AsyncGenerator<SpeechChunk> {
    const toUtf16 = utf8ToUtf16Offsets(text);
    const session = voice.session;
    // Windowed: the sentence being decoded (part A's output and its windows), window by window.
    let sentence: { request: ModelRequest; a: PartAOutput; windows: FrameWindowValue[]; next: number } | null = null;
    let sentencesBegun = 0;
    const moreSentences = () => !stream.done() && sentencesBegun < sentenceLimit;
    const nextRequest = (): ModelRequest | null => {
      if (!moreSentences()) return null;
      const request = unwrapCore(stream.next());
      if (request) sentencesBegun++;
      return request;
    };
    const more = () => sentence !== null || moreSentences();
    // How fast this device decodes (ms of audio per ms of model runs, so far in this stream): the
    // core lets a later sentence's first window grow with it. Half the measured speed, since the
    // next sentence may run slower (other work on the device); 2 (the core's floor) until known.
    let audioMs = 0;
    let modelMs = 0;
    const decodeSpeed = () => (modelMs > 0 ? audioMs / modelMs / 2 : 2);
    const timed = async <T>(run: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await run();
      } finally {
        modelMs += performance.now() - started;
      }
    };
    const nextWindow = async (split: OrtSplitVoiceSession): Promise<SpeechChunk | null> => {
      if (!sentence) {
        const request = nextRequest();
        if (!request) return null;
        if (request.pauseSamples > 0) return pause(request);
        const a = await timed(() => split.runA(request));
        const windows = unwrapCore(stream.beginWindows(request.sentence, a.frames, a.totalFrames, decodeSpeed()));
        // A sentence of no frames has no window: its (empty) chunk as a whole sentence.
        if (windows.length === 0) return toChunk(unwrapCore(stream.finish(request.sentence, new Float32Array(0), a.frames)), toUtf16);
        sentence = { request, a, windows, next: 0 };
      }
      const current = sentence;
      const index = current.next++;
      if (current.next === current.windows.length) sentence = null;
      const window = current.windows[index]!;
      const audio = await timed(() => split.runB(current.a, window.startFrame, window.endFrame));
      const chunk = toChunk(unwrapCore(stream.finishWindow(current.request.sentence, index, audio)), toUtf16);
      audioMs += chunk.durationMs;
      return chunk;
    };
    // An SSML <break>: the core makes its silence, no model run.
    const pause = (request: ModelRequest) => toChunk(unwrapCore(stream.finish(request.sentence, new Float32Array(0), null)), toUtf16);
    const synthesize = async (): Promise<SpeechChunk | null> => {
      if (windowed && session instanceof OrtSplitVoiceSession) return nextWindow(session);
      const request = nextRequest();
      if (!request) return null;
      if (request.pauseSamples > 0) return pause(request);
      const out = await session.run(request);
      return toChunk(unwrapCore(stream.finish(request.sentence, out.audio, out.frames)), toUtf16);
    };
    try {
      let pending: Promise<SpeechChunk | null> | null = more() ? synthesize() : null;
      while (pending) {
        const chunk = await pending;
        if (!chunk) break;
        // The next chunk synthesizes while this one plays, but only from the next task on:
        // onnxruntime's wasm run holds the thread once it starts, and the chunk must reach the
        // page (Comlink posts it in this task's continuations) before that, or the first audio
        // waits for the next chunk too.
        pending = more() ? nextTask().then(synthesize) : null;
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
    sampleOffset: raw.sampleOffset,
    endsSentence: raw.endsSentence,
    sentenceSamples: raw.sentenceSamples,
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
    marks: raw.marks.map((m) => ({ name: m.name, sample: m.sample, textOffset: toUtf16(m.textOffset) })),
    ...(raw.pause && { pause: true }),
  };
}
